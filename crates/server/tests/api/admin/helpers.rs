//! Admin helpers: the admin routes' paths and requests, the first super admin,
//! and users stored directly. Sessions and checked answers live in
//! `crate::support`.

use crate::helpers::TestApp;
pub(super) use crate::support::{
    ADMIN_LOGIN as LOGIN, ADMIN_LOGIN_VERIFY as LOGIN_VERIFY, AUDIT, AdminSession, ME, admin_login,
    create_admin, get, ids, login_step_one, problem, secret_free_json as json_of, status_of,
    with_query,
};
use crate::support::{patch, post, store_user};
use bilim_domain::admins::AdminRole;
use bilim_domain::users::{User, UserRole};
use reqwest::Response;
use serde_json::Value;

pub(super) const REFRESH: &str = "/api/v1/admin/auth/refresh";
pub(super) const LOGOUT: &str = "/api/v1/admin/auth/logout";
pub(super) const USERS: &str = "/api/v1/admin/users";
pub(super) const ADMINS: &str = "/api/v1/admin/admins";

/// The first super admin of every test.
pub(super) const ROOT: &str = "root";
pub(super) const ROOT_EMAIL: &str = "root@bilim.uz";

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

pub(super) async fn patch_user(app: &TestApp, token: &str, id: &str, body: &Value) -> Response {
    patch(app, &format!("{USERS}/{id}"), token, body).await
}

/// `PATCH /admin/users/{id}`, which must answer 200; returns the user.
pub(super) async fn patched(app: &TestApp, token: &str, id: &str, body: &Value) -> Value {
    json_of(patch_user(app, token, id, body).await, 200).await
}

pub(super) async fn post_admin(app: &TestApp, token: &str, body: &Value) -> Response {
    post(app, ADMINS, token, body).await
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

/// A user stored directly: no mail, no rate limit, active, a student.
pub(super) async fn insert_user(
    app: &TestApp,
    first_name: &str,
    last_name: &str,
    email: &str,
    phone: Option<&str>,
) -> User {
    store_user(
        app,
        (first_name, last_name),
        email,
        phone,
        UserRole::Student,
    )
    .await
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
