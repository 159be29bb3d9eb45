//! A question's answer never reaches a user before their attempt is
//! submitted: every user route is crawled during an open attempt (and a
//! second one after the first's submit), saving wrong answers of its own,
//! and no answer may carry a right answer's text or number, or a `correct`, `answer`, `tolerance` or
//! `right_*` field. The submit's result then shows them: the check sees
//! what it looks for.

use super::helpers::{ATTEMPTS, Quiz, SECRET_NUMBER, SECRET_TEXT, Student, TESTS, quiz};
use crate::support::status_and_text;
use reqwest::Method;
use serde_json::{Value, json};

fn leaks(text: &str) -> Vec<String> {
    let mut found = Vec::new();
    for secret in [
        SECRET_TEXT,
        "o'zbekiston-sirri",
        "sirri",
        SECRET_NUMBER,
        "31415.",
    ] {
        if text.contains(secret) {
            found.push(secret.to_owned());
        }
    }
    if let Ok(body) = serde_json::from_str::<Value>(text) {
        for key in keys_of(&body) {
            if key == "correct"
                || key == "answer"
                || key == "tolerance"
                || key.starts_with("right_")
            {
                found.push(key);
            }
        }
    }
    found
}

/// Every key of every object in `value`.
fn keys_of(value: &Value) -> Vec<String> {
    let mut keys = Vec::new();
    let mut stack = vec![value];
    while let Some(value) = stack.pop() {
        match value {
            Value::Object(map) => {
                keys.extend(map.keys().cloned());
                stack.extend(map.values());
            }
            Value::Array(items) => stack.extend(items),
            _ => {}
        }
    }
    keys
}

fn assert_clean(label: &str, status: u16, text: &str) {
    assert!(status < 500, "{label}: {status} {text}");
    assert_eq!(leaks(text), Vec::<String>::new(), "{label} leaks: {text}");
}

/// Every route a user may call about the test, its course and themselves.
async fn crawl(quiz: &Quiz, student: &Student, attempt: &str) -> usize {
    let api = "/api/v1";
    let routes: Vec<(Method, String, Option<Value>)> = vec![
        (Method::GET, format!("{TESTS}/{}", quiz.test), None),
        (Method::GET, format!("{TESTS}/{}/attempts", quiz.test), None),
        (Method::GET, format!("{ATTEMPTS}/{attempt}"), None),
        (
            Method::PUT,
            format!("{ATTEMPTS}/{attempt}/answers"),
            Some(json!({"answers": [
                {"question_id": quiz.single.0, "option_ids": [quiz.single.2]},
                {"question_id": quiz.number, "value": "12"},
                {"question_id": quiz.text, "value": "javob"},
            ]})),
        ),
        (
            Method::POST,
            format!("{TESTS}/{}/attempts", quiz.test),
            Some(json!({})),
        ),
        (Method::GET, format!("{api}/courses/{}", quiz.course), None),
        (Method::GET, format!("{api}/lessons/{}", quiz.lesson), None),
        (Method::GET, format!("{api}/courses"), None),
        (
            Method::GET,
            format!("{api}/directions/{}", quiz.direction),
            None,
        ),
        (Method::GET, format!("{api}/users/me"), None),
        (Method::GET, format!("{api}/leaderboard"), None),
        (
            Method::GET,
            format!("{api}/leaderboard?direction_id={}", quiz.direction),
            None,
        ),
    ];
    for (method, path, body) in &routes {
        let request = quiz.app.authed(method.clone(), path, &student.token);
        let request = match body {
            Some(body) => request.json(body),
            None => request,
        };
        let (status, text) = status_and_text(request.send().await.unwrap()).await;
        assert_clean(&format!("{method} {path}"), status, &text);
    }
    routes.len()
}

#[tokio::test]
async fn no_user_answer_carries_a_right_answer_before_the_submit() {
    let quiz = quiz().await;
    let student = quiz.student("sinchkov@example.uz", true).await;
    let first = quiz.started(&student).await;
    let first_id = first["id"].as_str().unwrap().to_owned();
    assert_clean("POST attempts", 201, &first.to_string());
    let mut read = crawl(&quiz, &student, &first_id).await;

    // The submit shows the answers: the check finds them there.
    let (status, result) = status_and_text(quiz.submit(&student, &first_id).await).await;
    assert_eq!(status, 200, "{result}");
    let found = leaks(&result);
    assert!(
        found.contains(&SECRET_TEXT.to_owned()) && found.contains(&"right_answer".to_owned()),
        "{result}"
    );

    // A second attempt, open after the first's submit, shows none again.
    let second = quiz.started(&student).await;
    assert_clean("POST attempts (2)", 201, &second.to_string());
    read += crawl(&quiz, &student, second["id"].as_str().unwrap()).await;
    assert!(read >= 24, "only {read} answers read");
}

#[test]
fn the_check_sees_each_kind_of_leak() {
    assert!(leaks(r#"{"id":"x","options":[{"id":"y","text":"3/4"}]}"#).is_empty());
    for leak in [
        r#"{"options":[{"id":"y","text":"3/4","correct":true}]}"#,
        r#"{"answer":"x"}"#,
        r#"{"right_answer":{"value":null}}"#,
        r#"{"tolerance":0.1}"#,
        r#"{"value":"31415.926"}"#,
        r#"{"text":"Oʻzbekiston-sirri"}"#,
    ] {
        assert!(!leaks(leak).is_empty(), "not seen: {leak}");
    }
}
