//! The OpenAPI document: served, printed by `bilim openapi`, and equal to the
//! committed snapshot `docs/openapi.json` (so a route cannot silently drop out).

use crate::helpers::spawn_app;
use serde_json::Value;
use std::collections::BTreeMap;

fn snapshot_path() -> std::path::PathBuf {
    std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../docs/openapi.json")
}

#[tokio::test]
async fn the_committed_snapshot_equals_the_generated_document() {
    let generated = bilim_http::openapi().to_pretty_json().unwrap() + "\n";
    if std::env::var("UPDATE_OPENAPI").is_ok() {
        std::fs::write(snapshot_path(), &generated).unwrap();
    }
    let committed = std::fs::read_to_string(snapshot_path()).unwrap_or_default();
    assert!(
        committed == generated,
        "docs/openapi.json is stale: run `just openapi` (or UPDATE_OPENAPI=1 cargo test -p bilim-server openapi) and commit it"
    );
}

#[tokio::test]
async fn the_served_document_is_the_generated_one() {
    let app = spawn_app().await;
    let response = app.get("/api-docs/openapi.json").await;
    assert_eq!(response.status(), 200);
    let served: serde_json::Value = response.json().await.unwrap();
    let generated = serde_json::to_value(bilim_http::openapi()).unwrap();
    assert_eq!(served, generated);
}

#[tokio::test]
async fn the_document_describes_every_route_and_both_token_kinds() {
    let document = serde_json::to_value(bilim_http::openapi()).unwrap();
    for path in [
        "/health/live",
        "/health/ready",
        "/metrics",
        "/api/v1/files/{signed}",
    ] {
        assert!(document["paths"][path].is_object(), "{path} is missing");
    }
    let schemes = &document["components"]["securitySchemes"];
    for scheme in ["user_token", "admin_token"] {
        assert_eq!(schemes[scheme]["scheme"], "bearer", "{scheme}");
    }
    assert!(document["components"]["schemas"]["Problem"].is_object());
}

#[tokio::test]
async fn swagger_ui_is_served_from_the_vendored_bundle() {
    let app = spawn_app().await;
    let page = app.get("/swagger-ui/").await;
    assert_eq!(page.status(), 200);
    assert!(page.text().await.unwrap().contains("swagger-ui"));
    let bundle = app.get("/swagger-ui/swagger-ui-bundle.js").await;
    assert_eq!(bundle.status(), 200);
    assert!(bundle.bytes().await.unwrap().len() > 100_000);
}

/// Every operation of the document: `(METHOD path, operation)`.
fn operations(document: &Value) -> Vec<(String, &Value)> {
    let mut found = Vec::new();
    for (path, item) in document["paths"].as_object().unwrap() {
        for (method, operation) in item.as_object().unwrap() {
            if [
                "get", "put", "post", "delete", "patch", "head", "options", "trace",
            ]
            .contains(&method.as_str())
            {
                found.push((format!("{} {path}", method.to_uppercase()), operation));
            }
        }
    }
    found
}

fn is_camel_case(id: &str) -> bool {
    id.starts_with(|c: char| c.is_ascii_lowercase())
        && id.chars().all(|c| c.is_ascii_alphanumeric())
}

/// Client generators name functions after operationIds: a repeat breaks the
/// generated code, and Swagger UI sends one operation's request to the other.
#[test]
fn every_operation_has_its_own_camel_case_operation_id() {
    let document = serde_json::to_value(bilim_http::openapi()).unwrap();
    let mut seen: BTreeMap<String, String> = BTreeMap::new();
    let mut problems = Vec::new();
    for (operation, body) in operations(&document) {
        let Some(id) = body["operationId"].as_str() else {
            problems.push(format!("{operation}: no operationId"));
            continue;
        };
        if !is_camel_case(id) {
            problems.push(format!("{operation}: operationId {id:?} is not camelCase"));
        }
        if let Some(first) = seen.insert(id.to_owned(), operation.clone()) {
            problems.push(format!("{operation}: operationId {id:?} repeats {first}"));
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
    assert!(seen.len() > 60, "only {} operations", seen.len());
}

#[test]
fn the_operation_id_check_catches_what_it_should() {
    assert!(is_camel_case("adminListUsers"));
    assert!(is_camel_case("login"));
    for bad in ["list_users", "AdminLogin", "admin-login", "", "getMe!"] {
        assert!(!is_camel_case(bad), "{bad}");
    }
}
