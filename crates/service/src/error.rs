//! The service layer's one error enum. The HTTP layer maps each variant to a
//! status and each `code` to the stable `code` of a problem+json body.

use bilim_domain::DomainError;
use std::time::Duration;
use thiserror::Error;

/// One problem with one input field.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldError {
    pub field: String,
    pub code: String,
    pub message: String,
}

#[derive(Debug, Error)]
pub enum ServiceError {
    /// 400: input breaks a rule; `code` is `validation` or a more precise one
    /// (`password.weak`), `errors` says which fields.
    #[error("{code}: {message}")]
    Validation {
        code: &'static str,
        message: String,
        errors: Vec<FieldError>,
    },
    /// 401: no, bad or expired credentials.
    #[error("unauthorized: {code}")]
    Unauthorized { code: &'static str },
    /// 403: known caller, not allowed.
    #[error("forbidden: {code}")]
    Forbidden { code: &'static str },
    /// 403: allowed in principle, not yet unlocked (videos not watched, …).
    #[error("locked: {code}")]
    Locked { code: &'static str },
    /// 404, also for other users' objects.
    #[error("not found: {code}")]
    NotFound { code: &'static str },
    /// 409: already done, or a uniqueness rule.
    #[error("conflict: {code}: {message}")]
    Conflict { code: &'static str, message: String },
    /// 422: understood, but refused as it stands (an idempotency key used
    /// for another request).
    #[error("unprocessable: {code}: {message}")]
    Unprocessable { code: &'static str, message: String },
    /// 413: a body or file over its limit.
    #[error("too large: {code}: {message}")]
    TooLarge { code: &'static str, message: String },
    /// 415: a file of a type the route does not take.
    #[error("unsupported media: {code}: {message}")]
    UnsupportedMedia { code: &'static str, message: String },
    /// 429 with `Retry-After`.
    #[error("rate limited for {retry_after:?}")]
    RateLimited { retry_after: Duration },
    /// 503: a required service is down; the reason is logged, not shown.
    #[error("{service} unavailable: {reason}")]
    Unavailable {
        service: &'static str,
        reason: String,
    },
    /// 500: a bug; logged with the request id, never shown.
    #[error("internal: {0}")]
    Internal(String),
}

pub type ServiceResult<T> = Result<T, ServiceError>;

impl ServiceError {
    /// 400 with `code` about the request as a whole, naming no field.
    pub fn bad_request(code: &'static str, message: impl Into<String>) -> Self {
        Self::Validation {
            code,
            message: message.into(),
            errors: Vec::new(),
        }
    }

    pub fn validation(field: &str, code: &'static str, message: impl Into<String>) -> Self {
        let message = message.into();
        Self::Validation {
            code,
            message: message.clone(),
            errors: vec![FieldError {
                field: field.to_owned(),
                code: code.to_owned(),
                message,
            }],
        }
    }
}

impl From<DomainError> for ServiceError {
    fn from(error: DomainError) -> Self {
        match error {
            // A bad field is always a 400 `validation`; the field's own code
            // (`password.length`, `phone.invalid`) is in `errors`.
            DomainError::Invalid {
                field,
                code,
                message,
            } => Self::Validation {
                code: "validation",
                message: format!("{field}: {message}"),
                errors: vec![FieldError {
                    field: field.to_owned(),
                    code: code.to_owned(),
                    message,
                }],
            },
            DomainError::NotFound => Self::NotFound { code: "not_found" },
            DomainError::Conflict { what } => Self::Conflict {
                code: "conflict",
                message: what,
            },
            DomainError::Unavailable { service, reason } => Self::Unavailable { service, reason },
            DomainError::Internal(reason) => Self::Internal(reason),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn domain_errors_keep_their_meaning() {
        let invalid =
            DomainError::invalid("email", "email.invalid", "is not a valid email address");
        match ServiceError::from(invalid) {
            ServiceError::Validation { code, errors, .. } => {
                assert_eq!(code, "validation");
                assert_eq!(errors[0].code, "email.invalid");
                assert_eq!(errors[0].field, "email");
            }
            other => panic!("unexpected {other:?}"),
        }
        assert!(matches!(
            ServiceError::from(DomainError::unavailable("redis", "refused")),
            ServiceError::Unavailable {
                service: "redis",
                ..
            }
        ));
        assert!(matches!(
            ServiceError::from(DomainError::NotFound),
            ServiceError::NotFound { .. }
        ));
    }
}
