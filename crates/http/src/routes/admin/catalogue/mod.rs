//! Catalogue management: directions and courses here, the outline (modules
//! and lessons) in `outline`, videos, workbooks and certificates in `files`.
//! Handlers turn bodies into typed commands and call `AdminCatalogue`; every
//! change is audited there.

mod files;
mod outline;

pub use files::{create_workbook, delete_workbook, put_certificate, set_video};
pub use outline::{
    create_lesson, create_module, delete_lesson, delete_module, update_lesson, update_module,
};

use super::actor;
use crate::dto::catalogue::*;
use crate::dto::validated;
use crate::error::ApiError;
use crate::extract::{ClientIp, CurrentAdmin, JsonObject};
use actix_web::{HttpResponse, delete, get, patch, post, web};
use bilim_service::catalogue::AdminCatalogue;
use bilim_service::paging::PageRequest;
use uuid::Uuid;

/// Every direction.
#[utoipa::path(
    operation_id = "adminListDirections",
    tag = "admin-catalogue",
    security(("admin_token" = [])),
    responses(
        (status = 200, description = "Every direction by `position`", body = DirectionList),
    )
)]
#[get("/admin/directions")]
pub async fn directions(
    catalogue: web::Data<AdminCatalogue>,
    _admin: CurrentAdmin,
) -> Result<web::Json<DirectionList>, ApiError> {
    let directions = catalogue.directions().await?;
    Ok(web::Json(DirectionList {
        items: directions.iter().map(DirectionResponse::from).collect(),
    }))
}

/// Creates a direction (`name` required).
#[utoipa::path(
    operation_id = "adminCreateDirection",
    tag = "admin-catalogue",
    security(("admin_token" = [])),
    request_body = DirectionCreateBody,
    responses(
        (status = 201, description = "The direction, created; audited", body = DirectionResponse),
        (status = 400, description = "- `validation`: a field breaks its rule; `errors` names every one (`required`, `text.length`, `position.invalid`)"),
        (status = 409, description = "- `direction.name_taken`: another direction has exactly this name"),
    )
)]
#[post("/admin/directions")]
pub async fn create_direction(
    catalogue: web::Data<AdminCatalogue>,
    admin: CurrentAdmin,
    ip: ClientIp,
    body: JsonObject<DirectionCreateBody>,
) -> Result<HttpResponse, ApiError> {
    let new = validated(body.into_inner())?.try_into()?;
    let direction = catalogue.create_direction(&actor(&admin, &ip), new).await?;
    Ok(HttpResponse::Created().json(DirectionResponse::from(&direction)))
}

/// One direction.
#[utoipa::path(
    operation_id = "adminGetDirection",
    tag = "admin-catalogue",
    security(("admin_token" = [])),
    responses(
        (status = 200, description = "The direction, without its courses", body = DirectionResponse),
        (status = 404, description = "- `direction.not_found`: no such direction"),
    )
)]
#[get("/admin/directions/{id}")]
pub async fn get_direction(
    catalogue: web::Data<AdminCatalogue>,
    _admin: CurrentAdmin,
    id: web::Path<Uuid>,
) -> Result<web::Json<DirectionResponse>, ApiError> {
    let direction = catalogue.direction(id.into_inner()).await?;
    Ok(web::Json(DirectionResponse::from(&direction)))
}

/// Changes a direction.
#[utoipa::path(
    operation_id = "adminUpdateDirection",
    tag = "admin-catalogue",
    security(("admin_token" = [])),
    request_body = DirectionPatchBody,
    responses(
        (status = 200, description = "The direction as changed; audited", body = DirectionResponse),
        (status = 400, description = "- `validation`: a field breaks its rule; `errors` names every one (`text.length`, `position.invalid`)"),
        (status = 404, description = "- `not_found`: no such direction"),
        (status = 409, description = "- `direction.name_taken`: another direction has exactly this name"),
    )
)]
#[patch("/admin/directions/{id}")]
pub async fn update_direction(
    catalogue: web::Data<AdminCatalogue>,
    admin: CurrentAdmin,
    ip: ClientIp,
    id: web::Path<Uuid>,
    body: JsonObject<DirectionPatchBody>,
) -> Result<web::Json<DirectionResponse>, ApiError> {
    let patch = validated(body.into_inner())?.try_into()?;
    let direction = catalogue
        .update_direction(&actor(&admin, &ip), id.into_inner(), patch)
        .await?;
    Ok(web::Json(DirectionResponse::from(&direction)))
}

/// Deletes a direction without courses.
#[utoipa::path(
    operation_id = "adminDeleteDirection",
    tag = "admin-catalogue",
    security(("admin_token" = [])),
    responses(
        (status = 204, description = "Deleted; the directions after it move up; audited"),
        (status = 404, description = "- `not_found`: no such direction"),
        (status = 409, description = "- `direction.has_courses`: courses of any status belong to it; move or delete them first"),
    )
)]
#[delete("/admin/directions/{id}")]
pub async fn delete_direction(
    catalogue: web::Data<AdminCatalogue>,
    admin: CurrentAdmin,
    ip: ClientIp,
    id: web::Path<Uuid>,
) -> Result<HttpResponse, ApiError> {
    catalogue
        .delete_direction(&actor(&admin, &ip), id.into_inner())
        .await?;
    Ok(HttpResponse::NoContent().finish())
}

/// Courses of every status, newest first.
#[utoipa::path(
    operation_id = "adminListCourses",
    tag = "admin-catalogue",
    security(("admin_token" = [])),
    params(AdminCourseListQuery),
    responses(
        (status = 200, description = "Courses of every status unless `status` says otherwise, newest first", body = CoursePage),
        (status = 400, description = "- `validation`: `status` or `level` outside its values, or `q` over 100 characters"),
    )
)]
#[get("/admin/courses")]
pub async fn courses(
    catalogue: web::Data<AdminCatalogue>,
    _admin: CurrentAdmin,
    query: web::Query<AdminCourseListQuery>,
) -> Result<web::Json<CoursePage>, ApiError> {
    let query = query.into_inner();
    let request = PageRequest {
        limit: query.limit,
        cursor: query.cursor,
    };
    let page = catalogue
        .courses(
            query.direction_id,
            query.status.as_deref(),
            query.q.as_deref(),
            query.level.as_deref(),
            &request,
        )
        .await?;
    Ok(web::Json(CoursePage {
        items: page.items.iter().map(CourseSummary::from).collect(),
        next_cursor: page.next_cursor,
    }))
}

/// Creates a course (`direction_id`, `title`, `level` required; `draft` by default).
#[utoipa::path(
    operation_id = "adminCreateCourse",
    tag = "admin-catalogue",
    security(("admin_token" = [])),
    request_body(content = CourseCreateBody, example = json!({"direction_id": "0190d4a8-5b4e-7c1a-9f3e-2d6b8a1c4e70", "title": "Ingliz tili: boshlangʻich daraja", "description": "Ingliz tilini noldan oʻrganish: alifbo, talaffuz va kundalik suhbat.", "level": "beginner", "status": "draft", "access_months": 6})),
    responses(
        (status = 201, description = "The course, created (a `draft` unless `status` says otherwise); audited", body = CourseSummary),
        (status = 400, description = "- `validation`: a field breaks its rule; `errors` names every one (`required`, `text.length`, `level.invalid`, `status.invalid`, `access_months.invalid`, `direction.not_found`)\n- `teacher.invalid`: `teacher_id` is not a user with the `teacher` role"),
    )
)]
#[post("/admin/courses")]
pub async fn create_course(
    catalogue: web::Data<AdminCatalogue>,
    admin: CurrentAdmin,
    ip: ClientIp,
    body: JsonObject<CourseCreateBody>,
) -> Result<HttpResponse, ApiError> {
    let new = validated(body.into_inner())?.try_into()?;
    let course = catalogue.create_course(&actor(&admin, &ip), new).await?;
    Ok(HttpResponse::Created().json(CourseSummary::from(&course)))
}

/// The whole course, any status.
#[utoipa::path(
    operation_id = "adminGetCourse",
    tag = "admin-catalogue",
    security(("admin_token" = [])),
    responses(
        (status = 200, description = "The course page, whatever its status (still without videos)", body = CourseDetail),
        (status = 404, description = "- `course.not_found`: no such course"),
    )
)]
#[get("/admin/courses/{id}")]
pub async fn get_course(
    catalogue: web::Data<AdminCatalogue>,
    _admin: CurrentAdmin,
    id: web::Path<Uuid>,
) -> Result<web::Json<CourseDetail>, ApiError> {
    let tree = catalogue.course(id.into_inner()).await?;
    Ok(web::Json(CourseDetail::from(&tree)))
}

/// Changes a course. A grant's expiry is fixed when granted: changing
/// `access_months` does not move it.
#[utoipa::path(
    operation_id = "adminUpdateCourse",
    tag = "admin-catalogue",
    security(("admin_token" = [])),
    request_body(content = CoursePatchBody, example = json!({"status": "published", "access_months": 12})),
    responses(
        (status = 200, description = "The course as changed; audited", body = CourseSummary),
        (status = 400, description = "- `validation`: a field breaks its rule; `errors` names every one (`required`, `text.length`, `level.invalid`, `status.invalid`, `access_months.invalid`, `direction.not_found`)\n- `teacher.invalid`: `teacher_id` is not a user with the `teacher` role"),
        (status = 404, description = "- `not_found`: no such course"),
    )
)]
#[patch("/admin/courses/{id}")]
pub async fn update_course(
    catalogue: web::Data<AdminCatalogue>,
    admin: CurrentAdmin,
    ip: ClientIp,
    id: web::Path<Uuid>,
    body: JsonObject<CoursePatchBody>,
) -> Result<web::Json<CourseSummary>, ApiError> {
    let patch = validated(body.into_inner())?.try_into()?;
    let course = catalogue
        .update_course(&actor(&admin, &ip), id.into_inner(), patch)
        .await?;
    Ok(web::Json(CourseSummary::from(&course)))
}

/// Deletes a course with its outline and files.
#[utoipa::path(
    operation_id = "adminDeleteCourse",
    tag = "admin-catalogue",
    security(("admin_token" = [])),
    responses(
        (status = 204, description = "Deleted with its modules, lessons, videos, workbooks, certificate and their stored files; audited"),
        (status = 404, description = "- `not_found`: no such course"),
        (status = 409, description = "- `course.has_students`: a user holds or held a grant on the course; archive it instead"),
    )
)]
#[delete("/admin/courses/{id}")]
pub async fn delete_course(
    catalogue: web::Data<AdminCatalogue>,
    admin: CurrentAdmin,
    ip: ClientIp,
    id: web::Path<Uuid>,
) -> Result<HttpResponse, ApiError> {
    catalogue
        .delete_course(&actor(&admin, &ip), id.into_inner())
        .await?;
    Ok(HttpResponse::NoContent().finish())
}
