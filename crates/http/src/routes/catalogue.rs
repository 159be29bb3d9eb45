//! `[anyone]` browsing: published content only, never a video.

use crate::dto::catalogue::*;
use crate::error::{ApiError, Problem};
use actix_web::{get, web};
use bilim_service::catalogue::Catalogue;
use bilim_service::paging::PageRequest;
use uuid::Uuid;

/// Every direction.
#[utoipa::path(
    operation_id = "listDirections",
    tag = "catalogue", responses((status = 200, body = DirectionList)))]
#[get("/directions")]
pub async fn directions(
    catalogue: web::Data<Catalogue>,
) -> Result<web::Json<DirectionList>, ApiError> {
    let directions = catalogue.directions().await?;
    Ok(web::Json(DirectionList {
        items: directions.iter().map(DirectionResponse::from).collect(),
    }))
}

/// A direction with its published courses.
#[utoipa::path(
    operation_id = "getDirection",
    tag = "catalogue", responses(
    (status = 200, body = DirectionDetail),
    (status = 404, description = "`direction.not_found`", body = Problem, content_type = "application/problem+json"),
))]
#[get("/directions/{id}")]
pub async fn direction(
    catalogue: web::Data<Catalogue>,
    id: web::Path<Uuid>,
) -> Result<web::Json<DirectionDetail>, ApiError> {
    let found = catalogue.direction(id.into_inner()).await?;
    Ok(web::Json(DirectionDetail {
        direction: DirectionResponse::from(&found.direction),
        courses: found.courses.iter().map(CourseSummary::from).collect(),
    }))
}

/// Published courses, newest first; filter by direction, level and title.
#[utoipa::path(
    operation_id = "listCourses",
    tag = "catalogue", params(CourseListQuery), responses(
    (status = 200, body = CoursePage),
    (status = 400, body = Problem, content_type = "application/problem+json"),
))]
#[get("/courses")]
pub async fn courses(
    catalogue: web::Data<Catalogue>,
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
            query.level.as_deref(),
            query.q.as_deref(),
            &request,
        )
        .await?;
    Ok(web::Json(CoursePage {
        items: page.items.iter().map(CourseSummary::from).collect(),
        next_cursor: page.next_cursor,
    }))
}

/// A published course with its direction, teacher, modules and lessons (by
/// position), workbooks (no file link) and certificate (no link). Never videos.
#[utoipa::path(
    operation_id = "getCourse",
    tag = "catalogue", responses(
    (status = 200, body = CourseDetail),
    (status = 404, description = "`course.not_found` (also drafts and archives)", body = Problem, content_type = "application/problem+json"),
))]
#[get("/courses/{id}")]
pub async fn course(
    catalogue: web::Data<Catalogue>,
    id: web::Path<Uuid>,
) -> Result<web::Json<CourseDetail>, ApiError> {
    let tree = catalogue.course(id.into_inner()).await?;
    Ok(web::Json(CourseDetail::from(&tree)))
}

/// A lesson of a published course, with its module, course and workbooks.
#[utoipa::path(
    operation_id = "getLesson",
    tag = "catalogue", responses(
    (status = 200, body = LessonDetail),
    (status = 404, description = "`lesson.not_found`", body = Problem, content_type = "application/problem+json"),
))]
#[get("/lessons/{id}")]
pub async fn lesson(
    catalogue: web::Data<Catalogue>,
    id: web::Path<Uuid>,
) -> Result<web::Json<LessonDetail>, ApiError> {
    let view = catalogue.lesson(id.into_inner()).await?;
    Ok(web::Json(LessonDetail::from(&view)))
}
