//! Turning raw input into domain values, collecting every field's problem so a
//! client learns all of them at once. Shared by every area's input.

use crate::{FieldError, ServiceError};
use bilim_domain::DomainError;

/// Collects field errors while values are parsed.
#[derive(Default)]
pub struct Invalid(Vec<FieldError>);

impl Invalid {
    /// The value, or `None` after recording why it is invalid.
    pub fn check<T>(&mut self, result: Result<T, DomainError>) -> Option<T> {
        match result {
            Ok(value) => Some(value),
            Err(DomainError::Invalid {
                field,
                code,
                message,
            }) => {
                self.0.push(FieldError {
                    field: field.to_owned(),
                    code: code.to_owned(),
                    message,
                });
                None
            }
            Err(other) => {
                self.0.push(FieldError {
                    field: "request".to_owned(),
                    code: "invalid".to_owned(),
                    message: other.to_string(),
                });
                None
            }
        }
    }

    /// `Ok` when nothing was recorded, else one 400 `validation` naming each field.
    pub fn finish(self) -> Result<(), ServiceError> {
        if self.0.is_empty() {
            return Ok(());
        }
        let fields: Vec<&str> = self.0.iter().map(|e| e.field.as_str()).collect();
        Err(ServiceError::Validation {
            code: "validation",
            message: format!("Invalid fields: {}.", fields.join(", ")),
            errors: self.0,
        })
    }
}
