//! Cross-cutting request handling: a request id on every request (taken from a
//! sane incoming `X-Request-Id` or made fresh) in the logs and the response, one
//! log line and one metrics sample per request, and problem+json bodies for
//! errors that did not come from a handler.

use crate::error::{ApiError, PROBLEM_JSON, code_for_status};
use crate::metrics::Metrics;
use actix_web::body::{BoxBody, EitherBody, MessageBody};
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::StatusCode;
use actix_web::http::header::{self, HeaderName, HeaderValue};
use actix_web::middleware::{ErrorHandlerResponse, Next};
use actix_web::{HttpMessage, ResponseError, web};
use std::time::Instant;
use tracing::Instrument;

pub const REQUEST_ID: HeaderName = HeaderName::from_static("x-request-id");

/// The id of the current request, for handlers that want to mention it.
#[derive(Debug, Clone)]
pub struct RequestId(pub String);

fn incoming_request_id(request: &ServiceRequest) -> Option<String> {
    let value = request.headers().get(&REQUEST_ID)?.to_str().ok()?;
    let sane = !value.is_empty()
        && value.len() <= 64
        && value
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_');
    sane.then(|| value.to_owned())
}

pub async fn observe(
    request: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<EitherBody<impl MessageBody>>, actix_web::Error> {
    let started = Instant::now();
    let id = incoming_request_id(&request).unwrap_or_else(|| uuid::Uuid::now_v7().to_string());
    request.extensions_mut().insert(RequestId(id.clone()));
    let method = request.method().to_string();
    let span = tracing::info_span!(
        "request",
        request_id = %id,
        method = %method,
        path = %request.path(),
    );
    let metrics = request.app_data::<web::Data<Metrics>>().cloned();

    let outcome = next.call(request).instrument(span.clone()).await;
    let mut response = match outcome {
        Ok(response) => response.map_into_left_body(),
        Err(error) => {
            // Only inner middleware (CORS) fails this way; actix renders the error.
            span.in_scope(|| tracing::warn!(%error, "request refused by middleware"));
            return Err(error);
        }
    };
    let status = response.status();
    let route = response
        .request()
        .match_pattern()
        .unwrap_or_else(|| "unmatched".to_owned());
    let elapsed = started.elapsed();
    if let Ok(value) = HeaderValue::from_str(&id) {
        response.headers_mut().insert(REQUEST_ID, value);
    }
    if let Some(metrics) = metrics {
        metrics.observe(&method, &route, status.as_u16(), elapsed);
    }
    span.in_scope(|| {
        let latency_ms = elapsed.as_micros() as f64 / 1000.0;
        if status.is_server_error() {
            tracing::error!(
                status = status.as_u16(),
                route,
                latency_ms,
                "request failed"
            );
        } else {
            tracing::info!(
                status = status.as_u16(),
                route,
                latency_ms,
                "request finished"
            );
        }
    });
    Ok(response)
}

/// Turns any error response without a problem body (router 404, actix's own
/// errors) into one, so clients can rely on problem+json for every 4xx and 5xx.
pub fn problem_for_bare_errors<B: MessageBody + 'static>(
    response: ServiceResponse<B>,
) -> actix_web::Result<ErrorHandlerResponse<B>> {
    let is_problem = response
        .headers()
        .get(header::CONTENT_TYPE)
        .is_some_and(|value| value.as_bytes().starts_with(PROBLEM_JSON.as_bytes()));
    if is_problem {
        return Ok(ErrorHandlerResponse::Response(
            response.map_into_left_body(),
        ));
    }
    let status = response.status();
    let detail = match response.response().error() {
        Some(error) if status.is_client_error() => error.to_string(),
        _ => status.canonical_reason().unwrap_or("Error").to_owned(),
    };
    let problem = ApiError::new(status, code_for_status(status), detail).error_response();
    let (request, original) = response.into_parts();
    let mut replaced = problem.map_into_boxed_body();
    for (name, value) in original.headers() {
        if name != header::CONTENT_TYPE && name != header::CONTENT_LENGTH {
            replaced.headers_mut().insert(name.clone(), value.clone());
        }
    }
    let replaced: ServiceResponse<BoxBody> = ServiceResponse::new(request, replaced);
    Ok(ErrorHandlerResponse::Response(
        replaced.map_into_right_body(),
    ))
}

/// Answers 503 `service_unavailable` (with `Retry-After`) when the handler has
/// not answered within the deadline, so a hung dependency (a database that
/// stopped talking) never holds a client longer; dropping the handler's future
/// cancels what it waited for. Multipart uploads are exempt: a large video
/// takes as long as its bytes take to arrive, and its reads have their own
/// limits. The deadline covers the response head (`HttpConfig::request_deadline`);
/// a file's body streams afterwards.
///
/// The 503 leaves as an error carrying its whole response (problem body,
/// security headers, request id): a middleware may not hold the request while
/// the router below it runs, so it has none to build a `ServiceResponse` with.
pub async fn deadline(
    request: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<impl MessageBody>, actix_web::Error> {
    let limit = request
        .app_data::<web::Data<crate::app::HttpConfig>>()
        .map(|config| config.request_deadline);
    let upload = request
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|value| value.to_str().ok())
        .is_some_and(|value| {
            value
                .trim_start()
                .to_ascii_lowercase()
                .starts_with("multipart/")
        });
    let Some(limit) = limit.filter(|_| !upload) else {
        return next.call(request).await;
    };
    let id = request
        .extensions()
        .get::<RequestId>()
        .map(|id| id.0.clone());
    match tokio::time::timeout(limit, next.call(request)).await {
        Ok(response) => response,
        Err(_) => {
            tracing::warn!(
                deadline_ms = limit.as_millis() as u64,
                "request deadline passed"
            );
            let error = ApiError::new(
                StatusCode::SERVICE_UNAVAILABLE,
                "service_unavailable",
                "A required service is unavailable; try again shortly.",
            )
            .retry_after(1);
            let mut response = error.error_response();
            for (name, value) in crate::app::SECURITY_HEADERS {
                response
                    .headers_mut()
                    .insert(name, HeaderValue::from_static(value));
            }
            if let Some(value) = id.and_then(|id| HeaderValue::from_str(&id).ok()) {
                response.headers_mut().insert(REQUEST_ID, value);
            }
            Err(actix_web::error::InternalError::from_response(error, response).into())
        }
    }
}
