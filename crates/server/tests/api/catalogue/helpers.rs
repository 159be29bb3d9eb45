//! Catalogue helpers: an admin session, the catalogue built through the admin
//! routes, hand-made multipart forms, file fixtures sniffed by content, what
//! the local storage holds, and a SHA-256 to check what the server computed.

use crate::helpers::{TEST_PASSWORD, TestApp};
use bilim_domain::admins::AdminRole;
use bilim_domain::ports::Clock;
use bilim_domain::users::{NewUser, UserRole};
use bilim_domain::values::{Email, PersonName};
use bilim_service::admin::AdminInput;
use reqwest::{Method, Response};
use serde_json::{Value, json};
use std::collections::BTreeSet;
use std::path::Path;

pub(super) const API: &str = "/api/v1";
pub(super) const DIRECTIONS: &str = "/api/v1/directions";
pub(super) const COURSES: &str = "/api/v1/courses";
pub(super) const LESSONS: &str = "/api/v1/lessons";
pub(super) const ADMIN_DIRECTIONS: &str = "/api/v1/admin/directions";
pub(super) const ADMIN_COURSES: &str = "/api/v1/admin/courses";
pub(super) const ADMIN_MODULES: &str = "/api/v1/admin/modules";
pub(super) const ADMIN_LESSONS: &str = "/api/v1/admin/lessons";
pub(super) const ADMIN_WORKBOOKS: &str = "/api/v1/admin/workbooks";
pub(super) const AUDIT: &str = "/api/v1/admin/audit";
pub(super) const ME: &str = "/api/v1/users/me";

const ADMIN_LOGIN: &str = "/api/v1/admin/auth/login";
const ADMIN_LOGIN_VERIFY: &str = "/api/v1/admin/auth/login/verify";
const BOUNDARY: &str = "bilim-catalogue-boundary-5e21c7";

// ---------------------------------------------------------------- sessions

/// A super admin created as `bilim create-admin` does, then logged in through
/// both steps; returns the admin access token.
pub(super) async fn admin_token(app: &TestApp) -> String {
    let email = "katalog@bilim.uz";
    app.services
        .admins
        .create_first(AdminInput {
            username: "katalog".to_owned(),
            email: email.to_owned(),
            password: TEST_PASSWORD.to_owned(),
            role: AdminRole::Super,
            tg_id: None,
        })
        .await
        .unwrap();
    let challenge = json_of(
        app.post_json(
            ADMIN_LOGIN,
            &json!({"login": "katalog", "password": TEST_PASSWORD}),
        )
        .await,
        200,
    )
    .await;
    let code = app.last_code_for(email).await;
    let verified = json_of(
        app.post_json(
            ADMIN_LOGIN_VERIFY,
            &json!({"challenge_id": challenge["challenge_id"], "code": code}),
        )
        .await,
        200,
    )
    .await;
    verified["access_token"].as_str().unwrap().to_owned()
}

/// A user registered through both steps; returns the user access token.
pub(super) async fn user_token(app: &TestApp, email: &str) -> String {
    let body = app.register(email).await;
    body["access_token"].as_str().unwrap().to_owned()
}

/// A user stored directly with `role`; returns the id.
pub(super) async fn insert_user(app: &TestApp, email: &str, role: UserRole) -> String {
    let user = app
        .ports
        .users
        .insert(NewUser {
            id: uuid::Uuid::now_v7(),
            first_name: PersonName::parse("first_name", "Gʻayrat").unwrap(),
            last_name: PersonName::parse("last_name", "Oʻrinov").unwrap(),
            email: Email::parse(email).unwrap(),
            phone: None,
            password_hash: "not-a-real-hash".to_owned(),
            role,
            email_verified_at: None,
            now: app.clock.now(),
        })
        .await
        .unwrap();
    user.id.to_string()
}

// ---------------------------------------------------------------- answers

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

/// The `(field, code)` pairs of a validation problem's `errors`.
pub(super) fn field_errors(problem: &Value) -> BTreeSet<(String, String)> {
    problem["errors"]
        .as_array()
        .unwrap_or_else(|| panic!("no errors[]: {problem}"))
        .iter()
        .map(|e| {
            (
                e["field"].as_str().unwrap().to_owned(),
                e["code"].as_str().unwrap().to_owned(),
            )
        })
        .collect()
}

/// Asserts the status of a JSON answer; returns the body.
pub(super) async fn json_of(response: Response, status: u16) -> Value {
    let actual = response.status().as_u16();
    let text = response.text().await.unwrap();
    assert_eq!(actual, status, "body: {text}");
    serde_json::from_str(&text).unwrap()
}

/// The status and the raw body of an answer.
pub(super) async fn status_and_text(response: Response) -> (u16, String) {
    let status = response.status().as_u16();
    (status, response.text().await.unwrap())
}

// ---------------------------------------------------------------- requests

/// A request with a bearer token and, when given, a JSON body.
pub(super) async fn send(
    app: &TestApp,
    method: Method,
    path: &str,
    token: &str,
    body: Option<&Value>,
) -> Response {
    let request = app.authed(method, path, token);
    let request = match body {
        Some(body) => request.json(body),
        None => request,
    };
    request.send().await.unwrap()
}

pub(super) async fn get(app: &TestApp, path: &str, token: &str) -> Response {
    send(app, Method::GET, path, token, None).await
}

pub(super) async fn post(app: &TestApp, path: &str, token: &str, body: &Value) -> Response {
    send(app, Method::POST, path, token, Some(body)).await
}

pub(super) async fn patch(app: &TestApp, path: &str, token: &str, body: &Value) -> Response {
    send(app, Method::PATCH, path, token, Some(body)).await
}

pub(super) async fn put(app: &TestApp, path: &str, token: &str, body: &Value) -> Response {
    send(app, Method::PUT, path, token, Some(body)).await
}

pub(super) async fn delete(app: &TestApp, path: &str, token: &str) -> Response {
    send(app, Method::DELETE, path, token, None).await
}

/// A public `GET` (no token) that must answer 200.
pub(super) async fn public(app: &TestApp, path: &str) -> Value {
    json_of(app.get(path).await, 200).await
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

/// The `id`s of a list's items, in order.
pub(super) fn ids(list: &Value) -> Vec<String> {
    list.as_array()
        .or_else(|| list["items"].as_array())
        .unwrap_or_else(|| panic!("no items: {list}"))
        .iter()
        .map(|item| item["id"].as_str().unwrap().to_owned())
        .collect()
}

/// Every page of a public course list, `limit` at a time, following
/// `next_cursor`; returns the pages.
pub(super) async fn walk(app: &TestApp, query: &[(&str, &str)], limit: usize) -> Vec<Value> {
    let limit = limit.to_string();
    let mut pages = Vec::new();
    let mut cursor: Option<String> = None;
    loop {
        let mut full = query.to_vec();
        full.push(("limit", &limit));
        if let Some(cursor) = cursor.as_deref() {
            full.push(("cursor", cursor));
        }
        let page = public(app, &with_query(COURSES, &full)).await;
        cursor = page["next_cursor"].as_str().map(str::to_owned);
        pages.push(page);
        assert!(pages.len() < 200, "the pages never end");
        if cursor.is_none() {
            return pages;
        }
    }
}

// ---------------------------------------------------------------- the catalogue

/// `POST /admin/directions` with `name`, which must answer 201; returns the id.
pub(super) async fn direction(app: &TestApp, token: &str, name: &str) -> String {
    let body = json_of(
        post(app, ADMIN_DIRECTIONS, token, &json!({"name": name})).await,
        201,
    )
    .await;
    body["id"].as_str().unwrap().to_owned()
}

/// `POST /admin/courses` with a beginner course of `title` in `direction`, the
/// fields of `extra` added; must answer 201; returns the course.
pub(super) async fn course(
    app: &TestApp,
    token: &str,
    direction: &str,
    title: &str,
    extra: Value,
) -> Value {
    let mut body = json!({
        "direction_id": direction,
        "title": title,
        "description": format!("{title} haqida"),
        "level": "beginner",
    });
    for (key, value) in extra.as_object().unwrap() {
        body[key] = value.clone();
    }
    json_of(post(app, ADMIN_COURSES, token, &body).await, 201).await
}

/// A published course; returns its id.
pub(super) async fn published(app: &TestApp, token: &str, direction: &str, title: &str) -> String {
    let created = course(app, token, direction, title, json!({"status": "published"})).await;
    created["id"].as_str().unwrap().to_owned()
}

/// `PATCH /admin/courses/{id}` with `status`, which must answer 200.
pub(super) async fn set_status(app: &TestApp, token: &str, course: &str, status: &str) {
    json_of(
        patch(
            app,
            &format!("{ADMIN_COURSES}/{course}"),
            token,
            &json!({"status": status}),
        )
        .await,
        200,
    )
    .await;
}

/// `POST /admin/courses/{id}/modules`, which must answer 201; returns the module.
pub(super) async fn module(app: &TestApp, token: &str, course: &str, body: Value) -> Value {
    json_of(
        post(
            app,
            &format!("{ADMIN_COURSES}/{course}/modules"),
            token,
            &body,
        )
        .await,
        201,
    )
    .await
}

/// `POST /admin/modules/{id}/lessons`, which must answer 201; returns the lesson.
pub(super) async fn lesson(app: &TestApp, token: &str, module: &str, body: Value) -> Value {
    json_of(
        post(
            app,
            &format!("{ADMIN_MODULES}/{module}/lessons"),
            token,
            &body,
        )
        .await,
        201,
    )
    .await
}

/// `PUT /admin/lessons/{id}/video` as JSON.
pub(super) async fn put_video_url(
    app: &TestApp,
    token: &str,
    lesson: &str,
    url: &str,
    duration: i64,
) -> Response {
    put(
        app,
        &format!("{ADMIN_LESSONS}/{lesson}/video"),
        token,
        &json!({"url": url, "duration_seconds": duration}),
    )
    .await
}

/// Sends a form with `method` and a bearer token.
pub(super) async fn send_form(
    app: &TestApp,
    method: Method,
    path: &str,
    token: &str,
    form: Form,
) -> Response {
    let (content_type, body) = form.build();
    app.authed(method, path, token)
        .header("content-type", content_type)
        .body(body)
        .send()
        .await
        .unwrap()
}

/// `PUT /admin/lessons/{id}/video` with a `file` (`video.mp4`, `video/mp4`)
/// and, when given, `duration_seconds`.
pub(super) async fn upload_video(
    app: &TestApp,
    token: &str,
    lesson: &str,
    bytes: &[u8],
    duration: Option<&str>,
) -> Response {
    let mut form = Form::default();
    if let Some(duration) = duration {
        form = form.text("duration_seconds", duration);
    }
    let form = form.file("file", "video.mp4", "video/mp4", bytes);
    send_form(
        app,
        Method::PUT,
        &format!("{ADMIN_LESSONS}/{lesson}/video"),
        token,
        form,
    )
    .await
}

/// `POST /admin/courses/{id}/workbooks` with `title`, `lesson_id?` and a PDF
/// named `workbook.pdf`.
pub(super) async fn upload_workbook(
    app: &TestApp,
    token: &str,
    course: &str,
    title: &str,
    lesson: Option<&str>,
    bytes: &[u8],
) -> Response {
    let mut form = Form::default().text("title", title);
    if let Some(lesson) = lesson {
        form = form.text("lesson_id", lesson);
    }
    let form = form.file("file", "workbook.pdf", "application/pdf", bytes);
    send_form(
        app,
        Method::POST,
        &format!("{ADMIN_COURSES}/{course}/workbooks"),
        token,
        form,
    )
    .await
}

/// A workbook uploaded with 201; returns the answer.
pub(super) async fn workbook(
    app: &TestApp,
    token: &str,
    course: &str,
    title: &str,
    lesson: Option<&str>,
    bytes: &[u8],
) -> Value {
    json_of(
        upload_workbook(app, token, course, title, lesson, bytes).await,
        201,
    )
    .await
}

/// `PUT /admin/courses/{id}/certificate`, which must answer 200.
pub(super) async fn certificate(app: &TestApp, token: &str, course: &str, title: &str) -> Value {
    json_of(
        put(
            app,
            &format!("{ADMIN_COURSES}/{course}/certificate"),
            token,
            &json!({"title": title}),
        )
        .await,
        200,
    )
    .await
}

/// A multipart/form-data body built by hand.
#[derive(Default)]
pub(super) struct Form {
    body: Vec<u8>,
}

impl Form {
    pub(super) fn text(mut self, name: &str, value: &str) -> Self {
        self.body.extend_from_slice(
            format!("--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"{name}\"\r\n\r\n")
                .as_bytes(),
        );
        self.body.extend_from_slice(value.as_bytes());
        self.body.extend_from_slice(b"\r\n");
        self
    }

    pub(super) fn file(
        mut self,
        name: &str,
        filename: &str,
        content_type: &str,
        bytes: &[u8],
    ) -> Self {
        self.body.extend_from_slice(
            format!(
                "--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"{name}\"; \
                 filename=\"{filename}\"\r\nContent-Type: {content_type}\r\n\r\n"
            )
            .as_bytes(),
        );
        self.body.extend_from_slice(bytes);
        self.body.extend_from_slice(b"\r\n");
        self
    }

    /// The content type and the body.
    pub(super) fn build(mut self) -> (String, Vec<u8>) {
        self.body
            .extend_from_slice(format!("--{BOUNDARY}--\r\n").as_bytes());
        (
            format!("multipart/form-data; boundary={BOUNDARY}"),
            self.body,
        )
    }
}

// ---------------------------------------------------------------- files

/// Deterministic filler that differs with `seed`.
fn filler(seed: u8, len: usize) -> impl Iterator<Item = u8> {
    (0..len).map(move |i| {
        let i = u32::try_from(i).unwrap();
        u8::try_from((i.wrapping_mul(31) ^ u32::from(seed).wrapping_mul(97)) % 251).unwrap()
    })
}

fn padded(head: &[u8], tail: &[u8], seed: u8, len: usize) -> Vec<u8> {
    assert!(len >= head.len() + tail.len());
    let mut bytes = head.to_vec();
    bytes.extend(filler(seed, len - head.len() - tail.len()));
    bytes.extend_from_slice(tail);
    bytes
}

/// A PDF of exactly `len` bytes (`%PDF-1.7` … `%%EOF`).
pub(super) fn pdf(seed: u8, len: usize) -> Vec<u8> {
    padded(b"%PDF-1.7\n%\xE2\xE3\xCF\xD3\n", b"\n%%EOF\n", seed, len)
}

/// An MP4 of `len` bytes: an `ftyp` box, then filler.
pub(super) fn mp4(seed: u8, len: usize) -> Vec<u8> {
    padded(
        b"\x00\x00\x00\x18ftypisom\x00\x00\x02\x00isomiso2",
        b"",
        seed,
        len,
    )
}

/// A WebM of `len` bytes: the EBML magic, then filler.
pub(super) fn webm(seed: u8, len: usize) -> Vec<u8> {
    padded(b"\x1A\x45\xDF\xA3\x9F\x42\x86\x81\x01", b"", seed, len)
}

/// A PNG signature and a header chunk, then filler.
pub(super) fn png(seed: u8, len: usize) -> Vec<u8> {
    padded(
        b"\x89PNG\r\n\x1A\n\x00\x00\x00\x0DIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00",
        b"",
        seed,
        len,
    )
}

fn walk_dir(root: &Path, dir: &Path, found: &mut BTreeSet<String>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries {
        let path = entry.unwrap().path();
        if path.is_dir() {
            walk_dir(root, &path, found);
        } else {
            let relative = path.strip_prefix(root).unwrap();
            let parts: Vec<String> = relative
                .components()
                .map(|c| c.as_os_str().to_string_lossy().into_owned())
                .collect();
            found.insert(parts.join("/"));
        }
    }
}

/// Every file in the app's local storage, as keys (`workbooks/….pdf`),
/// the temporary `.incoming` directory left out.
pub(super) fn stored(app: &TestApp) -> BTreeSet<String> {
    let mut found = BTreeSet::new();
    walk_dir(&app.storage, &app.storage, &mut found);
    found.retain(|key| !key.starts_with(".incoming/"));
    found
}

/// The stored files under `prefix` (`videos/`, `workbooks/`).
pub(super) fn stored_under(app: &TestApp, prefix: &str) -> BTreeSet<String> {
    stored(app)
        .into_iter()
        .filter(|key| key.starts_with(prefix))
        .collect()
}

/// What the temporary `.incoming` directory holds.
pub(super) fn incoming(app: &TestApp) -> BTreeSet<String> {
    let mut found = BTreeSet::new();
    walk_dir(&app.storage, &app.storage.join(".incoming"), &mut found);
    found
}

/// The bytes of the stored file `key`.
pub(super) fn read_stored(app: &TestApp, key: &str) -> Vec<u8> {
    std::fs::read(app.storage.join(key)).unwrap()
}

/// Asserts the storage holds exactly `before` and nothing waits in `.incoming`.
pub(super) fn assert_storage_unchanged(app: &TestApp, before: &BTreeSet<String>, what: &str) {
    assert_eq!(&stored(app), before, "{what}: the storage changed");
    assert!(
        incoming(app).is_empty(),
        "{what}: left in .incoming: {:?}",
        incoming(app)
    );
}

/// The lowercase hex SHA-256 of `bytes` (FIPS 180-4).
pub(super) fn sha256_hex(bytes: &[u8]) -> String {
    const K: [u32; 64] = [
        0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4,
        0xab1c5ed5, 0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe,
        0x9bdc06a7, 0xc19bf174, 0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f,
        0x4a7484aa, 0x5cb0a9dc, 0x76f988da, 0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7,
        0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967, 0x27b70a85, 0x2e1b2138, 0x4d2c6dfc,
        0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85, 0xa2bfe8a1, 0xa81a664b,
        0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070, 0x19a4c116,
        0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
        0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7,
        0xc67178f2,
    ];
    let mut h: [u32; 8] = [
        0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab,
        0x5be0cd19,
    ];
    let mut message = bytes.to_vec();
    let bit_len = (bytes.len() as u64).wrapping_mul(8);
    message.push(0x80);
    while message.len() % 64 != 56 {
        message.push(0);
    }
    message.extend_from_slice(&bit_len.to_be_bytes());
    for block in message.chunks(64) {
        let mut w = [0u32; 64];
        for (i, word) in block.chunks(4).enumerate() {
            w[i] = u32::from_be_bytes([word[0], word[1], word[2], word[3]]);
        }
        for i in 16..64 {
            let s0 = w[i - 15].rotate_right(7) ^ w[i - 15].rotate_right(18) ^ (w[i - 15] >> 3);
            let s1 = w[i - 2].rotate_right(17) ^ w[i - 2].rotate_right(19) ^ (w[i - 2] >> 10);
            w[i] = w[i - 16]
                .wrapping_add(s0)
                .wrapping_add(w[i - 7])
                .wrapping_add(s1);
        }
        let [mut a, mut b, mut c, mut d, mut e, mut f, mut g, mut hh] = h;
        for i in 0..64 {
            let s1 = e.rotate_right(6) ^ e.rotate_right(11) ^ e.rotate_right(25);
            let ch = (e & f) ^ (!e & g);
            let t1 = hh
                .wrapping_add(s1)
                .wrapping_add(ch)
                .wrapping_add(K[i])
                .wrapping_add(w[i]);
            let s0 = a.rotate_right(2) ^ a.rotate_right(13) ^ a.rotate_right(22);
            let maj = (a & b) ^ (a & c) ^ (b & c);
            let t2 = s0.wrapping_add(maj);
            hh = g;
            g = f;
            f = e;
            e = d.wrapping_add(t1);
            d = c;
            c = b;
            b = a;
            a = t1.wrapping_add(t2);
        }
        for (slot, value) in h.iter_mut().zip([a, b, c, d, e, f, g, hh]) {
            *slot = slot.wrapping_add(value);
        }
    }
    h.iter().map(|word| format!("{word:08x}")).collect()
}

#[test]
fn the_test_sha256_matches_the_published_vectors() {
    assert_eq!(
        sha256_hex(b""),
        "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
    );
    assert_eq!(
        sha256_hex(b"abc"),
        "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
    );
    assert_eq!(
        sha256_hex(&[b'a'; 1_000]),
        "41edece42d63e8d9bf515a9ba6932e1c20cbc9f5a5d134645adb5db1b9737ea3"
    );
}

// ---------------------------------------------------------------- JSON

/// Every object key anywhere in `value`.
pub(super) fn keys_of(value: &Value) -> BTreeSet<String> {
    let mut keys = BTreeSet::new();
    collect_keys(value, &mut keys);
    keys
}

fn collect_keys(value: &Value, keys: &mut BTreeSet<String>) {
    match value {
        Value::Object(map) => {
            for (key, inner) in map {
                keys.insert(key.clone());
                collect_keys(inner, keys);
            }
        }
        Value::Array(items) => items.iter().for_each(|item| collect_keys(item, keys)),
        _ => {}
    }
}

/// The keys of one JSON object, sorted.
pub(super) fn object_keys(value: &Value) -> Vec<String> {
    let mut keys: Vec<String> = value
        .as_object()
        .unwrap_or_else(|| panic!("not an object: {value}"))
        .keys()
        .cloned()
        .collect();
    keys.sort();
    keys
}

/// `names` as owned, sorted strings, to compare with `object_keys`.
pub(super) fn sorted(names: &[&str]) -> Vec<String> {
    let mut names: Vec<String> = names.iter().map(|n| (*n).to_owned()).collect();
    names.sort();
    names
}

/// `API` + `path`.
pub(super) fn api(path: &str) -> String {
    format!("{API}{path}")
}
