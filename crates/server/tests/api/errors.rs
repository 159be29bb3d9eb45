//! Errors are problem+json with a stable code, whoever produced them.

use crate::helpers::spawn_app;

async fn problem(response: reqwest::Response) -> (u16, serde_json::Value) {
    let status = response.status().as_u16();
    assert_eq!(
        response.headers()["content-type"],
        "application/problem+json"
    );
    (status, response.json().await.unwrap())
}

#[tokio::test]
async fn an_unknown_route_is_a_404_problem() {
    let app = spawn_app().await;
    let (status, body) = problem(app.get("/api/v1/nothing-here").await).await;
    assert_eq!(status, 404);
    assert_eq!(body["code"], "route.not_found");
    assert_eq!(body["status"], 404);
    assert_eq!(body["title"], "Not Found");
    assert!(body["type"].as_str().unwrap().ends_with("route.not_found"));
}

/// The headers every answer carries, errors included.
fn assert_security_headers(response: &reqwest::Response) {
    let headers = response.headers();
    for (name, value) in [
        ("x-content-type-options", "nosniff"),
        ("x-frame-options", "DENY"),
        ("content-security-policy", "frame-ancestors 'none'"),
        ("referrer-policy", "no-referrer"),
        ("cache-control", "no-store"),
    ] {
        assert_eq!(headers[name], value, "{name}");
    }
    assert!(headers.contains_key("x-request-id"));
}

#[tokio::test]
async fn an_unknown_route_carries_the_security_headers() {
    let app = spawn_app().await;
    for method in [
        reqwest::Method::GET,
        reqwest::Method::POST,
        reqwest::Method::DELETE,
    ] {
        let response = app
            .client
            .request(method.clone(), app.url("/api/v1/nothing-here"))
            .send()
            .await
            .unwrap();
        assert_security_headers(&response);
        assert!(!response.headers().contains_key("allow"), "{method}");
        let (status, body) = problem(response).await;
        assert_eq!(
            (status, body["code"].as_str()),
            (404, Some("route.not_found"))
        );
    }
}

#[tokio::test]
async fn a_wrong_method_on_a_known_path_is_a_405_naming_the_allowed_ones() {
    let app = spawn_app().await;
    let course = "/api/v1/courses/0190d4a8-0000-7000-8000-000000000000";
    let user = "/api/v1/admin/users/0190d4a8-0000-7000-8000-000000000000";
    for (method, path, allow) in [
        (reqwest::Method::POST, "/health/live", "GET"),
        (reqwest::Method::DELETE, "/api/v1/auth/login", "POST"),
        (reqwest::Method::GET, "/api/v1/auth/refresh", "POST"),
        (reqwest::Method::PUT, course, "GET"),
        (
            reqwest::Method::POST,
            "/api/v1/users/me",
            "GET, PATCH, DELETE",
        ),
        (reqwest::Method::PUT, user, "GET, PATCH"),
        (reqwest::Method::HEAD, "/api/v1/directions", "GET"),
        (reqwest::Method::POST, "/api-docs/openapi.json", "GET"),
        // A path parameter that does not parse still names a known path.
        (reqwest::Method::DELETE, "/api/v1/courses/not-a-uuid", "GET"),
    ] {
        let response = app
            .client
            .request(method.clone(), app.url(path))
            .header("content-type", "application/json")
            .body("{}")
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), 405, "{method} {path}");
        assert_eq!(response.headers()["allow"], allow, "{method} {path}");
        assert_security_headers(&response);
        assert_eq!(
            response.headers()["content-type"],
            "application/problem+json",
            "{method} {path}"
        );
        if method == reqwest::Method::HEAD {
            continue;
        }
        let body: serde_json::Value = response.json().await.unwrap();
        assert_eq!(body["code"], "method.not_allowed", "{method} {path}");
        assert_eq!(body["status"], 405);
        assert_eq!(body["title"], "Method Not Allowed");
    }
}
