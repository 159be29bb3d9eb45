//! The one error enum of the domain layer: what a port or a value object can report.

use thiserror::Error;

/// Errors raised by value objects and by port adapters.
///
/// Adapters map their library errors into these variants so that no layer above
/// needs to know which database, cache or mail library is behind a port.
#[derive(Debug, Error, Clone, PartialEq, Eq)]
pub enum DomainError {
    /// Input that does not satisfy a domain rule. `field` names the input,
    /// `code` is a stable machine-readable reason.
    #[error("{field}: {message}")]
    Invalid {
        field: &'static str,
        code: &'static str,
        message: String,
    },
    /// The thing asked for does not exist (or has expired).
    #[error("not found")]
    NotFound,
    /// A uniqueness or state rule was violated; `what` names the constraint.
    #[error("conflict: {what}")]
    Conflict { what: String },
    /// A backing service (database, Redis, SMTP, storage) did not answer in time
    /// or refused the request. Safe to retry later.
    #[error("{service} unavailable: {reason}")]
    Unavailable {
        service: &'static str,
        reason: String,
    },
    /// Anything else: a bug or corrupted data. Logged, never shown to clients.
    #[error("internal: {0}")]
    Internal(String),
}

impl DomainError {
    pub fn invalid(field: &'static str, code: &'static str, message: impl Into<String>) -> Self {
        Self::Invalid {
            field,
            code,
            message: message.into(),
        }
    }

    pub fn unavailable(service: &'static str, reason: impl ToString) -> Self {
        Self::Unavailable {
            service,
            reason: reason.to_string(),
        }
    }

    pub fn internal(reason: impl ToString) -> Self {
        Self::Internal(reason.to_string())
    }
}

pub type DomainResult<T> = Result<T, DomainError>;
