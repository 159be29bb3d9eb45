//! Reading upload forms: the `file` field is streamed straight into storage
//! (type sniffed, size capped); the other fields are small text.

use crate::error::ApiError;
use actix_multipart::{Multipart, MultipartError};
use actix_web::http::{StatusCode, header};
use actix_web::{HttpRequest, web};
use bilim_service::ServiceError;
use bilim_service::catalogue::{AdminCatalogue, StoredUpload, UploadKind};
use futures_util::StreamExt;
use serde::de::DeserializeOwned;
use std::collections::HashMap;

/// Longest text field accepted in a form.
const TEXT_FIELD_BYTES: usize = 4096;
/// Largest JSON body on a route that also takes forms.
const JSON_BYTES: usize = 64 * 1024;

pub fn is_multipart(request: &HttpRequest) -> bool {
    request
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("multipart/form-data"))
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
        if body.len() + chunk.len() > JSON_BYTES {
            return Err(ApiError::new(
                StatusCode::PAYLOAD_TOO_LARGE,
                "request.too_large",
                "JSON bodies are limited to 64 KiB.",
            ));
        }
        body.extend_from_slice(&chunk);
    }
    serde_json::from_slice(&body).map_err(|e| {
        let code = if e.is_data() {
            "validation"
        } else {
            "request.malformed_json"
        };
        ApiError::bad_request(code, e.to_string())
    })
}

/// An upload form: the stored file (if one came) and the text fields.
pub struct Form {
    upload: Option<StoredUpload>,
    fields: HashMap<String, String>,
}

impl Form {
    /// The file and the fields; 400 when no `file` field came.
    pub fn into_parts(self) -> Result<(StoredUpload, HashMap<String, String>), ApiError> {
        let upload = self.upload.ok_or_else(|| {
            ApiError::bad_request("validation", "Send the file in a form field named file.")
        })?;
        Ok((upload, self.fields))
    }
}

fn form_error(error: MultipartError) -> ApiError {
    match error {
        MultipartError::ContentTypeMissing
        | MultipartError::ContentTypeParse
        | MultipartError::ContentTypeIncompatible => ApiError::new(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "request.unsupported_media_type",
            "Send multipart/form-data.",
        ),
        other => ApiError::bad_request("request.malformed_multipart", other.to_string()),
    }
}

/// Reads a form whose `file` is of `kind`. A body announced larger than the
/// limit is refused before anything is read.
pub async fn read_form(
    catalogue: &AdminCatalogue,
    request: &HttpRequest,
    payload: web::Payload,
    kind: UploadKind,
) -> Result<Form, ApiError> {
    let limit = catalogue.upload_limit(kind);
    let announced = request
        .headers()
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<u64>().ok());
    if announced.is_some_and(|length| length > limit + 64 * 1024) {
        return Err(ServiceError::TooLarge {
            code: "file.too_large",
            message: format!(
                "This file is over the limit of {} MiB.",
                limit / 1024 / 1024
            ),
        }
        .into());
    }
    let mut form = Form {
        upload: None,
        fields: HashMap::new(),
    };
    let mut multipart = Multipart::new(request.headers(), payload);
    let outcome = read_fields(catalogue, &mut multipart, kind, &mut form).await;
    if let Err(error) = outcome {
        if let Some(upload) = form.upload.take() {
            catalogue.discard(upload).await;
        }
        return Err(error);
    }
    Ok(form)
}

async fn read_fields(
    catalogue: &AdminCatalogue,
    multipart: &mut Multipart,
    kind: UploadKind,
    form: &mut Form,
) -> Result<(), ApiError> {
    while let Some(field) = multipart.next().await {
        let mut field = field.map_err(form_error)?;
        let name = field.name().unwrap_or_default().to_owned();
        if name == "file" {
            if form.upload.is_some() {
                return Err(ApiError::bad_request("validation", "Send one file."));
            }
            let chunks = Box::pin(field.map(|chunk| chunk.map(|bytes| bytes.to_vec())));
            form.upload = Some(catalogue.store(kind, chunks).await?);
            continue;
        }
        let mut text = Vec::new();
        while let Some(chunk) = field.next().await {
            let chunk = chunk.map_err(form_error)?;
            if text.len() + chunk.len() > TEXT_FIELD_BYTES {
                return Err(ApiError::bad_request(
                    "validation",
                    format!("The field {name} is too long."),
                ));
            }
            text.extend_from_slice(&chunk);
        }
        let text = String::from_utf8(text).map_err(|_| {
            ApiError::bad_request("validation", format!("The field {name} is not UTF-8 text."))
        })?;
        form.fields.insert(name, text);
    }
    Ok(())
}
