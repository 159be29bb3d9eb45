//! Learning helpers: an app whose access job only runs when a test runs it, an
//! admin and students signed in (again, once the clock has moved past their
//! tokens), courses whose lessons have videos, grants, the learning routes,
//! signed links, times and the notices in the outbox.

use crate::helpers::{SentMail, TEST_PASSWORD, TestApp, spawn_app_with};
use crate::support::{
    ADMIN_COURSES, ME, admin_login, course, create_admin, delete, direction, get, json_of, lesson,
    module, mp4, post, put, put_video_url, secret_free_json, upload_video,
};
use bilim_domain::admins::AdminRole;
use chrono::{DateTime, Utc};
use reqwest::{Method, Response};
use serde_json::{Value, json};

pub(super) const ADMIN_USERS: &str = "/api/v1/admin/users";

const ADMIN_NAME: &str = "ustoz";
const ADMIN_EMAIL: &str = "ustoz@bilim.uz";

/// An app whose access job never runs by itself: tests call `run_once`.
pub(super) async fn learning_app() -> TestApp {
    learning_app_with(|_| {}).await
}

/// A [`learning_app`] after `adjust` has changed the settings variables.
pub(super) async fn learning_app_with(
    adjust: impl FnOnce(&mut std::collections::BTreeMap<String, String>),
) -> TestApp {
    spawn_app_with(|vars| {
        vars.insert("BILIM_ACCESS_JOB_INTERVAL_SECONDS".into(), "0".into());
        adjust(vars);
    })
    .await
}

// ---------------------------------------------------------------- people

/// A super admin created and signed in; returns the access token.
pub(super) async fn admin(app: &TestApp) -> String {
    create_admin(app, ADMIN_NAME, ADMIN_EMAIL, AdminRole::Super).await;
    admin_again(app).await
}

/// A new access token for the admin of [`admin`], once the clock has moved.
pub(super) async fn admin_again(app: &TestApp) -> String {
    admin_login(app, ADMIN_NAME, ADMIN_EMAIL).await.access
}

/// A registered user (Oʻktam Karimov).
#[derive(Debug, Clone)]
pub(super) struct Student {
    pub id: String,
    pub email: String,
    pub token: String,
}

impl Student {
    /// Signs in again (access tokens live 15 minutes of the app's clock).
    pub(super) async fn again(&mut self, app: &TestApp) {
        let body = app.login(&self.email, TEST_PASSWORD).await;
        self.token = body["access_token"].as_str().unwrap().to_owned();
    }
}

pub(super) async fn student(app: &TestApp, email: &str) -> Student {
    let body = app.register(email).await;
    Student {
        id: body["user"]["id"].as_str().unwrap().to_owned(),
        email: email.to_owned(),
        token: body["access_token"].as_str().unwrap().to_owned(),
    }
}

// ---------------------------------------------------------------- the catalogue

/// A published course with one module whose lessons each have a video.
#[derive(Debug, Clone)]
pub(super) struct Course {
    pub id: String,
    pub title: String,
    pub module: String,
    pub lessons: Vec<String>,
}

/// A published course `title` (with `extra` course fields) whose one module
/// has a lesson per duration, each with an external video that long.
pub(super) async fn course_with_videos(
    app: &TestApp,
    token: &str,
    title: &str,
    durations: &[i64],
    extra: Value,
) -> Course {
    let dir = direction(app, token, &format!("{title} yoʻnalishi")).await;
    let mut fields = json!({"status": "published"});
    for (key, value) in extra.as_object().unwrap() {
        fields[key] = value.clone();
    }
    let created = course(app, token, &dir, title, fields).await;
    let id = created["id"].as_str().unwrap().to_owned();
    let made = module(app, token, &id, json!({"title": "Birinchi modul"})).await;
    let module_id = made["id"].as_str().unwrap().to_owned();
    let mut lessons = Vec::new();
    for (i, duration) in durations.iter().enumerate() {
        let lesson_id = bare_lesson(app, token, &module_id, &format!("{i}-dars")).await;
        let url = format!("https://cdn.example.uz/{}/{i}.mp4", title.replace(' ', "-"));
        let response = put_video_url(app, token, &lesson_id, &url, *duration).await;
        assert_eq!(response.status(), 204, "{}", response.text().await.unwrap());
        lessons.push(lesson_id);
    }
    Course {
        id,
        title: title.to_owned(),
        module: module_id,
        lessons,
    }
}

/// A lesson without a video in `module`; returns its id.
pub(super) async fn bare_lesson(app: &TestApp, token: &str, module: &str, title: &str) -> String {
    let made = lesson(app, token, module, json!({"title": title})).await;
    made["id"].as_str().unwrap().to_owned()
}

/// Uploads `bytes` as the lesson's stored video of `duration` seconds.
pub(super) async fn stored_video(
    app: &TestApp,
    token: &str,
    lesson: &str,
    bytes: &[u8],
    duration: u32,
) {
    let response = upload_video(app, token, lesson, bytes, Some(&duration.to_string())).await;
    assert_eq!(response.status(), 204, "{}", response.text().await.unwrap());
}

/// A small MP4 to upload as a video.
pub(super) fn video_bytes(seed: u8) -> Vec<u8> {
    mp4(seed, 6_000)
}

/// `PATCH /admin/courses/{id}` with `body`, which must answer 200.
pub(super) async fn patch_course(app: &TestApp, token: &str, course: &str, body: &Value) {
    json_of(
        crate::support::patch(app, &format!("{ADMIN_COURSES}/{course}"), token, body).await,
        200,
    )
    .await;
}

// ---------------------------------------------------------------- admin routes

pub(super) fn grants_path(user: &str) -> String {
    format!("{ADMIN_USERS}/{user}/courses")
}

/// `POST /admin/users/{id}/courses` with `body`.
pub(super) async fn grant(app: &TestApp, token: &str, user: &str, body: &Value) -> Response {
    post(app, &grants_path(user), token, body).await
}

/// Grants `courses` with their default term; must answer 200; returns the items.
pub(super) async fn granted(
    app: &TestApp,
    token: &str,
    user: &str,
    courses: &[&str],
) -> Vec<Value> {
    granted_with(app, token, user, json!({"course_ids": courses})).await
}

/// Grants with `body`; must answer 200; returns the items.
pub(super) async fn granted_with(
    app: &TestApp,
    token: &str,
    user: &str,
    body: Value,
) -> Vec<Value> {
    let answer = json_of(grant(app, token, user, &body).await, 200).await;
    answer["items"]
        .as_array()
        .unwrap_or_else(|| panic!("no items: {answer}"))
        .clone()
}

/// `DELETE /admin/users/{id}/courses/{course_id}`.
pub(super) async fn revoke(app: &TestApp, token: &str, user: &str, course: &str) -> Response {
    delete(app, &format!("{}/{course}", grants_path(user)), token).await
}

/// `POST /admin/users/{id}/workbooks/{workbook_id}/reset`.
pub(super) async fn reset_workbook(
    app: &TestApp,
    token: &str,
    user: &str,
    workbook: &str,
) -> Response {
    post(
        app,
        &format!("{ADMIN_USERS}/{user}/workbooks/{workbook}/reset"),
        token,
        &json!({}),
    )
    .await
}

/// `POST /admin/users/{id}/certificates/{certificate_id}/reset`.
pub(super) async fn reset_certificate(
    app: &TestApp,
    token: &str,
    user: &str,
    certificate: &str,
) -> Response {
    post(
        app,
        &format!("{ADMIN_USERS}/{user}/certificates/{certificate}/reset"),
        token,
        &json!({}),
    )
    .await
}

/// `GET /admin/users/{id}`, which must answer 200.
pub(super) async fn admin_view(app: &TestApp, token: &str, user: &str) -> Value {
    secret_free_json(get(app, &format!("{ADMIN_USERS}/{user}"), token).await, 200).await
}

// ---------------------------------------------------------------- learning routes

/// `GET /users/me`, which must answer 200.
pub(super) async fn me(app: &TestApp, token: &str) -> Value {
    secret_free_json(get(app, ME, token).await, 200).await
}

/// `GET /lessons/{id}/video`.
pub(super) async fn video(app: &TestApp, token: &str, lesson: &str) -> Response {
    get(app, &format!("/api/v1/lessons/{lesson}/video"), token).await
}

/// `PUT /lessons/{id}/progress` with `body`.
pub(super) async fn progress(app: &TestApp, token: &str, lesson: &str, body: &Value) -> Response {
    put(
        app,
        &format!("/api/v1/lessons/{lesson}/progress"),
        token,
        body,
    )
    .await
}

/// Watches each lesson as a player would: asks for its video link, lets half
/// of the longest video pass on the clock (positions may run at 2×), then
/// reports `completed: true`; each must answer 200 and count as watched.
pub(super) async fn watch(app: &TestApp, token: &str, lessons: &[String]) {
    let mut longest = 0;
    for lesson in lessons {
        let link = json_of(video(app, token, lesson).await, 200).await;
        longest = longest.max(link["duration_seconds"].as_i64().unwrap());
    }
    app.clock
        .advance(chrono::Duration::seconds(longest / 2 + 1));
    for lesson in lessons {
        let body = json_of(
            progress(
                app,
                token,
                lesson,
                &json!({"position_seconds": 1, "completed": true}),
            )
            .await,
            200,
        )
        .await;
        assert_eq!(body["completed"], true, "{body}");
    }
}

pub(super) fn download_path(workbook: &str) -> String {
    format!("/api/v1/workbooks/{workbook}/download")
}

/// `POST /workbooks/{id}/download` (no body).
pub(super) async fn download(app: &TestApp, token: &str, workbook: &str) -> Response {
    app.authed(Method::POST, &download_path(workbook), token)
        .send()
        .await
        .unwrap()
}

pub(super) fn claim_path(course: &str) -> String {
    format!("/api/v1/courses/{course}/certificate/claim")
}

/// `POST /courses/{id}/certificate/claim` (no body).
pub(super) async fn claim(app: &TestApp, token: &str, course: &str) -> Response {
    app.authed(Method::POST, &claim_path(course), token)
        .send()
        .await
        .unwrap()
}

/// `GET /certificates/{serial}`, no token.
pub(super) async fn check(app: &TestApp, serial: &str) -> Response {
    app.get(&format!("/api/v1/certificates/{serial}")).await
}

// ---------------------------------------------------------------- links, times, mail

/// Asserts `url` is an absolute signed link of this app; returns its path.
pub(super) fn signed_path<'a>(app: &TestApp, url: &'a str) -> &'a str {
    let prefix = format!("{}/api/v1/files/", app.address);
    assert!(
        url.starts_with(&prefix),
        "not a signed link of the app: {url}"
    );
    &url[app.address.len()..]
}

/// The time of an RFC 3339 field.
pub(super) fn at(value: &Value) -> DateTime<Utc> {
    let text = value
        .as_str()
        .unwrap_or_else(|| panic!("not a time: {value}"));
    DateTime::parse_from_rfc3339(text)
        .unwrap_or_else(|e| panic!("{text}: {e}"))
        .with_timezone(&Utc)
}

/// An RFC 3339 time, as a test writes it.
pub(super) fn time(text: &str) -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(text)
        .unwrap()
        .with_timezone(&Utc)
}

/// The keys of a JSON object, sorted.
pub(super) fn keys(value: &Value) -> Vec<String> {
    let mut keys: Vec<String> = value
        .as_object()
        .unwrap_or_else(|| panic!("not an object: {value}"))
        .keys()
        .cloned()
        .collect();
    keys.sort();
    keys
}

/// `names`, sorted, to compare with [`keys`].
pub(super) fn names(names: &[&str]) -> Vec<String> {
    let mut names: Vec<String> = names.iter().map(|n| (*n).to_owned()).collect();
    names.sort();
    names
}

/// The array `field` of `value` (a `/users/me` list).
pub(super) fn list<'a>(value: &'a Value, field: &str) -> &'a Vec<Value> {
    value[field]
        .as_array()
        .unwrap_or_else(|| panic!("no {field}[]: {value}"))
}

/// The mail to `email` that is not a code mail: the access job's notices.
pub(super) async fn notices_to(app: &TestApp, email: &str) -> Vec<SentMail> {
    app.sent_mail()
        .await
        .into_iter()
        .filter(|m| m.to.eq_ignore_ascii_case(email) && m.code().is_none())
        .collect()
}

/// Asserts a 401 problem with an `auth.*` code (a user token on an admin
/// route, or no token).
pub(super) async fn unauthorized(response: Response) {
    let status = response.status().as_u16();
    let text = response.text().await.unwrap();
    assert_eq!(status, 401, "{text}");
    let body: Value = serde_json::from_str(&text).unwrap();
    assert!(
        body["code"]
            .as_str()
            .is_some_and(|c| c.starts_with("auth.")),
        "{text}"
    );
}
