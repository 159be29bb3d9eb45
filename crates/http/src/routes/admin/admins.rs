//! Admin accounts, for super admins only.

use crate::dto::admin::{AdminPage, AdminPatchRequest, AdminResponse, NewAdminRequest, PageQuery};
use crate::dto::validated;
use crate::error::ApiError;
use crate::extract::{ClientIp, CurrentAdmin, JsonObject};
use actix_web::{HttpResponse, get, patch, post, web};
use bilim_domain::admins::{AdminChanges, AdminRole};
use bilim_service::ServiceError;
use bilim_service::admin::{AdminInput, Admins};
use bilim_service::paging::PageRequest;
use uuid::Uuid;

/// Admins, newest first.
#[utoipa::path(
    operation_id = "adminListAdmins",
    tag = "admin",
    security(("admin_token" = [])),
    params(PageQuery),
    responses(
        (status = 200, description = "Admins, newest first", body = AdminPage),
        (status = 403, description = "- `admin.forbidden`: the caller is not a super admin"),
    )
)]
#[get("/admin/admins")]
pub async fn list(
    admins: web::Data<Admins>,
    admin: CurrentAdmin,
    query: web::Query<PageQuery>,
) -> Result<web::Json<AdminPage>, ApiError> {
    let query = query.into_inner();
    let request = PageRequest {
        limit: query.limit,
        cursor: query.cursor,
    };
    let page = admins.list(&admin.0.admin, &request).await?;
    Ok(web::Json(AdminPage {
        items: page.items.iter().map(AdminResponse::from).collect(),
        next_cursor: page.next_cursor,
    }))
}

/// Creates an admin. Audited.
#[utoipa::path(
    operation_id = "adminCreateAdmin",
    tag = "admin",
    security(("admin_token" = [])),
    request_body = NewAdminRequest,
    responses(
        (status = 201, description = "The admin, created; audited", body = AdminResponse),
        (status = 400, description = "- `validation`: a field breaks its rule; `errors` names every one (`username.invalid`, `email.invalid`, `password.length`, `length`), or `role` is not `admin` or `super`\n- `password.weak`: the password is easy to guess"),
        (status = 403, description = "- `admin.forbidden`: the caller is not a super admin (checked before the body's rules)"),
        (status = 409, description = "- `admin.username_taken`: an admin has this username\n- `admin.email_taken`: an admin has this email"),
    )
)]
#[post("/admin/admins")]
pub async fn create(
    admins: web::Data<Admins>,
    admin: CurrentAdmin,
    ip: ClientIp,
    body: JsonObject<NewAdminRequest>,
) -> Result<HttpResponse, ApiError> {
    // Only a super admin learns anything about what a body should look like.
    bilim_service::admin::require_super(&admin.0.admin)?;
    let body = validated(body.into_inner())?;
    let role = match body.role.as_deref() {
        None => AdminRole::Admin,
        Some(raw) => AdminRole::parse(raw).ok_or_else(|| {
            ServiceError::validation("role", "validation", "must be admin or super")
        })?,
    };
    let input = AdminInput {
        username: body.username,
        email: body.email,
        password: body.password,
        role,
        tg_id: body.tg_id,
    };
    let created = admins.create(&admin.0.admin, input, ip.0).await?;
    Ok(HttpResponse::Created().json(AdminResponse::from(&created)))
}

/// Changes an admin's role, `active` or Telegram id. Audited.
#[utoipa::path(
    operation_id = "adminUpdateAdmin",
    tag = "admin",
    security(("admin_token" = [])),
    params(("id" = Uuid, Path, description = "The admin")),
    request_body = AdminPatchRequest,
    responses(
        (status = 200, description = "The admin as changed; audited (`admin.update`)", body = AdminResponse),
        (status = 400, description = "- `validation`: `role` is not `admin` or `super`, or `tg_id` is not a positive Telegram id (`errors[].code` `telegram.id_invalid`)"),
        (status = 403, description = "- `admin.forbidden`: the caller is not a super admin (checked before the body's rules)"),
        (status = 404, description = "- `admin.not_found`: no such admin"),
        (status = 409, description = "- `admin.last_super`: the change would leave no active super admin"),
    )
)]
#[patch("/admin/admins/{id}")]
pub async fn update(
    admins: web::Data<Admins>,
    admin: CurrentAdmin,
    ip: ClientIp,
    id: web::Path<Uuid>,
    body: JsonObject<AdminPatchRequest>,
) -> Result<web::Json<AdminResponse>, ApiError> {
    bilim_service::admin::require_super(&admin.0.admin)?;
    let body = body.into_inner();
    let role = match body.role.as_deref() {
        None => None,
        Some(raw) => Some(AdminRole::parse(raw).ok_or_else(|| {
            ServiceError::validation("role", "validation", "must be admin or super")
        })?),
    };
    let changes = AdminChanges {
        role,
        active: body.active,
        tg_id: body.tg_id,
    };
    let updated = admins
        .update(&admin.0.admin, id.into_inner(), changes, ip.0)
        .await?;
    Ok(web::Json(AdminResponse::from(&updated)))
}
