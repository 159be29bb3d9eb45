//! The actix `App`: routes, shared state, extractor limits, and the middleware
//! stack (outermost first): request id + log + metrics, security headers, CORS,
//! problem+json for bare errors.

use crate::error::ApiError;
use crate::metrics::Metrics;
use crate::middleware::{REQUEST_ID, observe, problem_for_bare_errors};
use crate::routes;
use actix_cors::Cors;
use actix_web::body::MessageBody;
use actix_web::dev::{ServiceFactory, ServiceRequest, ServiceResponse};
use actix_web::http::{Method, StatusCode, header};
use actix_web::middleware::{DefaultHeaders, ErrorHandlers, from_fn};
use actix_web::{App, HttpRequest, HttpResponse, error, web};
use bilim_service::Services;
use utoipa_actix_web::AppExt;
use utoipa_swagger_ui::SwaggerUi;

/// HTTP-level settings.
#[derive(Debug, Clone)]
pub struct HttpConfig {
    /// Origins allowed to call the API from a browser; empty allows none.
    pub cors_origins: Vec<String>,
    /// Largest JSON body accepted, in bytes.
    pub json_limit: usize,
}

impl Default for HttpConfig {
    fn default() -> Self {
        Self {
            cors_origins: Vec::new(),
            json_limit: 64 * 1024,
        }
    }
}

/// Everything a worker's `App` needs; cloned once per worker thread.
#[derive(Clone)]
pub struct AppState {
    pub services: Services,
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
    app.app_data(web::Data::new(state.services))
        .app_data(web::Data::new(state.metrics))
        .app_data(json_config(state.config.json_limit))
        .app_data(
            web::PathConfig::default().error_handler(|e, _| bad_input("request.invalid_path", e)),
        )
        .app_data(
            web::QueryConfig::default().error_handler(|e, _| bad_input("request.invalid_query", e)),
        )
        .service(SwaggerUi::new("/swagger-ui/{_:.*}").url("/api-docs/openapi.json", api))
        .default_service(web::to(route_not_found))
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

async fn route_not_found(request: HttpRequest) -> Result<HttpResponse, ApiError> {
    Err(ApiError::new(
        StatusCode::NOT_FOUND,
        "route.not_found",
        format!("No route for {} {}.", request.method(), request.path()),
    ))
}

fn security_headers() -> DefaultHeaders {
    // DefaultHeaders never overwrites a header a handler set itself.
    DefaultHeaders::new()
        .add((header::X_CONTENT_TYPE_OPTIONS, "nosniff"))
        .add((header::X_FRAME_OPTIONS, "DENY"))
        .add((header::CONTENT_SECURITY_POLICY, "frame-ancestors 'none'"))
        .add((header::REFERRER_POLICY, "no-referrer"))
        .add((header::CACHE_CONTROL, "no-store"))
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
        ])
        .expose_headers([REQUEST_ID, header::RETRY_AFTER, header::CONTENT_RANGE])
        .supports_credentials()
        .max_age(3600);
    for origin in origins {
        cors = cors.allowed_origin(origin);
    }
    cors
}
