//! Modules and lessons: one outline, the level says which. The module and
//! lesson routes differ only in their paths and bodies.

use super::super::actor;
use crate::dto::catalogue::OutlineInput;
use crate::dto::catalogue::{
    LessonCreateBody, LessonPatchBody, LessonSummary, ModuleCreateBody, ModulePatchBody,
    ModuleResponse, OutlineResponse,
};
use crate::error::ApiError;
use crate::extract::{ClientIp, CurrentAdmin, JsonObject};
use actix_web::{HttpResponse, delete, patch, post, web};
use bilim_domain::catalogue::{OutlineItem, OutlineLevel};
use bilim_service::catalogue::AdminCatalogue;
use uuid::Uuid;

async fn create(
    catalogue: &AdminCatalogue,
    admin: &CurrentAdmin,
    ip: &ClientIp,
    level: OutlineLevel,
    parent: web::Path<Uuid>,
    body: impl Into<OutlineInput>,
) -> Result<OutlineItem, ApiError> {
    let new = body.into().try_into()?;
    let parent = parent.into_inner();
    Ok(catalogue
        .create_outline(&actor(admin, ip), level, parent, new)
        .await?)
}

async fn update(
    catalogue: &AdminCatalogue,
    admin: &CurrentAdmin,
    ip: &ClientIp,
    level: OutlineLevel,
    id: web::Path<Uuid>,
    body: impl Into<OutlineInput>,
) -> Result<OutlineItem, ApiError> {
    let patch = body.into().try_into()?;
    Ok(catalogue
        .update_outline(&actor(admin, ip), level, id.into_inner(), patch)
        .await?)
}

/// Adds a module (`title` required; appended unless `position` is given).
#[utoipa::path(
    operation_id = "adminCreateModule",
    tag = "admin-catalogue",
    security(("admin_token" = [])),
    request_body = ModuleCreateBody,
    responses(
        (status = 201, description = "The module, created; audited", body = ModuleResponse),
        (status = 400, description = "- `validation`: a field breaks its rule; `errors` names every one (`required`, `text.length`, `position.invalid`)"),
        (status = 404, description = "- `not_found`: no such course"),
    )
)]
#[post("/admin/courses/{id}/modules")]
pub async fn create_module(
    catalogue: web::Data<AdminCatalogue>,
    admin: CurrentAdmin,
    ip: ClientIp,
    id: web::Path<Uuid>,
    body: JsonObject<ModuleCreateBody>,
) -> Result<HttpResponse, ApiError> {
    let item = create(
        &catalogue,
        &admin,
        &ip,
        OutlineLevel::Module,
        id,
        body.into_inner(),
    )
    .await?;
    Ok(HttpResponse::Created().json(OutlineResponse::from(item)))
}

/// Renames or moves a module.
#[utoipa::path(
    operation_id = "adminUpdateModule",
    tag = "admin-catalogue",
    security(("admin_token" = [])),
    request_body = ModulePatchBody,
    responses(
        (status = 200, description = "The module as changed; audited", body = ModuleResponse),
        (status = 400, description = "- `validation`: a field breaks its rule; `errors` names every one (`text.length`, `position.invalid`)"),
        (status = 404, description = "- `not_found`: no such module"),
    )
)]
#[patch("/admin/modules/{id}")]
pub async fn update_module(
    catalogue: web::Data<AdminCatalogue>,
    admin: CurrentAdmin,
    ip: ClientIp,
    id: web::Path<Uuid>,
    body: JsonObject<ModulePatchBody>,
) -> Result<web::Json<OutlineResponse>, ApiError> {
    let item = update(
        &catalogue,
        &admin,
        &ip,
        OutlineLevel::Module,
        id,
        body.into_inner(),
    )
    .await?;
    Ok(web::Json(OutlineResponse::from(item)))
}

/// Deletes a module with its lessons.
#[utoipa::path(
    operation_id = "adminDeleteModule",
    tag = "admin-catalogue",
    security(("admin_token" = [])),
    responses(
        (status = 204, description = "Deleted with its lessons and their videos; the lessons' workbooks stay, as the course's; audited"),
        (status = 404, description = "- `not_found`: no such module"),
    )
)]
#[delete("/admin/modules/{id}")]
pub async fn delete_module(
    catalogue: web::Data<AdminCatalogue>,
    admin: CurrentAdmin,
    ip: ClientIp,
    id: web::Path<Uuid>,
) -> Result<HttpResponse, ApiError> {
    let level = OutlineLevel::Module;
    catalogue
        .delete_outline(&actor(&admin, &ip), level, id.into_inner())
        .await?;
    Ok(HttpResponse::NoContent().finish())
}

/// Adds a lesson (`title` required).
#[utoipa::path(
    operation_id = "adminCreateLesson",
    tag = "admin-catalogue",
    security(("admin_token" = [])),
    request_body = LessonCreateBody,
    responses(
        (status = 201, description = "The lesson, created; audited", body = LessonSummary),
        (status = 400, description = "- `validation`: a field breaks its rule; `errors` names every one (`required`, `text.length`, `position.invalid`)"),
        (status = 404, description = "- `not_found`: no such module"),
    )
)]
#[post("/admin/modules/{id}/lessons")]
pub async fn create_lesson(
    catalogue: web::Data<AdminCatalogue>,
    admin: CurrentAdmin,
    ip: ClientIp,
    id: web::Path<Uuid>,
    body: JsonObject<LessonCreateBody>,
) -> Result<HttpResponse, ApiError> {
    let item = create(
        &catalogue,
        &admin,
        &ip,
        OutlineLevel::Lesson,
        id,
        body.into_inner(),
    )
    .await?;
    Ok(HttpResponse::Created().json(OutlineResponse::from(item)))
}

/// Changes or moves a lesson.
#[utoipa::path(
    operation_id = "adminUpdateLesson",
    tag = "admin-catalogue",
    security(("admin_token" = [])),
    request_body = LessonPatchBody,
    responses(
        (status = 200, description = "The lesson as changed; audited", body = LessonSummary),
        (status = 400, description = "- `validation`: a field breaks its rule; `errors` names every one (`text.length`, `position.invalid`)"),
        (status = 404, description = "- `not_found`: no such lesson"),
    )
)]
#[patch("/admin/lessons/{id}")]
pub async fn update_lesson(
    catalogue: web::Data<AdminCatalogue>,
    admin: CurrentAdmin,
    ip: ClientIp,
    id: web::Path<Uuid>,
    body: JsonObject<LessonPatchBody>,
) -> Result<web::Json<OutlineResponse>, ApiError> {
    let item = update(
        &catalogue,
        &admin,
        &ip,
        OutlineLevel::Lesson,
        id,
        body.into_inner(),
    )
    .await?;
    Ok(web::Json(OutlineResponse::from(item)))
}

/// Deletes a lesson with its video.
#[utoipa::path(
    operation_id = "adminDeleteLesson",
    tag = "admin-catalogue",
    security(("admin_token" = [])),
    responses(
        (status = 204, description = "Deleted with its video; its workbooks stay, as the course's; audited"),
        (status = 404, description = "- `not_found`: no such lesson"),
    )
)]
#[delete("/admin/lessons/{id}")]
pub async fn delete_lesson(
    catalogue: web::Data<AdminCatalogue>,
    admin: CurrentAdmin,
    ip: ClientIp,
    id: web::Path<Uuid>,
) -> Result<HttpResponse, ApiError> {
    let level = OutlineLevel::Lesson;
    catalogue
        .delete_outline(&actor(&admin, &ip), level, id.into_inner())
        .await?;
    Ok(HttpResponse::NoContent().finish())
}
