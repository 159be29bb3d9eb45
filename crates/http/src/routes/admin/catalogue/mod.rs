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
use crate::error::{ApiError, Problem};
use crate::extract::{ClientIp, CurrentAdmin, JsonObject};
use actix_web::{HttpResponse, delete, get, patch, post, web};
use bilim_service::catalogue::AdminCatalogue;
use bilim_service::paging::PageRequest;
use uuid::Uuid;

/// Every direction.
#[utoipa::path(
    operation_id = "adminListDirections",
    tag = "admin-catalogue", security(("admin_token" = [])), responses((status = 200, body = DirectionList)))]
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
    tag = "admin-catalogue", security(("admin_token" = [])), request_body = DirectionBody, responses(
    (status = 201, body = DirectionResponse),
    (status = 400, body = Problem, content_type = "application/problem+json"),
    (status = 409, description = "`direction.name_taken`", body = Problem, content_type = "application/problem+json"),
))]
#[post("/admin/directions")]
pub async fn create_direction(
    catalogue: web::Data<AdminCatalogue>,
    admin: CurrentAdmin,
    ip: ClientIp,
    body: JsonObject<DirectionBody>,
) -> Result<HttpResponse, ApiError> {
    let new = validated(body.into_inner())?.try_into()?;
    let direction = catalogue.create_direction(&actor(&admin, &ip), new).await?;
    Ok(HttpResponse::Created().json(DirectionResponse::from(&direction)))
}

/// One direction.
#[utoipa::path(
    operation_id = "adminGetDirection",
    tag = "admin-catalogue", security(("admin_token" = [])), responses(
    (status = 200, body = DirectionResponse),
    (status = 404, body = Problem, content_type = "application/problem+json"),
))]
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
    tag = "admin-catalogue", security(("admin_token" = [])), request_body = DirectionBody, responses(
    (status = 200, body = DirectionResponse),
    (status = 404, body = Problem, content_type = "application/problem+json"),
))]
#[patch("/admin/directions/{id}")]
pub async fn update_direction(
    catalogue: web::Data<AdminCatalogue>,
    admin: CurrentAdmin,
    ip: ClientIp,
    id: web::Path<Uuid>,
    body: JsonObject<DirectionBody>,
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
    tag = "admin-catalogue", security(("admin_token" = [])), responses(
    (status = 204, description = "Deleted"),
    (status = 409, description = "`direction.has_courses`", body = Problem, content_type = "application/problem+json"),
))]
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
    tag = "admin-catalogue", security(("admin_token" = [])), params(CourseListQuery), responses(
    (status = 200, body = CoursePage),
))]
#[get("/admin/courses")]
pub async fn courses(
    catalogue: web::Data<AdminCatalogue>,
    _admin: CurrentAdmin,
    query: web::Query<CourseListQuery>,
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
    tag = "admin-catalogue", security(("admin_token" = [])), request_body = CourseBody, responses(
    (status = 201, body = CourseSummary),
    (status = 400, description = "`validation`, `teacher.invalid`", body = Problem, content_type = "application/problem+json"),
))]
#[post("/admin/courses")]
pub async fn create_course(
    catalogue: web::Data<AdminCatalogue>,
    admin: CurrentAdmin,
    ip: ClientIp,
    body: JsonObject<CourseBody>,
) -> Result<HttpResponse, ApiError> {
    let new = validated(body.into_inner())?.try_into()?;
    let course = catalogue.create_course(&actor(&admin, &ip), new).await?;
    Ok(HttpResponse::Created().json(CourseSummary::from(&course)))
}

/// The whole course, any status.
#[utoipa::path(
    operation_id = "adminGetCourse",
    tag = "admin-catalogue", security(("admin_token" = [])), responses(
    (status = 200, body = CourseDetail),
    (status = 404, body = Problem, content_type = "application/problem+json"),
))]
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
    tag = "admin-catalogue", security(("admin_token" = [])), request_body = CourseBody, responses(
    (status = 200, body = CourseSummary),
    (status = 400, body = Problem, content_type = "application/problem+json"),
    (status = 404, body = Problem, content_type = "application/problem+json"),
))]
#[patch("/admin/courses/{id}")]
pub async fn update_course(
    catalogue: web::Data<AdminCatalogue>,
    admin: CurrentAdmin,
    ip: ClientIp,
    id: web::Path<Uuid>,
    body: JsonObject<CourseBody>,
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
    tag = "admin-catalogue", security(("admin_token" = [])), responses(
    (status = 204, description = "Deleted"),
    (status = 409, description = "`course.has_students`: archive it instead", body = Problem, content_type = "application/problem+json"),
))]
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
