//! Bad input on every catalogue route: unknown ids (404 with the code of what
//! is missing), malformed ids (400 `request.invalid_path`), bad queries, wrong
//! types and unknown fields (400), and tokens (401 without an admin token).
//!
//! The admin route tables and `call` are here; one file per kind of bad
//! input: `ids`, `queries`, `bodies` and `tokens`.

mod bodies;
mod controls;
mod ids;
mod queries;
mod tokens;

use super::helpers::{Form, mp4, pdf, send_form};
use crate::helpers::TestApp;
use reqwest::{Method, Response};
use serde_json::{Value, json};

/// A route of the admin catalogue: method, path (`{id}` replaced), a body
/// that would be accepted, or a form.
#[derive(Clone)]
enum Body {
    None,
    Json(Value),
    Workbook,
    Video,
}

struct Route {
    method: Method,
    path: &'static str,
    body: Body,
}

const fn route(method: Method, path: &'static str, body: Body) -> Route {
    Route { method, path, body }
}

/// Every admin catalogue route with an id in its path.
fn admin_routes_with_id() -> Vec<Route> {
    vec![
        route(Method::GET, "/api/v1/admin/directions/{id}", Body::None),
        route(
            Method::PATCH,
            "/api/v1/admin/directions/{id}",
            Body::Json(json!({"name": "Yangi nom"})),
        ),
        route(Method::DELETE, "/api/v1/admin/directions/{id}", Body::None),
        route(Method::GET, "/api/v1/admin/courses/{id}", Body::None),
        route(
            Method::PATCH,
            "/api/v1/admin/courses/{id}",
            Body::Json(json!({"title": "Yangi nom"})),
        ),
        route(Method::DELETE, "/api/v1/admin/courses/{id}", Body::None),
        route(
            Method::POST,
            "/api/v1/admin/courses/{id}/modules",
            Body::Json(json!({"title": "Modul"})),
        ),
        route(
            Method::PATCH,
            "/api/v1/admin/modules/{id}",
            Body::Json(json!({"title": "Modul"})),
        ),
        route(Method::DELETE, "/api/v1/admin/modules/{id}", Body::None),
        route(
            Method::POST,
            "/api/v1/admin/modules/{id}/lessons",
            Body::Json(json!({"title": "Dars"})),
        ),
        route(
            Method::PATCH,
            "/api/v1/admin/lessons/{id}",
            Body::Json(json!({"title": "Dars"})),
        ),
        route(Method::DELETE, "/api/v1/admin/lessons/{id}", Body::None),
        route(
            Method::PUT,
            "/api/v1/admin/lessons/{id}/video",
            Body::Json(json!({"url": "https://cdn.example.uz/x.mp4", "duration_seconds": 60})),
        ),
        route(Method::PUT, "/api/v1/admin/lessons/{id}/video", Body::Video),
        route(
            Method::POST,
            "/api/v1/admin/courses/{id}/workbooks",
            Body::Workbook,
        ),
        route(Method::DELETE, "/api/v1/admin/workbooks/{id}", Body::None),
        route(
            Method::PUT,
            "/api/v1/admin/courses/{id}/certificate",
            Body::Json(json!({"title": "Sertifikat"})),
        ),
    ]
}

/// Every admin catalogue route without an id.
fn admin_routes_without_id() -> Vec<Route> {
    vec![
        route(Method::GET, "/api/v1/admin/directions", Body::None),
        route(
            Method::POST,
            "/api/v1/admin/directions",
            Body::Json(json!({"name": "Yoʻnalish"})),
        ),
        route(Method::GET, "/api/v1/admin/courses", Body::None),
        route(
            Method::POST,
            "/api/v1/admin/courses",
            Body::Json(
                json!({"direction_id": uuid::Uuid::now_v7(), "title": "K", "level": "beginner"}),
            ),
        ),
    ]
}

/// Sends `route` with `id` in its path and `token` (if any).
async fn call(app: &TestApp, route: &Route, id: &str, token: Option<&str>) -> Response {
    let path = route.path.replace("{id}", id);
    let form = match &route.body {
        Body::Workbook => Some(Form::default().text("title", "Daftar").file(
            "file",
            "a.pdf",
            "application/pdf",
            &pdf(1, 2000),
        )),
        Body::Video => Some(Form::default().text("duration_seconds", "60").file(
            "file",
            "a.mp4",
            "video/mp4",
            &mp4(1, 2000),
        )),
        _ => None,
    };
    if let (Some(form), Some(token)) = (form, token) {
        return send_form(app, route.method.clone(), &path, token, form).await;
    }
    let mut request = app.client.request(route.method.clone(), app.url(&path));
    if let Some(token) = token {
        request = request.bearer_auth(token);
    }
    request = match &route.body {
        Body::Json(body) => request.json(body),
        Body::Workbook | Body::Video => {
            let form = Form::default().file("file", "a.pdf", "application/pdf", &pdf(1, 2000));
            let (content_type, bytes) = form.build();
            request.header("content-type", content_type).body(bytes)
        }
        Body::None => request,
    };
    request.send().await.unwrap()
}
