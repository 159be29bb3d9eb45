//! `[anyone]` browsing: published content only, never a video.

use crate::dto::catalogue::*;
use crate::error::ApiError;
use actix_web::{get, web};
use bilim_service::catalogue::Catalogue;
use bilim_service::paging::PageRequest;
use uuid::Uuid;

/// Every direction.
#[utoipa::path(
    operation_id = "listDirections",
    tag = "catalogue",
    responses(
        (status = 200, description = "Every direction by `position`, also one without published courses; not paged", body = DirectionList),
    )
)]
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
    tag = "catalogue",
    responses(
        (status = 200, description = "The direction with its published courses, newest first (at most 100)", body = DirectionDetail),
        (status = 404, description = "- `direction.not_found`: no such direction"),
    )
)]
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
    tag = "catalogue",
    params(CourseListQuery),
    responses(
        (status = 200, description = "Published courses, newest first", body = CoursePage),
        (status = 400, description = "- `validation`: `level` outside its values, or `q` over 100 characters"),
    )
)]
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
    tag = "catalogue",
    responses(
        (status = 200, description = "The course page: direction, teacher, modules and lessons by position, workbooks and certificate (no links, no videos)", body = CourseDetail),
        (status = 404, description = "- `course.not_found`: no such course, or it is not published"),
    )
)]
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
    tag = "catalogue",
    responses(
        (status = 200, description = "The lesson with its module, course and workbooks", body = LessonDetail),
        (status = 404, description = "- `lesson.not_found`: no such lesson, or its course is not published"),
    )
)]
#[get("/lessons/{id}")]
pub async fn lesson(
    catalogue: web::Data<Catalogue>,
    id: web::Path<Uuid>,
) -> Result<web::Json<LessonDetail>, ApiError> {
    let view = catalogue.lesson(id.into_inner()).await?;
    Ok(web::Json(LessonDetail::from(&view)))
}
