//! Tests in the catalogue: course and lesson pages list their summaries (and
//! a cached course page shows a change at once), and a course's certificate
//! unlocks only when every test of its lessons is passed.

use super::helpers::{ADMIN_TESTS, Quiz, create_test, quiz};
use crate::support::{certificate, json_of, patch, post, problem};
use serde_json::json;

async fn course_page(quiz: &Quiz) -> serde_json::Value {
    json_of(
        quiz.app
            .get(&format!("/api/v1/courses/{}", quiz.course))
            .await,
        200,
    )
    .await
}

#[tokio::test]
async fn course_and_lesson_pages_list_test_summaries_and_see_changes_at_once() {
    let quiz = quiz().await;
    let page = course_page(&quiz).await;
    let tests = page["tests"].as_array().unwrap();
    assert_eq!(tests.len(), 1, "{page}");
    assert_eq!(tests[0]["id"], quiz.test.as_str());
    assert_eq!(tests[0]["lesson_id"], quiz.lesson.as_str());
    assert_eq!(tests[0]["question_count"], 4);
    assert!(tests[0].get("questions").is_none());
    let lesson = json_of(
        quiz.app
            .get(&format!("/api/v1/lessons/{}", quiz.lesson))
            .await,
        200,
    )
    .await;
    assert_eq!(lesson["tests"][0]["id"], quiz.test.as_str());

    // The page is cached; a test's change shows on the next read.
    json_of(
        patch(
            &quiz.app,
            &format!("{ADMIN_TESTS}/{}", quiz.test),
            &quiz.admin,
            &json!({"title": "Yangi nom"}),
        )
        .await,
        200,
    )
    .await;
    assert_eq!(course_page(&quiz).await["tests"][0]["title"], "Yangi nom");
    json_of(
        post(
            &quiz.app,
            &format!("{ADMIN_TESTS}/{}/questions", quiz.test),
            &quiz.admin,
            &json!({"kind": "text", "text": "?", "answer": "ha"}),
        )
        .await,
        201,
    )
    .await;
    assert_eq!(course_page(&quiz).await["tests"][0]["question_count"], 5);
    json_of(
        create_test(
            &quiz.app,
            &quiz.admin,
            &quiz.lesson,
            &json!({"title": "Ikkinchi test"}),
        )
        .await,
        201,
    )
    .await;
    assert_eq!(
        course_page(&quiz).await["tests"].as_array().unwrap().len(),
        2
    );
}

#[tokio::test]
async fn the_certificate_unlocks_only_when_every_test_is_passed() {
    let quiz = quiz().await;
    certificate(&quiz.app, &quiz.admin, &quiz.course, "Kasrlar sertifikati").await;
    let student = quiz.student("sertifikat@example.uz", true).await;
    let claim = format!("/api/v1/courses/{}/certificate/claim", quiz.course);
    // The lesson has no video: only the test stands in the way.
    problem(
        post(&quiz.app, &claim, &student.token, &json!({})).await,
        403,
        "certificate.locked",
    )
    .await;
    let attempt = quiz.started(&student).await;
    let id = attempt["id"].as_str().unwrap();
    let failed = json_of(quiz.submit(&student, id).await, 200).await;
    assert_eq!(failed["passed"], false);
    problem(
        post(&quiz.app, &claim, &student.token, &json!({})).await,
        403,
        "certificate.locked",
    )
    .await;
    let attempt = quiz.started(&student).await;
    let id = attempt["id"].as_str().unwrap();
    json_of(quiz.save(&student, id, quiz.all_right()).await, 200).await;
    json_of(quiz.submit(&student, id).await, 200).await;
    let issued = json_of(
        post(&quiz.app, &claim, &student.token, &json!({})).await,
        200,
    )
    .await;
    assert!(issued["serial"].is_string(), "{issued}");
}
