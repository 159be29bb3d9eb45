//! Request and response bodies. Requests reject unknown fields; responses are
//! built from domain values, never from database rows.

pub mod admin;
pub mod auth;
pub mod catalogue;
pub mod learning;
pub mod users;

use crate::error::{ApiError, ProblemField};
use validator::Validate;

/// Runs the DTO's `validator` rules; every failing field is listed.
pub fn validated<T: Validate>(body: T) -> Result<T, ApiError> {
    let Err(errors) = body.validate() else {
        return Ok(body);
    };
    let mut fields: Vec<ProblemField> = errors
        .field_errors()
        .into_iter()
        .flat_map(|(field, errors)| {
            errors.iter().map(move |error| ProblemField {
                field: field.to_string(),
                code: error.code.to_string(),
                message: error.message.as_ref().map_or_else(
                    || format!("{field} is not valid ({})", error.code),
                    ToString::to_string,
                ),
            })
        })
        .collect();
    fields.sort_by(|a, b| a.field.cmp(&b.field));
    let names: Vec<&str> = fields.iter().map(|f| f.field.as_str()).collect();
    let detail = format!("Invalid fields: {}.", names.join(", "));
    Err(ApiError::bad_request("validation", detail).with_fields(fields))
}
