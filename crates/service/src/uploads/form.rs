//! Reading a multipart form the HTTP layer hands over as parts, each with its
//! chunks: the part's chunks are read before the next part is asked for.

use super::StoredUpload;
use crate::avatar::MAX_AVATAR_BYTES;
use crate::{FieldError, ServiceError, ServiceResult};
use bilim_domain::values::text::{CONTROL_CHARACTER, Lines, has_control};
use futures_util::{Stream, StreamExt};
use std::collections::HashMap;
use std::future::Future;

/// Longest text field accepted in a form.
const TEXT_FIELD_BYTES: usize = 4096;

/// One field of a form: its name and its bytes as they arrive.
pub struct FormPart<C> {
    pub name: String,
    pub chunks: C,
}

/// The text fields of a form, by name.
pub type Fields = HashMap<String, String>;

/// A form as received: its file, already in storage, and its text fields.
#[derive(Debug, Default)]
pub struct ReceivedForm {
    pub upload: Option<StoredUpload>,
    pub fields: Fields,
}

/// Reads every part: `file` through `store`, the rest as text.
pub(super) async fn read_parts<P, C, E, S, Fut>(
    mut parts: P,
    form: &mut ReceivedForm,
    store: S,
) -> ServiceResult<()>
where
    P: Stream<Item = ServiceResult<FormPart<C>>> + Unpin,
    C: Stream<Item = Result<Vec<u8>, E>> + Unpin,
    E: std::fmt::Display,
    S: Fn(C) -> Fut,
    Fut: Future<Output = ServiceResult<StoredUpload>>,
{
    while let Some(part) = parts.next().await {
        let part = part?;
        if part.name == "file" {
            if form.upload.is_some() {
                return Err(ServiceError::bad_request("validation", "Send one file."));
            }
            form.upload = Some(store(part.chunks).await?);
            continue;
        }
        let text = read_text(&part.name, part.chunks).await?;
        form.fields.insert(part.name, text);
    }
    Ok(())
}

async fn read_text<C, E>(name: &str, chunks: C) -> ServiceResult<String>
where
    C: Stream<Item = Result<Vec<u8>, E>> + Unpin,
    E: std::fmt::Display,
{
    let text = read_capped(chunks, TEXT_FIELD_BYTES, || {
        ServiceError::bad_request("validation", format!("The field {name} is too long."))
    })
    .await?;
    let text = String::from_utf8(text).map_err(|_| {
        ServiceError::bad_request("validation", format!("The field {name} is not UTF-8 text."))
    })?;
    if has_control(&text, Lines::Many) {
        let message = "must not contain control characters".to_owned();
        return Err(ServiceError::Validation {
            code: "validation",
            message: format!("{name}: {message}"),
            errors: vec![FieldError {
                field: name.to_owned(),
                code: CONTROL_CHARACTER.to_owned(),
                message,
            }],
        });
    }
    Ok(text)
}

/// A field's bytes in memory, refused with `too_long()` past `limit` bytes.
async fn read_capped<C, E>(
    mut chunks: C,
    limit: usize,
    too_long: impl Fn() -> ServiceError,
) -> ServiceResult<Vec<u8>>
where
    C: Stream<Item = Result<Vec<u8>, E>> + Unpin,
    E: std::fmt::Display,
{
    let mut bytes = Vec::new();
    while let Some(chunk) = chunks.next().await {
        let chunk = chunk.map_err(malformed)?;
        if bytes.len() + chunk.len() > limit {
            return Err(too_long());
        }
        bytes.extend_from_slice(&chunk);
    }
    Ok(bytes)
}

fn malformed(error: impl std::fmt::Display) -> ServiceError {
    ServiceError::bad_request("request.malformed_multipart", error.to_string())
}

fn image_too_large() -> ServiceError {
    ServiceError::TooLarge {
        code: "file.too_large",
        message: format!(
            "Images are limited to {} MiB.",
            MAX_AVATAR_BYTES / 1024 / 1024
        ),
    }
}

/// Reads the form of an avatar: its `image` field into memory, at most
/// `MAX_AVATAR_BYTES`; other fields are skipped. A body announced larger is
/// refused before anything is read.
pub async fn read_image<P, C, E>(announced: Option<u64>, mut parts: P) -> ServiceResult<Vec<u8>>
where
    P: Stream<Item = ServiceResult<FormPart<C>>> + Unpin,
    C: Stream<Item = Result<Vec<u8>, E>> + Unpin,
    E: std::fmt::Display,
{
    let limit = MAX_AVATAR_BYTES as u64;
    if announced.is_some_and(|length| length > limit + 64 * 1024) {
        return Err(image_too_large());
    }
    let mut image = None;
    while let Some(part) = parts.next().await {
        let part = part?;
        if part.name != "image" {
            continue;
        }
        image = Some(read_capped(part.chunks, MAX_AVATAR_BYTES, image_too_large).await?);
    }
    image.ok_or_else(|| {
        ServiceError::bad_request(
            "validation",
            "Send the picture in a form field named image.",
        )
    })
}
