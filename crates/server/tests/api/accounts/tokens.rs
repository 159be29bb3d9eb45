//! Access and refresh tokens: the cookie, the JWT's claims, rotation with reuse
//! detection, logout and logout-all.

use crate::helpers::{TEST_PASSWORD, TestApp, spawn_app, start_time};
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

fn keys(body: &Value) -> Vec<String> {
    let mut keys: Vec<String> = body.as_object().unwrap().keys().cloned().collect();
    keys.sort();
    keys
}

/// A client without a cookie jar, so a test decides which cookie is sent.
fn jarless_client() -> reqwest::Client {
    reqwest::Client::builder().build().unwrap()
}

async fn refresh(app: &TestApp, refresh_token: &Value) -> reqwest::Response {
    app.post_json(
        "/api/v1/auth/refresh",
        &json!({"refresh_token": refresh_token}),
    )
    .await
}

async fn refresh_with_cookie(app: &TestApp, path: &str, refresh_token: &str) -> reqwest::Response {
    jarless_client()
        .post(app.url(path))
        .header("cookie", format!("bilim_refresh={refresh_token}"))
        .send()
        .await
        .unwrap()
}

async fn me_status(app: &TestApp, session: &Value) -> u16 {
    app.authed(
        Method::GET,
        "/api/v1/users/me",
        session["access_token"].as_str().unwrap(),
    )
    .send()
    .await
    .unwrap()
    .status()
    .as_u16()
}

/// The `bilim_refresh` cookie's value and its attributes, lower-cased.
fn refresh_cookie(response: &reqwest::Response) -> (String, Vec<String>) {
    let cookies: Vec<&str> = response
        .headers()
        .get_all("set-cookie")
        .iter()
        .map(|v| v.to_str().unwrap())
        .filter(|v| v.starts_with("bilim_refresh="))
        .collect();
    assert_eq!(cookies.len(), 1, "{cookies:?}");
    let mut parts = cookies[0].split(';').map(str::trim);
    let value = parts
        .next()
        .unwrap()
        .trim_start_matches("bilim_refresh=")
        .to_owned();
    (value, parts.map(str::to_ascii_lowercase).collect())
}

fn base64url(input: &str) -> Vec<u8> {
    const ALPHABET: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    let (mut bits, mut held, mut out) = (0u32, 0u32, Vec::new());
    for byte in input.bytes().filter(|b| *b != b'=') {
        let value = ALPHABET.iter().position(|a| *a == byte).unwrap();
        bits = (bits << 6) | u32::try_from(value).unwrap();
        held += 6;
        if held >= 8 {
            held -= 8;
            out.push(u8::try_from(bits >> held).unwrap());
            bits &= (1 << held) - 1;
        }
    }
    out
}

fn jwt_part(token: &str, index: usize) -> Value {
    let part = token.split('.').nth(index).unwrap();
    serde_json::from_slice(&base64url(part)).unwrap()
}

#[tokio::test]
async fn verify_responses_set_a_strict_http_only_refresh_cookie() {
    let app = spawn_app().await;
    let challenge: Value = app
        .post_json(
            "/api/v1/auth/register",
            &json!({
                "first_name": "Bobur",
                "last_name": "Aliyev",
                "email": "bobur@example.uz",
                "password": TEST_PASSWORD,
            }),
        )
        .await
        .json()
        .await
        .unwrap();
    let code = app.last_code_for("bobur@example.uz").await;
    let registered = app
        .post_json(
            "/api/v1/auth/register/verify",
            &json!({"challenge_id": challenge["challenge_id"], "code": code}),
        )
        .await;
    let login: Value = app
        .post_json(
            "/api/v1/auth/login",
            &json!({"email": "bobur@example.uz", "password": TEST_PASSWORD}),
        )
        .await
        .json()
        .await
        .unwrap();
    let code = app.last_code_for("bobur@example.uz").await;
    let logged_in = app
        .post_json(
            "/api/v1/auth/login/verify",
            &json!({"challenge_id": login["challenge_id"], "code": code}),
        )
        .await;

    for response in [registered, logged_in] {
        let (value, attributes) = refresh_cookie(&response);
        for wanted in [
            "httponly",
            "secure",
            "samesite=strict",
            "path=/api/v1/auth",
            "max-age=2592000",
        ] {
            assert!(attributes.iter().any(|a| a == wanted), "{attributes:?}");
        }
        let body: Value = response.json().await.unwrap();
        assert_eq!(body["refresh_token"], value);
        assert_eq!(body["refresh_expires_in"], 2_592_000);
    }
}

#[tokio::test]
async fn the_access_token_is_a_jwt_with_the_agreed_claims() {
    let app = spawn_app().await;
    let session = app.register("bobur@example.uz").await;
    let token = session["access_token"].as_str().unwrap();

    let header = jwt_part(token, 0);
    let claims = jwt_part(token, 1);

    assert_eq!(header["alg"], "HS256");
    assert_eq!(claims["sub"], session["user"]["id"]);
    assert_eq!(claims["email"], "bobur@example.uz");
    assert!(claims["aud"].is_string(), "{claims}");
    assert!(!claims["jti"].as_str().unwrap().is_empty());
    let iat = claims["iat"].as_i64().unwrap();
    assert_eq!(iat, start_time().timestamp());
    assert_eq!(claims["exp"].as_i64().unwrap() - iat, 900);
    let other = app.login("bobur@example.uz", TEST_PASSWORD).await;
    let other_claims = jwt_part(other["access_token"].as_str().unwrap(), 1);
    assert_ne!(other_claims["jti"], claims["jti"]);
}

#[tokio::test]
async fn refreshing_gives_a_new_pair_and_the_old_refresh_token_dies() {
    let app = spawn_app().await;
    let session = app.register("bobur@example.uz").await;

    let response = refresh(&app, &session["refresh_token"]).await;

    assert_eq!(response.status(), 200);
    let (cookie, _) = refresh_cookie(&response);
    let fresh: Value = response.json().await.unwrap();
    assert_eq!(
        keys(&fresh),
        [
            "access_token",
            "expires_in",
            "refresh_expires_in",
            "refresh_token",
            "token_type"
        ]
    );
    assert_eq!(fresh["token_type"], "Bearer");
    assert_eq!(fresh["refresh_token"], cookie);
    assert_ne!(fresh["refresh_token"], session["refresh_token"]);
    assert_ne!(fresh["access_token"], session["access_token"]);
    assert_eq!(me_status(&app, &fresh).await, 200);
    let (status, body) = problem(refresh(&app, &session["refresh_token"]).await).await;
    assert_eq!(status, 401);
    assert_eq!(body["code"], "auth.refresh_invalid");
}

#[tokio::test]
async fn reusing_a_rotated_refresh_token_revokes_its_whole_family() {
    let app = spawn_app().await;
    let stolen = app.register("bobur@example.uz").await;
    let other_device = app.login("bobur@example.uz", TEST_PASSWORD).await;
    let first: Value = refresh(&app, &stolen["refresh_token"])
        .await
        .json()
        .await
        .unwrap();
    let newest: Value = refresh(&app, &first["refresh_token"])
        .await
        .json()
        .await
        .unwrap();

    let (status, body) = problem(refresh(&app, &stolen["refresh_token"]).await).await;

    assert_eq!(status, 401);
    assert_eq!(body["code"], "auth.refresh_invalid");
    let (status, body) = problem(refresh(&app, &newest["refresh_token"]).await).await;
    assert_eq!(status, 401, "the newest token of the family died too");
    assert_eq!(body["code"], "auth.refresh_invalid");
    let other = refresh(&app, &other_device["refresh_token"]).await;
    assert_eq!(other.status(), 200, "another family is untouched");
}

#[tokio::test]
async fn the_refresh_token_also_works_from_the_cookie() {
    let app = spawn_app().await;
    let session = app.register("bobur@example.uz").await;
    let token = session["refresh_token"].as_str().unwrap();

    let response = refresh_with_cookie(&app, "/api/v1/auth/refresh", token).await;

    assert_eq!(response.status(), 200);
    let (cookie, _) = refresh_cookie(&response);
    let fresh: Value = response.json().await.unwrap();
    assert_eq!(fresh["refresh_token"], cookie);
    assert_eq!(me_status(&app, &fresh).await, 200);
    let reused = refresh_with_cookie(&app, "/api/v1/auth/refresh", token).await;
    assert_eq!(reused.status(), 401);
    let newest = refresh_with_cookie(&app, "/api/v1/auth/refresh", &cookie).await;
    assert_eq!(newest.status(), 401, "reuse through the cookie revokes too");
}

#[tokio::test]
async fn a_refresh_without_a_token_or_with_an_unknown_one_is_401() {
    let app = spawn_app().await;

    let none = jarless_client()
        .post(app.url("/api/v1/auth/refresh"))
        .send()
        .await
        .unwrap();
    let unknown = refresh(&app, &json!("AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA")).await;

    for response in [none, unknown] {
        let (status, body) = problem(response).await;
        assert_eq!(status, 401);
        assert_eq!(body["code"], "auth.refresh_invalid");
    }
}

#[tokio::test]
async fn an_access_token_expires_after_fifteen_minutes_of_the_clock() {
    let app = spawn_app().await;
    let session = app.register("bobur@example.uz").await;

    app.clock
        .advance(chrono::Duration::minutes(15) - chrono::Duration::seconds(1));
    assert_eq!(me_status(&app, &session).await, 200);
    app.clock.advance(chrono::Duration::seconds(1));
    assert_eq!(me_status(&app, &session).await, 401);

    let fresh: Value = refresh(&app, &session["refresh_token"])
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(me_status(&app, &fresh).await, 200);
}

#[tokio::test]
async fn a_refresh_token_expires_after_thirty_days() {
    let app = spawn_app().await;
    let session = app.register("bobur@example.uz").await;
    app.clock.advance(chrono::Duration::days(30));

    let (status, body) = problem(refresh(&app, &session["refresh_token"]).await).await;

    assert_eq!(status, 401);
    assert_eq!(body["code"], "auth.refresh_invalid");
}

#[tokio::test]
async fn logout_ends_the_session_of_its_refresh_token_only() {
    let app = spawn_app().await;
    let leaving = app.register("bobur@example.uz").await;
    let staying = app.login("bobur@example.uz", TEST_PASSWORD).await;

    let response = app
        .post_json(
            "/api/v1/auth/logout",
            &json!({"refresh_token": leaving["refresh_token"]}),
        )
        .await;

    assert_eq!(response.status(), 204);
    let (value, attributes) = refresh_cookie(&response);
    assert_eq!(value, "", "the cookie is cleared");
    assert!(
        attributes.iter().any(|a| a == "max-age=0"),
        "{attributes:?}"
    );
    let (status, body) = problem(refresh(&app, &leaving["refresh_token"]).await).await;
    assert_eq!(status, 401);
    assert_eq!(body["code"], "auth.refresh_invalid");
    assert_eq!(refresh(&app, &staying["refresh_token"]).await.status(), 200);
    let again = app
        .post_json(
            "/api/v1/auth/logout",
            &json!({"refresh_token": leaving["refresh_token"]}),
        )
        .await;
    assert_eq!(again.status(), 204, "logging out twice is harmless");
}

#[tokio::test]
async fn logout_with_the_cookie_ends_that_session() {
    let app = spawn_app().await;
    let session = app.register("bobur@example.uz").await;
    let token = session["refresh_token"].as_str().unwrap();

    let response = refresh_with_cookie(&app, "/api/v1/auth/logout", token).await;

    assert_eq!(response.status(), 204);
    let after = refresh_with_cookie(&app, "/api/v1/auth/refresh", token).await;
    assert_eq!(after.status(), 401);
}

#[tokio::test]
async fn logout_all_ends_every_session_and_every_access_token() {
    let app = spawn_app().await;
    let first = app.register("bobur@example.uz").await;
    let rotated: Value = refresh(&app, &first["refresh_token"])
        .await
        .json()
        .await
        .unwrap();
    let second = app.login("bobur@example.uz", TEST_PASSWORD).await;
    let bystander = app.register("other@example.uz").await;

    let response = app
        .authed(
            Method::POST,
            "/api/v1/auth/logout-all",
            second["access_token"].as_str().unwrap(),
        )
        .send()
        .await
        .unwrap();

    assert_eq!(response.status(), 204);
    for session in [&rotated, &second] {
        let (status, body) = problem(refresh(&app, &session["refresh_token"]).await).await;
        assert_eq!(status, 401);
        assert_eq!(body["code"], "auth.refresh_invalid");
    }
    for session in [&first, &rotated, &second] {
        assert_eq!(me_status(&app, session).await, 401);
    }
    assert_eq!(me_status(&app, &bystander).await, 200);
    assert_eq!(
        refresh(&app, &bystander["refresh_token"]).await.status(),
        200
    );
    let back = app.login("bobur@example.uz", TEST_PASSWORD).await;
    assert_eq!(me_status(&app, &back).await, 200);
}

#[tokio::test]
async fn logout_all_needs_a_valid_user_token() {
    let app = spawn_app().await;

    let missing = app
        .client
        .post(app.url("/api/v1/auth/logout-all"))
        .send()
        .await
        .unwrap();
    let forged = app
        .authed(Method::POST, "/api/v1/auth/logout-all", "not.a.jwt")
        .send()
        .await
        .unwrap();

    let (status, body) = problem(missing).await;
    assert_eq!(status, 401);
    assert_eq!(body["code"], "auth.required");
    let (status, body) = problem(forged).await;
    assert_eq!(status, 401);
    assert_eq!(body["code"], "auth.token_invalid");
}
