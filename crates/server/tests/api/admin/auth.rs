//! Admin login (username or email, password, then an emailed code), refresh,
//! logout, and the wall between admin and user tokens, refresh tokens and codes.

use super::helpers::{
    ADMINS, AUDIT, AdminSession, LOGIN, LOGIN_VERIFY, LOGOUT, ME, REFRESH, ROOT, ROOT_EMAIL, USERS,
    admin_login, create_admin, get, json_of, jwt_claims, login_step_one, problem, root, status_of,
};
use crate::helpers::{TEST_PASSWORD, TestApp, spawn_app, spawn_app_with};
use bilim_domain::admins::AdminRole;
use chrono::Duration;
use reqwest::{Method, Response};
use serde_json::{Value, json};

const USER_REFRESH: &str = "/api/v1/auth/refresh";
const USER_LOGOUT: &str = "/api/v1/auth/logout";

fn keys(body: &Value) -> Vec<&str> {
    let mut keys: Vec<&str> = body
        .as_object()
        .unwrap_or_else(|| panic!("not an object: {body}"))
        .keys()
        .map(String::as_str)
        .collect();
    keys.sort_unstable();
    keys
}

/// A client without a cookie jar, so a test decides which cookie is sent.
fn jarless() -> reqwest::Client {
    reqwest::Client::builder().build().unwrap()
}

/// A `POST` that carries only `cookie`, no body.
async fn post_with_cookie(app: &TestApp, path: &str, cookie: &str) -> Response {
    jarless()
        .post(app.url(path))
        .header("cookie", cookie)
        .send()
        .await
        .unwrap()
}

async fn refresh_admin(app: &TestApp, refresh_token: &str) -> Response {
    app.post_json(REFRESH, &json!({"refresh_token": refresh_token}))
        .await
}

async fn refresh_user(app: &TestApp, refresh_token: &str) -> Response {
    app.post_json(USER_REFRESH, &json!({"refresh_token": refresh_token}))
        .await
}

/// The value and the lower-cased attributes of the one `name` cookie set.
fn set_cookie(response: &Response, name: &str) -> (String, Vec<String>) {
    let prefix = format!("{name}=");
    let cookies: Vec<&str> = response
        .headers()
        .get_all("set-cookie")
        .iter()
        .map(|v| v.to_str().unwrap())
        .filter(|v| v.starts_with(&prefix))
        .collect();
    assert_eq!(cookies.len(), 1, "{cookies:?}");
    let mut parts = cookies[0].split(';').map(str::trim);
    let value = parts.next().unwrap()[prefix.len()..].to_owned();
    (value, parts.map(str::to_ascii_lowercase).collect())
}

/// Asserts 401 problem+json with an `auth.*` code.
async fn assert_unauthorized(response: Response, what: &str) {
    let status = response.status().as_u16();
    let content_type = response.headers().get("content-type").cloned();
    let text = response.text().await.unwrap();
    assert_eq!(status, 401, "{what}: {text}");
    assert_eq!(
        content_type.unwrap(),
        "application/problem+json",
        "{what}: {text}"
    );
    let body: Value = serde_json::from_str(&text).unwrap();
    assert!(
        body["code"].as_str().unwrap().starts_with("auth."),
        "{what}: {text}"
    );
}

/// A registered user's id, access token and refresh token.
async fn user(app: &TestApp, email: &str) -> (String, String, String) {
    let body = app.register(email).await;
    (
        body["user"]["id"].as_str().unwrap().to_owned(),
        body["access_token"].as_str().unwrap().to_owned(),
        body["refresh_token"].as_str().unwrap().to_owned(),
    )
}

#[tokio::test]
async fn an_admin_logs_in_with_username_and_password_then_a_code_sent_to_their_email() {
    let app = spawn_app().await;
    let id = create_admin(&app, ROOT, ROOT_EMAIL, AdminRole::Super).await;

    let step_one = login_step_one(&app, ROOT, TEST_PASSWORD).await;
    let challenge = json_of(step_one, 200).await;
    assert_eq!(
        keys(&challenge),
        ["challenge_id", "expires_in", "resend_in"]
    );
    let sent = app.sent_mail().await;
    assert_eq!(sent.len(), 1);
    assert_eq!(sent[0].to, ROOT_EMAIL);
    let code = sent[0].code().expect("the mail holds a code");

    let verified = app
        .post_json(
            LOGIN_VERIFY,
            &json!({"challenge_id": challenge["challenge_id"], "code": code}),
        )
        .await;
    let (cookie, attributes) = set_cookie(&verified, "bilim_admin_refresh");
    let body = json_of(verified, 200).await;
    assert_eq!(
        keys(&body),
        [
            "access_token",
            "admin",
            "expires_in",
            "refresh_expires_in",
            "refresh_token",
            "token_type"
        ]
    );
    assert_eq!(body["token_type"], "Bearer");
    assert!(body["expires_in"].as_i64().unwrap() > 0, "{body}");
    assert!(body["refresh_expires_in"].as_i64().unwrap() > 0, "{body}");
    let admin = &body["admin"];
    assert_eq!(admin["id"], id.as_str());
    assert_eq!(admin["username"], ROOT);
    assert_eq!(admin["email"], ROOT_EMAIL);
    assert_eq!(admin["role"], "super");
    assert_eq!(admin["active"], true);
    assert!(admin["last_login_at"].is_string(), "{admin}");

    // The refresh cookie: HttpOnly, Secure, SameSite=Strict, admin auth only.
    assert_eq!(cookie, body["refresh_token"].as_str().unwrap());
    for attribute in [
        "httponly",
        "secure",
        "samesite=strict",
        "path=/api/v1/admin/auth",
    ] {
        assert!(
            attributes.contains(&attribute.to_owned()),
            "{attribute} missing: {attributes:?}"
        );
    }

    let access = body["access_token"].as_str().unwrap();
    assert_eq!(jwt_claims(access)["sub"], id.as_str());
    assert_eq!(status_of(&app, Method::GET, USERS, access).await, 200);
}

#[tokio::test]
async fn an_admin_may_log_in_by_email_or_username_in_any_letter_case() {
    let app = spawn_app().await;
    let id = create_admin(&app, ROOT, ROOT_EMAIL, AdminRole::Super).await;
    for login in ["Root@Bilim.UZ", "ROOT", " root@bilim.uz "] {
        let session = admin_login(&app, login, ROOT_EMAIL).await;
        assert_eq!(session.id, id, "{login}");
        assert_eq!(
            status_of(&app, Method::GET, USERS, &session.access).await,
            200
        );
    }
}

#[tokio::test]
async fn a_wrong_password_and_an_unknown_login_are_refused_alike_and_send_no_mail() {
    let app = spawn_app().await;
    create_admin(&app, ROOT, ROOT_EMAIL, AdminRole::Super).await;
    let mut details = Vec::new();
    for (login, password) in [
        (ROOT, "Wrong-password-1924!"),
        (ROOT_EMAIL, "Wrong-password-1924!"),
        ("nobody", TEST_PASSWORD),
        ("nobody@bilim.uz", TEST_PASSWORD),
        ("", TEST_PASSWORD),
    ] {
        let response = login_step_one(&app, login, password).await;
        let body = problem(response, 401, "auth.invalid_credentials").await;
        details.push(body["detail"].clone());
    }
    assert!(details.windows(2).all(|w| w[0] == w[1]), "{details:?}");
    assert!(app.sent_mail().await.is_empty());
}

#[tokio::test]
async fn a_user_cannot_log_in_as_an_admin_with_the_user_s_email_and_password() {
    let app = spawn_app().await;
    app.register("aziz@bilim.uz").await;
    let response = login_step_one(&app, "aziz@bilim.uz", TEST_PASSWORD).await;
    problem(response, 401, "auth.invalid_credentials").await;
}

#[tokio::test]
async fn login_bodies_with_unknown_or_missing_fields_are_refused() {
    let app = spawn_app().await;
    create_admin(&app, ROOT, ROOT_EMAIL, AdminRole::Super).await;
    for body in [
        json!({"email": ROOT_EMAIL, "password": TEST_PASSWORD}),
        json!({"login": ROOT, "password": TEST_PASSWORD, "role": "super"}),
        json!({"login": ROOT}),
    ] {
        let response = app.post_json(LOGIN, &body).await;
        assert_eq!(response.status(), 400, "{body}");
        assert_eq!(
            response.headers()["content-type"],
            "application/problem+json"
        );
    }
    assert!(app.sent_mail().await.is_empty());
}

#[tokio::test]
async fn a_wrong_admin_code_is_refused_and_the_right_one_still_verifies() {
    let app = spawn_app().await;
    create_admin(&app, ROOT, ROOT_EMAIL, AdminRole::Super).await;
    let challenge = json_of(login_step_one(&app, ROOT, TEST_PASSWORD).await, 200).await;
    let code = app.last_code_for(ROOT_EMAIL).await;
    let wrong = if code == "000000" { "111111" } else { "000000" };
    let response = app
        .post_json(
            LOGIN_VERIFY,
            &json!({"challenge_id": challenge["challenge_id"], "code": wrong}),
        )
        .await;
    problem(response, 400, "auth.code_invalid").await;
    let response = app
        .post_json(
            LOGIN_VERIFY,
            &json!({"challenge_id": challenge["challenge_id"], "code": code}),
        )
        .await;
    json_of(response, 200).await;
}

#[tokio::test]
async fn admin_refresh_rotates_and_reusing_a_rotated_token_revokes_the_whole_family() {
    let app = spawn_app().await;
    let first = root(&app).await;

    let response = refresh_admin(&app, &first.refresh).await;
    let (cookie, _) = set_cookie(&response, "bilim_admin_refresh");
    let second = json_of(response, 200).await;
    assert_eq!(
        keys(&second),
        [
            "access_token",
            "expires_in",
            "refresh_expires_in",
            "refresh_token",
            "token_type"
        ]
    );
    let second_refresh = second["refresh_token"].as_str().unwrap();
    assert_ne!(second_refresh, first.refresh);
    assert_eq!(cookie, second_refresh);
    let second_access = second["access_token"].as_str().unwrap();
    assert_eq!(
        status_of(&app, Method::GET, USERS, second_access).await,
        200
    );

    // The rotated token is reused: refused, and the family dies with it.
    let reused = refresh_admin(&app, &first.refresh).await;
    problem(reused, 401, "auth.refresh_invalid").await;
    let next = refresh_admin(&app, second_refresh).await;
    problem(next, 401, "auth.refresh_invalid").await;

    // Another session of the same admin is untouched.
    let other = admin_login(&app, ROOT, ROOT_EMAIL).await;
    json_of(refresh_admin(&app, &other.refresh).await, 200).await;
}

#[tokio::test]
async fn the_admin_refresh_cookie_alone_refreshes_and_logout_ends_the_session_and_clears_it() {
    let app = spawn_app().await;
    let session = root(&app).await;

    let response = post_with_cookie(
        &app,
        REFRESH,
        &format!("bilim_admin_refresh={}", session.refresh),
    )
    .await;
    let (rotated, _) = set_cookie(&response, "bilim_admin_refresh");
    let body = json_of(response, 200).await;
    assert_eq!(rotated, body["refresh_token"].as_str().unwrap());

    let response = post_with_cookie(&app, LOGOUT, &format!("bilim_admin_refresh={rotated}")).await;
    assert_eq!(response.status(), 204);
    let (cleared, attributes) = set_cookie(&response, "bilim_admin_refresh");
    assert!(cleared.is_empty(), "{cleared}");
    assert!(
        attributes.contains(&"max-age=0".to_owned()),
        "{attributes:?}"
    );
    assert!(
        attributes.contains(&"path=/api/v1/admin/auth".to_owned()),
        "{attributes:?}"
    );
    problem(
        refresh_admin(&app, &rotated).await,
        401,
        "auth.refresh_invalid",
    )
    .await;

    // Logout with the token in the body, and with nothing at all: 204.
    let other = admin_login(&app, ROOT, ROOT_EMAIL).await;
    let response = app
        .post_json(LOGOUT, &json!({"refresh_token": other.refresh}))
        .await;
    assert_eq!(response.status(), 204);
    problem(
        refresh_admin(&app, &other.refresh).await,
        401,
        "auth.refresh_invalid",
    )
    .await;
    let response = jarless().post(app.url(LOGOUT)).send().await.unwrap();
    assert_eq!(response.status(), 204);
}

#[tokio::test]
async fn a_user_token_is_refused_on_every_admin_route() {
    let app = spawn_app().await;
    root(&app).await;
    let (user_id, access, _) = user(&app, "aziz@bilim.uz").await;
    let user_path = format!("{USERS}/{user_id}");
    let requests = [
        (Method::GET, USERS.to_owned(), None),
        (Method::GET, user_path.clone(), None),
        (
            Method::PATCH,
            user_path.clone(),
            Some(json!({"active": false, "role": "teacher"})),
        ),
        (Method::GET, ADMINS.to_owned(), None),
        (
            Method::POST,
            ADMINS.to_owned(),
            Some(
                json!({"username": "sneaky", "email": "sneaky@bilim.uz", "password": TEST_PASSWORD, "role": "super"}),
            ),
        ),
        (Method::GET, AUDIT.to_owned(), None),
    ];
    for (method, path, body) in requests {
        let mut request = app.authed(method.clone(), &path, &access);
        if let Some(body) = body {
            request = request.json(&body);
        }
        let response = request.send().await.unwrap();
        assert_unauthorized(response, &format!("{method} {path}")).await;
    }
    // Nothing changed: the user is as before, and no admin was made.
    let me = json_of(get(&app, ME, &access).await, 200).await;
    assert_eq!(me["active"], true);
    assert_eq!(me["role"], "student");
    let response = login_step_one(&app, "sneaky", TEST_PASSWORD).await;
    problem(response, 401, "auth.invalid_credentials").await;
}

#[tokio::test]
async fn admin_routes_without_a_token_or_with_a_forged_one_answer_401() {
    let app = spawn_app().await;
    let session = root(&app).await;
    for path in [USERS, ADMINS, AUDIT] {
        problem(app.get(path).await, 401, "auth.required").await;
        let response = get(&app, path, "not.a.token").await;
        assert_unauthorized(response, path).await;
        // The admin's own token with its signature cut off.
        let (unsigned, _) = session.access.rsplit_once('.').unwrap();
        let response = get(&app, path, &format!("{unsigned}.")).await;
        assert_unauthorized(response, path).await;
    }
}

#[tokio::test]
async fn an_admin_token_is_refused_on_user_routes() {
    let app = spawn_app().await;
    let session = root(&app).await;
    let requests = [
        (Method::GET, ME, None),
        (Method::PATCH, ME, Some(json!({"first_name": "Root"}))),
        (Method::DELETE, ME, None),
        (Method::POST, "/api/v1/auth/logout-all", None),
    ];
    for (method, path, body) in requests {
        let mut request = app.authed(method.clone(), path, &session.access);
        if let Some(body) = body {
            request = request.json(&body);
        }
        let response = request.send().await.unwrap();
        assert_unauthorized(response, &format!("{method} {path}")).await;
    }
    // The admin's token is still good where it belongs.
    assert_eq!(
        status_of(&app, Method::GET, USERS, &session.access).await,
        200
    );
}

#[tokio::test]
async fn admin_and_user_access_tokens_carry_different_audiences() {
    let app = spawn_app().await;
    let session = root(&app).await;
    let (_, user_access, _) = user(&app, "aziz@bilim.uz").await;
    let admin_claims = jwt_claims(&session.access);
    let user_claims = jwt_claims(&user_access);
    assert!(!admin_claims["aud"].is_null(), "{admin_claims}");
    assert_ne!(admin_claims["aud"], user_claims["aud"]);
    assert_eq!(admin_claims["sub"], session.id.as_str());
    assert_eq!(admin_claims["email"], ROOT_EMAIL);
}

#[tokio::test]
async fn a_refresh_token_works_only_at_its_own_audience_s_refresh_route() {
    let app = spawn_app().await;
    let admin = root(&app).await;
    let (_, _, user_refresh) = user(&app, "aziz@bilim.uz").await;

    // A user's refresh token at the admin route: in the body or the admin cookie.
    assert_unauthorized(refresh_admin(&app, &user_refresh).await, "user body").await;
    let cookie = format!("bilim_admin_refresh={user_refresh}");
    assert_unauthorized(
        post_with_cookie(&app, REFRESH, &cookie).await,
        "user cookie",
    )
    .await;
    // An admin's refresh token at the user route: in the body or the user cookie.
    assert_unauthorized(refresh_user(&app, &admin.refresh).await, "admin body").await;
    let cookie = format!("bilim_refresh={}", admin.refresh);
    assert_unauthorized(
        post_with_cookie(&app, USER_REFRESH, &cookie).await,
        "admin cookie",
    )
    .await;

    // Neither was taken for a reuse: both still refresh where they belong.
    let user_tokens = json_of(refresh_user(&app, &user_refresh).await, 200).await;
    assert!(user_tokens["refresh_token"].is_string());
    let admin_tokens = json_of(refresh_admin(&app, &admin.refresh).await, 200).await;
    let admin_access = admin_tokens["access_token"].as_str().unwrap();
    assert_eq!(status_of(&app, Method::GET, USERS, admin_access).await, 200);
}

#[tokio::test]
async fn logging_out_at_the_other_audience_s_route_ends_nothing() {
    let app = spawn_app().await;
    let admin: AdminSession = root(&app).await;
    let (_, _, user_refresh) = user(&app, "aziz@bilim.uz").await;

    let response = app
        .post_json(LOGOUT, &json!({"refresh_token": user_refresh}))
        .await;
    assert_eq!(response.status(), 204);
    let response = app
        .post_json(USER_LOGOUT, &json!({"refresh_token": admin.refresh}))
        .await;
    assert_eq!(response.status(), 204);

    json_of(refresh_user(&app, &user_refresh).await, 200).await;
    json_of(refresh_admin(&app, &admin.refresh).await, 200).await;
}

#[tokio::test]
async fn an_admin_login_code_never_verifies_at_the_user_routes() {
    let app = spawn_app().await;
    create_admin(&app, ROOT, ROOT_EMAIL, AdminRole::Super).await;
    let challenge = json_of(login_step_one(&app, ROOT, TEST_PASSWORD).await, 200).await;
    let code = app.last_code_for(ROOT_EMAIL).await;
    let attempt = json!({"challenge_id": challenge["challenge_id"], "code": code});
    for path in [
        "/api/v1/auth/login/verify",
        "/api/v1/auth/register/verify",
        "/api/v1/auth/password/verify",
    ] {
        let response = app.post_json(path, &attempt).await;
        let status = response.status().as_u16();
        let text = response.text().await.unwrap();
        assert_eq!(status, 400, "{path}: {text}");
        assert!(!text.contains("access_token"), "{path}: {text}");
        assert!(!text.contains("reset_token"), "{path}: {text}");
    }
    // The code is still the admin's to use, where it belongs.
    let body = json_of(app.post_json(LOGIN_VERIFY, &attempt).await, 200).await;
    assert_eq!(body["admin"]["username"], ROOT);
}

#[tokio::test]
async fn a_user_login_code_never_verifies_at_the_admin_route() {
    let app = spawn_app().await;
    app.register("aziz@bilim.uz").await;
    let step_one = app
        .post_json(
            "/api/v1/auth/login",
            &json!({"email": "aziz@bilim.uz", "password": TEST_PASSWORD}),
        )
        .await;
    let challenge = json_of(step_one, 200).await;
    let code = app.last_code_for("aziz@bilim.uz").await;
    let attempt = json!({"challenge_id": challenge["challenge_id"], "code": code});
    let response = app.post_json(LOGIN_VERIFY, &attempt).await;
    problem(response, 400, "auth.code_invalid").await;
    let body = json_of(
        app.post_json("/api/v1/auth/login/verify", &attempt).await,
        200,
    )
    .await;
    assert_eq!(body["user"]["email"], "aziz@bilim.uz");
}

#[tokio::test]
async fn admin_login_attempts_count_toward_the_per_address_limit_even_with_a_wrong_password() {
    let app = spawn_app_with(|vars| {
        vars.insert("BILIM_AUTH_REQUESTS_PER_IP_PER_MINUTE".into(), "3".into());
    })
    .await;
    create_admin(&app, ROOT, ROOT_EMAIL, AdminRole::Super).await;
    for n in 0..3 {
        let response = login_step_one(&app, ROOT, &format!("Guess-number-{n}-of-many")).await;
        problem(response, 401, "auth.invalid_credentials").await;
    }
    let fourth = login_step_one(&app, ROOT, TEST_PASSWORD).await;
    let retry_after = fourth.headers().get("retry-after").cloned();
    let body = problem(fourth, 429, "rate_limited").await;
    let retry_after: u64 = retry_after
        .unwrap_or_else(|| panic!("no Retry-After: {body}"))
        .to_str()
        .unwrap()
        .parse()
        .unwrap();
    assert!((1..=60).contains(&retry_after), "{retry_after}");
    assert!(app.sent_mail().await.is_empty());
}

#[tokio::test]
async fn the_sixth_try_at_an_admin_code_is_locked_even_with_the_right_code() {
    let app = spawn_app().await;
    create_admin(&app, ROOT, ROOT_EMAIL, AdminRole::Super).await;
    let challenge = json_of(login_step_one(&app, ROOT, TEST_PASSWORD).await, 200).await;
    let code = app.last_code_for(ROOT_EMAIL).await;
    let wrong = if code == "000000" { "111111" } else { "000000" };
    for _ in 0..5 {
        let response = app
            .post_json(
                LOGIN_VERIFY,
                &json!({"challenge_id": challenge["challenge_id"], "code": wrong}),
            )
            .await;
        problem(response, 400, "auth.code_invalid").await;
    }
    let response = app
        .post_json(
            LOGIN_VERIFY,
            &json!({"challenge_id": challenge["challenge_id"], "code": code}),
        )
        .await;
    problem(response, 400, "auth.challenge_locked").await;
}

#[tokio::test]
async fn admin_tokens_expire_after_expires_in_and_refresh_expires_in() {
    let app = spawn_app().await;
    let session = root(&app).await;
    let expires_in = session.body["expires_in"].as_i64().unwrap();
    let refresh_expires_in = session.body["refresh_expires_in"].as_i64().unwrap();
    assert!(refresh_expires_in > expires_in);

    app.clock.advance(Duration::seconds(expires_in - 1));
    assert_eq!(
        status_of(&app, Method::GET, USERS, &session.access).await,
        200
    );
    app.clock.advance(Duration::seconds(1));
    assert_unauthorized(get(&app, USERS, &session.access).await, "expired access").await;

    let renewed = json_of(refresh_admin(&app, &session.refresh).await, 200).await;
    let access = renewed["access_token"].as_str().unwrap();
    assert_eq!(status_of(&app, Method::GET, USERS, access).await, 200);

    app.clock.advance(Duration::seconds(refresh_expires_in));
    let refresh = renewed["refresh_token"].as_str().unwrap();
    assert_unauthorized(refresh_admin(&app, refresh).await, "expired refresh").await;
}
