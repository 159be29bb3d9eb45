//! `POST /auth/password/forgot`, `/verify` and `/reset`: a code, then a reset
//! token that works once for fifteen minutes and ends every session.

use crate::helpers::{TEST_PASSWORD, TestApp, spawn_app};
use futures_util::future::join_all;
use reqwest::Method;
use serde_json::{Value, json};

const NEW_PASSWORD: &str = "Buxoro-Minorai-Kalon-1127";

async fn problem(response: reqwest::Response) -> (u16, Value) {
    let status = response.status().as_u16();
    assert_eq!(
        response.headers()["content-type"],
        "application/problem+json"
    );
    (status, response.json().await.unwrap())
}

fn keys(body: &Value) -> Vec<String> {
    let mut keys: Vec<String> = body.as_object().unwrap().keys().cloned().collect();
    keys.sort();
    keys
}

async fn forgot(app: &TestApp, email: &str) -> reqwest::Response {
    app.post_json("/api/v1/auth/password/forgot", &json!({"email": email}))
        .await
}

/// Forgot, then verify with the mailed code: the reset token.
async fn reset_token(app: &TestApp, email: &str) -> String {
    let challenge: Value = forgot(app, email).await.json().await.unwrap();
    let code = app.last_code_for(email).await;
    let verified = app
        .post_json(
            "/api/v1/auth/password/verify",
            &json!({"challenge_id": challenge["challenge_id"], "code": code}),
        )
        .await;
    assert_eq!(verified.status(), 200);
    let body: Value = verified.json().await.unwrap();
    body["reset_token"].as_str().unwrap().to_owned()
}

async fn reset(app: &TestApp, token: &str, new_password: &str) -> reqwest::Response {
    app.post_json(
        "/api/v1/auth/password/reset",
        &json!({"reset_token": token, "new_password": new_password}),
    )
    .await
}

async fn login_status(app: &TestApp, email: &str, password: &str) -> u16 {
    app.post_json(
        "/api/v1/auth/login",
        &json!({"email": email, "password": password}),
    )
    .await
    .status()
    .as_u16()
}

#[tokio::test]
async fn forgot_mails_a_code_whose_verify_gives_a_reset_token() {
    let app = spawn_app().await;
    app.register("malika@example.uz").await;

    let response = forgot(&app, "Malika@Example.uz").await;

    assert_eq!(response.status(), 200);
    let challenge: Value = response.json().await.unwrap();
    assert_eq!(
        keys(&challenge),
        ["challenge_id", "expires_in", "resend_in"]
    );
    assert_eq!(challenge["expires_in"], 600);
    let mail = app.sent_mail().await;
    assert_eq!(mail.len(), 2);
    assert_eq!(mail[1].to, "malika@example.uz");
    let code = mail[1].code().unwrap();
    let verified = app
        .post_json(
            "/api/v1/auth/password/verify",
            &json!({"challenge_id": challenge["challenge_id"], "code": code}),
        )
        .await;
    assert_eq!(verified.status(), 200);
    let body: Value = verified.json().await.unwrap();
    assert_eq!(keys(&body), ["expires_in", "reset_token"]);
    assert_eq!(body["expires_in"], 900);
    assert!(body["reset_token"].as_str().unwrap().len() >= 32);
}

#[tokio::test]
async fn forgot_for_an_unknown_email_answers_like_a_known_one_and_mails_nothing() {
    let app = spawn_app().await;
    app.register("malika@example.uz").await;
    let mails_before = app.sent_mail().await.len();

    let known = forgot(&app, "malika@example.uz").await;
    let unknown = forgot(&app, "nobody@example.uz").await;

    assert_eq!(known.status(), 200);
    assert_eq!(unknown.status(), known.status());
    assert_eq!(
        unknown.headers()["content-type"],
        known.headers()["content-type"]
    );
    let known: Value = known.json().await.unwrap();
    let unknown: Value = unknown.json().await.unwrap();
    assert_eq!(keys(&unknown), keys(&known));
    assert_eq!(unknown["expires_in"], known["expires_in"]);
    assert_eq!(unknown["resend_in"], known["resend_in"]);
    assert_eq!(
        unknown["challenge_id"].as_str().unwrap().len(),
        known["challenge_id"].as_str().unwrap().len()
    );
    let mail = app.sent_mail().await;
    assert_eq!(mail.len(), mails_before + 1);
    assert!(mail.iter().all(|m| m.to != "nobody@example.uz"));
    for code in ["000000", "123456", "999999"] {
        let (status, body) = problem(
            app.post_json(
                "/api/v1/auth/password/verify",
                &json!({"challenge_id": unknown["challenge_id"], "code": code}),
            )
            .await,
        )
        .await;
        assert_eq!(status, 400);
        assert_eq!(body["code"], "auth.code_invalid");
    }
}

#[tokio::test]
async fn forgot_for_a_deactivated_user_answers_200_and_mails_nothing() {
    let app = spawn_app().await;
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

    let response = forgot(&app, "gone@example.uz").await;

    assert_eq!(response.status(), 200);
    assert_eq!(app.sent_mail().await.len(), mails_before);
}

#[tokio::test]
async fn a_reset_sets_the_new_password_and_ends_every_session() {
    let app = spawn_app().await;
    let first = app.register("malika@example.uz").await;
    let second = app.login("malika@example.uz", TEST_PASSWORD).await;
    let rotated: Value = app
        .post_json(
            "/api/v1/auth/refresh",
            &json!({"refresh_token": first["refresh_token"]}),
        )
        .await
        .json()
        .await
        .unwrap();
    let token = reset_token(&app, "malika@example.uz").await;

    let response = reset(&app, &token, NEW_PASSWORD).await;

    assert_eq!(response.status(), 204);
    for session in [&rotated, &second] {
        let refreshed = app
            .post_json(
                "/api/v1/auth/refresh",
                &json!({"refresh_token": session["refresh_token"]}),
            )
            .await;
        let (status, body) = problem(refreshed).await;
        assert_eq!(status, 401);
        assert_eq!(body["code"], "auth.refresh_invalid");
    }
    for session in [&first, &rotated, &second] {
        let me = app
            .authed(
                Method::GET,
                "/api/v1/users/me",
                session["access_token"].as_str().unwrap(),
            )
            .send()
            .await
            .unwrap();
        assert_eq!(me.status(), 401);
    }
    assert_eq!(
        login_status(&app, "malika@example.uz", TEST_PASSWORD).await,
        401
    );
    app.login("malika@example.uz", NEW_PASSWORD).await;
}

#[tokio::test]
async fn a_reset_token_works_only_once() {
    let app = spawn_app().await;
    app.register("malika@example.uz").await;
    let token = reset_token(&app, "malika@example.uz").await;
    assert_eq!(reset(&app, &token, NEW_PASSWORD).await.status(), 204);

    let again = reset(&app, &token, "Xiva-Ichan-Qala-Darvoza-9").await;

    let (status, body) = problem(again).await;
    assert_eq!(status, 400);
    assert_eq!(body["code"], "auth.reset_token_invalid");
    assert_eq!(
        login_status(&app, "malika@example.uz", "Xiva-Ichan-Qala-Darvoza-9").await,
        401
    );
    app.login("malika@example.uz", NEW_PASSWORD).await;
}

#[tokio::test]
async fn of_concurrent_resets_with_one_token_exactly_one_succeeds() {
    let app = spawn_app().await;
    app.register("malika@example.uz").await;
    let token = reset_token(&app, "malika@example.uz").await;

    let responses = join_all((0..5).map(|_| reset(&app, &token, NEW_PASSWORD))).await;

    let statuses: Vec<u16> = responses.iter().map(|r| r.status().as_u16()).collect();
    assert_eq!(
        statuses.iter().filter(|s| **s == 204).count(),
        1,
        "{statuses:?}"
    );
    assert_eq!(
        statuses.iter().filter(|s| **s == 400).count(),
        4,
        "{statuses:?}"
    );
}

#[tokio::test]
async fn a_reset_token_still_works_just_before_fifteen_minutes() {
    let app = spawn_app().await;
    app.register("malika@example.uz").await;
    let token = reset_token(&app, "malika@example.uz").await;
    app.clock
        .advance(chrono::Duration::minutes(15) - chrono::Duration::seconds(1));

    let response = reset(&app, &token, NEW_PASSWORD).await;

    assert_eq!(response.status(), 204);
}

#[tokio::test]
async fn a_reset_token_expires_after_fifteen_minutes() {
    let app = spawn_app().await;
    app.register("malika@example.uz").await;
    let token = reset_token(&app, "malika@example.uz").await;
    app.clock.advance(chrono::Duration::minutes(15));

    let response = reset(&app, &token, NEW_PASSWORD).await;

    let (status, body) = problem(response).await;
    assert_eq!(status, 400);
    assert_eq!(body["code"], "auth.reset_token_invalid");
    app.login("malika@example.uz", TEST_PASSWORD).await;
}

#[tokio::test]
async fn an_unknown_reset_token_is_invalid() {
    let app = spawn_app().await;

    for token in [
        "",
        "not-a-token",
        "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
    ] {
        let (status, body) = problem(reset(&app, token, NEW_PASSWORD).await).await;
        assert_eq!(status, 400, "{token:?}");
        assert_eq!(body["code"], "auth.reset_token_invalid", "{token:?}");
    }
}

#[tokio::test]
async fn a_guessable_new_password_is_refused_as_weak() {
    let app = spawn_app().await;
    app.register("malika@example.uz").await;
    let token = reset_token(&app, "malika@example.uz").await;

    let (status, body) = problem(reset(&app, &token, "password123").await).await;

    assert_eq!(status, 400);
    assert_eq!(body["code"], "password.weak");
    assert_eq!(body["errors"][0]["field"], "new_password");
    app.login("malika@example.uz", TEST_PASSWORD).await;
}

#[tokio::test]
async fn a_too_short_new_password_is_a_validation_problem_naming_new_password() {
    let app = spawn_app().await;
    app.register("malika@example.uz").await;
    let token = reset_token(&app, "malika@example.uz").await;

    let (status, body) = problem(reset(&app, &token, "Ab1!").await).await;

    assert_eq!(status, 400);
    assert_eq!(body["errors"][0]["field"], "new_password", "{body}");
    assert_eq!(body["code"], "validation", "{body}");
}

#[tokio::test]
async fn unknown_fields_in_a_reset_are_refused() {
    let app = spawn_app().await;
    app.register("malika@example.uz").await;
    let token = reset_token(&app, "malika@example.uz").await;

    let response = app
        .post_json(
            "/api/v1/auth/password/reset",
            &json!({"reset_token": token, "new_password": NEW_PASSWORD, "email": "x@example.uz"}),
        )
        .await;

    let (status, body) = problem(response).await;
    assert_eq!(status, 400);
    assert_eq!(body["code"], "validation");
    app.login("malika@example.uz", TEST_PASSWORD).await;
}
