//! `[user]` learning: videos, progress, workbook downloads and certificates of
//! the courses opened to the user; and the public certificate check.

use crate::dto::learning::*;
use crate::error::ApiError;
use crate::extract::{CurrentUser, JsonObject};
use actix_web::{get, post, put, web};
use bilim_service::learning::{Learning, ProgressInput};
use uuid::Uuid;

/// The lesson's video: a signed link that works for about 15 minutes, or an
/// external URL as stored. Needs active access to the course.
#[utoipa::path(
    operation_id = "getLessonVideo",
    tag = "learning",
    security(("user_token" = [])),
    responses(
        (status = 200, description = "The video: a signed link for about 15 minutes (ranges supported), or the external URL as stored", body = VideoResponse),
        (status = 403, description = "- `access.none`: the user holds no grant on the course, or it was revoked\n- `access.expired`: the grant's `expires_at` has passed"),
        (status = 404, description = "- `lesson.not_found`: no such lesson, or its course is not published and the user holds no grant on it\n- `video.not_found`: the lesson has no video"),
    )
)]
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
    tag = "learning",
    security(("user_token" = [])),
    request_body = ProgressBody,
    responses(
        (status = 200, description = "The progress as recorded", body = ProgressResponse),
        (status = 400, description = "- `validation`: `position_seconds` is negative"),
        (status = 403, description = "- `access.none`: the user holds no grant on the course, or it was revoked\n- `access.expired`: the grant's `expires_at` has passed"),
        (status = 404, description = "- `lesson.not_found`: no such lesson, or its course is not published and the user holds no grant on it\n- `video.not_found`: the lesson has no video"),
    )
)]
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

/// The signed-in user's progress: every course they hold or held a grant on
/// (expired and revoked too), newest grant first, with lessons watched and
/// tests passed per module in outline order; `[]` without any grant.
#[utoipa::path(
    operation_id = "getMyProgress",
    tag = "learning",
    security(("user_token" = [])),
    responses(
        (status = 200, description = "One item per course, newest grant first", body = Vec<CourseProgressResponse>),
    )
)]
#[get("/users/me/progress")]
pub async fn my_progress(
    learning: web::Data<Learning>,
    user: CurrentUser,
) -> Result<web::Json<Vec<CourseProgressResponse>>, ApiError> {
    let report = learning.progress_report(user.0.user.id).await?;
    Ok(web::Json(report.into_iter().map(Into::into).collect()))
}

/// Takes the one download of the workbook: a link that works for an hour (a
/// broken download can be retried with it). Needs active access and the
/// videos the workbook asks for.
#[utoipa::path(
    operation_id = "downloadWorkbook",
    tag = "learning",
    security(("user_token" = [])),
    responses(
        (status = 200, description = "The one download: a link that works for an hour (a broken download can be retried with it)", body = LinkResponse),
        (status = 403, description = "- `workbook.locked`: no active grant on the course, or the videos the workbook needs are not watched"),
        (status = 404, description = "- `workbook.not_found`: no such workbook"),
        (status = 409, description = "- `workbook.already_taken`: the one download was taken, by this or a concurrent request"),
    )
)]
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
    tag = "learning",
    security(("user_token" = [])),
    responses(
        (status = 200, description = "The certificate: its serial and a link to the PDF for an hour", body = CertificateIssueResponse),
        (status = 400, description = "- `validation` (`errors[].code` `certificate.unprintable`): the name or a title has a character the certificate's font cannot draw; nothing is claimed"),
        (status = 403, description = "- `certificate.locked`: no active grant, or not every video of the course watched, or not every test of its lessons passed"),
        (status = 404, description = "- `course.not_found`: no such course\n- `certificate.not_found`: the course has no certificate"),
        (status = 409, description = "- `certificate.already_claimed`: claimed already, by this or a concurrent request"),
    )
)]
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
    tag = "learning",
    params(("serial" = String, Path, description = "The serial printed on the certificate, any case", example = "BLM-7K2QD-9XMFA-P3RZT-H8WNC")),
    responses(
        (status = 200, description = "The certificate as issued", body = CertificateCheckResponse),
        (status = 404, description = "- `certificate.not_found`: no certificate was issued with this serial"),
    )
)]
#[get("/certificates/{serial}")]
pub async fn check_certificate(
    learning: web::Data<Learning>,
    serial: web::Path<String>,
) -> Result<web::Json<CertificateCheckResponse>, ApiError> {
    let issued = learning.issued_certificate(&serial).await?;
    Ok(web::Json(issued.into()))
}
