//! `/api/v1/users/me`: the signed-in user's own profile, avatar, password and
//! deactivation, one file per route. The helpers here serve all of them;
//! those marked `pub(super)` are shared with `security`.

mod avatar;
mod deletion;
mod password;
mod profile;

use crate::helpers::TestApp;
use reqwest::{Method, Response};
use serde_json::{Value, json};
use std::collections::BTreeSet;

pub(super) const ME: &str = "/api/v1/users/me";
pub(super) const AVATAR: &str = "/api/v1/users/me/avatar";
pub(super) const PASSWORD: &str = "/api/v1/users/me/password";

const BOUNDARY: &str = "bilim-test-boundary-7d3f9a0c";

/// A valid 1×1 RGBA PNG (signature, IHDR, one IDAT, IEND; CRCs checked).
pub(super) const PNG_1X1: &[u8] = &[
    0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0x00, 0x00, 0x00, 0x0D, 0x49, 0x48, 0x44, 0x52,
    0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x01, 0x08, 0x06, 0x00, 0x00, 0x00, 0x1F, 0x15, 0xC4,
    0x89, 0x00, 0x00, 0x00, 0x0D, 0x49, 0x44, 0x41, 0x54, 0x78, 0xDA, 0x63, 0x64, 0x60, 0xF8, 0x5F,
    0x0F, 0x00, 0x02, 0x87, 0x01, 0x80, 0xEB, 0x47, 0xBA, 0x92, 0x00, 0x00, 0x00, 0x00, 0x49, 0x45,
    0x4E, 0x44, 0xAE, 0x42, 0x60, 0x82,
];
/// The 8-byte PNG signature alone.
pub(super) const PNG_SIGNATURE: &[u8] = &[0x89, b'P', b'N', b'G', 0x0D, 0x0A, 0x1A, 0x0A];
/// Where `PNG_1X1`'s IHDR chunk ends (8 signature + 4 length + 4 type + 13 + 4 CRC).
pub(super) const PNG_AFTER_IHDR: usize = 33;

/// Asserts an RFC 9457 problem+json error with `status` and `code`; returns
/// the body.
pub(super) async fn assert_problem(response: Response, status: u16, code: &str) -> Value {
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
    // The field name may be echoed back from a refused request; a hash never.
    assert!(!text.contains("$argon2"), "{text}");
    body
}

/// The fields named in a validation problem's `errors`.
pub(super) fn error_fields(problem: &Value) -> BTreeSet<String> {
    problem["errors"]
        .as_array()
        .unwrap_or_else(|| panic!("no errors[]: {problem}"))
        .iter()
        .map(|e| e["field"].as_str().unwrap().to_owned())
        .collect()
}

/// One signed-in session of a user.
pub(super) struct Session {
    pub id: String,
    pub email: String,
    pub access: String,
    pub refresh: String,
}

impl Session {
    pub(super) fn of(body: &Value) -> Self {
        Self {
            id: body["user"]["id"].as_str().unwrap().to_owned(),
            email: body["user"]["email"].as_str().unwrap().to_owned(),
            access: body["access_token"].as_str().unwrap().to_owned(),
            refresh: body["refresh_token"].as_str().unwrap().to_owned(),
        }
    }

    pub(super) fn uuid(&self) -> uuid::Uuid {
        self.id.parse().unwrap()
    }
}

pub(super) async fn registered(app: &TestApp, email: &str) -> Session {
    Session::of(&app.register(email).await)
}

pub(super) async fn logged_in(app: &TestApp, email: &str, password: &str) -> Session {
    Session::of(&app.login(email, password).await)
}

pub(super) async fn get_me(app: &TestApp, token: &str) -> Response {
    app.authed(Method::GET, ME, token).send().await.unwrap()
}

/// `GET /users/me`, which must answer 200.
pub(super) async fn me_of(app: &TestApp, token: &str) -> Value {
    let response = get_me(app, token).await;
    let status = response.status();
    let text = response.text().await.unwrap();
    assert_eq!(status, 200, "{text}");
    serde_json::from_str(&text).unwrap()
}

pub(super) async fn patch_me(app: &TestApp, token: &str, body: &Value) -> Response {
    app.authed(Method::PATCH, ME, token)
        .json(body)
        .send()
        .await
        .unwrap()
}

/// A multipart/form-data body with one file field; returns the content type
/// and the body.
pub(super) fn form(
    field: &str,
    filename: &str,
    content_type: &str,
    bytes: &[u8],
) -> (String, Vec<u8>) {
    let mut body = format!(
        "--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"{field}\"; \
         filename=\"{filename}\"\r\nContent-Type: {content_type}\r\n\r\n"
    )
    .into_bytes();
    body.extend_from_slice(bytes);
    body.extend_from_slice(format!("\r\n--{BOUNDARY}--\r\n").as_bytes());
    (format!("multipart/form-data; boundary={BOUNDARY}"), body)
}

/// `PUT /users/me/avatar` with `bytes` in the `image` field, labelled as a PNG.
pub(super) async fn put_avatar(app: &TestApp, token: &str, bytes: &[u8]) -> Response {
    put_avatar_as(app, token, "avatar.png", "image/png", bytes).await
}

async fn put_avatar_as(
    app: &TestApp,
    token: &str,
    filename: &str,
    content_type: &str,
    bytes: &[u8],
) -> Response {
    let (form_type, body) = form("image", filename, content_type, bytes);
    app.authed(Method::PUT, AVATAR, token)
        .header("content-type", form_type)
        .body(body)
        .send()
        .await
        .unwrap()
}

/// The path of a signed file link, from `/api/v1/files/` on.
pub(super) fn path_of(url: &str) -> &str {
    let start = url
        .find("/api/v1/files/")
        .unwrap_or_else(|| panic!("not a file link: {url}"));
    &url[start..]
}

/// Base64url without padding (RFC 4648 §5), as JWTs and file links use.
pub(super) fn base64url_encode(bytes: &[u8]) -> String {
    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    let mut out = String::new();
    for group in bytes.chunks(3) {
        let n = group
            .iter()
            .enumerate()
            .fold(0u32, |n, (i, b)| n | u32::from(*b) << (16 - 8 * i));
        for i in 0..=group.len() {
            out.push(char::from(ALPHABET[(n >> (18 - 6 * i) & 63) as usize]));
        }
    }
    out
}

pub(super) fn base64url_decode(text: &str) -> Vec<u8> {
    let value = |c: u8| -> u32 {
        match c {
            b'A'..=b'Z' => u32::from(c - b'A'),
            b'a'..=b'z' => u32::from(c - b'a') + 26,
            b'0'..=b'9' => u32::from(c - b'0') + 52,
            b'-' => 62,
            b'_' => 63,
            _ => panic!("not base64url: {text}"),
        }
    };
    let mut out = Vec::new();
    for group in text.as_bytes().chunks(4) {
        let n = group
            .iter()
            .enumerate()
            .fold(0u32, |n, (i, c)| n | value(*c) << (18 - 6 * i));
        for i in 0..group.len() - 1 {
            out.push((n >> (16 - 8 * i)) as u8);
        }
    }
    out
}

/// CRC-32 (IEEE), as PNG chunks carry.
fn crc32(bytes: &[u8]) -> u32 {
    let mut crc = 0xFFFF_FFFFu32;
    for byte in bytes {
        crc ^= u32::from(*byte);
        for _ in 0..8 {
            let mask = (crc & 1).wrapping_neg();
            crc = (crc >> 1) ^ (0xEDB8_8320 & mask);
        }
    }
    !crc
}

/// One PNG chunk: length, type, data, CRC.
pub(super) fn png_chunk(kind: &[u8; 4], data: &[u8]) -> Vec<u8> {
    let mut chunk = u32::try_from(data.len()).unwrap().to_be_bytes().to_vec();
    chunk.extend_from_slice(kind);
    chunk.extend_from_slice(data);
    let mut covered = kind.to_vec();
    covered.extend_from_slice(data);
    chunk.extend_from_slice(&crc32(&covered).to_be_bytes());
    chunk
}

/// Step one of login, which must fail with 401 `auth.invalid_credentials`.
async fn login_is_refused(app: &TestApp, email: &str, password: &str) {
    let response = app
        .post_json(
            "/api/v1/auth/login",
            &json!({"email": email, "password": password}),
        )
        .await;
    assert_problem(response, 401, "auth.invalid_credentials").await;
}

pub(super) async fn refresh(app: &TestApp, refresh_token: &str) -> Response {
    app.post_json(
        "/api/v1/auth/refresh",
        &json!({"refresh_token": refresh_token}),
    )
    .await
}

/// Every key of a JSON value, at any depth.
pub(super) fn all_keys(value: &Value, keys: &mut BTreeSet<String>) {
    match value {
        Value::Object(map) => {
            for (key, inner) in map {
                keys.insert(key.clone());
                all_keys(inner, keys);
            }
        }
        Value::Array(items) => items.iter().for_each(|v| all_keys(v, keys)),
        _ => {}
    }
}
