//! Grading on the server: Uzbek apostrophes, case and spaces in text
//! answers; numbers within the tolerance; `multiple` all or nothing unless
//! the test gives partial credit; the pass at `pass_percent`.

use super::helpers::{Quiz, SECRET_TEXT, quiz, quiz_with};
use crate::support::json_of;
use serde_json::{Value, json};

/// One attempt with `answers`, submitted; returns the result.
async fn graded(quiz: &Quiz, email: &str, answers: Value) -> Value {
    let student = quiz.student(email, true).await;
    let attempt = quiz.started(&student).await;
    let id = attempt["id"].as_str().unwrap();
    json_of(quiz.save(&student, id, answers).await, 200).await;
    json_of(quiz.submit(&student, id).await, 200).await
}

fn earned(result: &Value, question: &str) -> i64 {
    result["questions"]
        .as_array()
        .unwrap()
        .iter()
        .find(|q| q["id"] == question)
        .unwrap()["points_earned"]
        .as_i64()
        .unwrap()
}

#[tokio::test]
async fn text_answers_ignore_case_spaces_and_the_apostrophe_variant() {
    let quiz = quiz().await;
    let variants = [
        "oʻzbekiston-sirri",
        "  O'ZBEKISTON-SIRRI ",
        "o‘zbekiston-sirri",
        "o`zbekiston-sirri",
        "o’zbekiston-sirri",
    ];
    for (i, variant) in variants.iter().enumerate() {
        let result = graded(
            &quiz,
            &format!("matn{i}@example.uz"),
            json!([{"question_id": quiz.text, "value": variant}]),
        )
        .await;
        assert_eq!(earned(&result, &quiz.text), 1, "{variant}: {result}");
        let review = result["questions"]
            .as_array()
            .unwrap()
            .iter()
            .find(|q| q["id"] == quiz.text.as_str())
            .unwrap()
            .clone();
        assert_eq!(review["right_answer"]["value"], SECRET_TEXT);
    }
    let wrong = graded(
        &quiz,
        "matn-xato@example.uz",
        json!([{"question_id": quiz.text, "value": "ozbekiston-sirri"}]),
    )
    .await;
    assert_eq!(earned(&wrong, &quiz.text), 0);
}

#[tokio::test]
async fn numbers_count_within_the_tolerance() {
    let quiz = quiz().await;
    for (i, (value, points)) in [
        ("31415.93", 3),
        ("31415,92", 3),
        ("31415.9", 0),
        ("31416", 0),
    ]
    .iter()
    .enumerate()
    {
        let result = graded(
            &quiz,
            &format!("son{i}@example.uz"),
            json!([{"question_id": quiz.number, "value": value}]),
        )
        .await;
        assert_eq!(earned(&result, &quiz.number), *points, "{value}: {result}");
    }
}

#[tokio::test]
async fn multiple_is_all_or_nothing_and_the_pass_is_the_percent() {
    let quiz = quiz().await;
    let (id, options) = &quiz.multiple;
    let half = graded(
        &quiz,
        "yarim@example.uz",
        json!([{"question_id": id, "option_ids": [options[0]]}]),
    )
    .await;
    assert_eq!(earned(&half, id), 0);
    // 2 + 4 = 6 of 10: exactly the default 60 %, a pass.
    let pass = graded(
        &quiz,
        "otdi@example.uz",
        json!([
            {"question_id": quiz.single.0, "option_ids": [quiz.single.1]},
            {"question_id": id, "option_ids": [options[1], options[0]]},
        ]),
    )
    .await;
    assert_eq!(
        (
            pass["score"].as_i64(),
            pass["percent"].as_i64(),
            pass["passed"].as_bool()
        ),
        (Some(6), Some(60), Some(true))
    );
    // 4 + 1 = 5 of 10: a fail.
    let fail = graded(
        &quiz,
        "otmadi@example.uz",
        json!([
            {"question_id": id, "option_ids": options[..2]},
            {"question_id": quiz.text, "value": SECRET_TEXT},
        ]),
    )
    .await;
    assert_eq!(
        (fail["score"].as_i64(), fail["passed"].as_bool()),
        (Some(5), Some(false))
    );
}

#[tokio::test]
async fn partial_credit_gives_a_share_when_the_test_says_so() {
    let quiz = quiz_with(json!({"partial_credit": true})).await;
    let (id, options) = &quiz.multiple;
    let half = graded(
        &quiz,
        "ulush@example.uz",
        json!([{"question_id": id, "option_ids": [options[0]]}]),
    )
    .await;
    assert_eq!(earned(&half, id), 2);
    let with_wrong = graded(
        &quiz,
        "ulush2@example.uz",
        json!([{"question_id": id, "option_ids": [options[0], options[2]]}]),
    )
    .await;
    assert_eq!(earned(&with_wrong, id), 0);
}
