//! problem+json errors (RFC 9457) with a stable machine-readable `code`, and the
//! mapping from the service layer's error to an HTTP status.

use actix_web::http::StatusCode;
use actix_web::http::header::{self, HeaderValue};
use actix_web::{HttpResponse, ResponseError};
use bilim_service::{FieldError, ServiceError};
use serde::Serialize;
use std::fmt;
use utoipa::ToSchema;

pub const PROBLEM_JSON: &str = "application/problem+json";

/// `Retry-After` of a 503: a full queue or a dependency coming back.
const UNAVAILABLE_RETRY_AFTER_SECONDS: u64 = 1;

/// One invalid field of a request.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ProblemField {
    /// The field (or query parameter) at fault.
    #[schema(example = "phone")]
    pub field: String,
    /// Stable, machine-readable: `name.length`, `phone.invalid`, `required`, …
    #[schema(example = "phone.invalid")]
    pub code: String,
    #[schema(example = "must be an Uzbek number such as +998 90 123 45 67")]
    pub message: String,
}

/// The body of every error response (RFC 9457, `application/problem+json`).
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Problem {
    /// A URI naming the kind of problem: `https://bilim.uz/problems/{code}`.
    #[serde(rename = "type")]
    #[schema(example = "https://bilim.uz/problems/validation")]
    pub kind: String,
    /// The status's reason phrase.
    #[schema(example = "Bad Request")]
    pub title: String,
    /// The HTTP status.
    #[schema(minimum = 400, maximum = 599, example = 400)]
    pub status: u16,
    /// For people; never an internal cause.
    #[schema(example = "Invalid fields: phone.")]
    pub detail: String,
    /// Stable, machine-readable: `validation`, `auth.code_invalid`, …
    #[schema(example = "validation")]
    pub code: String,
    /// Only when fields are at fault: each one with its own code.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(value_type = Vec<ProblemField>, required = false)]
    pub errors: Option<Vec<ProblemField>>,
}

/// An error on its way to the client.
#[derive(Debug)]
pub struct ApiError {
    status: StatusCode,
    code: String,
    detail: String,
    errors: Option<Vec<ProblemField>>,
    retry_after_seconds: Option<u64>,
}

impl ApiError {
    pub fn new(status: StatusCode, code: impl Into<String>, detail: impl Into<String>) -> Self {
        Self {
            status,
            code: code.into(),
            detail: detail.into(),
            errors: None,
            retry_after_seconds: None,
        }
    }

    /// A refused value, as a 400 `validation` naming its field.
    pub fn from_domain(error: bilim_domain::DomainError) -> Self {
        ServiceError::from(error).into()
    }

    pub fn bad_request(code: &str, detail: impl Into<String>) -> Self {
        Self::new(StatusCode::BAD_REQUEST, code, detail)
    }

    /// Adds `Retry-After: seconds`.
    pub fn retry_after(mut self, seconds: u64) -> Self {
        self.retry_after_seconds = Some(seconds);
        self
    }

    /// The same problem with other words for people (`code` stays).
    pub fn with_detail(mut self, detail: impl Into<String>) -> Self {
        self.detail = detail.into();
        self
    }

    pub fn with_fields(mut self, errors: Vec<ProblemField>) -> Self {
        self.errors = Some(errors);
        self
    }

    pub fn status(&self) -> StatusCode {
        self.status
    }

    pub fn problem(&self) -> Problem {
        Problem {
            kind: format!("https://bilim.uz/problems/{}", self.code),
            title: self.status.canonical_reason().unwrap_or("Error").to_owned(),
            status: self.status.as_u16(),
            detail: self.detail.clone(),
            code: self.code.clone(),
            errors: self.errors.clone(),
        }
    }
}

impl fmt::Display for ApiError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} {}: {}", self.status.as_u16(), self.code, self.detail)
    }
}

impl ResponseError for ApiError {
    fn status_code(&self) -> StatusCode {
        self.status
    }

    fn error_response(&self) -> HttpResponse {
        let mut response = HttpResponse::build(self.status);
        response.insert_header((header::CONTENT_TYPE, HeaderValue::from_static(PROBLEM_JSON)));
        if let Some(seconds) = self.retry_after_seconds {
            response.insert_header((header::RETRY_AFTER, seconds.to_string()));
        }
        response.json(self.problem())
    }
}

fn fields(errors: Vec<FieldError>) -> Vec<ProblemField> {
    errors
        .into_iter()
        .map(|e| ProblemField {
            field: e.field,
            code: e.code,
            message: e.message,
        })
        .collect()
}

impl From<ServiceError> for ApiError {
    fn from(error: ServiceError) -> Self {
        match error {
            ServiceError::Validation {
                code,
                message,
                errors,
            } if errors.is_empty() => Self::bad_request(code, message),
            ServiceError::Validation {
                code,
                message,
                errors,
            } => Self::bad_request(code, message).with_fields(fields(errors)),
            ServiceError::Unauthorized { code } => Self::new(
                StatusCode::UNAUTHORIZED,
                code,
                "Missing, invalid or expired credentials.",
            ),
            ServiceError::Forbidden { code } => Self::new(
                StatusCode::FORBIDDEN,
                code,
                "You are not allowed to do this.",
            ),
            ServiceError::Locked { code } => {
                Self::new(StatusCode::FORBIDDEN, code, "This is not unlocked yet.")
            }
            ServiceError::NotFound { code } => {
                Self::new(StatusCode::NOT_FOUND, code, "Nothing was found here.")
            }
            ServiceError::Conflict { code, message } => {
                Self::new(StatusCode::CONFLICT, code, message)
            }
            ServiceError::Unprocessable { code, message } => {
                Self::new(StatusCode::UNPROCESSABLE_ENTITY, code, message)
            }
            ServiceError::TooLarge { code, message } => {
                Self::new(StatusCode::PAYLOAD_TOO_LARGE, code, message)
            }
            ServiceError::UnsupportedMedia { code, message } => {
                Self::new(StatusCode::UNSUPPORTED_MEDIA_TYPE, code, message)
            }
            ServiceError::RateLimited { retry_after } => {
                // Rounded up: a client that waits the advertised time is never early.
                let seconds =
                    (retry_after.as_secs() + u64::from(retry_after.subsec_nanos() > 0)).max(1);
                let mut error = Self::new(
                    StatusCode::TOO_MANY_REQUESTS,
                    "rate_limited",
                    format!("Too many requests; try again in {seconds} s."),
                );
                error.retry_after_seconds = Some(seconds);
                error
            }
            ServiceError::Unavailable { service, reason } => {
                tracing::warn!(service, reason, "dependency unavailable");
                Self::new(
                    StatusCode::SERVICE_UNAVAILABLE,
                    "service_unavailable",
                    "A required service is unavailable; try again shortly.",
                )
                .retry_after(UNAVAILABLE_RETRY_AFTER_SECONDS)
            }
            ServiceError::Internal(cause) => {
                tracing::error!(cause, "internal error");
                Self::new(
                    StatusCode::INTERNAL_SERVER_ERROR,
                    "internal",
                    "Something went wrong on our side; it has been logged.",
                )
            }
        }
    }
}

/// The code used when something other than a handler (the router, an extractor,
/// actix itself) produced an error response without a problem body.
pub fn code_for_status(status: StatusCode) -> &'static str {
    match status.as_u16() {
        400 => "request.invalid",
        401 => "auth.required",
        403 => "forbidden",
        404 => "route.not_found",
        405 => "method.not_allowed",
        408 => "request.timeout",
        413 => "request.too_large",
        415 => "request.unsupported_media_type",
        429 => "rate_limited",
        503 => "service_unavailable",
        500..=599 => "internal",
        _ => "error",
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    #[test]
    fn every_service_error_has_its_status_and_code() {
        let cases: Vec<(ServiceError, u16, &str)> = vec![
            (
                ServiceError::validation("email", "email.invalid", "bad"),
                400,
                "email.invalid",
            ),
            (
                ServiceError::Unauthorized {
                    code: "auth.invalid_credentials",
                },
                401,
                "auth.invalid_credentials",
            ),
            (
                ServiceError::Forbidden {
                    code: "admin.forbidden",
                },
                403,
                "admin.forbidden",
            ),
            (
                ServiceError::Locked {
                    code: "workbook.locked",
                },
                403,
                "workbook.locked",
            ),
            (
                ServiceError::NotFound {
                    code: "file.not_found",
                },
                404,
                "file.not_found",
            ),
            (
                ServiceError::Conflict {
                    code: "workbook.already_taken",
                    message: "taken".into(),
                },
                409,
                "workbook.already_taken",
            ),
            (
                ServiceError::Unprocessable {
                    code: "idempotency.mismatch",
                    message: "other body".into(),
                },
                422,
                "idempotency.mismatch",
            ),
            (
                ServiceError::RateLimited {
                    retry_after: Duration::from_secs(42),
                },
                429,
                "rate_limited",
            ),
            (
                ServiceError::Unavailable {
                    service: "redis",
                    reason: "refused".into(),
                },
                503,
                "service_unavailable",
            ),
            (
                ServiceError::Internal("SELECT * FROM secrets".into()),
                500,
                "internal",
            ),
        ];
        for (error, status, code) in cases {
            let api = ApiError::from(error);
            assert_eq!(api.status().as_u16(), status);
            assert_eq!(api.problem().code, code);
        }
    }

    #[test]
    fn internal_causes_never_reach_the_body() {
        let api = ApiError::from(ServiceError::Internal("password=hunter2 at db".into()));
        let body = serde_json::to_string(&api.problem()).unwrap();
        assert!(!body.contains("hunter2"));
    }

    #[test]
    fn rate_limits_carry_retry_after() {
        let api = ApiError::from(ServiceError::RateLimited {
            retry_after: Duration::from_millis(1500),
        });
        let response = api.error_response();
        assert_eq!(response.headers().get(header::RETRY_AFTER).unwrap(), "2");
        assert_eq!(
            response.headers().get(header::CONTENT_TYPE).unwrap(),
            PROBLEM_JSON
        );
    }
}
