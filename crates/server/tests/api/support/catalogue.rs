//! The catalogue built through the admin routes (directions, courses,
//! modules, lessons, videos, workbooks, certificates), hand-made multipart
//! forms, and file fixtures that pass the server's content sniffing.

use super::http::{json_of, patch, post, put};
use crate::helpers::TestApp;
use reqwest::{Method, Response};
use serde_json::{Value, json};

pub(crate) const ADMIN_DIRECTIONS: &str = "/api/v1/admin/directions";
pub(crate) const ADMIN_COURSES: &str = "/api/v1/admin/courses";
pub(crate) const ADMIN_MODULES: &str = "/api/v1/admin/modules";
pub(crate) const ADMIN_LESSONS: &str = "/api/v1/admin/lessons";

const BOUNDARY: &str = "bilim-catalogue-boundary-5e21c7";

// ---------------------------------------------------------------- the catalogue

/// `POST /admin/directions` with `name`, which must answer 201; returns the id.
pub(crate) async fn direction(app: &TestApp, token: &str, name: &str) -> String {
    let body = json_of(
        post(app, ADMIN_DIRECTIONS, token, &json!({"name": name})).await,
        201,
    )
    .await;
    body["id"].as_str().unwrap().to_owned()
}

/// `POST /admin/courses` with a beginner course of `title` in `direction`, the
/// fields of `extra` added; must answer 201; returns the course.
pub(crate) async fn course(
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
pub(crate) async fn published(app: &TestApp, token: &str, direction: &str, title: &str) -> String {
    let created = course(app, token, direction, title, json!({"status": "published"})).await;
    created["id"].as_str().unwrap().to_owned()
}

/// `PATCH /admin/courses/{id}` with `status`, which must answer 200.
pub(crate) async fn set_status(app: &TestApp, token: &str, course: &str, status: &str) {
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
pub(crate) async fn module(app: &TestApp, token: &str, course: &str, body: Value) -> Value {
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
pub(crate) async fn lesson(app: &TestApp, token: &str, module: &str, body: Value) -> Value {
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
pub(crate) async fn put_video_url(
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
pub(crate) async fn send_form(
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
pub(crate) async fn upload_video(
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
pub(crate) async fn upload_workbook(
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
pub(crate) async fn workbook(
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
pub(crate) async fn certificate(app: &TestApp, token: &str, course: &str, title: &str) -> Value {
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
pub(crate) struct Form {
    body: Vec<u8>,
}

impl Form {
    pub(crate) fn text(mut self, name: &str, value: &str) -> Self {
        self.body.extend_from_slice(
            format!("--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"{name}\"\r\n\r\n")
                .as_bytes(),
        );
        self.body.extend_from_slice(value.as_bytes());
        self.body.extend_from_slice(b"\r\n");
        self
    }

    pub(crate) fn file(
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
    pub(crate) fn build(mut self) -> (String, Vec<u8>) {
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
pub(crate) fn pdf(seed: u8, len: usize) -> Vec<u8> {
    padded(b"%PDF-1.7\n%\xE2\xE3\xCF\xD3\n", b"\n%%EOF\n", seed, len)
}

/// An MP4 of `len` bytes: an `ftyp` box, then filler.
pub(crate) fn mp4(seed: u8, len: usize) -> Vec<u8> {
    padded(
        b"\x00\x00\x00\x18ftypisom\x00\x00\x02\x00isomiso2",
        b"",
        seed,
        len,
    )
}

/// A WebM of `len` bytes: the EBML magic, then filler.
pub(crate) fn webm(seed: u8, len: usize) -> Vec<u8> {
    padded(b"\x1A\x45\xDF\xA3\x9F\x42\x86\x81\x01", b"", seed, len)
}

/// A PNG signature and a header chunk, then filler.
pub(crate) fn png(seed: u8, len: usize) -> Vec<u8> {
    padded(
        b"\x89PNG\r\n\x1A\n\x00\x00\x00\x0DIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00",
        b"",
        seed,
        len,
    )
}
