//! API2: every `/users/me` route refuses a missing, garbage, re-signed, edited,
//! expired, `alg=none`, admin-audience or other-secret token, and access tokens
//! issued before a logout everywhere.

use crate::accounts::me::{
    AVATAR, ME, PASSWORD, PNG_1X1, Session, assert_problem, base64url_decode, base64url_encode,
    get_me, me_of, refresh, registered,
};
use crate::helpers::{TEST_PASSWORD, TestApp, spawn_app, test_vars};
use bilim_domain::ports::Clock;
use bilim_domain::sessions::Audience;
use bilim_service::tokens::AccessTokens;
use chrono::Duration;
use reqwest::{Method, RequestBuilder};
use serde_json::{Value, json};
use std::sync::Arc;

/// Every `[user, token]` route of `/users/me`, each with a body it accepts.
fn me_routes(app: &TestApp) -> Vec<(&'static str, RequestBuilder)> {
    let (form_type, form_body) = crate::accounts::me::form("image", "a.png", "image/png", PNG_1X1);
    vec![
        ("GET /users/me", app.client.get(app.url(ME))),
        (
            "PATCH /users/me",
            app.client
                .patch(app.url(ME))
                .json(&json!({"first_name": "Hacker"})),
        ),
        (
            "PUT /users/me/avatar",
            app.client
                .put(app.url(AVATAR))
                .header("content-type", form_type)
                .body(form_body),
        ),
        (
            "PUT /users/me/password",
            app.client.put(app.url(PASSWORD)).json(
                &json!({"current_password": TEST_PASSWORD, "new_password": "Buxoro-Xiva-2031-kuz!"}),
            ),
        ),
        ("DELETE /users/me", app.client.delete(app.url(ME))),
    ]
}

/// Each `/users/me` route with `Authorization: Bearer {token}` must answer 401
/// with `code`.
async fn every_route_refuses(app: &TestApp, token: &str, code: &str) {
    for (route, request) in me_routes(app) {
        let response = request.bearer_auth(token).send().await.unwrap();
        let status = response.status();
        assert_eq!(status, 401, "{route} accepted {token:?}");
        assert_problem(response, 401, code).await;
    }
}

/// The header and claims of a JWT, decoded without any check.
fn jwt_parts(token: &str) -> (Value, Value) {
    let parts: Vec<&str> = token.split('.').collect();
    assert_eq!(parts.len(), 3, "{token}");
    (
        serde_json::from_slice(&base64url_decode(parts[0])).unwrap(),
        serde_json::from_slice(&base64url_decode(parts[1])).unwrap(),
    )
}

fn jwt_of(header: &Value, claims: &Value, signature: &str) -> String {
    format!(
        "{}.{}.{signature}",
        base64url_encode(header.to_string().as_bytes()),
        base64url_encode(claims.to_string().as_bytes()),
    )
}

/// `token` with its claims replaced and its header and signature kept as they
/// were: an edit without re-signing.
fn with_claims(token: &str, claims: &Value) -> String {
    let mut parts = token.split('.');
    let header = parts.next().unwrap();
    let signature = parts.nth(1).unwrap();
    format!(
        "{header}.{}.{signature}",
        base64url_encode(claims.to_string().as_bytes())
    )
}

/// Signs access tokens with the test server's own secret, as only someone who
/// holds `BILIM_JWT_SECRET` could.
fn token_minter(app: &TestApp) -> AccessTokens {
    let secret = test_vars()["BILIM_JWT_SECRET"].clone();
    let clock: Arc<dyn Clock> = app.clock.clone();
    AccessTokens::new(secret.as_bytes(), clock)
}

#[tokio::test]
async fn every_me_route_without_a_token_is_401_auth_required() {
    let app = spawn_app().await;
    let a = registered(&app, "alice@example.uz").await;
    for (route, request) in me_routes(&app) {
        let response = request.send().await.unwrap();
        assert_eq!(response.status(), 401, "{route}");
        assert_problem(response, 401, "auth.required").await;
    }
    // A token in another scheme, or an empty bearer, is no token.
    for header in [
        format!("Basic {}", base64url_encode(b"alice@example.uz:pw")),
        a.access.clone(),
        "Bearer".to_owned(),
        "Bearer    ".to_owned(),
    ] {
        let response = app
            .client
            .get(app.url(ME))
            .header("authorization", &header)
            .send()
            .await
            .unwrap();
        assert_problem(response, 401, "auth.required").await;
    }
    // The refused requests changed nothing.
    let me = me_of(&app, &a.access).await;
    assert_eq!(me["first_name"], "Oʻktam");
    assert_eq!(me["active"], true);
}

#[tokio::test]
async fn a_garbage_token_is_401_token_invalid() {
    let app = spawn_app().await;
    registered(&app, "alice@example.uz").await;
    for garbage in [
        "garbage",
        "a.b.c",
        "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.",
        "....",
        &"x".repeat(4000),
    ] {
        let response = get_me(&app, garbage).await;
        assert_problem(response, 401, "auth.token_invalid").await;
    }
}

#[tokio::test]
async fn a_token_with_a_changed_signature_is_refused() {
    let app = spawn_app().await;
    let a = registered(&app, "alice@example.uz").await;
    let b = registered(&app, "bobur@example.uz").await;
    // The signed part stays byte for byte; only the signature changes.
    let (signed, signature) = a.access.rsplit_once('.').unwrap();

    let mut flipped = signature.to_owned().into_bytes();
    flipped[0] = if flipped[0] == b'A' { b'B' } else { b'A' };
    let flipped = String::from_utf8(flipped).unwrap();
    let (_, b_signature) = b.access.rsplit_once('.').unwrap();
    let reversed: String = signature.chars().rev().collect();
    for forged in [
        format!("{signed}.{flipped}"),
        format!("{signed}.{b_signature}"),
        format!("{signed}.{reversed}"),
        format!("{signed}."),
        signed.to_owned(),
    ] {
        every_route_refuses(&app, &forged, "auth.token_invalid").await;
    }
    // The genuine token still works: it was the forgery that failed.
    assert_eq!(me_of(&app, &a.access).await["id"], a.id.as_str());
}

#[tokio::test]
async fn a_token_whose_claims_were_edited_is_refused() {
    let app = spawn_app().await;
    let a = registered(&app, "alice@example.uz").await;
    let b = registered(&app, "bobur@example.uz").await;
    let (_, claims) = jwt_parts(&a.access);
    assert_eq!(claims["sub"], a.id.as_str());

    let mut as_b = claims.clone();
    as_b["sub"] = json!(b.id);
    as_b["email"] = json!(b.email);
    let mut longer = claims.clone();
    longer["exp"] = json!(claims["exp"].as_i64().unwrap() + 86_400);
    for edited in [
        with_claims(&a.access, &as_b),
        with_claims(&a.access, &longer),
    ] {
        every_route_refuses(&app, &edited, "auth.token_invalid").await;
    }
    assert_eq!(me_of(&app, &b.access).await["first_name"], "Oʻktam");
}

#[tokio::test]
async fn an_access_token_expires_after_fifteen_minutes() {
    let app = spawn_app().await;
    let a = registered(&app, "alice@example.uz").await;
    let (_, claims) = jwt_parts(&a.access);
    assert_eq!(
        claims["exp"].as_i64().unwrap() - claims["iat"].as_i64().unwrap(),
        900
    );

    app.clock.advance(Duration::minutes(14));
    me_of(&app, &a.access).await;
    app.clock.advance(Duration::minutes(2));
    every_route_refuses(&app, &a.access, "auth.token_invalid").await;

    // Its session is alive: a refresh gives a token that works again.
    let renewed = refresh(&app, &a.refresh).await;
    assert_eq!(renewed.status(), 200);
    let renewed: Value = renewed.json().await.unwrap();
    me_of(&app, renewed["access_token"].as_str().unwrap()).await;
}

#[tokio::test]
async fn an_unsigned_alg_none_token_is_refused() {
    let app = spawn_app().await;
    let a = registered(&app, "alice@example.uz").await;
    let (header, claims) = jwt_parts(&a.access);
    assert_eq!(header["alg"], "HS256");

    for none in [
        json!({"alg": "none"}),
        json!({"alg": "none", "typ": "JWT"}),
        json!({"alg": "None", "typ": "JWT"}),
        json!({"alg": "NONE"}),
    ] {
        let token = jwt_of(&none, &claims, "");
        every_route_refuses(&app, &token, "auth.token_invalid").await;
        let without_dot = token.trim_end_matches('.').to_owned();
        let response = get_me(&app, &without_dot).await;
        assert_problem(response, 401, "auth.token_invalid").await;
    }
    // Another algorithm, with no signature, fails as well.
    let hs512 = jwt_of(&json!({"alg": "HS512", "typ": "JWT"}), &claims, "");
    assert_problem(get_me(&app, &hs512).await, 401, "auth.token_invalid").await;
    assert_eq!(me_of(&app, &a.access).await["active"], true);
}

#[tokio::test]
async fn an_admin_audience_token_is_refused_on_user_routes() {
    let app = spawn_app().await;
    let a = registered(&app, "alice@example.uz").await;
    let (_, claims) = jwt_parts(&a.access);
    assert_eq!(claims["aud"], "user");

    // Edited to the admin audience, without re-signing.
    let mut admin_claims = claims.clone();
    admin_claims["aud"] = json!("admin");
    every_route_refuses(
        &app,
        &with_claims(&a.access, &admin_claims),
        "auth.token_invalid",
    )
    .await;
    let mut both = claims.clone();
    both["aud"] = json!(["admin", "user"]);
    let response = get_me(&app, &with_claims(&a.access, &both)).await;
    assert_problem(response, 401, "auth.token_invalid").await;

    // Correctly signed with the server's secret (which the test happens to
    // know), for A's own id and current token version.
    let stored = app.ports.users.find_by_id(a.uuid()).await.unwrap().unwrap();
    let minter = token_minter(&app);
    let family = uuid::Uuid::now_v7();
    let (user_token, _) = minter
        .issue(
            Audience::User,
            a.uuid(),
            &a.email,
            stored.token_version,
            family,
        )
        .unwrap();
    // Control: the same signing with the user audience is accepted, so the
    // admin one below fails for its audience alone.
    assert_eq!(me_of(&app, &user_token).await["id"], a.id.as_str());
    let (admin_token, _) = minter
        .issue(
            Audience::Admin,
            a.uuid(),
            &a.email,
            stored.token_version,
            family,
        )
        .unwrap();
    assert_eq!(jwt_parts(&admin_token).1["aud"], "admin");
    every_route_refuses(&app, &admin_token, "auth.token_invalid").await;
    assert_eq!(me_of(&app, &a.access).await["first_name"], "Oʻktam");
}

#[tokio::test]
async fn a_token_signed_with_another_secret_is_refused() {
    let app = spawn_app().await;
    let a = registered(&app, "alice@example.uz").await;
    let stored = app.ports.users.find_by_id(a.uuid()).await.unwrap().unwrap();
    let clock: Arc<dyn Clock> = app.clock.clone();
    let other = AccessTokens::new(b"some-other-secret-that-is-long-enough-42", clock);
    let (token, _) = other
        .issue(
            Audience::User,
            a.uuid(),
            &a.email,
            stored.token_version,
            uuid::Uuid::now_v7(),
        )
        .unwrap();
    every_route_refuses(&app, &token, "auth.token_invalid").await;
}

#[tokio::test]
async fn logging_out_everywhere_kills_access_tokens_already_issued() {
    let app = spawn_app().await;
    let a = registered(&app, "alice@example.uz").await;
    let second = Session::of(&app.login("alice@example.uz", TEST_PASSWORD).await);
    me_of(&app, &a.access).await;
    me_of(&app, &second.access).await;

    let response = app
        .authed(Method::POST, "/api/v1/auth/logout-all", &a.access)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 204);

    for token in [&a.access, &second.access] {
        every_route_refuses(&app, token, "auth.token_invalid").await;
    }
    for token in [&a.refresh, &second.refresh] {
        assert_eq!(refresh(&app, token).await.status(), 401);
    }
    let stored = app.ports.users.find_by_id(a.uuid()).await.unwrap().unwrap();
    assert!(stored.active, "logging out is not deleting");
    assert_eq!(stored.first_name, "Oʻktam");
}

#[tokio::test]
async fn a_refresh_token_is_never_accepted_as_an_access_token() {
    let app = spawn_app().await;
    let a = registered(&app, "alice@example.uz").await;
    every_route_refuses(&app, &a.refresh, "auth.token_invalid").await;
    // The refresh token was not used up by those attempts.
    let renewed = refresh(&app, &a.refresh).await;
    assert_eq!(renewed.status(), 200);
    let renewed: Value = renewed.json().await.unwrap();
    let new_refresh = renewed["refresh_token"].as_str().unwrap();
    every_route_refuses(&app, new_refresh, "auth.token_invalid").await;
}
