//! The HTTP side of `Idempotency-Key` (`bilim_service::idempotency`): the
//! header, the request's fingerprint (method, path and the body as parsed),
//! and answers stored and sent again as they were, marked
//! `Idempotent-Replayed: true` when replayed.

use crate::error::ApiError;
use actix_web::dev::Payload;
use actix_web::http::StatusCode;
use actix_web::{FromRequest, HttpRequest, HttpResponse};
use bilim_domain::idempotency::StoredAnswer;
use bilim_domain::values::IdempotencyKey;
use bilim_service::idempotency::Replayable;
use bilim_service::{ServiceError, ServiceResult};
use serde::Serialize;
use std::future::{Ready, ready};

pub const HEADER: &str = "Idempotency-Key";
pub const REPLAYED: &str = "Idempotent-Replayed";

/// The request's `Idempotency-Key` and what it keys: the method, the path
/// and (added by [`Keyed::fingerprint`]) the body.
pub struct Keyed {
    pub key: IdempotencyKey,
    request: String,
}

impl Keyed {
    /// The bytes that say what was asked, for the stored hash.
    pub fn fingerprint(&self, body: &impl Serialize) -> Vec<u8> {
        let mut bytes = self.request.clone().into_bytes();
        bytes.push(b'\n');
        bytes.extend(serde_json::to_vec(body).unwrap_or_default());
        bytes
    }
}

impl FromRequest for Keyed {
    type Error = ApiError;
    type Future = Ready<Result<Self, ApiError>>;

    fn from_request(request: &HttpRequest, _: &mut Payload) -> Self::Future {
        let raw = request.headers().get(HEADER).map(|value| value.to_str());
        let key = match raw {
            None => Err(ApiError::from_domain(bilim_domain::DomainError::invalid(
                HEADER,
                "idempotency.key_required",
                "send an Idempotency-Key header of 1 to 64 characters",
            ))),
            Some(Err(_)) => Err(ApiError::from(ServiceError::from(
                bilim_domain::DomainError::invalid(
                    HEADER,
                    "idempotency.key_invalid",
                    "must be 1 to 64 visible ASCII characters",
                ),
            ))),
            Some(Ok(raw)) => IdempotencyKey::parse(raw).map_err(|e| ServiceError::from(e).into()),
        };
        ready(key.map(|key| Self {
            key,
            request: format!("{} {}", request.method(), request.path()),
        }))
    }
}

/// An answer to store: `status` and `body` as JSON.
pub fn stored(status: StatusCode, body: &impl Serialize) -> ServiceResult<StoredAnswer> {
    let body = serde_json::to_string(body).map_err(|e| ServiceError::Internal(e.to_string()))?;
    Ok(StoredAnswer {
        status: status.as_u16(),
        body,
    })
}

/// The answer as it was first sent.
pub fn respond(replayable: Replayable) -> HttpResponse {
    let status = StatusCode::from_u16(replayable.answer.status).unwrap_or(StatusCode::OK);
    let mut response = HttpResponse::build(status);
    response.content_type("application/json");
    if replayable.replayed {
        response.insert_header((REPLAYED, "true"));
    }
    response.body(replayable.answer.body)
}
