//! `[user]` learning: videos, progress, workbook downloads and certificates of
//! the courses opened to the user; and the public certificate check.

use crate::dto::learning::*;
use crate::error::{ApiError, Problem};
use crate::extract::{CurrentUser, JsonObject};
use actix_web::{get, post, put, web};
use bilim_service::learning::{Learning, ProgressInput};
use uuid::Uuid;

/// The lesson's video: a signed link that works for about 15 minutes, or an
/// external URL as stored. Needs active access to the course.
#[utoipa::path(
    operation_id = "getLessonVideo",
    tag = "learning", security(("user_token" = [])), responses(
    (status = 200, body = VideoResponse),
    (status = 401, body = Problem, content_type = "application/problem+json"),
    (status = 403, description = "`access.none`, `access.expired`", body = Problem, content_type = "application/problem+json"),
    (status = 404, description = "`lesson.not_found`, `video.not_found`", body = Problem, content_type = "application/problem+json"),
))]
#[get("/lessons/{id}/video")]
pub async fn video(
    learning: web::Data<Learning>,
    user: CurrentUser,
    id: web::Path<Uuid>,
) -> Result<web::Json<VideoResponse>, ApiError> {
    let link = learning.video(user.0.user.id, id.into_inner()).await?;
    Ok(web::Json(link.into()))
}

/// Records the position in the lesson's video. The lesson counts as watched
/// once `completed` is sent or the position reaches 90 % of the duration.
#[utoipa::path(
    operation_id = "recordProgress",
    tag = "learning", security(("user_token" = [])), request_body = ProgressBody, responses(
    (status = 200, body = ProgressResponse),
    (status = 400, body = Problem, content_type = "application/problem+json"),
    (status = 401, body = Problem, content_type = "application/problem+json"),
    (status = 403, description = "`access.none`, `access.expired`", body = Problem, content_type = "application/problem+json"),
    (status = 404, description = "`lesson.not_found`, `video.not_found`", body = Problem, content_type = "application/problem+json"),
))]
#[put("/lessons/{id}/progress")]
pub async fn progress(
    learning: web::Data<Learning>,
    user: CurrentUser,
    id: web::Path<Uuid>,
    body: JsonObject<ProgressBody>,
) -> Result<web::Json<ProgressResponse>, ApiError> {
    let input = ProgressInput {
        position_seconds: body.position_seconds,
        completed: body.completed,
    };
    let progress = learning
        .record_progress(user.0.user.id, id.into_inner(), input)
        .await?;
    Ok(web::Json(progress.into()))
}

/// Takes the one download of the workbook: a link that works for an hour (a
/// broken download can be retried with it). Needs active access and the
/// videos the workbook asks for.
#[utoipa::path(
    operation_id = "downloadWorkbook",
    tag = "learning", security(("user_token" = [])), responses(
    (status = 200, body = LinkResponse),
    (status = 401, body = Problem, content_type = "application/problem+json"),
    (status = 403, description = "`workbook.locked`: no access, or videos not watched", body = Problem, content_type = "application/problem+json"),
    (status = 404, description = "`workbook.not_found`", body = Problem, content_type = "application/problem+json"),
    (status = 409, description = "`workbook.already_taken`", body = Problem, content_type = "application/problem+json"),
))]
#[post("/workbooks/{id}/download")]
pub async fn download_workbook(
    learning: web::Data<Learning>,
    user: CurrentUser,
    id: web::Path<Uuid>,
) -> Result<web::Json<LinkResponse>, ApiError> {
    let link = learning
        .download_workbook(user.0.user.id, id.into_inner())
        .await?;
    Ok(web::Json(link.into()))
}

/// Claims the course's certificate once every video of the course is watched:
/// a serial and a link to the PDF.
#[utoipa::path(
    operation_id = "claimCertificate",
    tag = "learning", security(("user_token" = [])), responses(
    (status = 200, body = CertificateIssueResponse),
    (status = 401, body = Problem, content_type = "application/problem+json"),
    (status = 403, description = "`certificate.locked`: no access, or videos not watched", body = Problem, content_type = "application/problem+json"),
    (status = 404, description = "`course.not_found`, `certificate.not_found`", body = Problem, content_type = "application/problem+json"),
    (status = 409, description = "`certificate.already_claimed`", body = Problem, content_type = "application/problem+json"),
))]
#[post("/courses/{id}/certificate/claim")]
pub async fn claim_certificate(
    learning: web::Data<Learning>,
    user: CurrentUser,
    id: web::Path<Uuid>,
) -> Result<web::Json<CertificateIssueResponse>, ApiError> {
    let issue = learning
        .claim_certificate(user.0.user.id, id.into_inner())
        .await?;
    Ok(web::Json(issue.into()))
}

/// The public check of a certificate serial.
#[utoipa::path(
    operation_id = "checkCertificate",
    tag = "learning", responses(
    (status = 200, body = CertificateCheckResponse),
    (status = 404, description = "`certificate.not_found`", body = Problem, content_type = "application/problem+json"),
))]
#[get("/certificates/{serial}")]
pub async fn check_certificate(
    learning: web::Data<Learning>,
    serial: web::Path<String>,
) -> Result<web::Json<CertificateCheckResponse>, ApiError> {
    let issued = learning.issued_certificate(&serial).await?;
    Ok(web::Json(issued.into()))
}
