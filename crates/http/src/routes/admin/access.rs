//! Course access for admins: grant (open or extend), revoke, and allow one
//! more workbook download or certificate claim. Every change is audited.

use super::actor;
use crate::dto::learning::{GrantBody, GrantList};
use crate::dto::users::CourseAccessResponse;
use crate::error::ApiError;
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
    tag = "admin",
    security(("admin_token" = [])),
    request_body(content = GrantBody, example = json!({"course_ids": ["0190d4a8-5b4e-7c1a-9f3e-2d6b8a1c4e70"], "months": 6})),
    responses(
        (status = 200, description = "The grants opened or extended, one per course; audited", body = GrantList),
        (status = 400, description = "- `validation`: no course or more than 50, `months` outside 1 to 60, `expires_at` not in the future or more than 60 months away, or both `months` and `expires_at`"),
        (status = 404, description = "- `user.not_found`: no such user\n- `course.not_found`: a listed course does not exist; nothing was granted"),
    )
)]
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
    tag = "admin",
    security(("admin_token" = [])),
    responses(
        (status = 204, description = "The access ended now (also when it had ended already); audited"),
        (status = 404, description = "- `user.not_found`: no such user\n- `access.not_found`: the user never held a grant on the course"),
    )
)]
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
    tag = "admin",
    security(("admin_token" = [])),
    responses(
        (status = 204, description = "One more download is allowed; audited"),
        (status = 404, description = "- `user.not_found`: no such user\n- `workbook.not_found`: the user holds no claim on the workbook"),
    )
)]
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
    tag = "admin",
    security(("admin_token" = [])),
    responses(
        (status = 204, description = "One more claim is allowed (the serial stays); audited"),
        (status = 404, description = "- `user.not_found`: no such user\n- `certificate.not_found`: the user holds no claim on the certificate"),
    )
)]
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
