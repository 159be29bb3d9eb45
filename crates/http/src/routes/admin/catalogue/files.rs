//! Videos (an https URL or an uploaded file), workbooks (uploaded PDFs) and
//! the course's certificate. Upload forms go to the service as they arrive.

use super::super::actor;
use crate::dto::catalogue::*;
use crate::dto::validated;
use crate::error::ApiError;
use crate::extract::{ClientIp, CurrentAdmin, JsonObject};
use crate::routes::uploads::{announced_length, form_parts, is_multipart, json_body};
use actix_web::{HttpRequest, HttpResponse, delete, post, put, web};
use bilim_service::catalogue::AdminCatalogue;
use uuid::Uuid;

/// Sets the lesson's video: JSON `{url, duration_seconds}` (https) or a
/// multipart form with `file` (MP4/WebM, streamed to storage) and `duration_seconds`.
#[utoipa::path(
    operation_id = "adminSetLessonVideo",
    tag = "admin-catalogue",
    security(("admin_token" = [])),
    request_body(content((VideoUrlBody = "application/json"), (VideoUpload = "multipart/form-data"))),
    responses(
        (status = 204, description = "The video is set (a replaced stored file is deleted); audited"),
        (status = 400, description = "- `validation`: `duration_seconds` missing or outside 1 to 86 400 (checked first), `url` not an https URL; a form without a `file` field or with two, or a text field over 4096 bytes or not UTF-8\n- `upload.interrupted`: the file's stream broke off; nothing is kept"),
        (status = 404, description = "- `not_found`: no such lesson"),
        (status = 413, description = "- `file.too_large`: the file grows past `BILIM_MAX_VIDEO_BYTES` (2 GiB by default), or the request announces more than that + 64 KiB"),
        (status = 415, description = "- `file.type_not_allowed`: the file is neither MP4 nor WebM by its first bytes"),
    )
)]
#[put("/admin/lessons/{id}/video")]
pub async fn set_video(
    catalogue: web::Data<AdminCatalogue>,
    admin: CurrentAdmin,
    ip: ClientIp,
    id: web::Path<Uuid>,
    request: HttpRequest,
    payload: web::Payload,
) -> Result<HttpResponse, ApiError> {
    let actor = actor(&admin, &ip);
    let lesson_id = id.into_inner();
    if is_multipart(&request) {
        let parts = form_parts(&request, payload);
        catalogue
            .upload_video(&actor, lesson_id, announced_length(&request), parts)
            .await?;
    } else {
        let body: VideoUrlBody = json_body(&request, payload).await?;
        catalogue
            .set_video_url(&actor, lesson_id, body.url, body.duration_seconds)
            .await?;
    }
    Ok(HttpResponse::NoContent().finish())
}

/// Uploads a workbook: multipart `title`, `lesson_id?`, `file` (PDF, checked by content).
#[utoipa::path(
    operation_id = "adminUploadWorkbook",
    tag = "admin-catalogue",
    security(("admin_token" = [])),
    request_body(content = WorkbookUpload, content_type = "multipart/form-data"),
    responses(
        (status = 201, description = "The workbook, stored with its SHA-256; audited", body = WorkbookResponse),
        (status = 400, description = "- `validation`: a `title` outside its rule, a `lesson_id` that is not a lesson of this course, no `file` field or two, or a text field over 4096 bytes or not UTF-8\n- `upload.interrupted`: the file's stream broke off; nothing is kept"),
        (status = 404, description = "- `course.not_found`: no such course"),
        (status = 413, description = "- `file.too_large`: the file grows past `BILIM_MAX_WORKBOOK_BYTES` (50 MiB by default), or the request announces more than that + 64 KiB"),
        (status = 415, description = "- `file.type_not_allowed`: the file is not a PDF by its first bytes"),
    )
)]
#[post("/admin/courses/{id}/workbooks")]
pub async fn create_workbook(
    catalogue: web::Data<AdminCatalogue>,
    admin: CurrentAdmin,
    ip: ClientIp,
    id: web::Path<Uuid>,
    request: HttpRequest,
    payload: web::Payload,
) -> Result<HttpResponse, ApiError> {
    let parts = form_parts(&request, payload);
    let workbook = catalogue
        .upload_workbook(
            &actor(&admin, &ip),
            id.into_inner(),
            announced_length(&request),
            parts,
        )
        .await?;
    Ok(HttpResponse::Created().json(WorkbookResponse::from(&workbook)))
}

/// Deletes a workbook and its file.
#[utoipa::path(
    operation_id = "adminDeleteWorkbook",
    tag = "admin-catalogue",
    security(("admin_token" = [])),
    responses(
        (status = 204, description = "Deleted with its file; audited"),
        (status = 404, description = "- `not_found`: no such workbook"),
    )
)]
#[delete("/admin/workbooks/{id}")]
pub async fn delete_workbook(
    catalogue: web::Data<AdminCatalogue>,
    admin: CurrentAdmin,
    ip: ClientIp,
    id: web::Path<Uuid>,
) -> Result<HttpResponse, ApiError> {
    catalogue
        .delete_workbook(&actor(&admin, &ip), id.into_inner())
        .await?;
    Ok(HttpResponse::NoContent().finish())
}

/// Creates or renames the course's one certificate.
#[utoipa::path(
    operation_id = "adminPutCertificate",
    tag = "admin-catalogue",
    security(("admin_token" = [])),
    request_body = CertificateBody,
    responses(
        (status = 200, description = "The course's one certificate, created or renamed (it keeps its id); audited", body = CertificateSummary),
        (status = 400, description = "- `validation`: `title` is not 1 to 200 characters after trimming"),
        (status = 404, description = "- `not_found`: no such course"),
    )
)]
#[put("/admin/courses/{id}/certificate")]
pub async fn put_certificate(
    catalogue: web::Data<AdminCatalogue>,
    admin: CurrentAdmin,
    ip: ClientIp,
    id: web::Path<Uuid>,
    body: JsonObject<CertificateBody>,
) -> Result<web::Json<CertificateSummary>, ApiError> {
    let body = validated(body.into_inner())?;
    let certificate = catalogue
        .put_certificate(&actor(&admin, &ip), id.into_inner(), &body.title)
        .await?;
    Ok(web::Json(CertificateSummary::from(&certificate)))
}
