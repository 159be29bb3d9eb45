//! `/api/v1/users/me`: the signed-in user's own profile, avatar, password and
//! deactivation. Helpers marked `pub(super)` are shared with `security.rs`.

use crate::helpers::{TEST_PASSWORD, TestApp, spawn_app, start_time};
use bilim_domain::ports::FileKey;
use chrono::{DateTime, Duration, Utc};
use reqwest::{Method, Response};
use serde_json::{Value, json};
use std::collections::BTreeSet;
use tokio::io::{AsyncReadExt, AsyncWriteExt};

pub(super) const ME: &str = "/api/v1/users/me";
pub(super) const AVATAR: &str = "/api/v1/users/me/avatar";
pub(super) const PASSWORD: &str = "/api/v1/users/me/password";
const MAX_AVATAR_BYTES: usize = 5 * 1024 * 1024;
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

// ---------------------------------------------------------------- helpers

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

/// Uploads `bytes` as the avatar, which must answer 200; returns the URL.
async fn avatar_set(app: &TestApp, token: &str, bytes: &[u8]) -> String {
    let response = put_avatar(app, token, bytes).await;
    let status = response.status();
    let text = response.text().await.unwrap();
    assert_eq!(status, 200, "{text}");
    let body: Value = serde_json::from_str(&text).unwrap();
    assert_eq!(
        body.as_object().unwrap().keys().collect::<Vec<_>>(),
        ["avatar_url"]
    );
    body["avatar_url"].as_str().unwrap().to_owned()
}

/// The path of a signed file link, from `/api/v1/files/` on.
pub(super) fn path_of(url: &str) -> &str {
    let start = url
        .find("/api/v1/files/")
        .unwrap_or_else(|| panic!("not a file link: {url}"));
    &url[start..]
}

/// The storage key a signed file link names (its first, base64url segment).
fn key_of(url: &str) -> String {
    let signed = &path_of(url)["/api/v1/files/".len()..];
    let encoded = signed.split('.').next().unwrap();
    String::from_utf8(base64url_decode(encoded)).unwrap()
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

/// `PNG_1X1` with a text chunk of metadata after its header.
fn png_with_text(keyword: &str, text: &str) -> Vec<u8> {
    let mut data = keyword.as_bytes().to_vec();
    data.push(0);
    data.extend_from_slice(text.as_bytes());
    let mut png = PNG_1X1[..PNG_AFTER_IHDR].to_vec();
    png.extend(png_chunk(b"tEXt", &data));
    png.extend_from_slice(&PNG_1X1[PNG_AFTER_IHDR..]);
    png
}

/// The PNG signature followed by zeros, `len` bytes in all: big, not an image.
fn padded_png(len: usize) -> Vec<u8> {
    let mut bytes = PNG_SIGNATURE.to_vec();
    bytes.resize(len, 0);
    bytes
}

fn time(value: &Value) -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(value.as_str().unwrap_or_else(|| panic!("{value}")))
        .unwrap()
        .with_timezone(&Utc)
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

async fn change_password(app: &TestApp, token: &str, current: &str, new: &str) -> Response {
    app.authed(Method::PUT, PASSWORD, token)
        .json(&json!({"current_password": current, "new_password": new}))
        .send()
        .await
        .unwrap()
}

// ---------------------------------------------------------------- GET

#[tokio::test]
async fn get_me_returns_the_profile_with_empty_courses_workbooks_and_certificates() {
    let app = spawn_app().await;
    let session = registered(&app, "Lola.Yusupova@Example.uz").await;

    let me = me_of(&app, &session.access).await;

    let id: uuid::Uuid = me["id"].as_str().unwrap().parse().unwrap();
    assert_eq!(id.get_version_num(), 7, "ids are UUID v7");
    assert_eq!(me["id"], session.id.as_str());
    assert_eq!(me["first_name"], "Oʻktam");
    assert_eq!(me["last_name"], "Karimov");
    assert_eq!(me["email"], "lola.yusupova@example.uz");
    assert_eq!(me["phone"], Value::Null);
    assert_eq!(me["avatar_url"], Value::Null);
    assert_eq!(me["role"], "student");
    assert_eq!(me["active"], true);
    assert_eq!(time(&me["created_at"]), start_time());
    assert_eq!(time(&me["updated_at"]), start_time());
    assert_eq!(time(&me["email_verified_at"]), start_time());
    assert_eq!(time(&me["last_login_at"]), start_time());
    assert_eq!(me["courses"], json!([]));
    assert_eq!(me["workbooks"], json!([]));
    assert_eq!(me["certificates"], json!([]));
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

#[tokio::test]
async fn get_me_exposes_no_password_hash_token_version_or_other_secret() {
    let app = spawn_app().await;
    let session = registered(&app, "secret.keeper@example.uz").await;

    let response = get_me(&app, &session.access).await;
    assert_eq!(response.status(), 200);
    let text = response.text().await.unwrap();
    let me: Value = serde_json::from_str(&text).unwrap();

    // An allow-list: a new field has to be added here on purpose.
    let top: BTreeSet<&str> = me.as_object().unwrap().keys().map(String::as_str).collect();
    let expected: BTreeSet<&str> = [
        "id",
        "first_name",
        "last_name",
        "email",
        "phone",
        "avatar_url",
        "role",
        "active",
        "email_verified_at",
        "last_login_at",
        "created_at",
        "updated_at",
        "courses",
        "workbooks",
        "certificates",
    ]
    .into();
    assert_eq!(top, expected);
    let mut keys = BTreeSet::new();
    all_keys(&me, &mut keys);
    for key in &keys {
        for secret in ["password", "hash", "token", "secret", "version", "salt"] {
            assert!(!key.contains(secret), "{key} in {text}");
        }
    }
    // The stored hash itself (Argon2id PHC string) appears nowhere.
    let stored = app
        .ports
        .users
        .find_by_id(session.uuid())
        .await
        .unwrap()
        .unwrap();
    assert!(!text.contains(&stored.password_hash));
    assert!(!text.contains("$argon2"), "{text}");
    assert!(!text.contains(TEST_PASSWORD), "{text}");
}

// ---------------------------------------------------------------- PATCH

#[tokio::test]
async fn patch_changes_names_and_normalises_the_phone() {
    let app = spawn_app().await;
    let session = registered(&app, "rename@example.uz").await;
    app.clock.advance(Duration::minutes(3));

    let response = patch_me(
        &app,
        &session.access,
        &json!({"first_name": "  Dilnoza  ", "last_name": "Rahimova", "phone": "90 123-45-67"}),
    )
    .await;
    assert_eq!(response.status(), 200);
    let user: Value = response.json().await.unwrap();
    assert_eq!(user["id"], session.id.as_str());
    assert_eq!(user["first_name"], "Dilnoza");
    assert_eq!(user["last_name"], "Rahimova");
    assert_eq!(user["phone"], "+998901234567");
    assert_eq!(user["email"], "rename@example.uz");
    assert_eq!(
        time(&user["updated_at"]),
        start_time() + Duration::minutes(3)
    );
    assert_eq!(time(&user["created_at"]), start_time());

    let me = me_of(&app, &session.access).await;
    assert_eq!(me["first_name"], "Dilnoza");
    assert_eq!(me["last_name"], "Rahimova");
    assert_eq!(me["phone"], "+998901234567");

    // Other spellings of Uzbek numbers end up the same.
    for spelling in ["+998 (91) 765 43 21", "998-91-765-43-21", "8 91 765 43 21"] {
        let response = patch_me(&app, &session.access, &json!({"phone": spelling})).await;
        assert_eq!(response.status(), 200, "{spelling}");
        let user: Value = response.json().await.unwrap();
        assert_eq!(user["phone"], "+998917654321", "{spelling}");
    }
}

#[tokio::test]
async fn absent_fields_stay_as_they_were() {
    let app = spawn_app().await;
    let session = registered(&app, "partial@example.uz").await;
    let set = patch_me(
        &app,
        &session.access,
        &json!({"first_name": "Akmal", "last_name": "Tursunov", "phone": "+998901112233"}),
    )
    .await;
    assert_eq!(set.status(), 200);

    let response = patch_me(&app, &session.access, &json!({"last_name": "Ergashev"})).await;
    assert_eq!(response.status(), 200);
    let me = me_of(&app, &session.access).await;
    assert_eq!(me["first_name"], "Akmal");
    assert_eq!(me["last_name"], "Ergashev");
    assert_eq!(me["phone"], "+998901112233");

    let empty = patch_me(&app, &session.access, &json!({})).await;
    assert_eq!(empty.status(), 200);
    let after = me_of(&app, &session.access).await;
    assert_eq!(after["first_name"], "Akmal");
    assert_eq!(after["last_name"], "Ergashev");
    assert_eq!(after["phone"], "+998901112233");
}

#[tokio::test]
async fn a_null_or_empty_phone_removes_it() {
    let app = spawn_app().await;
    let session = registered(&app, "phoneless@example.uz").await;
    for removal in [json!(null), json!(""), json!("   ")] {
        let set = patch_me(&app, &session.access, &json!({"phone": "901234567"})).await;
        assert_eq!(set.status(), 200);
        assert_eq!(me_of(&app, &session.access).await["phone"], "+998901234567");

        let response = patch_me(&app, &session.access, &json!({"phone": removal})).await;
        assert_eq!(response.status(), 200, "{removal}");
        let user: Value = response.json().await.unwrap();
        assert_eq!(user["phone"], Value::Null, "{removal}");
        let me = me_of(&app, &session.access).await;
        assert_eq!(me["phone"], Value::Null, "{removal}");
        assert_eq!(me["first_name"], "Oʻktam", "{removal}");
    }
}

#[tokio::test]
async fn a_bad_phone_or_empty_name_is_a_validation_error_naming_the_field() {
    let app = spawn_app().await;
    let session = registered(&app, "invalid@example.uz").await;
    let before = me_of(&app, &session.access).await;

    let cases = [
        (json!({"phone": "+7 901 234 56 78"}), "phone"),
        (json!({"phone": "12345"}), "phone"),
        (json!({"phone": "90-123-45-6x"}), "phone"),
        (json!({"first_name": ""}), "first_name"),
        (json!({"first_name": "   "}), "first_name"),
        (json!({"last_name": ""}), "last_name"),
        (json!({"last_name": "<script>"}), "last_name"),
        (json!({"first_name": "a".repeat(101)}), "first_name"),
    ];
    for (body, field) in cases {
        let response = patch_me(&app, &session.access, &body).await;
        let problem = assert_problem(response, 400, "validation").await;
        assert_eq!(
            error_fields(&problem),
            BTreeSet::from([field.to_owned()]),
            "{body}: {problem}"
        );
        for error in problem["errors"].as_array().unwrap() {
            assert!(error["code"].is_string() && error["message"].is_string());
        }
    }

    // Every invalid field is named at once, and a valid one beside them is not applied.
    let response = patch_me(
        &app,
        &session.access,
        &json!({"first_name": "", "last_name": "Valid", "phone": "123"}),
    )
    .await;
    let problem = assert_problem(response, 400, "validation").await;
    assert_eq!(
        error_fields(&problem),
        BTreeSet::from(["first_name".to_owned(), "phone".to_owned()])
    );

    assert_eq!(me_of(&app, &session.access).await, before);
}

#[tokio::test]
async fn any_email_in_the_body_is_refused_as_immutable() {
    let app = spawn_app().await;
    let session = registered(&app, "fixed@example.uz").await;
    let before = me_of(&app, &session.access).await;

    for body in [
        json!({"email": "other@example.uz"}),
        json!({"email": "fixed@example.uz"}),
        json!({"email": "FIXED@example.uz"}),
        json!({"email": null}),
        json!({"email": ""}),
        json!({"email": 42}),
        json!({"email": "other@example.uz", "first_name": "Sneaky"}),
    ] {
        let response = patch_me(&app, &session.access, &body).await;
        assert_problem(response, 400, "user.email_immutable").await;
    }
    assert_eq!(me_of(&app, &session.access).await, before);
    assert_eq!(before["email"], "fixed@example.uz");
    assert_eq!(before["first_name"], "Oʻktam");
}

#[tokio::test]
async fn role_active_token_version_and_password_hash_cannot_be_set() {
    let app = spawn_app().await;
    let session = registered(&app, "mass.assign@example.uz").await;
    let before = me_of(&app, &session.access).await;
    let stored_before = app
        .ports
        .users
        .find_by_id(session.uuid())
        .await
        .unwrap()
        .unwrap();

    for body in [
        json!({"role": "teacher"}),
        json!({"role": "admin", "first_name": "Boss"}),
        json!({"active": false}),
        json!({"active": true, "last_name": "Sneaky"}),
        json!({"token_version": 0}),
        json!({"token_version": 999, "phone": "901234567"}),
        json!({"password_hash": "$argon2id$v=19$m=19456,t=2,p=1$AAAA$BBBB"}),
        json!({"id": uuid::Uuid::now_v7().to_string()}),
        json!({"avatar_url": "https://evil.example/x.jpg"}),
        json!({"email_verified_at": null}),
    ] {
        let response = patch_me(&app, &session.access, &body).await;
        assert_problem(response, 400, "validation").await;
    }

    assert_eq!(me_of(&app, &session.access).await, before);
    let stored = app
        .ports
        .users
        .find_by_id(session.uuid())
        .await
        .unwrap()
        .unwrap();
    assert_eq!(stored.role, stored_before.role);
    assert!(stored.active);
    assert_eq!(stored.token_version, stored_before.token_version);
    assert_eq!(stored.password_hash, stored_before.password_hash);
    assert_eq!(stored.first_name, "Oʻktam");
    assert_eq!(stored.phone, None);
    // The password still logs in: the hash was not replaced.
    app.login("mass.assign@example.uz", TEST_PASSWORD).await;
}

// ---------------------------------------------------------------- avatar

#[tokio::test]
async fn a_png_avatar_is_stored_as_a_jpeg_behind_a_signed_link() {
    let app = spawn_app().await;
    let session = registered(&app, "avatar@example.uz").await;

    let url = avatar_set(&app, &session.access, PNG_1X1).await;
    assert!(url.starts_with("http"), "links are absolute: {url}");
    let key = key_of(&url);
    assert!(key.starts_with("avatars/"), "{key}");

    let download = app.get(path_of(&url)).await;
    assert_eq!(download.status(), 200);
    assert_eq!(download.headers()["content-type"], "image/jpeg");
    let jpeg = download.bytes().await.unwrap();
    assert!(
        jpeg.starts_with(&[0xFF, 0xD8, 0xFF]),
        "not a JPEG: {:02X?}",
        &jpeg[..jpeg.len().min(8)]
    );
    assert!(jpeg.ends_with(&[0xFF, 0xD9]), "a JPEG ends with EOI");

    let me = me_of(&app, &session.access).await;
    let shown = me["avatar_url"].as_str().expect("avatar_url is set");
    assert_eq!(key_of(shown), key);
    let again = app.get(path_of(shown)).await;
    assert_eq!(again.status(), 200);
    assert_eq!(again.bytes().await.unwrap(), jpeg);

    let stored = app
        .ports
        .users
        .find_by_id(session.uuid())
        .await
        .unwrap()
        .unwrap();
    assert_eq!(stored.avatar_key.as_deref(), Some(key.as_str()));
}

#[tokio::test]
async fn the_avatar_is_re_encoded_without_the_uploaded_metadata() {
    let app = spawn_app().await;
    let session = registered(&app, "exif@example.uz").await;
    let marker = "gps=41.29950,69.24007 device=SecretPhone";
    let png = png_with_text("Comment", marker);

    let url = avatar_set(&app, &session.access, &png).await;
    let jpeg = app.get(path_of(&url)).await.bytes().await.unwrap();
    assert!(jpeg.starts_with(&[0xFF, 0xD8, 0xFF]));
    assert!(
        !jpeg.windows(marker.len()).any(|w| w == marker.as_bytes()),
        "the metadata survived re-encoding"
    );
    assert!(!jpeg.windows(10).any(|w| w == b"SecretPhon"));
}

#[tokio::test]
async fn a_new_avatar_replaces_the_old_one_and_the_old_link_dies() {
    let app = spawn_app().await;
    let session = registered(&app, "replace@example.uz").await;

    let first = avatar_set(&app, &session.access, PNG_1X1).await;
    assert_eq!(app.get(path_of(&first)).await.status(), 200);
    let second = avatar_set(&app, &session.access, &png_with_text("Title", "two")).await;
    assert_ne!(key_of(&first), key_of(&second));

    // The old link is still signed and unexpired, yet its file is gone.
    assert_problem(app.get(path_of(&first)).await, 404, "file.not_found").await;
    let old_key = FileKey::parse(&key_of(&first)).unwrap();
    assert!(app.ports.files.size(&old_key).await.is_err());

    let download = app.get(path_of(&second)).await;
    assert_eq!(download.status(), 200);
    assert_eq!(download.headers()["content-type"], "image/jpeg");
    let me = me_of(&app, &session.access).await;
    assert_eq!(key_of(me["avatar_url"].as_str().unwrap()), key_of(&second));
}

#[tokio::test]
async fn gif_and_pdf_bytes_are_refused_even_when_labelled_png() {
    let app = spawn_app().await;
    let session = registered(&app, "types@example.uz").await;
    let gif: &[u8] = b"GIF89a\x01\x00\x01\x00\x80\x00\x00\xff\xff\xff\x00\x00\x00!\xf9\x04\x01\x00\x00\x00\x00,\x00\x00\x00\x00\x01\x00\x01\x00\x00\x02\x02D\x01\x00;";
    let pdf: &[u8] =
        b"%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n";
    let svg: &[u8] = br#"<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>"#;
    for (bytes, filename, content_type) in [
        (gif, "cat.png", "image/png"),
        (gif, "cat.gif", "image/gif"),
        (pdf, "scan.png", "image/png"),
        (pdf, "scan.pdf", "application/pdf"),
        (svg, "logo.png", "image/png"),
    ] {
        let response = put_avatar_as(&app, &session.access, filename, content_type, bytes).await;
        assert_problem(response, 415, "file.type_not_allowed").await;
    }
    assert_eq!(
        me_of(&app, &session.access).await["avatar_url"],
        Value::Null
    );
}

#[tokio::test]
async fn an_avatar_over_5_mib_is_413_too_large() {
    let app = spawn_app().await;
    let session = registered(&app, "big@example.uz").await;
    let response = put_avatar(&app, &session.access, &padded_png(MAX_AVATAR_BYTES + 1)).await;
    assert_problem(response, 413, "file.too_large").await;
    assert_eq!(
        me_of(&app, &session.access).await["avatar_url"],
        Value::Null
    );
}

#[tokio::test]
async fn an_avatar_of_exactly_5_mib_is_not_refused_for_its_size() {
    let app = spawn_app().await;
    let session = registered(&app, "edge@example.uz").await;
    // At the limit the size is fine; these bytes just are not a picture.
    let response = put_avatar(&app, &session.access, &padded_png(MAX_AVATAR_BYTES)).await;
    assert_problem(response, 400, "file.invalid_image").await;
}

/// Sends request headers and the first `body` bytes over a raw connection,
/// then reads whatever the server answers (status, body).
async fn raw_exchange(app: &TestApp, head: &str, body: &[u8]) -> (u16, Value) {
    let address = app.address.trim_start_matches("http://");
    let mut stream = tokio::net::TcpStream::connect(address).await.unwrap();
    stream.write_all(head.as_bytes()).await.unwrap();
    stream.write_all(body).await.unwrap();
    let mut received = Vec::new();
    let read = async {
        let mut buffer = [0u8; 8192];
        loop {
            let n = stream.read(&mut buffer).await.unwrap_or(0);
            if n == 0 {
                break;
            }
            received.extend_from_slice(&buffer[..n]);
            if let Some(end) = received.windows(4).position(|w| w == b"\r\n\r\n") {
                let headers = String::from_utf8_lossy(&received[..end]).to_lowercase();
                let length = headers
                    .lines()
                    .find_map(|l| l.strip_prefix("content-length:"))
                    .and_then(|v| v.trim().parse::<usize>().ok());
                if length.is_some_and(|length| received.len() >= end + 4 + length) {
                    break;
                }
            }
        }
    };
    tokio::time::timeout(std::time::Duration::from_secs(10), read)
        .await
        .expect("the server answered without waiting for the announced body");
    let text = String::from_utf8_lossy(&received).into_owned();
    let status: u16 = text
        .split(' ')
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or_else(|| panic!("no status line in {text:?}"));
    let end = text.find("\r\n\r\n").unwrap();
    assert!(
        text[..end]
            .to_lowercase()
            .contains("content-type: application/problem+json"),
        "{text}"
    );
    (status, serde_json::from_str(&text[end + 4..]).unwrap())
}

#[tokio::test]
async fn an_announced_6_mib_upload_is_refused_before_the_body_is_sent() {
    let app = spawn_app().await;
    let session = registered(&app, "announced@example.uz").await;
    let (content_type, body) = form("image", "huge.png", "image/png", PNG_SIGNATURE);
    // Only the start of the form is sent: the announced length alone must do.
    let head = format!(
        "PUT {AVATAR} HTTP/1.1\r\nHost: {}\r\nAuthorization: Bearer {}\r\n\
         Content-Type: {content_type}\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
        app.address.trim_start_matches("http://"),
        session.access,
        6 * 1024 * 1024,
    );
    let (status, problem) = raw_exchange(&app, &head, &body[..body.len() - 10]).await;
    assert_eq!(status, 413, "{problem}");
    assert_eq!(problem["code"], "file.too_large");
    assert_eq!(
        me_of(&app, &session.access).await["avatar_url"],
        Value::Null
    );
}

#[tokio::test]
async fn an_avatar_form_without_an_image_field_is_400() {
    let app = spawn_app().await;
    let session = registered(&app, "nofield@example.uz").await;

    let (content_type, body) = form("picture", "a.png", "image/png", PNG_1X1);
    let response = app
        .authed(Method::PUT, AVATAR, &session.access)
        .header("content-type", content_type)
        .body(body)
        .send()
        .await
        .unwrap();
    assert_problem(response, 400, "validation").await;

    let empty = app
        .authed(Method::PUT, AVATAR, &session.access)
        .header(
            "content-type",
            format!("multipart/form-data; boundary={BOUNDARY}"),
        )
        .body(format!("--{BOUNDARY}--\r\n"))
        .send()
        .await
        .unwrap();
    assert_problem(empty, 400, "validation").await;
    assert_eq!(
        me_of(&app, &session.access).await["avatar_url"],
        Value::Null
    );
}

#[tokio::test]
async fn a_non_multipart_avatar_body_is_415_problem_json() {
    let app = spawn_app().await;
    let session = registered(&app, "notaform@example.uz").await;

    let raw_png = app
        .authed(Method::PUT, AVATAR, &session.access)
        .header("content-type", "image/png")
        .body(PNG_1X1.to_vec())
        .send()
        .await
        .unwrap();
    assert_problem(raw_png, 415, "request.unsupported_media_type").await;

    let json_body = app
        .authed(Method::PUT, AVATAR, &session.access)
        .json(&json!({"image": "iVBORw0KGgo="}))
        .send()
        .await
        .unwrap();
    assert_problem(json_body, 415, "request.unsupported_media_type").await;

    let no_type = app
        .authed(Method::PUT, AVATAR, &session.access)
        .body(PNG_1X1.to_vec())
        .send()
        .await
        .unwrap();
    assert_problem(no_type, 415, "request.unsupported_media_type").await;
    assert_eq!(
        me_of(&app, &session.access).await["avatar_url"],
        Value::Null
    );
}

#[tokio::test]
async fn a_corrupt_png_is_400_invalid_image() {
    let app = spawn_app().await;
    let session = registered(&app, "corrupt@example.uz").await;

    let truncated = &PNG_1X1[..40];
    let mut garbled = PNG_1X1.to_vec();
    // Break the compressed pixel data (and so its CRC) inside IDAT.
    for byte in &mut garbled[41..54] {
        *byte ^= 0x5A;
    }
    for bytes in [truncated, &garbled, PNG_SIGNATURE] {
        let response = put_avatar(&app, &session.access, bytes).await;
        let problem = assert_problem(response, 400, "file.invalid_image").await;
        assert_eq!(error_fields(&problem), BTreeSet::from(["image".to_owned()]));
    }
    assert_eq!(
        me_of(&app, &session.access).await["avatar_url"],
        Value::Null
    );
}

// ---------------------------------------------------------------- password

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

// ---------------------------------------------------------------- delete

#[tokio::test]
async fn deleting_the_account_deactivates_it_and_ends_every_token() {
    let app = spawn_app().await;
    let email = "leaving@example.uz";
    let here = registered(&app, email).await;
    let elsewhere = logged_in(&app, email, TEST_PASSWORD).await;
    let patched = patch_me(&app, &here.access, &json!({"phone": "901234567"})).await;
    assert_eq!(patched.status(), 200);
    app.clock.advance(Duration::minutes(1));

    let response = app
        .authed(Method::DELETE, ME, &here.access)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 204);
    assert!(response.bytes().await.unwrap().is_empty());

    for token in [&here.access, &elsewhere.access] {
        assert_problem(get_me(&app, token).await, 401, "auth.token_invalid").await;
    }
    for token in [&here.refresh, &elsewhere.refresh] {
        let response = refresh(&app, token).await;
        assert_eq!(response.status(), 401);
        assert_eq!(
            response.headers()["content-type"],
            "application/problem+json"
        );
    }
    login_is_refused(&app, email, TEST_PASSWORD).await;

    // A second DELETE with the dead token is 401, not a second 204.
    let again = app
        .authed(Method::DELETE, ME, &here.access)
        .send()
        .await
        .unwrap();
    assert_problem(again, 401, "auth.token_invalid").await;

    // The row and its data stay, deactivated.
    let stored = app
        .ports
        .users
        .find_by_id(here.uuid())
        .await
        .unwrap()
        .expect("the user row stays");
    assert!(!stored.active);
    assert_eq!(stored.email, email);
    assert_eq!(stored.first_name, "Oʻktam");
    assert_eq!(stored.phone.as_deref(), Some("+998901234567"));
    assert_eq!(stored.updated_at, start_time() + Duration::minutes(1));
}
