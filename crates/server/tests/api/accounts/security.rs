//! The OWASP API Security Top 10 items that apply to the account routes:
//! object- and property-level authorisation (API1, API3), broken
//! authentication (API2), resource consumption (API4) and misconfiguration
//! (API8).

use super::me::{
    AVATAR, ME, PASSWORD, PNG_1X1, PNG_AFTER_IHDR, PNG_SIGNATURE, Session, all_keys,
    assert_problem, base64url_decode, base64url_encode, get_me, me_of, patch_me, path_of,
    png_chunk, put_avatar, refresh, registered,
};
use crate::helpers::{TEST_PASSWORD, TestApp, spawn_app, test_vars};
use bilim_domain::ports::Clock;
use bilim_domain::sessions::Audience;
use bilim_service::tokens::AccessTokens;
use chrono::Duration;
use reqwest::{Method, RequestBuilder};
use serde_json::{Value, json};
use std::collections::BTreeSet;
use std::sync::Arc;

/// Every `[user, token]` route of `/users/me`, each with a body it accepts.
fn me_routes(app: &TestApp) -> Vec<(&'static str, RequestBuilder)> {
    let (form_type, form_body) = super::me::form("image", "a.png", "image/png", PNG_1X1);
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

// ------------------------------------------------ API1/API3: own data only

#[tokio::test]
async fn each_token_reads_only_its_own_user() {
    let app = spawn_app().await;
    let a = registered(&app, "alice@example.uz").await;
    let b = registered(&app, "bobur@example.uz").await;

    let seen_by_a = me_of(&app, &a.access).await;
    let seen_by_b = me_of(&app, &b.access).await;
    assert_eq!(seen_by_a["id"], a.id.as_str());
    assert_eq!(seen_by_a["email"], "alice@example.uz");
    assert_eq!(seen_by_b["id"], b.id.as_str());
    assert_eq!(seen_by_b["email"], "bobur@example.uz");
    assert_ne!(a.id, b.id);
    let text = get_me(&app, &a.access).await.text().await.unwrap();
    assert!(!text.contains(&b.id) && !text.contains("bobur"), "{text}");
}

#[tokio::test]
async fn one_users_changes_never_reach_another_user() {
    let app = spawn_app().await;
    let a = registered(&app, "alice@example.uz").await;
    let b = registered(&app, "bobur@example.uz").await;
    let b_before = me_of(&app, &b.access).await;

    let patched = patch_me(
        &app,
        &a.access,
        &json!({"first_name": "Alisa", "last_name": "Xo'jayeva", "phone": "901234567"}),
    )
    .await;
    assert_eq!(patched.status(), 200);
    let patched: Value = patched.json().await.unwrap();
    assert_eq!(patched["id"], a.id.as_str());
    // There is no way to name another user in the body.
    let aimed = patch_me(&app, &a.access, &json!({"id": b.id, "first_name": "Owned"})).await;
    assert_problem(aimed, 400, "validation").await;
    assert_eq!(put_avatar(&app, &a.access, PNG_1X1).await.status(), 200);

    assert_eq!(me_of(&app, &b.access).await, b_before);
    let a_now = me_of(&app, &a.access).await;
    assert_eq!(a_now["first_name"], "Alisa");
    assert!(a_now["avatar_url"].is_string());

    // A's deletion leaves B signed in and active.
    let deleted = app
        .authed(Method::DELETE, ME, &a.access)
        .send()
        .await
        .unwrap();
    assert_eq!(deleted.status(), 204);
    assert_eq!(me_of(&app, &b.access).await["active"], true);
    assert_eq!(refresh(&app, &b.refresh).await.status(), 200);
}

#[tokio::test]
async fn there_is_no_route_that_reads_a_user_by_id() {
    let app = spawn_app().await;
    let a = registered(&app, "alice@example.uz").await;
    let b = registered(&app, "bobur@example.uz").await;
    for method in [Method::GET, Method::PATCH, Method::DELETE] {
        let response = app
            .authed(
                method.clone(),
                &format!("/api/v1/users/{}", b.id),
                &a.access,
            )
            .json(&json!({"first_name": "Owned"}))
            .send()
            .await
            .unwrap();
        let body = assert_problem(response, 404, "route.not_found").await;
        assert!(!body.to_string().contains("bobur"), "{method}: {body}");
    }
    assert_eq!(me_of(&app, &b.access).await["first_name"], "Oʻktam");
}

// ------------------------------------------------ API2: authentication

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

// ------------------------------------------------ API3: no secret ever leaves

/// Fails when a response body shows a secret field or value.
fn assert_no_secret(what: &str, text: &str, password_hash: &str) {
    assert!(!text.contains("password_hash"), "{what}: {text}");
    assert!(!text.contains("token_version"), "{what}: {text}");
    assert!(!text.contains(password_hash), "{what}: {text}");
    assert!(!text.contains("$argon2"), "{what}: {text}");
    if let Ok(body) = serde_json::from_str::<Value>(text) {
        let mut keys = BTreeSet::new();
        all_keys(&body, &mut keys);
        assert!(
            keys.iter()
                .all(|k| !k.contains("password") && !k.contains("hash")),
            "{what}: {text}"
        );
    }
}

#[tokio::test]
async fn no_account_response_ever_contains_a_password_hash() {
    let app = spawn_app().await;
    let email = "alice@example.uz";

    let step_one = app
        .post_json(
            "/api/v1/auth/register",
            &json!({"first_name": "Alisa", "last_name": "Karimova", "email": email, "password": TEST_PASSWORD}),
        )
        .await;
    let step_one = step_one.text().await.unwrap();
    let challenge: Value = serde_json::from_str(&step_one).unwrap();
    let code = app.last_code_for(email).await;
    let verified = app
        .post_json(
            "/api/v1/auth/register/verify",
            &json!({"challenge_id": challenge["challenge_id"], "code": code}),
        )
        .await;
    assert_eq!(verified.status(), 201);
    let verified = verified.text().await.unwrap();
    let session = Session::of(&serde_json::from_str(&verified).unwrap());
    let hash = app
        .ports
        .users
        .find_by_id(session.uuid())
        .await
        .unwrap()
        .unwrap()
        .password_hash;

    let mut bodies = vec![
        ("register".to_owned(), step_one),
        ("register/verify".to_owned(), verified),
    ];
    let login = app.login(email, TEST_PASSWORD).await;
    bodies.push(("login/verify".to_owned(), login.to_string()));
    let renewed = refresh(&app, &session.refresh).await.text().await.unwrap();
    bodies.push(("refresh".to_owned(), renewed));
    bodies.push((
        "GET me".to_owned(),
        get_me(&app, &session.access).await.text().await.unwrap(),
    ));
    bodies.push((
        "PATCH me".to_owned(),
        patch_me(&app, &session.access, &json!({"last_name": "Rahimova"}))
            .await
            .text()
            .await
            .unwrap(),
    ));
    bodies.push((
        "avatar".to_owned(),
        put_avatar(&app, &session.access, PNG_1X1)
            .await
            .text()
            .await
            .unwrap(),
    ));
    bodies.push((
        "password refused".to_owned(),
        app.authed(Method::PUT, PASSWORD, &session.access)
            .json(&json!({"current_password": "wrong-wrong-wrong", "new_password": "Buxoro-Xiva-2031-kuz!"}))
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap(),
    ));
    for (what, text) in &bodies {
        assert_no_secret(what, text, &hash);
    }

    // A refused attempt to set the hash may name the field the client sent,
    // but shows no hash.
    let refused = patch_me(&app, &session.access, &json!({"password_hash": "x"}))
        .await
        .text()
        .await
        .unwrap();
    assert!(
        !refused.contains(&hash) && !refused.contains("$argon2"),
        "{refused}"
    );
}

// ------------------------------------------------ API4/API8: limits and headers

#[tokio::test]
async fn personal_data_is_sent_uncacheable_and_unsniffable() {
    let app = spawn_app().await;
    let a = registered(&app, "alice@example.uz").await;
    let response = get_me(&app, &a.access).await;
    assert_eq!(response.status(), 200);
    let headers = response.headers();
    assert_eq!(headers["content-type"], "application/json");
    assert_eq!(headers["cache-control"], "no-store");
    assert_eq!(headers["x-content-type-options"], "nosniff");

    let refused = get_me(&app, "garbage").await;
    assert_eq!(refused.headers()["cache-control"], "no-store");

    let url: Value = put_avatar(&app, &a.access, PNG_1X1)
        .await
        .json()
        .await
        .unwrap();
    let file = app.get(path_of(url["avatar_url"].as_str().unwrap())).await;
    assert_eq!(file.status(), 200);
    assert_eq!(file.headers()["content-type"], "image/jpeg");
    assert_eq!(file.headers()["x-content-type-options"], "nosniff");
}

#[tokio::test]
async fn an_oversized_json_body_is_413_before_it_is_parsed() {
    let app = spawn_app().await;
    let a = registered(&app, "alice@example.uz").await;
    let huge = json!({"first_name": "a".repeat(128 * 1024)});
    let response = patch_me(&app, &a.access, &huge).await;
    assert_problem(response, 413, "request.too_large").await;
    assert_eq!(me_of(&app, &a.access).await["first_name"], "Oʻktam");
}

#[tokio::test]
async fn malformed_or_mistyped_bodies_are_problem_json_400s() {
    let app = spawn_app().await;
    let a = registered(&app, "alice@example.uz").await;
    let malformed = app
        .authed(Method::PATCH, ME, &a.access)
        .header("content-type", "application/json")
        .body("{\"first_name\": ")
        .send()
        .await
        .unwrap();
    assert_problem(malformed, 400, "request.malformed_json").await;

    let mistyped = patch_me(&app, &a.access, &json!({"first_name": 42})).await;
    assert_problem(mistyped, 400, "validation").await;

    let not_json = app
        .authed(Method::PATCH, ME, &a.access)
        .header("content-type", "text/plain")
        .body("first_name=Hacker")
        .send()
        .await
        .unwrap();
    assert_problem(not_json, 415, "request.unsupported_media_type").await;

    let password_not_json = app
        .authed(Method::PUT, PASSWORD, &a.access)
        .header("content-type", "application/x-www-form-urlencoded")
        .body("current_password=x&new_password=y")
        .send()
        .await
        .unwrap();
    assert_problem(password_not_json, 415, "request.unsupported_media_type").await;
    assert_eq!(me_of(&app, &a.access).await["first_name"], "Oʻktam");
}

#[tokio::test]
async fn a_png_claiming_huge_dimensions_is_refused_without_decoding_it() {
    let app = spawn_app().await;
    let a = registered(&app, "alice@example.uz").await;
    // IHDR: 100 000 × 100 000 RGBA, then the tiny real pixel data.
    let mut header = 100_000u32.to_be_bytes().to_vec();
    header.extend_from_slice(&100_000u32.to_be_bytes());
    header.extend_from_slice(&[8, 6, 0, 0, 0]);
    let mut bomb = PNG_SIGNATURE.to_vec();
    bomb.extend(png_chunk(b"IHDR", &header));
    bomb.extend_from_slice(&PNG_1X1[PNG_AFTER_IHDR..]);

    let started = std::time::Instant::now();
    let response = put_avatar(&app, &a.access, &bomb).await;
    assert_problem(response, 400, "file.invalid_image").await;
    assert!(started.elapsed() < std::time::Duration::from_secs(10));
    assert_eq!(me_of(&app, &a.access).await["avatar_url"], Value::Null);
}
