//! Bilim's REST API on actix-web: routes, request and response DTOs,
//! problem+json errors, request ids, metrics and the OpenAPI document.
//! Handlers stay thin: extract, validate, call one service, map the result.

mod app;
mod controls;
mod dto;
pub mod error;
mod extract;
mod idempotency;
mod metrics;
mod middleware;
mod openapi;
mod openapi_controls;
mod routes;

pub use app::{ApiServices, AppState, HttpConfig, app};
pub use error::ApiError;
pub use metrics::Metrics;
pub use middleware::RequestId;
pub use openapi::openapi;
