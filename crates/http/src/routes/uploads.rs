//! The one multipart reader: hands a form to the service as a stream of
//! parts (name and chunks), for avatars, videos and workbooks alike. What is
//! stored, checked, attached or discarded is the service's business.

use crate::error::ApiError;
use crate::extract::json_object;
use actix_multipart::{Field, Multipart, MultipartError};
use actix_web::http::{StatusCode, header};
use actix_web::{HttpRequest, web};
use bilim_service::ServiceError;
use bilim_service::uploads::FormPart;
use futures_util::{Stream, StreamExt};
use serde::de::DeserializeOwned;

pub fn is_multipart(request: &HttpRequest) -> bool {
    request
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("multipart/form-data"))
}

/// The body length the client announced, if any.
pub fn announced_length(request: &HttpRequest) -> Option<u64> {
    request
        .headers()
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<u64>().ok())
}

/// The chunks of one form field.
pub type FieldChunks = futures_util::stream::Map<
    Field,
    fn(Result<web::Bytes, MultipartError>) -> Result<Vec<u8>, MultipartError>,
>;

fn to_vec(chunk: Result<web::Bytes, MultipartError>) -> Result<Vec<u8>, MultipartError> {
    chunk.map(|bytes| bytes.to_vec())
}

fn part_error(error: MultipartError) -> ServiceError {
    match error {
        MultipartError::ContentTypeMissing
        | MultipartError::ContentTypeParse
        | MultipartError::ContentTypeIncompatible => ServiceError::UnsupportedMedia {
            code: "request.unsupported_media_type",
            message: "Send multipart/form-data.".into(),
        },
        other => ServiceError::bad_request("request.malformed_multipart", other.to_string()),
    }
}

/// The form of `request` as the parts the service reads in order.
pub fn form_parts(
    request: &HttpRequest,
    payload: web::Payload,
) -> impl Stream<Item = Result<FormPart<FieldChunks>, ServiceError>> + Unpin {
    Multipart::new(request.headers(), payload).map(|field| {
        let field = field.map_err(part_error)?;
        let name = field.name().unwrap_or_default().to_owned();
        let to_vec: fn(_) -> _ = to_vec;
        Ok(FormPart {
            name,
            chunks: field.map(to_vec),
        })
    })
}

/// A JSON body read by hand (the route also takes forms).
pub async fn json_body<T: DeserializeOwned>(
    request: &HttpRequest,
    mut payload: web::Payload,
) -> Result<T, ApiError> {
    let is_json = request
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("application/json"));
    if !is_json {
        return Err(ApiError::new(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "request.unsupported_media_type",
            "Send JSON or multipart/form-data.",
        ));
    }
    let mut body = web::BytesMut::new();
    while let Some(chunk) = payload.next().await {
        let chunk = chunk.map_err(|e| ApiError::bad_request("request.invalid", e.to_string()))?;
        if body.len() + chunk.len() > crate::app::JSON_LIMIT {
            return Err(ApiError::new(
                StatusCode::PAYLOAD_TOO_LARGE,
                "request.too_large",
                "JSON bodies are limited to 256 KiB.",
            ));
        }
        body.extend_from_slice(&chunk);
    }
    json_object(&body)
}
