//! Admins' tests and questions: created, read with answers, changed and
//! removed, each audited; bad input refused with nothing changed; a test
//! without questions cannot be started.

use super::helpers::{ADMIN_QUESTIONS, ADMIN_TESTS, add_question, create_test, quiz};
use crate::support::{AUDIT, delete, field_errors, get, json_of, patch, problem};
use serde_json::{Value, json};

fn codes(body: &Value) -> Vec<String> {
    field_errors(body)
        .into_iter()
        .map(|(_, code)| code)
        .collect()
}

#[tokio::test]
async fn tests_and_questions_are_managed_and_audited() {
    let quiz = quiz().await;
    let (app, admin) = (&quiz.app, quiz.admin.as_str());
    let test = json_of(
        get(app, &format!("{ADMIN_TESTS}/{}", quiz.test), admin).await,
        200,
    )
    .await;
    assert_eq!(test["question_count"], 4);
    assert_eq!(
        (test["max_attempts"].as_i64(), test["pass_percent"].as_i64()),
        (Some(3), Some(60))
    );
    let questions = test["questions"].as_array().unwrap();
    assert_eq!(
        questions
            .iter()
            .map(|q| q["position"].as_i64().unwrap())
            .collect::<Vec<_>>(),
        [1, 2, 3, 4]
    );
    assert_eq!(
        questions[0]["options"][0]["correct"], true,
        "admins see the answers"
    );

    let changed = json_of(
        patch(
            app,
            &format!("{ADMIN_TESTS}/{}", quiz.test),
            admin,
            &json!({"max_attempts": 5, "time_limit_seconds": 1200, "title": "Kasrlar: yakuniy"}),
        )
        .await,
        200,
    )
    .await;
    assert_eq!(
        (
            changed["max_attempts"].as_i64(),
            changed["time_limit_seconds"].as_i64()
        ),
        (Some(5), Some(1200))
    );
    let cleared = json_of(
        patch(
            app,
            &format!("{ADMIN_TESTS}/{}", quiz.test),
            admin,
            &json!({"time_limit_seconds": null}),
        )
        .await,
        200,
    )
    .await;
    assert_eq!(cleared["time_limit_seconds"], json!(null));
    assert_eq!(cleared["title"], "Kasrlar: yakuniy");

    let question = json_of(
        patch(app, &format!("{ADMIN_QUESTIONS}/{}", quiz.single.0), admin, &json!({"points": 5, "options": [{"text": "1", "correct": false}, {"text": "3/4", "correct": true}, {"text": "1/6", "correct": false}]})).await,
        200,
    )
    .await;
    assert_eq!(question["points"], 5);
    assert_eq!(question["options"].as_array().unwrap().len(), 3);
    assert_eq!(question["kind"], "single");

    assert_eq!(
        delete(app, &format!("{ADMIN_QUESTIONS}/{}", quiz.text), admin)
            .await
            .status(),
        204
    );
    problem(
        delete(app, &format!("{ADMIN_QUESTIONS}/{}", quiz.text), admin).await,
        404,
        "question.not_found",
    )
    .await;
    let test = json_of(
        get(app, &format!("{ADMIN_TESTS}/{}", quiz.test), admin).await,
        200,
    )
    .await;
    assert_eq!(test["question_count"], 3);

    let audit = json_of(get(app, &format!("{AUDIT}?limit=100"), admin).await, 200).await;
    let actions: Vec<&str> = audit["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["action"].as_str().unwrap())
        .collect();
    for action in [
        "test.create",
        "question.create",
        "test.update",
        "question.update",
        "question.delete",
    ] {
        assert!(
            actions.contains(&action),
            "{action} not audited: {actions:?}"
        );
    }

    assert_eq!(
        delete(app, &format!("{ADMIN_TESTS}/{}", quiz.test), admin)
            .await
            .status(),
        204
    );
    problem(
        get(app, &format!("{ADMIN_TESTS}/{}", quiz.test), admin).await,
        404,
        "test.not_found",
    )
    .await;
    // A user token is no admin's.
    let student = quiz.student("talaba@example.uz", true).await;
    assert_eq!(
        get(app, &format!("{ADMIN_TESTS}/{}", quiz.test), &student.token)
            .await
            .status(),
        401
    );
}

#[tokio::test]
async fn bad_tests_and_questions_are_refused_with_nothing_changed() {
    let quiz = quiz().await;
    let (app, admin) = (&quiz.app, quiz.admin.as_str());
    for (body, code) in [
        (
            json!({"title": "T", "time_limit_seconds": -60}),
            "time_limit.invalid",
        ),
        (
            json!({"title": "T", "time_limit_seconds": 10_000_000}),
            "time_limit.invalid",
        ),
        (
            json!({"title": "T", "max_attempts": 0}),
            "max_attempts.invalid",
        ),
        (
            json!({"title": "T", "pass_percent": 101}),
            "pass_percent.invalid",
        ),
        (json!({"title": "  "}), "text.length"),
    ] {
        let refused = problem(
            create_test(app, admin, &quiz.lesson, &body).await,
            400,
            "validation",
        )
        .await;
        assert!(
            codes(&refused).contains(&code.to_owned()),
            "{body}: {refused}"
        );
    }
    problem(
        create_test(
            app,
            admin,
            &uuid::Uuid::now_v7().to_string(),
            &json!({"title": "T"}),
        )
        .await,
        404,
        "lesson.not_found",
    )
    .await;

    let questions = [
        (json!({"kind": "essay", "text": "?"}), "kind.invalid"),
        (
            json!({"kind": "single", "text": "?", "options": [{"text": "a", "correct": true}, {"text": "b", "correct": true}]}),
            "options.correct",
        ),
        (
            json!({"kind": "multiple", "text": "?", "options": [{"text": "a", "correct": false}, {"text": "b", "correct": false}]}),
            "options.correct",
        ),
        (
            json!({"kind": "single", "text": "?", "options": [{"text": "a", "correct": true}]}),
            "options.count",
        ),
        (
            json!({"kind": "text", "text": "?", "answer": "x", "options": [{"text": "a", "correct": true}, {"text": "b", "correct": false}]}),
            "options.not_allowed",
        ),
        (
            json!({"kind": "number", "text": "?", "answer": "oʻn"}),
            "number.invalid",
        ),
        (json!({"kind": "number", "text": "?"}), "required"),
        (
            json!({"kind": "number", "text": "?", "answer": 5, "tolerance": -1}),
            "tolerance.invalid",
        ),
        (
            json!({"kind": "text", "text": "?", "answer": "x", "points": 101}),
            "points.invalid",
        ),
    ];
    for (body, code) in questions {
        let refused = problem(
            add_question(app, admin, &quiz.test, &body).await,
            400,
            "validation",
        )
        .await;
        assert!(
            codes(&refused).contains(&code.to_owned()),
            "{body}: {refused}"
        );
    }
    problem(
        patch(
            app,
            &format!("{ADMIN_QUESTIONS}/{}", quiz.single.0),
            admin,
            &json!({"options": [{"text": "a", "correct": false}, {"text": "b", "correct": false}]}),
        )
        .await,
        400,
        "validation",
    )
    .await;
    let test = json_of(
        get(app, &format!("{ADMIN_TESTS}/{}", quiz.test), admin).await,
        200,
    )
    .await;
    assert_eq!(test["question_count"], 4, "nothing was added");
    assert_eq!(
        test["questions"][0]["options"].as_array().unwrap().len(),
        2,
        "nothing was changed"
    );
    // A number answer may be sent as a number.
    let made = json_of(
        add_question(
            app,
            admin,
            &quiz.test,
            &json!({"kind": "number", "text": "2+2?", "answer": 4}),
        )
        .await,
        201,
    )
    .await;
    assert_eq!(made["answer"], "4");
}

#[tokio::test]
async fn a_test_without_questions_cannot_be_started() {
    let quiz = quiz().await;
    let empty = json_of(
        create_test(
            &quiz.app,
            &quiz.admin,
            &quiz.lesson,
            &json!({"title": "Boʻsh test"}),
        )
        .await,
        201,
    )
    .await;
    let student = quiz.student("bosh@example.uz", true).await;
    let path = format!("/api/v1/tests/{}/attempts", empty["id"].as_str().unwrap());
    problem(
        crate::support::post(&quiz.app, &path, &student.token, &json!({})).await,
        409,
        "test.empty",
    )
    .await;
    let list = json_of(
        get(
            &quiz.app,
            &format!("/api/v1/tests/{}/attempts", empty["id"].as_str().unwrap()),
            &student.token,
        )
        .await,
        200,
    )
    .await;
    assert_eq!(list["items"], json!([]));
}
