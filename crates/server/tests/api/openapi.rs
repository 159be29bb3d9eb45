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

/// Every response object needs a `description` (OpenAPI 3.1; validators and
/// some generators refuse the document otherwise).
#[test]
fn every_response_has_a_description() {
    let document = serde_json::to_value(bilim_http::openapi()).unwrap();
    let mut missing = Vec::new();
    for (operation, body) in operations(&document) {
        for (status, response) in body["responses"].as_object().unwrap() {
            let described = response["description"]
                .as_str()
                .is_some_and(|d| !d.trim().is_empty());
            if !described {
                missing.push(format!("{operation} {status}"));
            }
        }
    }
    assert!(missing.is_empty(), "no description: {missing:#?}");
}

/// A route that takes a bearer token can always be refused with 401.
#[test]
fn every_secured_operation_documents_401() {
    let document = serde_json::to_value(bilim_http::openapi()).unwrap();
    let mut secured = 0;
    let mut missing = Vec::new();
    for (operation, body) in operations(&document) {
        // A bearer scheme; the Telegram routes' header secrets have their own 401 codes.
        let has_scheme = body["security"].as_array().is_some_and(|requirements| {
            requirements.iter().any(|r| {
                let r = r.as_object().unwrap();
                r.contains_key("user_token") || r.contains_key("admin_token")
            })
        });
        if !has_scheme {
            continue;
        }
        secured += 1;
        let unauthorized = &body["responses"]["401"];
        let names_codes = unauthorized["description"]
            .as_str()
            .is_some_and(|d| d.contains("auth.required") && d.contains("auth.token_invalid"));
        if !names_codes {
            missing.push(operation);
        }
    }
    assert!(missing.is_empty(), "no 401: {missing:#?}");
    assert!(secured >= 40, "only {secured} secured operations");
}

/// Every error answer is documented as what the server sends: problem+json.
#[test]
fn every_error_answer_is_a_problem() {
    let document = serde_json::to_value(bilim_http::openapi()).unwrap();
    let mut wrong = Vec::new();
    for (operation, body) in operations(&document) {
        for (status, response) in body["responses"].as_object().unwrap() {
            if !(status.starts_with('4') || status.starts_with('5')) {
                continue;
            }
            let content = response["content"].as_object();
            let is_problem = content.is_some_and(|content| {
                content.len() == 1
                    && content["application/problem+json"]["schema"]["$ref"]
                        == "#/components/schemas/Problem"
            });
            if !is_problem {
                wrong.push(format!("{operation} {status}"));
            }
        }
    }
    assert!(wrong.is_empty(), "not problem+json: {wrong:#?}");
}

/// JSON bodies, UUID path parameters and `/api/v1` routes can always be
/// refused in the same ways; the document says so on every operation.
#[test]
fn the_shared_refusals_are_on_every_operation_they_apply_to() {
    let document = serde_json::to_value(bilim_http::openapi()).unwrap();
    let mut missing = Vec::new();
    for (operation, body) in operations(&document) {
        let responses = &body["responses"];
        let says = |status: &str, code: &str| {
            responses[status]["description"]
                .as_str()
                .is_some_and(|d| d.contains(&format!("`{code}`")))
        };
        let mut expect = Vec::new();
        // Payme's and Click's callbacks answer a bad body in their own
        // protocol (200); only the size limit refuses it.
        let provider = operation.contains(" /api/v1/payments/");
        if provider {
            expect.push(("413", "request.too_large"));
        } else if body["requestBody"]["content"]["application/json"].is_object() {
            expect.extend([
                ("400", "request.malformed_json"),
                ("400", "validation"),
                ("413", "request.too_large"),
            ]);
        }
        if body["requestBody"]["required"] == true && !provider {
            expect.push(("415", "request.unsupported_media_type"));
        }
        let uuid_in_path = body["parameters"].as_array().is_some_and(|parameters| {
            parameters
                .iter()
                .any(|p| p["in"] == "path" && p["schema"]["format"] == "uuid")
        });
        if uuid_in_path {
            expect.push(("400", "request.invalid_path"));
        }
        if operation.contains(" /api/v1/") {
            expect.push(("503", "service_unavailable"));
        }
        for (status, code) in expect {
            if !says(status, code) {
                missing.push(format!("{operation}: {status} {code}"));
            }
        }
        if let Some(limited) = responses.get("429")
            && !limited["headers"]["Retry-After"].is_object()
        {
            missing.push(format!("{operation}: 429 without Retry-After"));
        }
    }
    assert!(missing.is_empty(), "{missing:#?}");
}

/// Stored files are served with their real type, and ranges as 206/416.
#[test]
fn signed_files_document_their_types_and_ranges() {
    let document = serde_json::to_value(bilim_http::openapi()).unwrap();
    let responses = &document["paths"]["/api/v1/files/{signed}"]["get"]["responses"];
    for status in ["200", "206"] {
        let mut types: Vec<&String> = responses[status]["content"]
            .as_object()
            .unwrap()
            .keys()
            .collect();
        types.sort();
        assert_eq!(
            types,
            ["application/pdf", "image/jpeg", "video/mp4", "video/webm"],
            "{status}"
        );
    }
    assert!(responses["206"]["headers"]["Content-Range"].is_object());
    assert!(responses["416"]["headers"]["Content-Range"].is_object());
}

/// The body "Try it out" sends as shipped: each field's `example`, where the
/// document gives one.
fn example_body(document: &Value, schema: &str) -> Value {
    let schema = &document["components"]["schemas"][schema];
    let mut body = serde_json::Map::new();
    for (name, property) in schema["properties"].as_object().unwrap() {
        if let Some(example) = property.get("example") {
            body.insert(name.clone(), example.clone());
        }
    }
    for required in schema["required"].as_array().into_iter().flatten() {
        let name = required.as_str().unwrap();
        assert!(body.contains_key(name), "{schema}: no example for {name}");
    }
    Value::Object(body)
}

/// The examples are real: registering, logging in, changing one's profile,
/// creating a direction and an admin with them works on a fresh server.
#[tokio::test]
async fn the_examples_work_as_shipped() {
    use crate::support::{admin_login, create_admin, json_of, patch, post};
    use bilim_domain::admins::AdminRole;

    let document = serde_json::to_value(bilim_http::openapi()).unwrap();
    let app = spawn_app().await;

    let registration = example_body(&document, "RegisterRequest");
    let email = registration["email"].as_str().unwrap().to_owned();
    let challenge = json_of(
        app.post_json("/api/v1/auth/register", &registration).await,
        200,
    )
    .await;
    let code = app.last_code_for(&email).await;
    let verify = serde_json::json!({"challenge_id": challenge["challenge_id"], "code": code});
    let signed_in = json_of(
        app.post_json("/api/v1/auth/register/verify", &verify).await,
        201,
    )
    .await;

    let login = example_body(&document, "LoginRequest");
    assert_eq!(login["email"], registration["email"]);
    json_of(app.post_json("/api/v1/auth/login", &login).await, 200).await;

    let user = signed_in["access_token"].as_str().unwrap();
    let profile = example_body(&document, "ProfilePatch");
    let changed = json_of(patch(&app, "/api/v1/users/me", user, &profile).await, 200).await;
    assert_eq!(changed["phone"], "+998901234567");

    create_admin(&app, "root", "root@bilim.uz", AdminRole::Super).await;
    let admin = admin_login(&app, "root", "root@bilim.uz").await.access;
    for (path, schema) in [
        ("/api/v1/admin/directions", "DirectionCreateBody"),
        ("/api/v1/admin/admins", "NewAdminRequest"),
    ] {
        let body = example_body(&document, schema);
        json_of(post(&app, path, &admin, &body).await, 201).await;
    }
}
