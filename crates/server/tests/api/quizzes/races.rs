//! The races the database settles: twenty starts at once make one open
//! attempt; starts and submits interleaved never make more attempts than
//! `max_attempts`; two submits at once close the attempt once.

use super::helpers::{Quiz, Student, TESTS, quiz_with};
use crate::support::{get, json_of};
use futures_util::future::join_all;
use serde_json::{Value, json};

async fn attempts_of(quiz: &Quiz, student: &Student) -> Vec<Value> {
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
    list["items"].as_array().unwrap().clone()
}

#[tokio::test]
async fn twenty_concurrent_starts_make_exactly_one_open_attempt() {
    let quiz = quiz_with(json!({"max_attempts": 100})).await;
    let student = quiz.student("poyga@example.uz", true).await;
    let answers = join_all((0..20).map(|_| async {
        let response = quiz.start(&student).await;
        let status = response.status().as_u16();
        let body: Value = response.json().await.unwrap();
        (status, body)
    }))
    .await;
    let created = answers.iter().filter(|(status, _)| *status == 201).count();
    assert_eq!(created, 1, "{answers:?}");
    for (status, body) in &answers {
        if *status != 201 {
            assert_eq!(
                (*status, body["code"].as_str()),
                (409, Some("test.attempt_open")),
                "{body}"
            );
        }
    }
    let stored = attempts_of(&quiz, &student).await;
    assert_eq!(stored.len(), 1, "{stored:?}");
    assert_eq!(stored[0]["submitted_at"], json!(null));
}

#[tokio::test]
async fn interleaved_starts_and_submits_never_exceed_max_attempts() {
    let quiz = quiz_with(json!({"max_attempts": 3})).await;
    let student = quiz.student("aralash@example.uz", true).await;
    // Rounds of eight starts at once, each winner submitted by four
    // submits at once, until the limit answers.
    let mut exhausted = false;
    for _ in 0..6 {
        let answers = join_all((0..8).map(|_| async {
            let response = quiz.start(&student).await;
            let status = response.status().as_u16();
            let body: Value = response.json().await.unwrap();
            (status, body)
        }))
        .await;
        let winners: Vec<&Value> = answers
            .iter()
            .filter(|(s, _)| *s == 201)
            .map(|(_, b)| b)
            .collect();
        assert!(winners.len() <= 1, "{answers:?}");
        exhausted |= answers
            .iter()
            .any(|(_, b)| b["code"] == "test.attempts_exhausted");
        if let Some(winner) = winners.first() {
            let id = winner["id"].as_str().unwrap();
            let results = join_all((0..4).map(|_| async {
                let response = quiz.submit(&student, id).await;
                assert_eq!(response.status(), 200);
                response.json::<Value>().await.unwrap()
            }))
            .await;
            assert!(
                results.windows(2).all(|pair| pair[0] == pair[1]),
                "{results:?}"
            );
        }
    }
    assert!(exhausted, "the limit was never reached");
    let stored = attempts_of(&quiz, &student).await;
    assert_eq!(stored.len(), 3, "{stored:?}");
    let numbers: Vec<i64> = stored
        .iter()
        .map(|a| a["number"].as_i64().unwrap())
        .collect();
    assert_eq!(numbers, [1, 2, 3]);
}
