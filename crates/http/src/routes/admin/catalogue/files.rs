//! Videos (an https URL or an uploaded file), workbooks (uploaded PDFs) and
//! the course's certificate. Upload forms go to the service as they arrive.

use super::super::actor;
use crate::dto::catalogue::*;
use crate::dto::validated;
use crate::error::{ApiError, Problem};
use crate::extract::{ClientIp, CurrentAdmin, JsonObject};
use crate::routes::uploads::{announced_length, form_parts, is_multipart, json_body};
use actix_web::{HttpRequest, HttpResponse, delete, post, put, web};
use bilim_service::catalogue::AdminCatalogue;
use uuid::Uuid;

/// Sets the lesson's video: JSON `{url, duration_seconds}` (https) or a
/// multipart form with `file` (MP4/WebM, streamed to storage) and `duration_seconds`.
#[utoipa::path(
    operation_id = "adminSetLessonVideo",
    tag = "admin-catalogue", security(("admin_token" = [])),
    request_body(content((VideoUrlBody = "application/json"), (VideoUpload = "multipart/form-data"))),
    responses(
        (status = 204, description = "Set"),
        (status = 400, body = Problem, content_type = "application/problem+json"),
        (status = 413, description = "`file.too_large`", body = Problem, content_type = "application/problem+json"),
        (status = 415, description = "`file.type_not_allowed`", body = Problem, content_type = "application/problem+json"),
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
    tag = "admin-catalogue", security(("admin_token" = [])),
    request_body(content = WorkbookUpload, content_type = "multipart/form-data"),
    responses(
        (status = 201, body = WorkbookResponse),
        (status = 400, body = Problem, content_type = "application/problem+json"),
        (status = 404, body = Problem, content_type = "application/problem+json"),
        (status = 413, description = "`file.too_large`", body = Problem, content_type = "application/problem+json"),
        (status = 415, description = "`file.type_not_allowed`", body = Problem, content_type = "application/problem+json"),
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
    tag = "admin-catalogue", security(("admin_token" = [])), responses(
    (status = 204, description = "Deleted"),
    (status = 404, body = Problem, content_type = "application/problem+json"),
))]
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
    tag = "admin-catalogue", security(("admin_token" = [])), request_body = CertificateBody, responses(
    (status = 200, body = CertificateSummary),
    (status = 404, body = Problem, content_type = "application/problem+json"),
))]
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
