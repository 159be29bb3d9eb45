//! User management for admins.

use crate::dto::admin::{UserListQuery, UserPage, UserPatch, UserTotalsResponse};
use crate::dto::users::{MeResponse, UserResponse};
use crate::dto::validated;
use crate::error::ApiError;
use crate::extract::{ClientIp, CurrentAdmin, JsonObject};
use actix_web::{get, patch, web};
use bilim_service::admin::{AdminUsers, UserChanges};
use bilim_service::learning::AdminAccess;
use bilim_service::paging::PageRequest;
use bilim_service::profiles::Profiles;
use uuid::Uuid;

/// Users, newest first, with the totals of active and inactive users.
#[utoipa::path(
    operation_id = "adminListUsers",
    tag = "admin",
    security(("admin_token" = [])),
    params(UserListQuery),
    responses(
        (status = 200, description = "Users, newest first, with the totals of all active and inactive users", body = UserPage),
        (status = 400, description = "- `validation`: `status` outside its values, or `q` over 100 characters"),
    )
)]
#[get("/admin/users")]
pub async fn list(
    admin_users: web::Data<AdminUsers>,
    profiles: web::Data<Profiles>,
    _admin: CurrentAdmin,
    query: web::Query<UserListQuery>,
) -> Result<web::Json<UserPage>, ApiError> {
    let query = query.into_inner();
    let request = PageRequest {
        limit: query.limit,
        cursor: query.cursor,
    };
    let list = admin_users
        .list(query.status.as_deref(), query.q.as_deref(), &request)
        .await?;
    Ok(web::Json(UserPage {
        items: list
            .page
            .items
            .iter()
            .map(|u| UserResponse::new(u, &profiles))
            .collect(),
        next_cursor: list.page.next_cursor,
        totals: UserTotalsResponse {
            active: list.totals.active,
            inactive: list.totals.inactive,
        },
    }))
}

/// One user, with the courses, workbooks and certificates opened to them.
#[utoipa::path(
    operation_id = "adminGetUser",
    tag = "admin",
    security(("admin_token" = [])),
    responses(
        (status = 200, description = "The user with the courses, workbooks and certificates opened to them", body = MeResponse),
        (status = 404, description = "- `user.not_found`: no such user"),
    )
)]
#[get("/admin/users/{id}")]
pub async fn get(
    admin_users: web::Data<AdminUsers>,
    admin_access: web::Data<AdminAccess>,
    profiles: web::Data<Profiles>,
    quizzes: web::Data<bilim_service::quizzes::Quizzes>,
    _admin: CurrentAdmin,
    id: web::Path<Uuid>,
) -> Result<web::Json<MeResponse>, ApiError> {
    let id = id.into_inner();
    let (user, standing) = tokio::try_join!(admin_users.get(id), admin_access.standing(id))?;
    let mut shown = MeResponse::new(UserResponse::new(&user, &profiles), &standing);
    shown.points = quizzes.points_of(id).await?;
    Ok(web::Json(shown))
}

/// Activates or deactivates a user, or changes the role. Deactivation ends every
/// session of the user at once. Audited.
#[utoipa::path(
    operation_id = "adminUpdateUser",
    tag = "admin",
    security(("admin_token" = [])),
    request_body = UserPatch,
    responses(
        (status = 200, description = "The user as changed; a real change is audited", body = UserResponse),
        (status = 400, description = "- `validation`: `role` is not `student` or `teacher`"),
        (status = 404, description = "- `user.not_found`: no such user"),
    )
)]
#[patch("/admin/users/{id}")]
pub async fn update(
    admin_users: web::Data<AdminUsers>,
    profiles: web::Data<Profiles>,
    admin: CurrentAdmin,
    ip: ClientIp,
    id: web::Path<Uuid>,
    body: JsonObject<UserPatch>,
) -> Result<web::Json<UserResponse>, ApiError> {
    let body = validated(body.into_inner())?;
    let changes = UserChanges {
        active: body.active,
        role: body.role,
    };
    let user = admin_users
        .update(&admin.0.admin, id.into_inner(), changes, ip.0)
        .await?;
    Ok(web::Json(UserResponse::new(&user, &profiles)))
}
