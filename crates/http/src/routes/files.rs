//! `GET /api/v1/files/{signed}`: a stored file through a signed, expiring link,
//! streamed in chunks, with single-range support so video players can seek.

use crate::error::ApiError;
use actix_web::http::StatusCode;
use actix_web::http::header::{self, HeaderMap};
use actix_web::web::Bytes;
use actix_web::{HttpRequest, HttpResponse, get, web};
use bilim_domain::ports::{FileReader, RangeRequest};
use bilim_service::files::{FileDownload, FileService};
use futures_util::Stream;

/// The bytes of a stored file, for the document.
#[derive(utoipa::ToSchema)]
#[schema(value_type = String, format = Binary)]
pub struct FileBytes(#[allow(dead_code)] Vec<u8>);

/// Downloads the file a signed link names.
#[utoipa::path(
    operation_id = "downloadFile",
    tag = "files",
    params(
        ("signed" = String, Path, description = "The signed reference of a link Bilim handed out: `{key}.{expiry}.{mac}`"),
        ("Range" = Option<String>, Header, description = "One byte range: `bytes=first-last`, `bytes=first-` or `bytes=-count`; anything else is ignored", example = "bytes=0-1048575"),
    ),
    responses(
        (status = 200, description = "The whole file. Its type follows what was stored: avatars `image/jpeg`, workbooks and certificates `application/pdf`, videos `video/mp4` or `video/webm`", content((FileBytes = "image/jpeg"), (FileBytes = "application/pdf"), (FileBytes = "video/mp4"), (FileBytes = "video/webm")), headers(("Accept-Ranges" = String, description = "`bytes`"), ("Content-Length" = u64, description = "The file's size"))),
        (status = 206, description = "The requested range", content((FileBytes = "image/jpeg"), (FileBytes = "application/pdf"), (FileBytes = "video/mp4"), (FileBytes = "video/webm")), headers(("Content-Range" = String, description = "`bytes first-last/size`"), ("Accept-Ranges" = String, description = "`bytes`"), ("Content-Length" = u64, description = "The range's length"))),
        (status = 404, description = "- `file.not_found`: the link is unknown, forged, altered or expired, or the file is gone"),
        (status = 416, description = "- `file.range_not_satisfiable`: the range starts past the end of the file", headers(("Content-Range" = String, description = "`bytes */size`: the file's size"))),
    )
)]
#[get("/files/{signed}")]
pub async fn download(
    files: web::Data<FileService>,
    signed: web::Path<String>,
    request: HttpRequest,
) -> Result<HttpResponse, ApiError> {
    let range = requested_range(request.headers());
    let download = files.open_signed(&signed, range).await?;
    Ok(match download {
        FileDownload::Whole { key, reader } => {
            let size = reader.object_size();
            HttpResponse::Ok()
                .content_type(key.content_type())
                .insert_header((header::ACCEPT_RANGES, "bytes"))
                .no_chunking(size)
                .streaming(chunks(reader))
        }
        FileDownload::Partial { key, reader, range } => {
            let size = reader.object_size();
            HttpResponse::PartialContent()
                .content_type(key.content_type())
                .insert_header((header::ACCEPT_RANGES, "bytes"))
                .insert_header((
                    header::CONTENT_RANGE,
                    format!("bytes {}-{}/{size}", range.first, range.last),
                ))
                .no_chunking(range.len())
                .streaming(chunks(reader))
        }
        FileDownload::Unsatisfiable { size } => {
            let error = ApiError::new(
                StatusCode::RANGE_NOT_SATISFIABLE,
                "file.range_not_satisfiable",
                format!("The file has {size} bytes."),
            );
            let mut response = actix_web::ResponseError::error_response(&error);
            if let Ok(value) = format!("bytes */{size}").parse() {
                response.headers_mut().insert(header::CONTENT_RANGE, value);
            }
            response
        }
    })
}

/// One `bytes=` range; anything else (several ranges, other units, garbage) is
/// ignored and the whole file is sent, as RFC 9110 allows.
fn requested_range(headers: &HeaderMap) -> Option<RangeRequest> {
    let spec = headers
        .get(header::RANGE)?
        .to_str()
        .ok()?
        .trim()
        .strip_prefix("bytes=")?;
    if spec.contains(',') {
        return None;
    }
    let (first, last) = spec.split_once('-')?;
    let (first, last) = (first.trim(), last.trim());
    match (first.is_empty(), last.is_empty()) {
        (true, false) => Some(RangeRequest::Suffix {
            count: last.parse().ok()?,
        }),
        (false, true) => Some(RangeRequest::From {
            first: first.parse().ok()?,
        }),
        (false, false) => Some(RangeRequest::Bounded {
            first: first.parse().ok()?,
            last: last.parse().ok()?,
        }),
        (true, true) => None,
    }
}

/// The reader as a body stream; a read error ends the stream (the client sees a
/// short body against its Content-Length) and is logged.
fn chunks(reader: Box<dyn FileReader>) -> impl Stream<Item = Result<Bytes, actix_web::Error>> {
    futures_util::stream::unfold(Some(reader), |state| async move {
        let mut reader = state?;
        match reader.next_chunk().await {
            Ok(Some(chunk)) => Some((Ok(Bytes::from(chunk)), Some(reader))),
            Ok(None) => None,
            Err(error) => {
                tracing::error!(%error, "file read failed mid-stream");
                Some((
                    Err(actix_web::error::ErrorInternalServerError("read failed")),
                    None,
                ))
            }
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use actix_web::http::header::HeaderValue;

    fn range_of(value: &str) -> Option<RangeRequest> {
        let mut headers = HeaderMap::new();
        headers.insert(header::RANGE, HeaderValue::from_str(value).unwrap());
        requested_range(&headers)
    }

    #[test]
    fn parses_single_byte_ranges() {
        assert_eq!(
            range_of("bytes=0-99"),
            Some(RangeRequest::Bounded { first: 0, last: 99 })
        );
        assert_eq!(
            range_of("bytes=100-"),
            Some(RangeRequest::From { first: 100 })
        );
        assert_eq!(
            range_of("bytes=-50"),
            Some(RangeRequest::Suffix { count: 50 })
        );
    }

    #[test]
    fn ignores_what_it_does_not_serve() {
        for value in ["bytes=0-1,5-6", "items=0-5", "bytes=-", "bytes=a-b", "0-5"] {
            assert_eq!(range_of(value), None, "{value}");
        }
    }
}
