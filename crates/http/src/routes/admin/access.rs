//! Course access for admins: grant (open or extend), revoke, and allow one
//! more workbook download or certificate claim. Every change is audited.

use super::actor;
use crate::dto::learning::{GrantBody, GrantList};
use crate::dto::users::CourseAccessResponse;
use crate::error::{ApiError, Problem};
use crate::extract::{ClientIp, CurrentAdmin, JsonObject};
use actix_web::{HttpResponse, delete, post, web};
use bilim_service::learning::AdminAccess;
use uuid::Uuid;

/// Opens or extends courses for the user, in one transaction: `expires_at` is
/// now + `months` (default each course's `access_months`), or the exact
/// `expires_at`. A repeat extends and never duplicates; the courses' workbooks
/// and certificates are added to the user's claims.
#[utoipa::path(
    operation_id = "adminGrantCourses",
    tag = "admin", security(("admin_token" = [])), request_body = GrantBody, responses(
    (status = 200, body = GrantList),
    (status = 400, body = Problem, content_type = "application/problem+json"),
    (status = 401, body = Problem, content_type = "application/problem+json"),
    (status = 404, description = "`user.not_found`, `course.not_found` (nothing granted)", body = Problem, content_type = "application/problem+json"),
))]
#[post("/admin/users/{id}/courses")]
pub async fn grant(
    admin_access: web::Data<AdminAccess>,
    admin: CurrentAdmin,
    ip: ClientIp,
    id: web::Path<Uuid>,
    body: JsonObject<GrantBody>,
) -> Result<web::Json<GrantList>, ApiError> {
    let granted = admin_access
        .grant(
            &actor(&admin, &ip),
            id.into_inner(),
            body.into_inner().into(),
        )
        .await?;
    Ok(web::Json(GrantList {
        items: granted
            .items
            .iter()
            .map(|access| CourseAccessResponse::new(access, granted.as_of))
            .collect(),
    }))
}

/// Ends the user's access to the course now.
#[utoipa::path(
    operation_id = "adminRevokeCourse",
    tag = "admin", security(("admin_token" = [])), responses(
    (status = 204),
    (status = 401, body = Problem, content_type = "application/problem+json"),
    (status = 404, description = "`user.not_found`, `access.not_found`", body = Problem, content_type = "application/problem+json"),
))]
#[delete("/admin/users/{id}/courses/{course_id}")]
pub async fn revoke(
    admin_access: web::Data<AdminAccess>,
    admin: CurrentAdmin,
    ip: ClientIp,
    path: web::Path<(Uuid, Uuid)>,
) -> Result<HttpResponse, ApiError> {
    let (user_id, course_id) = path.into_inner();
    admin_access
        .revoke(&actor(&admin, &ip), user_id, course_id)
        .await?;
    Ok(HttpResponse::NoContent().finish())
}

/// Allows the user one more download of the workbook.
#[utoipa::path(
    operation_id = "adminResetWorkbook",
    tag = "admin", security(("admin_token" = [])), responses(
    (status = 204),
    (status = 401, body = Problem, content_type = "application/problem+json"),
    (status = 404, description = "`user.not_found`, `workbook.not_found`", body = Problem, content_type = "application/problem+json"),
))]
#[post("/admin/users/{id}/workbooks/{workbook_id}/reset")]
pub async fn reset_workbook(
    admin_access: web::Data<AdminAccess>,
    admin: CurrentAdmin,
    ip: ClientIp,
    path: web::Path<(Uuid, Uuid)>,
) -> Result<HttpResponse, ApiError> {
    let (user_id, workbook_id) = path.into_inner();
    admin_access
        .reset_workbook(&actor(&admin, &ip), user_id, workbook_id)
        .await?;
    Ok(HttpResponse::NoContent().finish())
}

/// Allows the user to claim the certificate once more; the serial stays.
#[utoipa::path(
    operation_id = "adminResetCertificate",
    tag = "admin", security(("admin_token" = [])), responses(
    (status = 204),
    (status = 401, body = Problem, content_type = "application/problem+json"),
    (status = 404, description = "`user.not_found`, `certificate.not_found`", body = Problem, content_type = "application/problem+json"),
))]
#[post("/admin/users/{id}/certificates/{certificate_id}/reset")]
pub async fn reset_certificate(
    admin_access: web::Data<AdminAccess>,
    admin: CurrentAdmin,
    ip: ClientIp,
    path: web::Path<(Uuid, Uuid)>,
) -> Result<HttpResponse, ApiError> {
    let (user_id, certificate_id) = path.into_inner();
    admin_access
        .reset_certificate(&actor(&admin, &ip), user_id, certificate_id)
        .await?;
    Ok(HttpResponse::NoContent().finish())
}
