//! `PUT /users/me/password`: a wrong current or weak new password changes
//! nothing; a change ends every other session and keeps this one.

use super::{
    PASSWORD, assert_problem, error_fields, get_me, logged_in, login_is_refused, me_of, refresh,
    registered,
};
use crate::helpers::{TEST_PASSWORD, TestApp, spawn_app};
use reqwest::{Method, Response};
use serde_json::{Value, json};
use std::collections::BTreeSet;

async fn change_password(app: &TestApp, token: &str, current: &str, new: &str) -> Response {
    app.authed(Method::PUT, PASSWORD, token)
        .json(&json!({"current_password": current, "new_password": new}))
        .send()
        .await
        .unwrap()
}

#[tokio::test]
async fn a_wrong_current_password_is_refused_and_nothing_changes() {
    let app = spawn_app().await;
    let session = registered(&app, "wrong.current@example.uz").await;

    let response = change_password(
        &app,
        &session.access,
        "Not-the-password-1924",
        "Buxoro-Xiva-2031-kuz!",
    )
    .await;
    let problem = assert_problem(response, 400, "password.current_invalid").await;
    assert!(error_fields(&problem).contains("current_password"));

    // Nothing ended: the same token and the same password still work.
    me_of(&app, &session.access).await;
    assert_eq!(refresh(&app, &session.refresh).await.status(), 200);
    login_is_refused(&app, "wrong.current@example.uz", "Buxoro-Xiva-2031-kuz!").await;
    app.login("wrong.current@example.uz", TEST_PASSWORD).await;
}

#[tokio::test]
async fn a_weak_new_password_is_refused_and_nothing_changes() {
    let app = spawn_app().await;
    let session = registered(&app, "weak.new@example.uz").await;

    for weak in ["password123", "qwertyuiop", "weak.new@example.uz"] {
        let response = change_password(&app, &session.access, TEST_PASSWORD, weak).await;
        let problem = assert_problem(response, 400, "password.weak").await;
        assert!(error_fields(&problem).contains("new_password"), "{problem}");
    }
    me_of(&app, &session.access).await;
    login_is_refused(&app, "weak.new@example.uz", "password123").await;
    app.login("weak.new@example.uz", TEST_PASSWORD).await;
}

/// API.md: a bad field is 400 `validation` naming it in `errors[]`, and the
/// route documents `validation` (not `password.length`) for this case; that
/// is also what registration answers for a short password.
#[tokio::test]
async fn a_too_short_new_password_is_a_validation_error_naming_new_password() {
    let app = spawn_app().await;
    let session = registered(&app, "short.new@example.uz").await;

    let short = change_password(&app, &session.access, TEST_PASSWORD, "Ab1!x").await;
    let problem = assert_problem(short, 400, "validation").await;
    assert_eq!(
        error_fields(&problem),
        BTreeSet::from(["new_password".to_owned()])
    );
    assert_eq!(problem["errors"][0]["code"], "password.length");
    me_of(&app, &session.access).await;
    app.login("short.new@example.uz", TEST_PASSWORD).await;
}

#[tokio::test]
async fn changing_the_password_ends_other_sessions_but_keeps_this_one() {
    let app = spawn_app().await;
    let email = "mover@example.uz";
    let here = registered(&app, email).await;
    let elsewhere = logged_in(&app, email, TEST_PASSWORD).await;
    let new_password = "Buxoro-Xiva-2031-kuz!";

    let response = change_password(&app, &here.access, TEST_PASSWORD, new_password).await;
    assert_eq!(response.status(), 204);
    assert!(response.bytes().await.unwrap().is_empty());

    // Every access token issued before is dead, this session's included.
    assert_problem(get_me(&app, &here.access).await, 401, "auth.token_invalid").await;
    assert_problem(
        get_me(&app, &elsewhere.access).await,
        401,
        "auth.token_invalid",
    )
    .await;
    // The other session cannot refresh any more.
    assert_eq!(refresh(&app, &elsewhere.refresh).await.status(), 401);
    // The session that changed the password refreshes and goes on.
    let renewed = refresh(&app, &here.refresh).await;
    assert_eq!(renewed.status(), 200);
    let renewed: Value = renewed.json().await.unwrap();
    let me = me_of(&app, renewed["access_token"].as_str().unwrap()).await;
    assert_eq!(me["email"], email);

    login_is_refused(&app, email, TEST_PASSWORD).await;
    let fresh = logged_in(&app, email, new_password).await;
    me_of(&app, &fresh.access).await;
}

/// Guessing the current password is limited per user like an email code's
/// tries: five wrong tries in 15 minutes, then 429 even for the right one.
#[tokio::test]
async fn the_sixth_try_of_the_current_password_is_rate_limited() {
    let app = spawn_app().await;
    let session = registered(&app, "guessed@example.uz").await;
    let new = "Buxoro-Xiva-2031-kuz!";
    for n in 0..5 {
        let guess = format!("Not-the-password-{n}");
        let response = change_password(&app, &session.access, &guess, new).await;
        assert_problem(response, 400, "password.current_invalid").await;
    }
    let limited = change_password(&app, &session.access, TEST_PASSWORD, new).await;
    assert!(limited.headers().contains_key("retry-after"));
    assert_problem(limited, 429, "rate_limited").await;
    login_is_refused(&app, "guessed@example.uz", new).await;
}

/// The right current password clears the count: a user who mistypes now and
/// then is never locked out.
#[tokio::test]
async fn the_right_current_password_clears_the_wrong_tries() {
    let app = spawn_app().await;
    let session = registered(&app, "mistyped@example.uz").await;
    for round in 0..2 {
        for n in 0..4 {
            let guess = format!("Not-the-password-{round}-{n}");
            let response = change_password(&app, &session.access, &guess, "x").await;
            assert_problem(response, 400, "password.current_invalid").await;
        }
        // Right, but the new one is weak: nothing changes, the count is cleared.
        let response = change_password(&app, &session.access, TEST_PASSWORD, "password123").await;
        assert_problem(response, 400, "password.weak").await;
    }
}
