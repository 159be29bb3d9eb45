//! Admin helpers: admins made without HTTP (as `bilim create-admin` does), the
//! two login steps, users stored directly, and the admin routes' requests.

use crate::helpers::{TEST_PASSWORD, TestApp};
use bilim_domain::admins::AdminRole;
use bilim_domain::ports::Clock;
use bilim_domain::users::{NewUser, User, UserRole};
use bilim_domain::values::{Email, PersonName, Phone};
use bilim_service::admin::AdminInput;
use reqwest::{Method, Response};
use serde_json::{Value, json};

pub(super) const LOGIN: &str = "/api/v1/admin/auth/login";
pub(super) const LOGIN_VERIFY: &str = "/api/v1/admin/auth/login/verify";
pub(super) const REFRESH: &str = "/api/v1/admin/auth/refresh";
pub(super) const LOGOUT: &str = "/api/v1/admin/auth/logout";
pub(super) const USERS: &str = "/api/v1/admin/users";
pub(super) const ADMINS: &str = "/api/v1/admin/admins";
pub(super) const AUDIT: &str = "/api/v1/admin/audit";
pub(super) const ME: &str = "/api/v1/users/me";

/// The first super admin of every test.
pub(super) const ROOT: &str = "root";
pub(super) const ROOT_EMAIL: &str = "root@bilim.uz";

/// One signed-in admin session.
#[derive(Debug, Clone)]
pub(super) struct AdminSession {
    pub id: String,
    pub access: String,
    pub refresh: String,
    /// The whole 200 body of the verify step.
    pub body: Value,
}

impl AdminSession {
    fn of(body: Value) -> Self {
        Self {
            id: body["admin"]["id"].as_str().unwrap().to_owned(),
            access: body["access_token"].as_str().unwrap().to_owned(),
            refresh: body["refresh_token"].as_str().unwrap().to_owned(),
            body,
        }
    }
}

/// Creates an admin without HTTP and without an acting admin (the CLI's way);
/// returns its id.
pub(super) async fn create_admin(
    app: &TestApp,
    username: &str,
    email: &str,
    role: AdminRole,
) -> String {
    let admin = app
        .services
        .admins
        .create_first(AdminInput {
            username: username.to_owned(),
            email: email.to_owned(),
            password: TEST_PASSWORD.to_owned(),
            role,
            tg_id: None,
        })
        .await
        .unwrap();
    admin.id.to_string()
}

/// Step one of the admin login; answers as the server did.
pub(super) async fn login_step_one(app: &TestApp, login: &str, password: &str) -> Response {
    app.post_json(LOGIN, &json!({"login": login, "password": password}))
        .await
}

/// Both admin login steps; the code is read from the mail to `email`. Both must
/// succeed.
pub(super) async fn admin_login(app: &TestApp, login: &str, email: &str) -> AdminSession {
    let challenge = json_of(login_step_one(app, login, TEST_PASSWORD).await, 200).await;
    let code = app.last_code_for(email).await;
    let verified = app
        .post_json(
            LOGIN_VERIFY,
            &json!({"challenge_id": challenge["challenge_id"], "code": code}),
        )
        .await;
    AdminSession::of(json_of(verified, 200).await)
}

/// The super admin `root`, created and logged in.
pub(super) async fn root(app: &TestApp) -> AdminSession {
    create_admin(app, ROOT, ROOT_EMAIL, AdminRole::Super).await;
    admin_login(app, ROOT, ROOT_EMAIL).await
}

/// A plain (not super) admin `username`, created and logged in.
pub(super) async fn plain_admin(app: &TestApp, username: &str) -> AdminSession {
    let email = format!("{username}@bilim.uz");
    create_admin(app, username, &email, AdminRole::Admin).await;
    admin_login(app, username, &email).await
}

/// Asserts a problem+json answer with `status` and `code`; returns the body.
pub(super) async fn problem(response: Response, status: u16, code: &str) -> Value {
    let actual = response.status().as_u16();
    let content_type = response
        .headers()
        .get("content-type")
        .map(|v| v.to_str().unwrap().to_owned());
    let text = response.text().await.unwrap();
    assert_eq!(actual, status, "body: {text}");
    assert_eq!(
        content_type.as_deref(),
        Some("application/problem+json"),
        "body: {text}"
    );
    let body: Value = serde_json::from_str(&text).unwrap();
    assert_eq!(body["code"], code, "body: {text}");
    assert_eq!(body["status"], status, "body: {text}");
    for field in ["type", "title", "detail"] {
        assert!(body[field].is_string(), "no {field}: {text}");
    }
    body
}

/// Asserts the status of a JSON answer; returns the body.
pub(super) async fn json_of(response: Response, status: u16) -> Value {
    let actual = response.status().as_u16();
    let text = response.text().await.unwrap();
    assert_eq!(actual, status, "body: {text}");
    assert!(
        !text.contains("$argon2") && !text.contains("password"),
        "a secret in {text}"
    );
    serde_json::from_str(&text).unwrap()
}

/// The status of a request with a bearer token.
pub(super) async fn status_of(app: &TestApp, method: Method, path: &str, token: &str) -> u16 {
    app.authed(method, path, token)
        .send()
        .await
        .unwrap()
        .status()
        .as_u16()
}

pub(super) async fn get(app: &TestApp, path: &str, token: &str) -> Response {
    app.authed(Method::GET, path, token).send().await.unwrap()
}

pub(super) async fn patch_user(app: &TestApp, token: &str, id: &str, body: &Value) -> Response {
    app.authed(Method::PATCH, &format!("{USERS}/{id}"), token)
        .json(body)
        .send()
        .await
        .unwrap()
}

/// `PATCH /admin/users/{id}`, which must answer 200; returns the user.
pub(super) async fn patched(app: &TestApp, token: &str, id: &str, body: &Value) -> Value {
    json_of(patch_user(app, token, id, body).await, 200).await
}

pub(super) async fn post_admin(app: &TestApp, token: &str, body: &Value) -> Response {
    app.authed(Method::POST, ADMINS, token)
        .json(body)
        .send()
        .await
        .unwrap()
}

/// `path?query`, the query's values percent-encoded.
pub(super) fn with_query(path: &str, query: &[(&str, &str)]) -> String {
    if query.is_empty() {
        return path.to_owned();
    }
    let pairs: Vec<String> = query
        .iter()
        .map(|(key, value)| format!("{key}={}", encode(value)))
        .collect();
    format!("{path}?{}", pairs.join("&"))
}

fn encode(value: &str) -> String {
    value
        .bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() || b"-._~".contains(&b) {
                char::from(b).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect()
}

/// A `GET` of a list with `query`, which must answer 200.
pub(super) async fn list(app: &TestApp, token: &str, path: &str, query: &[(&str, &str)]) -> Value {
    json_of(get(app, &with_query(path, query), token).await, 200).await
}

/// Every page of a list, `limit` items at a time, following `next_cursor`.
pub(super) async fn walk(
    app: &TestApp,
    token: &str,
    path: &str,
    query: &[(&str, &str)],
    limit: usize,
) -> Vec<Value> {
    let limit = limit.to_string();
    let mut pages: Vec<Value> = Vec::new();
    let mut cursor: Option<String> = None;
    loop {
        let mut full: Vec<(&str, &str)> = query.to_vec();
        full.push(("limit", &limit));
        if let Some(cursor) = cursor.as_deref() {
            full.push(("cursor", cursor));
        }
        let page = list(app, token, path, &full).await;
        cursor = page["next_cursor"].as_str().map(str::to_owned);
        pages.push(page);
        assert!(pages.len() < 1000, "the pages never end");
        if cursor.is_none() {
            return pages;
        }
    }
}

/// The `id`s of a page's items, in order.
pub(super) fn ids(page: &Value) -> Vec<String> {
    page["items"]
        .as_array()
        .unwrap_or_else(|| panic!("no items: {page}"))
        .iter()
        .map(|item| item["id"].as_str().unwrap().to_owned())
        .collect()
}

/// A user stored directly: no mail, no rate limit, active, a student.
pub(super) async fn insert_user(
    app: &TestApp,
    first_name: &str,
    last_name: &str,
    email: &str,
    phone: Option<&str>,
) -> User {
    app.ports
        .users
        .insert(NewUser {
            id: uuid::Uuid::now_v7(),
            first_name: PersonName::parse("first_name", first_name).unwrap(),
            last_name: PersonName::parse("last_name", last_name).unwrap(),
            email: Email::parse(email).unwrap(),
            phone: phone.map(|p| Phone::parse(p).unwrap()),
            password_hash: "not-a-real-hash".to_owned(),
            role: UserRole::Student,
            email_verified_at: None,
            now: app.clock.now(),
        })
        .await
        .unwrap()
}

/// `n` users stored directly, oldest first; returns their ids.
pub(super) async fn insert_users(app: &TestApp, n: usize) -> Vec<String> {
    let mut ids = Vec::with_capacity(n);
    for i in 0..n {
        let user = insert_user(app, "Aziz", "Test", &format!("user{i}@bilim.uz"), None).await;
        ids.push(user.id.to_string());
    }
    ids
}

/// `totals` of `GET /admin/users` with `query`, as `(active, inactive)`.
pub(super) fn totals(page: &Value) -> (u64, u64) {
    (
        page["totals"]["active"].as_u64().unwrap(),
        page["totals"]["inactive"].as_u64().unwrap(),
    )
}

/// The JSON payload of a JWT.
pub(super) fn jwt_claims(token: &str) -> Value {
    let payload = token.split('.').nth(1).unwrap();
    serde_json::from_slice(&base64url_decode(payload)).unwrap()
}

fn base64url_decode(input: &str) -> Vec<u8> {
    const ALPHABET: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    let (mut bits, mut held, mut out) = (0u32, 0u32, Vec::new());
    for byte in input.bytes().filter(|b| *b != b'=') {
        let value = ALPHABET.iter().position(|c| *c == byte).unwrap();
        bits = ((bits << 6) | u32::try_from(value).unwrap()) & 0xFF_FFFF;
        held += 6;
        if held >= 8 {
            held -= 8;
            out.push(u8::try_from((bits >> held) & 0xFF).unwrap());
        }
    }
    out
}
