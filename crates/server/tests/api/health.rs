//! Liveness, readiness, metrics, and the headers every response carries.

use crate::helpers::{spawn_app, spawn_app_with};
use std::time::{Duration, Instant};

#[tokio::test]
async fn live_and_ready_answer_200_when_dependencies_are_up() {
    let app = spawn_app().await;
    let live = app.get("/health/live").await;
    assert_eq!(live.status(), 200);
    assert_eq!(
        live.json::<serde_json::Value>().await.unwrap()["status"],
        "alive"
    );
    let ready = app.get("/health/ready").await;
    assert_eq!(ready.status(), 200);
    assert_eq!(
        ready.json::<serde_json::Value>().await.unwrap()["status"],
        "ready"
    );
}

#[tokio::test]
async fn ready_turns_503_within_two_seconds_when_redis_is_down() {
    // Nothing listens on port 1: a configured Redis that is down. The server
    // still starts (Redis connects lazily) and says it is not ready.
    let app = spawn_app_with(|vars| {
        vars.insert("BILIM_REDIS_URL".into(), "redis://127.0.0.1:1".into());
    })
    .await;
    let started = Instant::now();
    let ready = app.get("/health/ready").await;
    assert!(
        started.elapsed() < Duration::from_secs(2),
        "took {:?}",
        started.elapsed()
    );
    assert_eq!(ready.status(), 503);
    assert_eq!(ready.headers()["content-type"], "application/problem+json");
    let problem: serde_json::Value = ready.json().await.unwrap();
    assert_eq!(problem["code"], "service_unavailable");
    assert_eq!(problem["errors"][0]["field"], "redis");
    assert_eq!(
        app.get("/health/live").await.status(),
        200,
        "liveness checks no dependency"
    );
}

#[tokio::test]
async fn every_response_carries_security_headers_and_a_request_id() {
    let app = spawn_app().await;
    for path in ["/health/live", "/no/such/route"] {
        let response = app.get(path).await;
        let headers = response.headers();
        assert_eq!(headers["x-content-type-options"], "nosniff");
        assert_eq!(headers["x-frame-options"], "DENY");
        assert_eq!(headers["content-security-policy"], "frame-ancestors 'none'");
        assert_eq!(headers["referrer-policy"], "no-referrer");
        assert_eq!(headers["cache-control"], "no-store");
        let id = headers["x-request-id"].to_str().unwrap();
        assert!(uuid::Uuid::parse_str(id).is_ok(), "{path}: {id}");
    }
}

#[tokio::test]
async fn a_sane_incoming_request_id_is_kept_and_a_hostile_one_replaced() {
    let app = spawn_app().await;
    let kept = app
        .client
        .get(app.url("/health/live"))
        .header("x-request-id", "lb-7f3a_01")
        .send()
        .await
        .unwrap();
    assert_eq!(kept.headers()["x-request-id"], "lb-7f3a_01");
    let hostile = "bad id\" with quotes and spaces";
    let replaced = app
        .client
        .get(app.url("/health/live"))
        .header("x-request-id", hostile)
        .send()
        .await
        .unwrap();
    let id = replaced.headers()["x-request-id"].to_str().unwrap();
    assert!(uuid::Uuid::parse_str(id).is_ok());
}

#[tokio::test]
async fn metrics_count_requests_by_route_pattern_and_status() {
    let app = spawn_app().await;
    for _ in 0..3 {
        app.get("/health/live").await;
    }
    app.get("/api/v1/files/not-a-real-link").await;
    app.get("/some/unknown/path").await;
    let body = app.get("/metrics").await.text().await.unwrap();
    assert!(
        body.contains(
            r#"bilim_http_requests_total{method="GET",route="/health/live",status="200"} 3"#
        ),
        "{body}"
    );
    assert!(
        body.contains(r#"route="/api/v1/files/{signed}",status="404"}"#),
        "{body}"
    );
    assert!(
        body.contains(r#"route="unmatched",status="404"}"#),
        "{body}"
    );
    assert!(
        !body.contains("not-a-real-link"),
        "raw paths must not become labels"
    );
    assert!(body.contains("bilim_http_request_duration_seconds_bucket"));
}

#[tokio::test]
async fn cors_allows_configured_origins_only() {
    let app = spawn_app_with(|vars| {
        vars.insert("BILIM_CORS_ORIGINS".into(), "https://bilim.uz".into());
    })
    .await;
    let preflight = |origin: &'static str| {
        app.client
            .request(reqwest::Method::OPTIONS, app.url("/health/live"))
            .header("origin", origin)
            .header("access-control-request-method", "GET")
            .send()
    };
    let allowed = preflight("https://bilim.uz").await.unwrap();
    assert_eq!(allowed.status(), 200);
    assert_eq!(
        allowed.headers()["access-control-allow-origin"],
        "https://bilim.uz"
    );
    let refused = preflight("https://evil.example").await.unwrap();
    assert!(
        refused
            .headers()
            .get("access-control-allow-origin")
            .is_none()
    );
    assert!(refused.status().is_client_error());
}
