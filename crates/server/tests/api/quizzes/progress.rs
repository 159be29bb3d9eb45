//! `GET /users/me/progress`: watched lessons and passed tests per course and
//! module, for every course the user holds or held a grant on; nobody else's.

use super::helpers::{Quiz, Student, create_test, quiz};
use crate::support::{course, delete, get, json_of, lesson, module, post, put, put_video_url};
use serde_json::{Value, json};

const PROGRESS: &str = "/api/v1/users/me/progress";

async fn report(quiz: &Quiz, student: &Student) -> Vec<Value> {
    let body = json_of(get(&quiz.app, PROGRESS, &student.token).await, 200).await;
    body.as_array()
        .unwrap_or_else(|| panic!("not a list: {body}"))
        .clone()
}

/// A lesson with a one-minute video in `module`; returns its id.
async fn video_lesson(quiz: &Quiz, module: &str, title: &str) -> String {
    let made = lesson(&quiz.app, &quiz.admin, module, json!({"title": title})).await;
    let id = made["id"].as_str().unwrap().to_owned();
    with_video(quiz, &id).await;
    id
}

async fn with_video(quiz: &Quiz, lesson: &str) {
    let url = format!("https://cdn.example.uz/{lesson}.mp4");
    let response = put_video_url(&quiz.app, &quiz.admin, lesson, &url, 60).await;
    assert_eq!(response.status(), 204, "{}", response.text().await.unwrap());
}

/// Watches the lesson as a player would: its link, half a minute on the
/// clock (positions may run at 2×), then `completed`.
async fn watch(quiz: &Quiz, student: &Student, lesson: &str) {
    let path = format!("/api/v1/lessons/{lesson}");
    json_of(
        get(&quiz.app, &format!("{path}/video"), &student.token).await,
        200,
    )
    .await;
    quiz.app.clock.advance(chrono::Duration::seconds(31));
    let body = json_of(
        put(
            &quiz.app,
            &format!("{path}/progress"),
            &student.token,
            &json!({"position_seconds": 60, "completed": true}),
        )
        .await,
        200,
    )
    .await;
    assert_eq!(body["completed"], true, "{body}");
}

async fn pass(quiz: &Quiz, student: &Student, answers: Value) -> Value {
    let attempt = quiz.started(student).await;
    let id = attempt["id"].as_str().unwrap();
    json_of(quiz.save(student, id, answers).await, 200).await;
    json_of(quiz.submit(student, id).await, 200).await
}

/// The numbers of a course or module item, in the response's order.
fn numbers(item: &Value) -> [i64; 5] {
    [
        "lessons_watched",
        "lessons_total",
        "tests_passed",
        "tests_total",
        "percent",
    ]
    .map(|key| {
        item[key]
            .as_i64()
            .unwrap_or_else(|| panic!("no {key}: {item}"))
    })
}

#[tokio::test]
async fn progress_counts_watched_lessons_and_passed_tests_per_course_and_module() {
    let quiz = quiz().await;
    // The quiz's course: one module, its lesson with a test, and now a video.
    with_video(&quiz, &quiz.lesson).await;
    let aziza = quiz.student("aziza@example.uz", true).await;
    let bobur = quiz.student("bobur@example.uz", true).await;
    let hech = quiz.student("hech@example.uz", false).await;

    // A second course: two lessons in its first module, one in its second.
    let created = course(
        &quiz.app,
        &quiz.admin,
        &quiz.direction,
        "Geometriya",
        json!({"status": "published"}),
    )
    .await;
    let geometry = created["id"].as_str().unwrap().to_owned();
    let first = module(
        &quiz.app,
        &quiz.admin,
        &geometry,
        json!({"title": "1-modul"}),
    )
    .await;
    let first = first["id"].as_str().unwrap().to_owned();
    let second = module(
        &quiz.app,
        &quiz.admin,
        &geometry,
        json!({"title": "2-modul"}),
    )
    .await;
    let second = second["id"].as_str().unwrap().to_owned();
    let g1 = video_lesson(&quiz, &first, "Uchburchak").await;
    video_lesson(&quiz, &first, "Toʻrtburchak").await;
    video_lesson(&quiz, &second, "Aylana").await;
    quiz.app.clock.advance(chrono::Duration::seconds(5));
    let grants = format!("/api/v1/admin/users/{}/courses", aziza.id);
    json_of(
        post(
            &quiz.app,
            &grants,
            &quiz.admin,
            &json!({"course_ids": [geometry]}),
        )
        .await,
        200,
    )
    .await;

    // Nothing done yet; newest grant first.
    let before = report(&quiz, &aziza).await;
    assert_eq!(before.len(), 2, "{before:?}");
    assert_eq!(
        before[0]["course"],
        json!({"id": geometry, "title": "Geometriya"})
    );
    assert_eq!(before[1]["course"]["id"], quiz.course.as_str());
    assert_eq!(numbers(&before[0]), [0, 3, 0, 0, 0]);
    assert_eq!(numbers(&before[1]), [0, 1, 0, 1, 0]);

    watch(&quiz, &aziza, &quiz.lesson).await;
    watch(&quiz, &aziza, &g1).await;
    assert_eq!(pass(&quiz, &aziza, quiz.all_right()).await["passed"], true);
    // Bobur fails, which passes nothing.
    assert_eq!(pass(&quiz, &bobur, json!([])).await["passed"], false);

    let after = report(&quiz, &aziza).await;
    assert_eq!(numbers(&after[0]), [1, 3, 0, 0, 33]);
    let modules = after[0]["modules"].as_array().unwrap();
    assert_eq!(modules.len(), 2);
    assert_eq!(modules[0]["id"], first.as_str());
    assert_eq!(modules[0]["title"], "1-modul");
    assert_eq!(numbers(&modules[0]), [1, 2, 0, 0, 50]);
    assert_eq!(modules[1]["id"], second.as_str());
    assert_eq!(numbers(&modules[1]), [0, 1, 0, 0, 0]);
    assert_eq!(numbers(&after[1]), [1, 1, 1, 1, 100]);
    assert_eq!(numbers(&after[1]["modules"][0]), [1, 1, 1, 1, 100]);

    // Aziza's work never shows in Bobur's report, nor is his course list hers.
    let his = report(&quiz, &bobur).await;
    assert_eq!(his.len(), 1, "{his:?}");
    assert_eq!(his[0]["course"]["id"], quiz.course.as_str());
    assert_eq!(numbers(&his[0]), [0, 1, 0, 1, 0]);
    // Without any grant: an empty list.
    assert_eq!(report(&quiz, &hech).await, Vec::<Value>::new());

    // A lesson and then a test added later lower the percent.
    let kasr_module = after[1]["modules"][0]["id"].as_str().unwrap().to_owned();
    let added = video_lesson(&quiz, &kasr_module, "Kasrlarni ayirish").await;
    assert_eq!(numbers(&report(&quiz, &aziza).await[1]), [1, 2, 1, 1, 66]);
    let test = create_test(
        &quiz.app,
        &quiz.admin,
        &added,
        &json!({"title": "Kasrlar: 2-test"}),
    )
    .await;
    assert_eq!(test.status(), 201, "{}", test.text().await.unwrap());
    assert_eq!(numbers(&report(&quiz, &aziza).await[1]), [1, 2, 1, 2, 50]);

    // A revoked grant still shows its course and what was done in it.
    let revoked = delete(&quiz.app, &format!("{grants}/{geometry}"), &quiz.admin).await;
    assert_eq!(revoked.status(), 204, "{}", revoked.text().await.unwrap());
    let last = report(&quiz, &aziza).await;
    assert_eq!(last[0]["course"]["id"], geometry.as_str());
    assert_eq!(numbers(&last[0]), [1, 3, 0, 0, 33]);
}

#[tokio::test]
async fn progress_needs_a_user_token() {
    let quiz = quiz().await;
    assert_eq!(quiz.app.get(PROGRESS).await.status(), 401);
    // An admin token is no user's.
    assert_eq!(get(&quiz.app, PROGRESS, &quiz.admin).await.status(), 401);
}
