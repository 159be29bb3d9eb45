//! An attempt's life: started, answers saved and replaced, submitted once
//! (a second submit answers the same), closed by its deadline; another
//! user's attempt, no access, an open attempt, the attempt limit.

use super::helpers::{ATTEMPTS, SECRET_NUMBER, TESTS, quiz, quiz_with};
use crate::support::{field_errors, get, json_of, problem};
use bilim_domain::ports::Clock;
use chrono::{DateTime, Duration, Utc};
use serde_json::json;

#[tokio::test]
async fn start_save_submit_and_a_second_submit_answers_the_same() {
    let quiz = quiz().await;
    let student = quiz.student("aziz@example.uz", true).await;
    let overview = quiz.overview(&student).await;
    assert_eq!(overview["question_count"], 4);
    assert_eq!(
        (
            overview["attempts_left"].as_i64(),
            overview["max_attempts"].as_i64()
        ),
        (Some(3), Some(3))
    );

    let attempt = quiz.started(&student).await;
    let id = attempt["id"].as_str().unwrap();
    assert_eq!(attempt["questions"].as_array().unwrap().len(), 4);
    assert_eq!(
        attempt["deadline"],
        json!(null),
        "no time limit, no deadline"
    );
    // Saved twice: the second replaces the first.
    json_of(
        quiz.save(
            &student,
            id,
            json!([{"question_id": quiz.single.0, "option_ids": [quiz.single.2]}]),
        )
        .await,
        200,
    )
    .await;
    let saved = json_of(quiz.save(&student, id, quiz.all_right()).await, 200).await;
    assert_eq!(saved["answers"].as_array().unwrap().len(), 4);
    let read = json_of(
        get(&quiz.app, &format!("{ATTEMPTS}/{id}"), &student.token).await,
        200,
    )
    .await;
    assert_eq!(read["answers"].as_array().unwrap().len(), 4);

    let result = json_of(quiz.submit(&student, id).await, 200).await;
    assert_eq!(
        (result["score"].as_i64(), result["max_score"].as_i64()),
        (Some(10), Some(10))
    );
    assert_eq!(result["percent"], 100);
    assert_eq!(result["passed"], true);
    assert!(
        result["questions"]
            .as_array()
            .unwrap()
            .iter()
            .all(|q| q["correct"] == true)
    );

    // A second submit, even after the clock moved: the same result.
    quiz.app.clock.advance(Duration::minutes(5));
    let again = json_of(quiz.submit(&student, id).await, 200).await;
    assert_eq!(again, result);
    // And nothing more is saved.
    problem(
        quiz.save(&student, id, quiz.all_right()).await,
        409,
        "attempt.closed",
    )
    .await;
    let list = json_of(
        get(
            &quiz.app,
            &format!("{TESTS}/{}/attempts", quiz.test),
            &student.token,
        )
        .await,
        200,
    )
    .await;
    let items = list["items"].as_array().unwrap();
    assert_eq!(items.len(), 1);
    assert_eq!(
        (items[0]["score"].as_i64(), items[0]["passed"].as_bool()),
        (Some(10), Some(true))
    );
    assert_eq!(quiz.overview(&student).await["attempts_left"], 2);
}

#[tokio::test]
async fn another_users_attempt_is_not_found_and_no_access_is_forbidden() {
    let quiz = quiz().await;
    let owner = quiz.student("egasi@example.uz", true).await;
    let other = quiz.student("boshqa@example.uz", true).await;
    let outsider = quiz.student("begona@example.uz", false).await;
    let attempt = quiz.started(&owner).await;
    let id = attempt["id"].as_str().unwrap();
    problem(
        get(&quiz.app, &format!("{ATTEMPTS}/{id}"), &other.token).await,
        404,
        "attempt.not_found",
    )
    .await;
    problem(
        quiz.save(&other, id, quiz.all_right()).await,
        404,
        "attempt.not_found",
    )
    .await;
    problem(quiz.submit(&other, id).await, 404, "attempt.not_found").await;
    // The owner's attempt is unchanged by all that.
    let read = json_of(
        get(&quiz.app, &format!("{ATTEMPTS}/{id}"), &owner.token).await,
        200,
    )
    .await;
    assert_eq!(read["answers"], json!([]));
    assert_eq!(read["submitted_at"], json!(null));

    problem(quiz.start(&outsider).await, 403, "access.none").await;
    problem(
        get(
            &quiz.app,
            &format!("{TESTS}/{}", quiz.test),
            &outsider.token,
        )
        .await,
        403,
        "access.none",
    )
    .await;
    let unknown = uuid::Uuid::now_v7();
    problem(
        get(&quiz.app, &format!("{TESTS}/{unknown}"), &owner.token).await,
        404,
        "test.not_found",
    )
    .await;
    problem(
        quiz.submit(&owner, &unknown.to_string()).await,
        404,
        "attempt.not_found",
    )
    .await;
}

#[tokio::test]
async fn one_open_attempt_and_never_more_than_max_attempts() {
    let quiz = quiz_with(json!({"max_attempts": 2})).await;
    let student = quiz.student("takror@example.uz", true).await;
    let first = quiz.started(&student).await;
    problem(quiz.start(&student).await, 409, "test.attempt_open").await;
    json_of(
        quiz.submit(&student, first["id"].as_str().unwrap()).await,
        200,
    )
    .await;
    let second = quiz.started(&student).await;
    assert_eq!(second["number"], 2);
    json_of(
        quiz.submit(&student, second["id"].as_str().unwrap()).await,
        200,
    )
    .await;
    problem(quiz.start(&student).await, 409, "test.attempts_exhausted").await;
    assert_eq!(quiz.overview(&student).await["attempts_left"], 0);
}

#[tokio::test]
async fn the_deadline_closes_an_attempt_graded_with_what_was_saved_by_then() {
    let quiz = quiz_with(json!({"time_limit_seconds": 600})).await;
    let student = quiz.student("vaqt@example.uz", true).await;
    let attempt = quiz.started(&student).await;
    let id = attempt["id"].as_str().unwrap();
    let deadline = DateTime::parse_from_rfc3339(attempt["deadline"].as_str().unwrap())
        .unwrap()
        .to_utc();
    assert_eq!(deadline, quiz.app.clock.now() + Duration::seconds(600));
    // Saved before the deadline: the single choice (2 points).
    quiz.app.clock.advance(Duration::seconds(599));
    json_of(
        quiz.save(
            &student,
            id,
            json!([{"question_id": quiz.single.0, "option_ids": [quiz.single.1]}]),
        )
        .await,
        200,
    )
    .await;
    // After it, nothing more is taken.
    quiz.app.clock.advance(Duration::seconds(1));
    problem(
        quiz.save(&student, id, quiz.all_right()).await,
        409,
        "attempt.closed",
    )
    .await;
    quiz.app.clock.advance(Duration::minutes(3));
    let result = json_of(quiz.submit(&student, id).await, 200).await;
    assert_eq!(result["score"], 2);
    assert_eq!(result["passed"], false);
    let submitted: DateTime<Utc> =
        DateTime::parse_from_rfc3339(result["submitted_at"].as_str().unwrap())
            .unwrap()
            .to_utc();
    assert_eq!(
        submitted, deadline,
        "closed at its deadline, not at the submit"
    );
    // A new attempt may start; the closed one counts.
    let next = quiz.started(&student).await;
    assert_eq!(next["number"], 2);
}

#[tokio::test]
async fn a_deadline_passed_without_a_submit_is_graded_on_read_and_frees_the_place() {
    let quiz = quiz_with(json!({"time_limit_seconds": 60})).await;
    let student = quiz.student("unutgan@example.uz", true).await;
    let attempt = quiz.started(&student).await;
    let id = attempt["id"].as_str().unwrap();
    json_of(
        quiz.save(
            &student,
            id,
            json!([{"question_id": quiz.number, "value": SECRET_NUMBER}]),
        )
        .await,
        200,
    )
    .await;
    quiz.app.clock.advance(Duration::minutes(5));
    let list = json_of(
        get(
            &quiz.app,
            &format!("{TESTS}/{}/attempts", quiz.test),
            &student.token,
        )
        .await,
        200,
    )
    .await;
    assert_eq!(list["items"][0]["score"], 3, "{list}");
    assert!(list["items"][0]["submitted_at"].is_string());
    let next = quiz.started(&student).await;
    assert_eq!(next["number"], 2);
}

#[tokio::test]
async fn answers_that_do_not_fit_the_test_change_nothing() {
    let quiz = quiz().await;
    let other_quiz_question = uuid::Uuid::now_v7();
    let student = quiz.student("xato@example.uz", true).await;
    let attempt = quiz.started(&student).await;
    let id = attempt["id"].as_str().unwrap();
    json_of(
        quiz.save(
            &student,
            id,
            json!([{"question_id": quiz.text, "value": "birinchi"}]),
        )
        .await,
        200,
    )
    .await;
    let cases = [
        (
            json!([{"question_id": other_quiz_question, "value": "x"}]),
            "answer.question_unknown",
        ),
        (
            json!([{"question_id": quiz.single.0, "option_ids": [quiz.multiple.1[0]]}]),
            "answer.option_unknown",
        ),
        (
            json!([{"question_id": quiz.single.0, "option_ids": [quiz.single.1, quiz.single.2]}]),
            "answer.too_many_options",
        ),
        (
            json!([{"question_id": quiz.number, "value": "oʻn"}]),
            "number.invalid",
        ),
        (
            json!([{"question_id": quiz.text, "option_ids": [quiz.single.1]}]),
            "answer.kind_mismatch",
        ),
        (
            json!([{"question_id": quiz.text, "value": "a"}, {"question_id": quiz.text, "value": "b"}]),
            "answer.duplicate",
        ),
        (
            json!([{"question_id": quiz.text, "value": "x".repeat(201)}]),
            "text.length",
        ),
    ];
    for (answers, code) in cases {
        let body = problem(
            quiz.save(&student, id, answers.clone()).await,
            400,
            "validation",
        )
        .await;
        assert!(
            field_errors(&body).iter().any(|(_, c)| c == code),
            "{answers}: {body}"
        );
    }
    let read = json_of(
        get(&quiz.app, &format!("{ATTEMPTS}/{id}"), &student.token).await,
        200,
    )
    .await;
    assert_eq!(
        read["answers"],
        json!([{"question_id": quiz.text, "option_ids": [], "value": "birinchi"}])
    );
}
