//! The OpenAPI document: routes collected from the same registration the app
//! uses, plus metadata, the two bearer schemes (user and admin tokens), and
//! the answers every route shares, added by [`finish`] from what the route
//! declares rather than repeated on each:
//!
//! - every error answer (4xx, 5xx) is `application/problem+json` with the
//!   `Problem` schema, whatever the annotation says;
//! - a route with a bearer scheme can answer 401 (`auth.required`,
//!   `auth.token_invalid`);
//! - a JSON body can answer 400 `request.malformed_json` and `validation`, 413
//!   `request.too_large` and, when required, 415; a form 400
//!   `request.malformed_multipart` and 415;
//! - a UUID path parameter can answer 400 `request.invalid_path`, query
//!   parameters 400 `request.invalid_query` and `validation`;
//! - every `/api/v1` route can answer 503 `service_unavailable`;
//! - a 429 carries `Retry-After`.
//!
//! Annotations list what is particular to their route; [`finish`] appends the
//! rest to the same status, one `- \`code\`: when` line each.

use crate::routes;
use actix_web::App;
use serde_json::Value;
use utoipa::openapi::content::ContentBuilder;
use utoipa::openapi::header::HeaderBuilder;
use utoipa::openapi::path::{Operation, PathItem};
use utoipa::openapi::security::{ApiKey, ApiKeyValue, HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::openapi::{ObjectBuilder, Ref, RefOr, Required, ResponseBuilder, Type};
use utoipa::{Modify, OpenApi};
use utoipa_actix_web::AppExt;

#[derive(OpenApi)]
#[openapi(
    info(
        title = "Bilim API",
        description = "REST API of Bilim, the online education platform: accounts, catalogue, course access, learning.\n\nErrors are `application/problem+json` with a stable `code`; a wrong method on a known path answers 405 with `Allow`, an unknown path 404 `route.not_found`.",
    ),
    modifiers(&BearerSchemes),
    // Schemas the routes name only by reference or as a parameter's type.
    components(schemas(
        crate::error::Problem,
        crate::dto::auth::RefreshRequest,
        crate::dto::enums::UserRole,
        crate::dto::enums::AdminRole,
        crate::dto::enums::CourseLevel,
        crate::dto::enums::QuestionKind,
        crate::dto::enums::OlympiadLevelDto,
        crate::dto::enums::OlympiadStatusDto,
        crate::dto::enums::CourseStatus,
        crate::dto::enums::UserStatusFilter,
    )),
    tags(
        (name = "auth", description = "Email-code registration, login and password reset; tokens"),
        (name = "users", description = "The signed-in user's own account"),
        (name = "catalogue", description = "Directions, courses, modules, lessons: published content, never a video"),
        (name = "learning", description = "Videos, progress, once-only workbooks and certificates of the courses opened to the user"),
        (name = "admin-catalogue", description = "Catalogue management for admins"),
        (name = "admin", description = "The admin dashboard: admin login, users and their course access, admins, audit log"),
        (name = "wallet", description = "Balances in so'm and their ledger; admins' top-ups and adjustments (with `Idempotency-Key`)"),
        (name = "shop", description = "Products bought by the month from the balance, device-bound subscriptions, licence checks, subjects (document 002)"),
        (name = "admin-shop", description = "Products and users' subscriptions for admins"),
        (name = "orders", description = "Offerings and the user's orders: placed with `Idempotency-Key`, paid from the balance, Payme or Click (documents 004 and 003)"),
        (name = "admin-orders", description = "Offerings and orders for admins: complete, cancel, archive"),
        (name = "payments", description = "Called by Payme and Click, not by clients: the Payme Merchant API and the Click SHOP API; 404 while the provider is not configured"),
        (name = "telegram", description = "The Telegram bot of document 002: pre-registration tokens and the webhook"),
        (name = "tests", description = "Tests of lessons: attempts timed and graded on the server, results, points and the leaderboard (document 003)"),
        (name = "admin-tests", description = "Tests and questions for admins"),
        (name = "olympiads", description = "Olympiads: status from the clock, capacity-safe registration, one attempt, results (document 003)"),
        (name = "admin-olympiads", description = "Olympiads and their participants for admins"),
        (name = "operations", description = "Health and metrics"),
        (name = "files", description = "Stored files through signed links"),
    )
)]
pub(crate) struct ApiDoc;

impl ApiDoc {
    /// Metadata and security schemes, before routes are added.
    pub(crate) fn document() -> utoipa::openapi::OpenApi {
        <Self as OpenApi>::openapi()
    }
}

struct BearerSchemes;

impl Modify for BearerSchemes {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        for (name, description) in [
            ("user_token", "Access token of a user (aud=user)"),
            ("admin_token", "Access token of an admin (aud=admin)"),
        ] {
            let scheme = HttpBuilder::new()
                .scheme(HttpAuthScheme::Bearer)
                .bearer_format("JWT")
                .description(Some(description))
                .build();
            components.add_security_scheme(name, SecurityScheme::Http(scheme));
        }
        for (name, header, description) in [
            (
                "bot_secret",
                "X-Bilim-Bot-Secret",
                "The bot's shared secret (`BILIM_TELEGRAM_BOT_SECRET`)",
            ),
            (
                "telegram_secret",
                "X-Telegram-Bot-Api-Secret-Token",
                "The webhook secret Telegram sends back (`BILIM_TELEGRAM_WEBHOOK_SECRET`)",
            ),
        ] {
            components.add_security_scheme(
                name,
                SecurityScheme::ApiKey(ApiKey::Header(ApiKeyValue::with_description(
                    header,
                    description,
                ))),
            );
        }
    }
}

/// The whole document, as served at `/api-docs/openapi.json` and printed by
/// `bilim openapi`.
pub fn openapi() -> utoipa::openapi::OpenApi {
    let (_, api) = App::new()
        .into_utoipa_app()
        .openapi(ApiDoc::document())
        .configure(routes::configure)
        .split_for_parts();
    finish(api)
}

/// Adds the answers routes share (see the module's documentation).
pub(crate) fn finish(mut api: utoipa::openapi::OpenApi) -> utoipa::openapi::OpenApi {
    for (path, item) in &mut api.paths.paths {
        for operation in operations(item) {
            shared_answers(path, operation);
            problems_for_errors(operation);
        }
    }
    crate::openapi_controls::add_text_patterns(&mut api);
    api
}

pub(crate) fn operations(item: &mut PathItem) -> impl Iterator<Item = &mut Operation> {
    [
        &mut item.get,
        &mut item.put,
        &mut item.post,
        &mut item.delete,
        &mut item.options,
        &mut item.head,
        &mut item.patch,
        &mut item.trace,
    ]
    .into_iter()
    .filter_map(Option::as_mut)
}

const USER_401: &str = "- `auth.required`: no `Authorization: Bearer` token\n- `auth.token_invalid`: the token is forged, expired or an admin's, the account is inactive, or its tokens were ended (logout everywhere, a password change or reset, deactivation)";
const ADMIN_401: &str = "- `auth.required`: no `Authorization: Bearer` token\n- `auth.token_invalid`: the token is forged, expired or a user's, the admin is inactive, or its tokens were ended";
const MALFORMED_JSON: &str = "- `request.malformed_json`: the body is not JSON";
const JSON_SHAPE: &str = "- `validation`: the body is not a JSON object of this shape (an array, string, number or `null`; an unknown or missing field; a value of the wrong type); `detail` says what";
const JSON_TOO_LARGE: &str = "- `request.too_large`: the JSON body is over 256 KiB";
const MEDIA_TYPE: &str =
    "- `request.unsupported_media_type`: the body is not sent as a content type listed here";
const MALFORMED_MULTIPART: &str =
    "- `request.malformed_multipart`: the form is broken (outside its `file` field)";
const INVALID_QUERY: &str = "- `request.invalid_query`: a parameter does not parse (a `limit` that is not a number, an id that is not a UUID)";
const QUERY_RULES: &str =
    "- `validation`: `limit` outside 1 to 100, or a `cursor` this API did not give out";
const URL_CONTROLS: &str = "- `validation`: the path or a query parameter holds a control character (`text.control_character`)";
const UNAVAILABLE: &str = "- `service_unavailable`: the database, Redis or file storage did not answer; try again shortly";

fn shared_answers(path: &str, operation: &mut Operation) {
    let security = serde_json::to_value(&operation.security).unwrap_or(Value::Null);
    let schemes = security.to_string();
    if schemes.contains("\"admin_token\"") {
        add(operation, "401", ADMIN_401);
    } else if schemes.contains("\"user_token\"") {
        add(operation, "401", USER_401);
    }

    let body = operation.request_body.as_ref().and_then(|body| match body {
        RefOr::T(body) => Some((
            body.content.keys().cloned().collect::<Vec<_>>(),
            matches!(body.required, Some(Required::True)),
        )),
        RefOr::Ref(_) => None,
    });
    // The providers' callbacks read the raw body and answer a bad one in
    // their own protocol (HTTP 200); only the size limit applies.
    let provider = path.starts_with("/api/v1/payments/");
    if provider && body.is_some() {
        add(operation, "413", JSON_TOO_LARGE);
    } else if let Some((types, required)) = body {
        if types.iter().any(|t| t == "application/json") {
            add(operation, "400", MALFORMED_JSON);
            add(operation, "400", JSON_SHAPE);
            add(operation, "413", JSON_TOO_LARGE);
        }
        if types.iter().any(|t| t == "multipart/form-data") {
            add(operation, "400", MALFORMED_MULTIPART);
        }
        if required {
            add(operation, "415", MEDIA_TYPE);
        }
    }

    let parameters = serde_json::to_value(&operation.parameters).unwrap_or(Value::Null);
    let parameters = parameters.as_array().cloned().unwrap_or_default();
    let uuid_path: Vec<String> = parameters
        .iter()
        .filter(|p| p["in"] == "path" && p["schema"]["format"] == "uuid")
        .filter_map(|p| p["name"].as_str().map(|name| format!("`{name}`")))
        .collect();
    if !uuid_path.is_empty() {
        let line = format!(
            "- `request.invalid_path`: {} is not a UUID",
            uuid_path.join(" or ")
        );
        add(operation, "400", &line);
    }
    let in_query = |name: &str| {
        parameters
            .iter()
            .any(|p| p["in"] == "query" && p["name"] == name)
    };
    if parameters.iter().any(|p| p["in"] == "query") {
        add(operation, "400", INVALID_QUERY);
    }
    if parameters
        .iter()
        .any(|p| p["in"] == "query" || (p["in"] == "path" && p["schema"]["format"] != "uuid"))
    {
        add(operation, "400", URL_CONTROLS);
    }
    if in_query("limit") {
        add(operation, "400", QUERY_RULES);
    }

    if path.starts_with("/api/") {
        add(operation, "503", UNAVAILABLE);
    }
    if let Some(RefOr::T(response)) = operation.responses.responses.get_mut("429") {
        let seconds = HeaderBuilder::new()
            .schema(Some(
                ObjectBuilder::new()
                    .schema_type(Type::Integer)
                    .minimum(Some(1)),
            ))
            .description(Some("Whole seconds to wait before trying again"))
            .build();
        response
            .headers
            .entry("Retry-After".to_owned())
            .or_insert(RefOr::T(seconds));
    }
}

/// Appends `line` to the answer with `status`, creating it when the route
/// declared none; a line already there is not repeated.
fn add(operation: &mut Operation, status: &str, line: &str) {
    let responses = &mut operation.responses.responses;
    match responses.get_mut(status) {
        Some(RefOr::T(response)) => {
            if response.description.lines().any(|l| l == line) {
                return;
            }
            if !response.description.is_empty() {
                response.description.push('\n');
            }
            response.description.push_str(line);
        }
        Some(RefOr::Ref(_)) => {}
        None => {
            responses.insert(
                status.to_owned(),
                RefOr::T(ResponseBuilder::new().description(line).build()),
            );
        }
    }
}

/// Every 4xx and 5xx answer is a problem (RFC 9457).
fn problems_for_errors(operation: &mut Operation) {
    for (status, response) in &mut operation.responses.responses {
        let is_error = status.starts_with('4') || status.starts_with('5');
        if let (true, RefOr::T(response)) = (is_error, response) {
            response.content.clear();
            response.content.insert(
                crate::error::PROBLEM_JSON.to_owned(),
                RefOr::T(
                    ContentBuilder::new()
                        .schema(Some(Ref::from_schema_name("Problem")))
                        .build(),
                ),
            );
        }
    }
}
