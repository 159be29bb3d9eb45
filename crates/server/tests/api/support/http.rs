//! Answers checked for their status (and problem `code`), requests with a
//! bearer token, and query strings.

use crate::helpers::TestApp;
use reqwest::{Method, Response};
use serde_json::Value;
use std::collections::BTreeSet;

pub(crate) const API: &str = "/api/v1";
pub(crate) const ME: &str = "/api/v1/users/me";
pub(crate) const AUDIT: &str = "/api/v1/admin/audit";

// ---------------------------------------------------------------- answers

/// Asserts a problem+json answer with `status` and `code`; returns the body.
pub(crate) async fn problem(response: Response, status: u16, code: &str) -> Value {
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
pub(crate) fn field_errors(problem: &Value) -> BTreeSet<(String, String)> {
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
pub(crate) async fn json_of(response: Response, status: u16) -> Value {
    let actual = response.status().as_u16();
    let text = response.text().await.unwrap();
    assert_eq!(actual, status, "body: {text}");
    serde_json::from_str(&text).unwrap()
}

/// As [`json_of`], and asserts the answer carries no password or password
/// hash: for answers about users and admins.
pub(crate) async fn secret_free_json(response: Response, status: u16) -> Value {
    let actual = response.status().as_u16();
    let text = response.text().await.unwrap();
    assert_eq!(actual, status, "body: {text}");
    assert!(
        !text.contains("$argon2") && !text.contains("password"),
        "a secret in {text}"
    );
    serde_json::from_str(&text).unwrap()
}

/// The status and the raw body of an answer.
pub(crate) async fn status_and_text(response: Response) -> (u16, String) {
    let status = response.status().as_u16();
    (status, response.text().await.unwrap())
}

// ---------------------------------------------------------------- requests

/// A request with a bearer token and, when given, a JSON body.
pub(crate) async fn send(
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

pub(crate) async fn get(app: &TestApp, path: &str, token: &str) -> Response {
    send(app, Method::GET, path, token, None).await
}

pub(crate) async fn post(app: &TestApp, path: &str, token: &str, body: &Value) -> Response {
    send(app, Method::POST, path, token, Some(body)).await
}

pub(crate) async fn patch(app: &TestApp, path: &str, token: &str, body: &Value) -> Response {
    send(app, Method::PATCH, path, token, Some(body)).await
}

pub(crate) async fn put(app: &TestApp, path: &str, token: &str, body: &Value) -> Response {
    send(app, Method::PUT, path, token, Some(body)).await
}

pub(crate) async fn delete(app: &TestApp, path: &str, token: &str) -> Response {
    send(app, Method::DELETE, path, token, None).await
}

/// The status of a request with a bearer token and no body.
pub(crate) async fn status_of(app: &TestApp, method: Method, path: &str, token: &str) -> u16 {
    send(app, method, path, token, None).await.status().as_u16()
}

/// `path?query`, the query's values percent-encoded.
pub(crate) fn with_query(path: &str, query: &[(&str, &str)]) -> String {
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

/// The `id`s of a list's items (a bare array or a page's `items`), in order.
pub(crate) fn ids(list: &Value) -> Vec<String> {
    list.as_array()
        .or_else(|| list["items"].as_array())
        .unwrap_or_else(|| panic!("no items: {list}"))
        .iter()
        .map(|item| item["id"].as_str().unwrap().to_owned())
        .collect()
}
