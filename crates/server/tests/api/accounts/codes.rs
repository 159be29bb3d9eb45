//! The six-digit codes of every flow: wrong, malformed, expired, locked, used
//! concurrently, used for another purpose, and resent.

use crate::helpers::{TEST_PASSWORD, TestApp, spawn_app, spawn_app_with};
use futures_util::future::join_all;
use serde_json::{Value, json};

async fn problem(response: reqwest::Response) -> (u16, Value) {
    let status = response.status().as_u16();
    assert_eq!(
        response.headers()["content-type"],
        "application/problem+json"
    );
    (status, response.json().await.unwrap())
}

/// Step one of registration; the challenge and its mailed code.
async fn register_step(app: &TestApp, email: &str) -> (Value, String) {
    let response = app
        .post_json(
            "/api/v1/auth/register",
            &json!({
                "first_name": "Jasur",
                "last_name": "Toshmatov",
                "email": email,
                "password": TEST_PASSWORD,
            }),
        )
        .await;
    assert_eq!(response.status(), 200);
    let challenge: Value = response.json().await.unwrap();
    (challenge, app.last_code_for(email).await)
}

async fn login_step(app: &TestApp, email: &str) -> (Value, String) {
    let response = app
        .post_json(
            "/api/v1/auth/login",
            &json!({"email": email, "password": TEST_PASSWORD}),
        )
        .await;
    assert_eq!(response.status(), 200);
    let challenge: Value = response.json().await.unwrap();
    (challenge, app.last_code_for(email).await)
}

async fn forgot_step(app: &TestApp, email: &str) -> (Value, String) {
    let response = app
        .post_json("/api/v1/auth/password/forgot", &json!({"email": email}))
        .await;
    assert_eq!(response.status(), 200);
    let challenge: Value = response.json().await.unwrap();
    (challenge, app.last_code_for(email).await)
}

async fn verify(app: &TestApp, path: &str, challenge: &Value, code: &str) -> reqwest::Response {
    app.post_json(
        path,
        &json!({"challenge_id": challenge["challenge_id"], "code": code}),
    )
    .await
}

async fn resend(app: &TestApp, challenge: &Value) -> reqwest::Response {
    app.post_json(
        "/api/v1/auth/code/resend",
        &json!({"challenge_id": challenge["challenge_id"]}),
    )
    .await
}

/// A well-formed code that is not `code`.
fn other_than(code: &str) -> String {
    if code == "000000" { "111111" } else { "000000" }.to_owned()
}

const REGISTER_VERIFY: &str = "/api/v1/auth/register/verify";
const LOGIN_VERIFY: &str = "/api/v1/auth/login/verify";
const PASSWORD_VERIFY: &str = "/api/v1/auth/password/verify";

#[tokio::test]
async fn a_wrong_code_is_invalid_and_the_right_one_still_works_after_it() {
    let app = spawn_app().await;
    let (challenge, code) = register_step(&app, "jasur@example.uz").await;

    let (status, body) =
        problem(verify(&app, REGISTER_VERIFY, &challenge, &other_than(&code)).await).await;

    assert_eq!(status, 400);
    assert_eq!(body["code"], "auth.code_invalid");
    assert_eq!(body["status"], 400);
    let ok = verify(&app, REGISTER_VERIFY, &challenge, &code).await;
    assert_eq!(ok.status(), 201);
}

#[tokio::test]
async fn a_malformed_code_is_invalid() {
    let app = spawn_app().await;
    let (challenge, code) = register_step(&app, "jasur@example.uz").await;

    // Four of them, so the right code is still within the five tries.
    for malformed in ["12345", "1234567", "12a456", "١٢٣٤٥٦"] {
        let (status, body) =
            problem(verify(&app, REGISTER_VERIFY, &challenge, malformed).await).await;
        assert_eq!(status, 400, "{malformed:?}");
        assert_eq!(body["code"], "auth.code_invalid", "{malformed:?}");
    }
    let ok = verify(&app, REGISTER_VERIFY, &challenge, &code).await;
    assert_eq!(ok.status(), 201);
}

#[tokio::test]
async fn an_unknown_challenge_is_expired() {
    let app = spawn_app().await;

    for path in [REGISTER_VERIFY, LOGIN_VERIFY, PASSWORD_VERIFY] {
        let (status, body) = problem(
            verify(
                &app,
                path,
                &json!({"challenge_id": "no-such-challenge"}),
                "123456",
            )
            .await,
        )
        .await;
        assert_eq!(status, 400, "{path}");
        assert_eq!(body["code"], "auth.code_expired", "{path}");
    }
}

#[tokio::test]
async fn a_code_expires_ten_minutes_after_it_was_sent() {
    let app = spawn_app().await;
    let (early, early_code) = register_step(&app, "early@example.uz").await;
    let (late, late_code) = register_step(&app, "late@example.uz").await;

    app.clock
        .advance(chrono::Duration::minutes(10) - chrono::Duration::seconds(1));
    let in_time = verify(&app, REGISTER_VERIFY, &early, &early_code).await;
    app.clock.advance(chrono::Duration::seconds(1));
    let too_late = verify(&app, REGISTER_VERIFY, &late, &late_code).await;

    assert_eq!(in_time.status(), 201);
    let (status, body) = problem(too_late).await;
    assert_eq!(status, 400);
    assert_eq!(body["code"], "auth.code_expired");
}

#[tokio::test]
async fn five_wrong_tries_then_the_right_code_is_locked() {
    let app = spawn_app().await;
    let (challenge, code) = register_step(&app, "jasur@example.uz").await;
    let wrong = other_than(&code);
    for attempt in 1..=5 {
        let (status, body) = problem(verify(&app, REGISTER_VERIFY, &challenge, &wrong).await).await;
        assert_eq!(status, 400, "try {attempt}");
        assert_eq!(body["code"], "auth.code_invalid", "try {attempt}");
    }

    let sixth = verify(&app, REGISTER_VERIFY, &challenge, &code).await;

    let (status, body) = problem(sixth).await;
    assert_eq!(status, 400);
    assert_eq!(body["code"], "auth.challenge_locked");
    let login = app
        .post_json(
            "/api/v1/auth/login",
            &json!({"email": "jasur@example.uz", "password": TEST_PASSWORD}),
        )
        .await;
    assert_eq!(login.status(), 401, "no account was created");
}

#[tokio::test]
async fn the_sixth_try_of_a_login_code_is_locked_too() {
    let app = spawn_app().await;
    app.register("jasur@example.uz").await;
    let (challenge, code) = login_step(&app, "jasur@example.uz").await;
    let wrong = other_than(&code);
    for _ in 0..5 {
        let response = verify(&app, LOGIN_VERIFY, &challenge, &wrong).await;
        assert_eq!(response.status(), 400);
    }

    let (status, body) = problem(verify(&app, LOGIN_VERIFY, &challenge, &code).await).await;

    assert_eq!(status, 400);
    assert_eq!(body["code"], "auth.challenge_locked");
}

#[tokio::test]
async fn four_wrong_tries_leave_the_fifth_for_the_right_code() {
    let app = spawn_app().await;
    let (challenge, code) = register_step(&app, "jasur@example.uz").await;
    for _ in 0..4 {
        let response = verify(&app, REGISTER_VERIFY, &challenge, &other_than(&code)).await;
        assert_eq!(response.status(), 400);
    }

    let fifth = verify(&app, REGISTER_VERIFY, &challenge, &code).await;

    assert_eq!(fifth.status(), 201);
}

#[tokio::test]
async fn twenty_concurrent_verifies_of_the_right_code_succeed_exactly_once() {
    let app = spawn_app_with(|vars| {
        vars.insert(
            "BILIM_AUTH_REQUESTS_PER_IP_PER_MINUTE".into(),
            "1000".into(),
        );
    })
    .await;
    let (challenge, code) = register_step(&app, "jasur@example.uz").await;
    let body = json!({"challenge_id": challenge["challenge_id"], "code": code});

    let responses = join_all((0..20).map(|_| app.post_json(REGISTER_VERIFY, &body))).await;

    let mut created = 0;
    let mut refused = Vec::new();
    for response in responses {
        match response.status().as_u16() {
            201 => created += 1,
            _ => refused.push(problem(response).await),
        }
    }
    assert_eq!(created, 1, "refusals: {refused:?}");
    assert_eq!(refused.len(), 19);
    for (status, body) in &refused {
        assert_eq!(*status, 400, "{body}");
        let code = body["code"].as_str().unwrap();
        assert!(
            [
                "auth.code_expired",
                "auth.code_invalid",
                "auth.challenge_locked"
            ]
            .contains(&code),
            "{body}"
        );
    }
    app.login("jasur@example.uz", TEST_PASSWORD).await;
}

#[tokio::test]
async fn twenty_concurrent_login_verifies_sign_in_exactly_once() {
    let app = spawn_app_with(|vars| {
        vars.insert(
            "BILIM_AUTH_REQUESTS_PER_IP_PER_MINUTE".into(),
            "1000".into(),
        );
    })
    .await;
    app.register("jasur@example.uz").await;
    let (challenge, code) = login_step(&app, "jasur@example.uz").await;
    let body = json!({"challenge_id": challenge["challenge_id"], "code": code});

    let responses = join_all((0..20).map(|_| app.post_json(LOGIN_VERIFY, &body))).await;

    let statuses: Vec<u16> = responses.iter().map(|r| r.status().as_u16()).collect();
    assert_eq!(
        statuses.iter().filter(|s| **s == 200).count(),
        1,
        "{statuses:?}"
    );
    assert_eq!(
        statuses.iter().filter(|s| **s == 400).count(),
        19,
        "{statuses:?}"
    );
}

#[tokio::test]
async fn a_login_code_cannot_be_used_for_a_password_reset_or_a_registration() {
    let app = spawn_app().await;
    app.register("jasur@example.uz").await;
    let (challenge, code) = login_step(&app, "jasur@example.uz").await;

    for path in [PASSWORD_VERIFY, REGISTER_VERIFY] {
        let (status, body) = problem(verify(&app, path, &challenge, &code).await).await;
        assert_eq!(status, 400, "{path}");
        assert_eq!(body["code"], "auth.code_invalid", "{path}");
    }

    let login = verify(&app, LOGIN_VERIFY, &challenge, &code).await;
    assert_eq!(login.status(), 200, "the login challenge is still usable");
}

#[tokio::test]
async fn a_password_reset_code_cannot_be_used_to_log_in_or_register() {
    let app = spawn_app().await;
    app.register("jasur@example.uz").await;
    let (challenge, code) = forgot_step(&app, "jasur@example.uz").await;

    for path in [LOGIN_VERIFY, REGISTER_VERIFY] {
        let (status, body) = problem(verify(&app, path, &challenge, &code).await).await;
        assert_eq!(status, 400, "{path}");
        assert_eq!(body["code"], "auth.code_invalid", "{path}");
    }

    let reset = verify(&app, PASSWORD_VERIFY, &challenge, &code).await;
    assert_eq!(reset.status(), 200, "the reset challenge is still usable");
}

#[tokio::test]
async fn a_registration_code_cannot_be_used_to_log_in_or_reset_a_password() {
    let app = spawn_app().await;
    let (challenge, code) = register_step(&app, "jasur@example.uz").await;

    for path in [LOGIN_VERIFY, PASSWORD_VERIFY] {
        let (status, body) = problem(verify(&app, path, &challenge, &code).await).await;
        assert_eq!(status, 400, "{path}");
        assert_eq!(body["code"], "auth.code_invalid", "{path}");
    }

    let registered = verify(&app, REGISTER_VERIFY, &challenge, &code).await;
    assert_eq!(registered.status(), 201);
}

#[tokio::test]
async fn a_resent_code_replaces_the_old_one_for_the_same_challenge() {
    let app = spawn_app().await;
    let (challenge, old_code) = register_step(&app, "jasur@example.uz").await;
    app.clock.advance(chrono::Duration::seconds(61));

    let response = resend(&app, &challenge).await;

    assert_eq!(response.status(), 200);
    let resent: Value = response.json().await.unwrap();
    assert_eq!(resent["challenge_id"], challenge["challenge_id"]);
    assert_eq!(resent["expires_in"], 600);
    assert_eq!(resent["resend_in"], 60);
    let mail = app.sent_mail().await;
    assert_eq!(mail.len(), 2);
    let new_code = mail[1].code().unwrap();
    if new_code != old_code {
        let (status, body) =
            problem(verify(&app, REGISTER_VERIFY, &challenge, &old_code).await).await;
        assert_eq!(status, 400);
        assert_eq!(body["code"], "auth.code_invalid");
    }
    let ok = verify(&app, REGISTER_VERIFY, &challenge, &new_code).await;
    assert_eq!(ok.status(), 201);
}

#[tokio::test]
async fn a_resend_before_resend_in_is_rate_limited_and_changes_nothing() {
    let app = spawn_app().await;
    let (challenge, code) = register_step(&app, "jasur@example.uz").await;

    let (status, body) = {
        let response = resend(&app, &challenge).await;
        assert_eq!(response.headers()["retry-after"], "60");
        problem(response).await
    };
    assert_eq!(status, 429);
    assert_eq!(body["code"], "rate_limited");
    app.clock.advance(chrono::Duration::seconds(45));
    let later = resend(&app, &challenge).await;
    assert_eq!(later.status(), 429);
    assert_eq!(later.headers()["retry-after"], "15");

    assert_eq!(app.sent_mail().await.len(), 1, "no new code was mailed");
    let ok = verify(&app, REGISTER_VERIFY, &challenge, &code).await;
    assert_eq!(ok.status(), 201, "the first code still works");
}

#[tokio::test]
async fn a_resend_is_allowed_once_resend_in_has_passed() {
    let app = spawn_app_with(|vars| {
        vars.insert("BILIM_RESEND_AFTER_SECONDS".into(), "5".into());
    })
    .await;
    let (challenge, _) = register_step(&app, "jasur@example.uz").await;
    assert_eq!(challenge["resend_in"], 5);
    assert_eq!(resend(&app, &challenge).await.status(), 429);

    app.clock.advance(chrono::Duration::seconds(5));
    let response = resend(&app, &challenge).await;

    assert_eq!(response.status(), 200);
    let resent: Value = response.json().await.unwrap();
    assert_eq!(resent["resend_in"], 5);
    let code = app.last_code_for("jasur@example.uz").await;
    assert_eq!(
        verify(&app, REGISTER_VERIFY, &challenge, &code)
            .await
            .status(),
        201
    );
}

#[tokio::test]
async fn a_resent_code_is_valid_ten_minutes_from_the_resend() {
    let app = spawn_app().await;
    let (challenge, _) = register_step(&app, "jasur@example.uz").await;
    app.clock.advance(chrono::Duration::seconds(61));
    assert_eq!(resend(&app, &challenge).await.status(), 200);
    let code = app.last_code_for("jasur@example.uz").await;

    // Past the first code's ten minutes, within the resent one's.
    app.clock.advance(chrono::Duration::minutes(9));
    let response = verify(&app, REGISTER_VERIFY, &challenge, &code).await;

    assert_eq!(response.status(), 201);
}

#[tokio::test]
async fn resending_an_unknown_or_used_challenge_is_expired() {
    let app = spawn_app().await;
    let (challenge, code) = register_step(&app, "jasur@example.uz").await;
    assert_eq!(
        verify(&app, REGISTER_VERIFY, &challenge, &code)
            .await
            .status(),
        201
    );
    app.clock.advance(chrono::Duration::seconds(61));

    for challenge in [challenge, json!({"challenge_id": "no-such-challenge"})] {
        let (status, body) = problem(resend(&app, &challenge).await).await;
        assert_eq!(status, 400);
        assert_eq!(body["code"], "auth.code_expired");
    }
}

#[tokio::test]
async fn a_resend_for_a_taken_email_answers_like_one_for_a_free_email_and_mails_no_code() {
    let app = spawn_app().await;
    app.register("owner@example.uz").await;
    let (free, _) = register_step(&app, "newcomer@example.uz").await;
    let taken: Value = app
        .post_json(
            "/api/v1/auth/register",
            &json!({
                "first_name": "Jasur",
                "last_name": "Toshmatov",
                "email": "owner@example.uz",
                "password": TEST_PASSWORD,
            }),
        )
        .await
        .json()
        .await
        .unwrap();
    let mails_before = app.sent_mail().await.len();
    app.clock.advance(chrono::Duration::seconds(61));

    let free = resend(&app, &free).await;
    let taken_response = resend(&app, &taken).await;

    assert_eq!(free.status(), 200);
    assert_eq!(taken_response.status(), 200);
    let free: Value = free.json().await.unwrap();
    let resent: Value = taken_response.json().await.unwrap();
    assert_eq!(resent["challenge_id"], taken["challenge_id"]);
    let mut free_keys: Vec<&String> = free.as_object().unwrap().keys().collect();
    let mut taken_keys: Vec<&String> = resent.as_object().unwrap().keys().collect();
    free_keys.sort();
    taken_keys.sort();
    assert_eq!(free_keys, taken_keys);
    let mail = app.sent_mail().await;
    assert_eq!(mail.len(), mails_before + 1);
    assert_eq!(mail[mails_before].to, "newcomer@example.uz");
}
