//! `POST /auth/login` and `/auth/login/verify`: a password, then a code; every
//! kind of refusal looks the same.

use crate::helpers::{TEST_PASSWORD, spawn_app};
use reqwest::Method;
use serde_json::{Value, json};

async fn problem(response: reqwest::Response) -> (u16, Value) {
    let status = response.status().as_u16();
    assert_eq!(
        response.headers()["content-type"],
        "application/problem+json"
    );
    (status, response.json().await.unwrap())
}

#[tokio::test]
async fn login_mails_a_code_and_verifying_it_signs_in() {
    let app = spawn_app().await;
    let registered = app.register("sardor@example.uz").await;
    app.clock.advance(chrono::Duration::hours(1));

    let step_one = app
        .post_json(
            "/api/v1/auth/login",
            &json!({"email": "  Sardor@Example.UZ ", "password": TEST_PASSWORD}),
        )
        .await;

    assert_eq!(step_one.status(), 200);
    let challenge: Value = step_one.json().await.unwrap();
    let mut keys: Vec<&String> = challenge.as_object().unwrap().keys().collect();
    keys.sort();
    assert_eq!(keys, ["challenge_id", "expires_in", "resend_in"]);
    assert_eq!(challenge["expires_in"], 600);
    assert_eq!(challenge["resend_in"], 60);
    let mail = app.sent_mail().await;
    assert_eq!(mail.len(), 2, "a registration code, then a login code");
    assert_eq!(mail[1].to, "sardor@example.uz");
    assert_ne!(
        mail[1].subject, mail[0].subject,
        "the mails name their purpose"
    );
    let code = mail[1].code().unwrap();

    let verified = app
        .post_json(
            "/api/v1/auth/login/verify",
            &json!({"challenge_id": challenge["challenge_id"], "code": code}),
        )
        .await;

    assert_eq!(verified.status(), 200);
    let body: Value = verified.json().await.unwrap();
    assert_eq!(body["token_type"], "Bearer");
    assert_eq!(body["user"]["id"], registered["user"]["id"]);
    assert_eq!(body["user"]["last_login_at"], "2026-09-01T09:00:00Z");
    assert_ne!(body["refresh_token"], registered["refresh_token"]);
    let me = app
        .authed(
            Method::GET,
            "/api/v1/users/me",
            body["access_token"].as_str().unwrap(),
        )
        .send()
        .await
        .unwrap();
    assert_eq!(me.status(), 200);
}

#[tokio::test]
async fn an_unknown_email_a_wrong_password_and_an_inactive_user_get_the_same_401() {
    let app = spawn_app().await;
    app.register("sardor@example.uz").await;
    let gone = app.register("gone@example.uz").await;
    let deleted = app
        .authed(
            Method::DELETE,
            "/api/v1/users/me",
            gone["access_token"].as_str().unwrap(),
        )
        .send()
        .await
        .unwrap();
    assert_eq!(deleted.status(), 204);
    let mails_before = app.sent_mail().await.len();

    let attempts = [
        json!({"email": "nobody@example.uz", "password": TEST_PASSWORD}),
        json!({"email": "sardor@example.uz", "password": "Wrong-Password-but-Strong-1!"}),
        json!({"email": "gone@example.uz", "password": TEST_PASSWORD}),
    ];
    let mut answers = Vec::new();
    for attempt in &attempts {
        let (status, body) = problem(app.post_json("/api/v1/auth/login", attempt).await).await;
        assert_eq!(status, 401, "{attempt}");
        assert_eq!(body["code"], "auth.invalid_credentials", "{attempt}");
        answers.push(body);
    }

    assert!(
        answers.windows(2).all(|pair| pair[0] == pair[1]),
        "{answers:#?}"
    );
    assert_eq!(
        app.sent_mail().await.len(),
        mails_before,
        "no code was mailed"
    );
}

#[tokio::test]
async fn a_login_code_signs_in_only_once() {
    let app = spawn_app().await;
    app.register("sardor@example.uz").await;
    let challenge: Value = app
        .post_json(
            "/api/v1/auth/login",
            &json!({"email": "sardor@example.uz", "password": TEST_PASSWORD}),
        )
        .await
        .json()
        .await
        .unwrap();
    let code = app.last_code_for("sardor@example.uz").await;
    let body = json!({"challenge_id": challenge["challenge_id"], "code": code});
    let first = app.post_json("/api/v1/auth/login/verify", &body).await;
    assert_eq!(first.status(), 200);

    let second = app.post_json("/api/v1/auth/login/verify", &body).await;

    let (status, problem) = problem(second).await;
    assert_eq!(status, 400);
    assert_eq!(problem["code"], "auth.code_expired");
}

#[tokio::test]
async fn a_user_deactivated_between_the_steps_cannot_finish_logging_in() {
    let app = spawn_app().await;
    let registered = app.register("sardor@example.uz").await;
    let challenge: Value = app
        .post_json(
            "/api/v1/auth/login",
            &json!({"email": "sardor@example.uz", "password": TEST_PASSWORD}),
        )
        .await
        .json()
        .await
        .unwrap();
    let code = app.last_code_for("sardor@example.uz").await;
    let deleted = app
        .authed(
            Method::DELETE,
            "/api/v1/users/me",
            registered["access_token"].as_str().unwrap(),
        )
        .send()
        .await
        .unwrap();
    assert_eq!(deleted.status(), 204);

    let verified = app
        .post_json(
            "/api/v1/auth/login/verify",
            &json!({"challenge_id": challenge["challenge_id"], "code": code}),
        )
        .await;

    let (status, problem) = problem(verified).await;
    assert_eq!(status, 401);
    assert_eq!(problem["code"], "auth.invalid_credentials");
}

#[tokio::test]
async fn unknown_fields_in_a_login_are_refused() {
    let app = spawn_app().await;
    app.register("sardor@example.uz").await;

    let response = app
        .post_json(
            "/api/v1/auth/login",
            &json!({"email": "sardor@example.uz", "password": TEST_PASSWORD, "remember": true}),
        )
        .await;

    let (status, body) = problem(response).await;
    assert_eq!(status, 400);
    assert_eq!(body["code"], "validation");
}
