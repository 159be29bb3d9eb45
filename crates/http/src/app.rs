//! The actix `App`: routes, shared state, extractor limits, and the middleware
//! stack (outermost first): request id + log + metrics, security headers, CORS,
//! problem+json for bare errors. A request no route takes answers 405 with
//! `Allow` when its path is known, else 404.

use crate::error::ApiError;
use crate::metrics::Metrics;
use crate::middleware::{REQUEST_ID, observe, problem_for_bare_errors};
use crate::routes;
use actix_cors::Cors;
use actix_web::body::MessageBody;
use actix_web::dev::{ResourceDef, ServiceFactory, ServiceRequest, ServiceResponse};
use actix_web::http::{Method, StatusCode, header};
use actix_web::middleware::{DefaultHeaders, ErrorHandlers, from_fn};
use actix_web::{App, HttpRequest, HttpResponse, error, web};
use bilim_service::accounts::Accounts;
use bilim_service::admin::{AdminAuth, AdminStats, AdminUsers, Admins, Auditor};
use bilim_service::catalogue::{AdminCatalogue, Catalogue};
use bilim_service::files::FileService;
use bilim_service::health::HealthService;
use bilim_service::idempotency::Idempotency;
use bilim_service::learning::{AdminAccess, Learning};
use bilim_service::olympiads::{AdminOlympiads, Olympiads};
use bilim_service::orders::{AdminOrders, Click, Orders, Payme};
use bilim_service::profiles::Profiles;
use bilim_service::quizzes::{AdminQuizzes, Quizzes};
use bilim_service::search::Search;
use bilim_service::shop::{AdminShop, Shop};
use bilim_service::telegram::Telegram;
use bilim_service::wallet::{AdminWallets, Wallets};
use std::sync::Arc;
use utoipa::openapi::OpenApi;
use utoipa_actix_web::AppExt;
use utoipa_swagger_ui::SwaggerUi;

/// The largest JSON body, in bytes: 256 KiB. The largest body a schema allows
/// is a course with a 20 000-character description, and JSON may write each of
/// those characters as an escaped surrogate pair (`\ud83d\ude00`, 12 bytes):
/// 240 000 bytes. A smaller limit would refuse bodies the document calls valid.
pub const JSON_LIMIT: usize = 256 * 1024;

/// HTTP-level settings.
#[derive(Debug, Clone)]
pub struct HttpConfig {
    /// Origins allowed to call the API from a browser; empty allows none.
    pub cors_origins: Vec<String>,
    /// Largest JSON body accepted, in bytes.
    pub json_limit: usize,
    /// Proxies whose `X-Forwarded-For` is believed.
    pub trusted_proxies: Vec<std::net::IpAddr>,
    /// How long a request (not a multipart upload) may take before it is
    /// answered 503.
    pub request_deadline: std::time::Duration,
}

impl Default for HttpConfig {
    fn default() -> Self {
        Self {
            cors_origins: Vec::new(),
            json_limit: JSON_LIMIT,
            trusted_proxies: Vec::new(),
            request_deadline: std::time::Duration::from_secs(5),
        }
    }
}

/// The use cases the handlers call, built by the server. Each is registered
/// as its own `web::Data`, and a handler asks for the ones it uses
/// (`web::Data<Accounts>`); every worker shares the same instances.
#[derive(Clone)]
pub struct ApiServices {
    pub health: Arc<HealthService>,
    pub files: Arc<FileService>,
    pub accounts: Arc<Accounts>,
    pub profiles: Arc<Profiles>,
    pub admin_auth: Arc<AdminAuth>,
    pub admin_users: Arc<AdminUsers>,
    pub admins: Arc<Admins>,
    pub auditor: Arc<Auditor>,
    pub catalogue: Arc<Catalogue>,
    pub admin_catalogue: Arc<AdminCatalogue>,
    pub learning: Arc<Learning>,
    pub admin_access: Arc<AdminAccess>,
    pub idempotency: Arc<Idempotency>,
    pub wallets: Arc<Wallets>,
    pub admin_wallets: Arc<AdminWallets>,
    pub shop: Arc<Shop>,
    pub admin_shop: Arc<AdminShop>,
    pub search: Arc<Search>,
    pub admin_stats: Arc<AdminStats>,
    pub orders: Arc<Orders>,
    pub admin_orders: Arc<AdminOrders>,
    /// Absent while Payme is not configured: its route answers 404.
    pub payme: Option<Arc<Payme>>,
    /// Absent while Click is not configured: its routes answer 404.
    pub click: Option<Arc<Click>>,
    /// `None` when the Telegram settings are unset: its routes answer 404.
    pub telegram: Option<Arc<Telegram>>,
    pub quizzes: Arc<Quizzes>,
    pub admin_quizzes: Arc<AdminQuizzes>,
    pub olympiads: Arc<Olympiads>,
    pub admin_olympiads: Arc<AdminOlympiads>,
}

/// Everything a worker's `App` needs; cloned once per worker thread.
#[derive(Clone)]
pub struct AppState {
    pub services: ApiServices,
    pub metrics: Metrics,
    pub config: HttpConfig,
}

pub fn app(
    state: AppState,
) -> App<
    impl ServiceFactory<
        ServiceRequest,
        Config = (),
        Response = ServiceResponse<impl MessageBody>,
        Error = actix_web::Error,
        InitError = (),
    >,
> {
    let (app, api) = App::new()
        .into_utoipa_app()
        .openapi(crate::openapi::ApiDoc::document())
        .configure(routes::configure)
        .split_for_parts();
    let api = crate::openapi::finish(api);
    let known_paths = web::Data::new(KnownPaths::of(&api));
    let ApiServices {
        health,
        files,
        accounts,
        profiles,
        admin_auth,
        admin_users,
        admins,
        auditor,
        catalogue,
        admin_catalogue,
        learning,
        admin_access,
        idempotency,
        wallets,
        admin_wallets,
        shop,
        admin_shop,
        search,
        admin_stats,
        orders,
        admin_orders,
        payme,
        click,
        telegram,
        quizzes,
        admin_quizzes,
        olympiads,
        admin_olympiads,
    } = state.services;
    // Providers and the bot are absent without their settings: their routes then answer 404.
    let app = match payme {
        Some(payme) => app.app_data(web::Data::from(payme)),
        None => app,
    };
    let app = match click {
        Some(click) => app.app_data(web::Data::from(click)),
        None => app,
    };
    let app = match telegram {
        Some(telegram) => app.app_data(web::Data::from(telegram)),
        None => app,
    };
    app.app_data(web::Data::from(orders))
        .app_data(web::Data::from(admin_orders))
        .app_data(web::Data::from(health))
        .app_data(web::Data::from(files))
        .app_data(web::Data::from(accounts))
        .app_data(web::Data::from(profiles))
        .app_data(web::Data::from(admin_auth))
        .app_data(web::Data::from(admin_users))
        .app_data(web::Data::from(admins))
        .app_data(web::Data::from(auditor))
        .app_data(web::Data::from(catalogue))
        .app_data(web::Data::from(admin_catalogue))
        .app_data(web::Data::from(learning))
        .app_data(web::Data::from(admin_access))
        .app_data(web::Data::from(idempotency))
        .app_data(web::Data::from(wallets))
        .app_data(web::Data::from(admin_wallets))
        .app_data(web::Data::from(shop))
        .app_data(web::Data::from(admin_shop))
        .app_data(web::Data::from(search))
        .app_data(web::Data::from(quizzes))
        .app_data(web::Data::from(admin_quizzes))
        .app_data(web::Data::from(olympiads))
        .app_data(web::Data::from(admin_olympiads))
        .app_data(web::Data::from(admin_stats))
        .app_data(web::Data::new(state.metrics))
        .app_data(json_config(state.config.json_limit))
        .app_data(web::PayloadConfig::default().limit(state.config.json_limit))
        .app_data(web::Data::new(state.config.clone()))
        .app_data(
            web::PathConfig::default().error_handler(|e, _| bad_input("request.invalid_path", e)),
        )
        .app_data(
            web::QueryConfig::default().error_handler(|e, _| bad_input("request.invalid_query", e)),
        )
        .app_data(known_paths)
        .service(SwaggerUi::new(SWAGGER_UI).url(OPENAPI_JSON, api))
        .default_service(web::to(no_route))
        .wrap(from_fn(crate::controls::refuse_in_url))
        .wrap(from_fn(crate::middleware::deadline))
        .wrap(ErrorHandlers::new().default_handler(problem_for_bare_errors))
        .wrap(cors(&state.config.cors_origins))
        .wrap(security_headers())
        .wrap(from_fn(observe))
}

fn json_config(limit: usize) -> web::JsonConfig {
    web::JsonConfig::default().limit(limit).error_handler(
        move |error, _: &HttpRequest| match &error {
            error::JsonPayloadError::OverflowKnownLength { .. }
            | error::JsonPayloadError::Overflow { .. } => ApiError::new(
                StatusCode::PAYLOAD_TOO_LARGE,
                "request.too_large",
                format!("JSON bodies are limited to {limit} bytes."),
            )
            .into(),
            error::JsonPayloadError::ContentType => ApiError::new(
                StatusCode::UNSUPPORTED_MEDIA_TYPE,
                "request.unsupported_media_type",
                "Send JSON with Content-Type: application/json.",
            )
            .into(),
            error::JsonPayloadError::Deserialize(cause) if cause.is_data() => {
                bad_input("validation", cause)
            }
            _ => bad_input("request.malformed_json", error),
        },
    )
}

fn bad_input(code: &str, cause: impl std::fmt::Display) -> actix_web::Error {
    ApiError::bad_request(code, cause.to_string()).into()
}

const OPENAPI_JSON: &str = "/api-docs/openapi.json";
const SWAGGER_UI: &str = "/swagger-ui/{_:.*}";

/// Every path the app serves with the methods it takes there, read from the
/// OpenAPI document (built from the same registration as the routes) plus the
/// document and Swagger UI themselves.
struct KnownPaths(Vec<(ResourceDef, Vec<Method>)>);

impl KnownPaths {
    fn of(api: &OpenApi) -> Self {
        let mut paths: Vec<(ResourceDef, Vec<Method>)> = api
            .paths
            .paths
            .iter()
            .map(|(path, item)| {
                let methods = [
                    (Method::GET, &item.get),
                    (Method::HEAD, &item.head),
                    (Method::POST, &item.post),
                    (Method::PUT, &item.put),
                    (Method::PATCH, &item.patch),
                    (Method::DELETE, &item.delete),
                    (Method::OPTIONS, &item.options),
                    (Method::TRACE, &item.trace),
                ]
                .into_iter()
                .filter(|(_, operation)| operation.is_some())
                .map(|(method, _)| method)
                .collect();
                (ResourceDef::new(path.as_str()), methods)
            })
            .collect();
        for path in [OPENAPI_JSON, SWAGGER_UI] {
            paths.push((ResourceDef::new(path), vec![Method::GET]));
        }
        Self(paths)
    }

    /// The methods some route takes at `path`, in a fixed order; empty when
    /// no route has this path.
    fn allowed(&self, path: &str) -> Vec<Method> {
        let mut allowed: Vec<Method> = Vec::new();
        for (resource, methods) in &self.0 {
            if resource.is_match(path) {
                allowed.extend(methods.iter().cloned());
            }
        }
        let order = |m: &Method| {
            [
                "GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS", "TRACE",
            ]
            .iter()
            .position(|name| *name == m.as_str())
        };
        allowed.sort_by_key(order);
        allowed.dedup();
        allowed
    }
}

/// No route took the request: 405 with `Allow` when the path is served with
/// other methods, else 404.
async fn no_route(
    request: HttpRequest,
    known: Option<web::Data<KnownPaths>>,
) -> Result<HttpResponse, ApiError> {
    let allowed = known.map(|k| k.allowed(request.path())).unwrap_or_default();
    if allowed.is_empty() {
        return Err(ApiError::new(
            StatusCode::NOT_FOUND,
            "route.not_found",
            format!("No route for {} {}.", request.method(), request.path()),
        ));
    }
    let allow = allowed
        .iter()
        .map(Method::as_str)
        .collect::<Vec<_>>()
        .join(", ");
    let error = ApiError::new(
        StatusCode::METHOD_NOT_ALLOWED,
        "method.not_allowed",
        format!(
            "{} allows {allow}, not {}.",
            request.path(),
            request.method()
        ),
    );
    let mut response = actix_web::ResponseError::error_response(&error);
    if let Ok(value) = header::HeaderValue::from_str(&allow) {
        response.headers_mut().insert(header::ALLOW, value);
    }
    Ok(response)
}

/// The headers every answer carries.
pub(crate) const SECURITY_HEADERS: [(header::HeaderName, &str); 5] = [
    (header::X_CONTENT_TYPE_OPTIONS, "nosniff"),
    (header::X_FRAME_OPTIONS, "DENY"),
    (header::CONTENT_SECURITY_POLICY, "frame-ancestors 'none'"),
    (header::REFERRER_POLICY, "no-referrer"),
    (header::CACHE_CONTROL, "no-store"),
];

fn security_headers() -> DefaultHeaders {
    // DefaultHeaders never overwrites a header a handler set itself.
    SECURITY_HEADERS
        .into_iter()
        .fold(DefaultHeaders::new(), |headers, header| headers.add(header))
}

fn cors(origins: &[String]) -> Cors {
    let mut cors = Cors::default()
        .allowed_methods([
            Method::GET,
            Method::POST,
            Method::PUT,
            Method::PATCH,
            Method::DELETE,
        ])
        .allowed_headers([
            header::AUTHORIZATION,
            header::CONTENT_TYPE,
            header::ACCEPT,
            REQUEST_ID,
            header::HeaderName::from_static("idempotency-key"),
        ])
        .expose_headers([
            REQUEST_ID,
            header::RETRY_AFTER,
            header::CONTENT_RANGE,
            header::HeaderName::from_static("idempotent-replayed"),
        ])
        .supports_credentials()
        .max_age(3600);
    for origin in origins {
        cors = cors.allowed_origin(origin);
    }
    cors
}

#[cfg(test)]
mod tests {
    //! Body errors need a route that takes JSON; this one exists only here.
    use super::*;
    use crate::middleware::problem_for_bare_errors;
    use actix_web::test;
    use serde::Deserialize;

    #[derive(Deserialize)]
    #[serde(deny_unknown_fields)]
    #[allow(dead_code)]
    struct Greeting {
        name: String,
    }

    async fn greet(body: web::Json<Greeting>) -> HttpResponse {
        HttpResponse::Ok().body(body.into_inner().name)
    }

    async fn post(content_type: &str, body: &'static str) -> (u16, serde_json::Value) {
        let app = test::init_service(
            App::new()
                .app_data(json_config(64))
                .route("/greet", web::post().to(greet))
                .wrap(ErrorHandlers::new().default_handler(problem_for_bare_errors)),
        )
        .await;
        let request = test::TestRequest::post()
            .uri("/greet")
            .insert_header((header::CONTENT_TYPE, content_type))
            .set_payload(body)
            .to_request();
        let response = test::call_service(&app, request).await;
        let status = response.status().as_u16();
        assert_eq!(
            response.headers().get(header::CONTENT_TYPE).unwrap(),
            crate::error::PROBLEM_JSON
        );
        (status, test::read_body_json(response).await)
    }

    #[actix_web::test]
    async fn malformed_json_is_a_400_problem() {
        let (status, body) = post("application/json", "{\"name\": ").await;
        assert_eq!(
            (status, body["code"].as_str()),
            (400, Some("request.malformed_json"))
        );
    }

    #[actix_web::test]
    async fn unknown_fields_and_wrong_types_are_validation_errors() {
        for payload in [
            "{\"name\":\"Aziz\",\"role\":\"admin\"}",
            "{\"name\": 42}",
            "{}",
        ] {
            let (status, body) = post("application/json", payload).await;
            assert_eq!(
                (status, body["code"].as_str()),
                (400, Some("validation")),
                "{payload}"
            );
        }
    }

    #[actix_web::test]
    async fn an_oversized_body_is_413() {
        let (status, body) = post(
            "application/json",
            "{\"name\": \"a name far longer than the sixty-four bytes this test allows\"}",
        )
        .await;
        assert_eq!(
            (status, body["code"].as_str()),
            (413, Some("request.too_large"))
        );
    }

    #[actix_web::test]
    async fn a_non_json_content_type_is_415() {
        let (status, body) = post("text/plain", "{\"name\":\"Aziz\"}").await;
        assert_eq!(
            (status, body["code"].as_str()),
            (415, Some("request.unsupported_media_type"))
        );
    }

    // The built-in `#[test]`: `actix_web::test` is imported above.
    #[::core::prelude::v1::test]
    fn known_paths_answer_the_methods_their_routes_take() {
        let known = KnownPaths::of(&crate::openapi::openapi());
        let allowed = |path: &str| {
            known
                .allowed(path)
                .iter()
                .map(Method::to_string)
                .collect::<Vec<_>>()
        };
        assert_eq!(allowed("/health/live"), ["GET"]);
        assert_eq!(
            allowed("/api/v1/admin/directions/0190d4a8-0000-7000-8000-000000000000"),
            ["GET", "PATCH", "DELETE"]
        );
        // A path parameter matches any one segment, parsed or not.
        assert_eq!(allowed("/api/v1/courses/not-a-uuid"), ["GET"]);
        assert_eq!(allowed("/api/v1/users/me"), ["GET", "PATCH", "DELETE"]);
        assert_eq!(allowed("/api-docs/openapi.json"), ["GET"]);
        assert_eq!(allowed("/swagger-ui/index.html"), ["GET"]);
        for unknown in [
            "/api/v1/nothing-here",
            "/api/v1/courses/",
            "/api/v1/courses/a/b",
            "/health",
        ] {
            assert!(allowed(unknown).is_empty(), "{unknown}");
        }
    }
}
