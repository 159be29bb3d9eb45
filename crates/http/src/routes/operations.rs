//! Liveness, readiness and metrics for load balancers and Prometheus.

use crate::error::{ApiError, ProblemField};
use crate::metrics::Metrics;
use actix_web::http::StatusCode;
use actix_web::{HttpResponse, get, web};
use bilim_service::health::HealthService;
use serde::Serialize;
use utoipa::ToSchema;

#[derive(Serialize, ToSchema)]
pub struct Status {
    #[schema(value_type = crate::dto::enums::HealthStatus)]
    pub status: &'static str,
}

/// The process answers; checks no dependency.
#[utoipa::path(
    operation_id = "healthLive",
    tag = "operations",
    responses(
        (status = 200, description = "The process answers (no dependency is checked)", body = Status, example = json!({"status": "alive"})),
    )
)]
#[get("/health/live")]
pub async fn live() -> web::Json<Status> {
    web::Json(Status { status: "alive" })
}

/// Ready to serve: the database and, when configured, Redis answer.
#[utoipa::path(
    operation_id = "healthReady",
    tag = "operations",
    responses(
        (status = 200, description = "The database and, when configured, Redis answer", body = Status, example = json!({"status": "ready"})),
        (status = 503, description = "- `service_unavailable`: a dependency is down; `errors` names each (`field` `database` or `redis`, `code` `dependency.down`)"),
    )
)]
#[get("/health/ready")]
pub async fn ready(health: web::Data<HealthService>) -> Result<web::Json<Status>, ApiError> {
    let readiness = health.readiness().await;
    if readiness.ready {
        return Ok(web::Json(Status { status: "ready" }));
    }
    let down: Vec<ProblemField> = readiness
        .checks
        .iter()
        .filter(|check| !check.ok)
        .map(|check| ProblemField {
            field: check.name.to_owned(),
            code: "dependency.down".to_owned(),
            message: format!("{} does not answer", check.name),
        })
        .collect();
    let names: Vec<&str> = down.iter().map(|d| d.field.as_str()).collect();
    let detail = format!("Not ready: {} down.", names.join(", "));
    Err(ApiError::new(
        StatusCode::SERVICE_UNAVAILABLE,
        "service_unavailable",
        detail,
    )
    .with_fields(down))
}

/// Request counts and latency histograms in the Prometheus text format.
#[utoipa::path(
    operation_id = "metrics",
    tag = "operations",
    responses(
        (status = 200, description = "Request counts and latency histograms in the Prometheus text format", body = String, content_type = "text/plain"),
    )
)]
#[get("/metrics")]
pub async fn metrics(metrics: web::Data<Metrics>) -> HttpResponse {
    HttpResponse::Ok()
        .content_type("text/plain; version=0.0.4; charset=utf-8")
        .body(metrics.render())
}
