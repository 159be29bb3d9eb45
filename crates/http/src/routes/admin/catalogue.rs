//! Catalogue management: directions, courses, modules, lessons, videos,
//! workbooks and certificates. Every change is audited.

use super::actor;
use crate::dto::catalogue::*;
use crate::dto::validated;
use crate::error::{ApiError, Problem};
use crate::extract::{ClientIp, CurrentAdmin};
use crate::routes::uploads::read_form;
use actix_web::{HttpRequest, HttpResponse, delete, get, patch, post, put, web};
use bilim_domain::catalogue::VideoSource;
use bilim_service::catalogue::{
    AdminCatalogue, CourseInput, DirectionInput, OutlineInput, UploadKind,
};
use bilim_service::paging::PageRequest;
use uuid::Uuid;

impl From<DirectionBody> for DirectionInput {
    fn from(b: DirectionBody) -> Self {
        Self {
            name: b.name,
            description: b.description,
            position: b.position,
        }
    }
}

impl From<CourseBody> for CourseInput {
    fn from(b: CourseBody) -> Self {
        Self {
            direction_id: b.direction_id,
            title: b.title,
            description: b.description,
            level: b.level,
            status: b.status,
            teacher_id: b.teacher_id,
            access_months: b.access_months,
        }
    }
}

impl From<ModuleBody> for OutlineInput {
    fn from(b: ModuleBody) -> Self {
        Self {
            title: b.title,
            description: None,
            position: b.position,
        }
    }
}

impl From<OutlineBody> for OutlineInput {
    fn from(b: OutlineBody) -> Self {
        Self {
            title: b.title,
            description: b.description,
            position: b.position,
        }
    }
}

/// Every direction.
#[utoipa::path(tag = "admin-catalogue", security(("admin_token" = [])), responses((status = 200, body = DirectionList)))]
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
#[utoipa::path(tag = "admin-catalogue", security(("admin_token" = [])), request_body = DirectionBody, responses(
    (status = 201, body = DirectionResponse),
    (status = 400, body = Problem, content_type = "application/problem+json"),
    (status = 409, description = "`direction.name_taken`", body = Problem, content_type = "application/problem+json"),
))]
#[post("/admin/directions")]
pub async fn create_direction(
    catalogue: web::Data<AdminCatalogue>,
    admin: CurrentAdmin,
    ip: ClientIp,
    body: web::Json<DirectionBody>,
) -> Result<HttpResponse, ApiError> {
    let body = validated(body.into_inner())?;
    let direction = catalogue
        .create_direction(&actor(&admin, &ip), body.into())
        .await?;
    Ok(HttpResponse::Created().json(DirectionResponse::from(&direction)))
}

/// One direction.
#[utoipa::path(tag = "admin-catalogue", security(("admin_token" = [])), responses(
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
#[utoipa::path(tag = "admin-catalogue", security(("admin_token" = [])), request_body = DirectionBody, responses(
    (status = 200, body = DirectionResponse),
    (status = 404, body = Problem, content_type = "application/problem+json"),
))]
#[patch("/admin/directions/{id}")]
pub async fn update_direction(
    catalogue: web::Data<AdminCatalogue>,
    admin: CurrentAdmin,
    ip: ClientIp,
    id: web::Path<Uuid>,
    body: web::Json<DirectionBody>,
) -> Result<web::Json<DirectionResponse>, ApiError> {
    let body = validated(body.into_inner())?;
    let direction = catalogue
        .update_direction(&actor(&admin, &ip), id.into_inner(), body.into())
        .await?;
    Ok(web::Json(DirectionResponse::from(&direction)))
}

/// Deletes a direction without courses.
#[utoipa::path(tag = "admin-catalogue", security(("admin_token" = [])), responses(
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
#[utoipa::path(tag = "admin-catalogue", security(("admin_token" = [])), params(CourseListQuery), responses(
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
#[utoipa::path(tag = "admin-catalogue", security(("admin_token" = [])), request_body = CourseBody, responses(
    (status = 201, body = CourseSummary),
    (status = 400, description = "`validation`, `teacher.invalid`", body = Problem, content_type = "application/problem+json"),
))]
#[post("/admin/courses")]
pub async fn create_course(
    catalogue: web::Data<AdminCatalogue>,
    admin: CurrentAdmin,
    ip: ClientIp,
    body: web::Json<CourseBody>,
) -> Result<HttpResponse, ApiError> {
    let body = validated(body.into_inner())?;
    let course = catalogue
        .create_course(&actor(&admin, &ip), body.into())
        .await?;
    Ok(HttpResponse::Created().json(CourseSummary::from(&course)))
}

/// The whole course, any status.
#[utoipa::path(tag = "admin-catalogue", security(("admin_token" = [])), responses(
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
#[utoipa::path(tag = "admin-catalogue", security(("admin_token" = [])), request_body = CourseBody, responses(
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
    body: web::Json<CourseBody>,
) -> Result<web::Json<CourseSummary>, ApiError> {
    let body = validated(body.into_inner())?;
    let course = catalogue
        .update_course(&actor(&admin, &ip), id.into_inner(), body.into())
        .await?;
    Ok(web::Json(CourseSummary::from(&course)))
}

/// Deletes a course with its outline and files.
#[utoipa::path(tag = "admin-catalogue", security(("admin_token" = [])), responses(
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

/// Adds a module (`title` required; appended unless `position` is given).
#[utoipa::path(tag = "admin-catalogue", security(("admin_token" = [])), request_body = ModuleBody, responses(
    (status = 201, body = ModuleResponse),
    (status = 404, body = Problem, content_type = "application/problem+json"),
))]
#[post("/admin/courses/{id}/modules")]
pub async fn create_module(
    catalogue: web::Data<AdminCatalogue>,
    admin: CurrentAdmin,
    ip: ClientIp,
    id: web::Path<Uuid>,
    body: web::Json<ModuleBody>,
) -> Result<HttpResponse, ApiError> {
    let body = validated(body.into_inner())?;
    let module = catalogue
        .create_module(&actor(&admin, &ip), id.into_inner(), body.into())
        .await?;
    Ok(HttpResponse::Created().json(ModuleResponse::from(&module)))
}

/// Renames or moves a module.
#[utoipa::path(tag = "admin-catalogue", security(("admin_token" = [])), request_body = ModuleBody, responses(
    (status = 200, body = ModuleResponse),
    (status = 404, body = Problem, content_type = "application/problem+json"),
))]
#[patch("/admin/modules/{id}")]
pub async fn update_module(
    catalogue: web::Data<AdminCatalogue>,
    admin: CurrentAdmin,
    ip: ClientIp,
    id: web::Path<Uuid>,
    body: web::Json<ModuleBody>,
) -> Result<web::Json<ModuleResponse>, ApiError> {
    let body = validated(body.into_inner())?;
    let module = catalogue
        .update_module(&actor(&admin, &ip), id.into_inner(), body.into())
        .await?;
    Ok(web::Json(ModuleResponse::from(&module)))
}

/// Deletes a module with its lessons.
#[utoipa::path(tag = "admin-catalogue", security(("admin_token" = [])), responses((status = 204, description = "Deleted")))]
#[delete("/admin/modules/{id}")]
pub async fn delete_module(
    catalogue: web::Data<AdminCatalogue>,
    admin: CurrentAdmin,
    ip: ClientIp,
    id: web::Path<Uuid>,
) -> Result<HttpResponse, ApiError> {
    catalogue
        .delete_module(&actor(&admin, &ip), id.into_inner())
        .await?;
    Ok(HttpResponse::NoContent().finish())
}

/// Adds a lesson (`title` required).
#[utoipa::path(tag = "admin-catalogue", security(("admin_token" = [])), request_body = OutlineBody, responses(
    (status = 201, body = LessonSummary),
    (status = 404, body = Problem, content_type = "application/problem+json"),
))]
#[post("/admin/modules/{id}/lessons")]
pub async fn create_lesson(
    catalogue: web::Data<AdminCatalogue>,
    admin: CurrentAdmin,
    ip: ClientIp,
    id: web::Path<Uuid>,
    body: web::Json<OutlineBody>,
) -> Result<HttpResponse, ApiError> {
    let body = validated(body.into_inner())?;
    let lesson = catalogue
        .create_lesson(&actor(&admin, &ip), id.into_inner(), body.into())
        .await?;
    Ok(HttpResponse::Created().json(LessonSummary::from(&lesson)))
}

/// Changes or moves a lesson.
#[utoipa::path(tag = "admin-catalogue", security(("admin_token" = [])), request_body = OutlineBody, responses(
    (status = 200, body = LessonSummary),
    (status = 404, body = Problem, content_type = "application/problem+json"),
))]
#[patch("/admin/lessons/{id}")]
pub async fn update_lesson(
    catalogue: web::Data<AdminCatalogue>,
    admin: CurrentAdmin,
    ip: ClientIp,
    id: web::Path<Uuid>,
    body: web::Json<OutlineBody>,
) -> Result<web::Json<LessonSummary>, ApiError> {
    let body = validated(body.into_inner())?;
    let lesson = catalogue
        .update_lesson(&actor(&admin, &ip), id.into_inner(), body.into())
        .await?;
    Ok(web::Json(LessonSummary::from(&lesson)))
}

/// Deletes a lesson with its video.
#[utoipa::path(tag = "admin-catalogue", security(("admin_token" = [])), responses((status = 204, description = "Deleted")))]
#[delete("/admin/lessons/{id}")]
pub async fn delete_lesson(
    catalogue: web::Data<AdminCatalogue>,
    admin: CurrentAdmin,
    ip: ClientIp,
    id: web::Path<Uuid>,
) -> Result<HttpResponse, ApiError> {
    catalogue
        .delete_lesson(&actor(&admin, &ip), id.into_inner())
        .await?;
    Ok(HttpResponse::NoContent().finish())
}

/// Sets the lesson's video: JSON `{url, duration_seconds}` (https) or a
/// multipart form with `file` (MP4/WebM, streamed to storage) and `duration_seconds`.
#[utoipa::path(tag = "admin-catalogue", security(("admin_token" = [])),
    request_body(content((VideoUrlBody = "application/json"), (VideoUpload = "multipart/form-data"))),
    responses(
        (status = 204, description = "Set"),
        (status = 400, body = Problem, content_type = "application/problem+json"),
        (status = 413, description = "`file.too_large`", body = Problem, content_type = "application/problem+json"),
        (status = 415, description = "`file.type_not_allowed`", body = Problem, content_type = "application/problem+json"),
    )
)]
#[put("/admin/lessons/{id}/video")]
pub async fn set_video(
    catalogue: web::Data<AdminCatalogue>,
    admin: CurrentAdmin,
    ip: ClientIp,
    id: web::Path<Uuid>,
    request: HttpRequest,
    payload: web::Payload,
) -> Result<HttpResponse, ApiError> {
    let actor = actor(&admin, &ip);
    let lesson_id = id.into_inner();
    if !crate::routes::uploads::is_multipart(&request) {
        let body: VideoUrlBody = crate::routes::uploads::json_body(&request, payload).await?;
        catalogue
            .set_video(
                &actor,
                lesson_id,
                VideoSource::Url(body.url),
                body.duration_seconds,
            )
            .await?;
        return Ok(HttpResponse::NoContent().finish());
    }
    let form = read_form(&catalogue, &request, payload, UploadKind::Video).await?;
    let (upload, fields) = form.into_parts()?;
    let duration = fields
        .get("duration_seconds")
        .and_then(|d| d.trim().parse::<i32>().ok());
    let result = match duration {
        Some(duration) => {
            catalogue
                .set_video(
                    &actor,
                    lesson_id,
                    VideoSource::Stored(upload.key.clone()),
                    duration,
                )
                .await
        }
        None => Err(bilim_service::ServiceError::validation(
            "duration_seconds",
            "validation",
            "is required, in whole seconds",
        )),
    };
    if let Err(error) = result {
        catalogue.discard(upload).await;
        return Err(error.into());
    }
    Ok(HttpResponse::NoContent().finish())
}

/// Uploads a workbook: multipart `title`, `lesson_id?`, `file` (PDF, checked by content).
#[utoipa::path(tag = "admin-catalogue", security(("admin_token" = [])),
    request_body(content = WorkbookUpload, content_type = "multipart/form-data"),
    responses(
        (status = 201, body = WorkbookResponse),
        (status = 400, body = Problem, content_type = "application/problem+json"),
        (status = 404, body = Problem, content_type = "application/problem+json"),
        (status = 413, description = "`file.too_large`", body = Problem, content_type = "application/problem+json"),
        (status = 415, description = "`file.type_not_allowed`", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/admin/courses/{id}/workbooks")]
pub async fn create_workbook(
    catalogue: web::Data<AdminCatalogue>,
    admin: CurrentAdmin,
    ip: ClientIp,
    id: web::Path<Uuid>,
    request: HttpRequest,
    payload: web::Payload,
) -> Result<HttpResponse, ApiError> {
    let form = read_form(&catalogue, &request, payload, UploadKind::Workbook).await?;
    let (upload, fields) = form.into_parts()?;
    let title = fields.get("title").cloned().unwrap_or_default();
    let lesson_id = match fields
        .get("lesson_id")
        .map(|raw| raw.trim())
        .filter(|raw| !raw.is_empty())
    {
        None => Ok(None),
        Some(raw) => raw.parse::<Uuid>().map(Some).map_err(|_| {
            bilim_service::ServiceError::validation("lesson_id", "validation", "is not a lesson id")
        }),
    };
    let result = match lesson_id {
        Ok(lesson_id) => {
            catalogue
                .create_workbook(
                    &actor(&admin, &ip),
                    id.into_inner(),
                    &title,
                    lesson_id,
                    upload.clone(),
                )
                .await
        }
        Err(error) => Err(error),
    };
    match result {
        Ok(workbook) => Ok(HttpResponse::Created().json(WorkbookResponse::from(&workbook))),
        Err(error) => {
            catalogue.discard(upload).await;
            Err(error.into())
        }
    }
}

/// Deletes a workbook and its file.
#[utoipa::path(tag = "admin-catalogue", security(("admin_token" = [])), responses(
    (status = 204, description = "Deleted"),
    (status = 404, body = Problem, content_type = "application/problem+json"),
))]
#[delete("/admin/workbooks/{id}")]
pub async fn delete_workbook(
    catalogue: web::Data<AdminCatalogue>,
    admin: CurrentAdmin,
    ip: ClientIp,
    id: web::Path<Uuid>,
) -> Result<HttpResponse, ApiError> {
    catalogue
        .delete_workbook(&actor(&admin, &ip), id.into_inner())
        .await?;
    Ok(HttpResponse::NoContent().finish())
}

/// Creates or renames the course's one certificate.
#[utoipa::path(tag = "admin-catalogue", security(("admin_token" = [])), request_body = CertificateBody, responses(
    (status = 200, body = CertificateSummary),
    (status = 404, body = Problem, content_type = "application/problem+json"),
))]
#[put("/admin/courses/{id}/certificate")]
pub async fn put_certificate(
    catalogue: web::Data<AdminCatalogue>,
    admin: CurrentAdmin,
    ip: ClientIp,
    id: web::Path<Uuid>,
    body: web::Json<CertificateBody>,
) -> Result<web::Json<CertificateSummary>, ApiError> {
    let body = validated(body.into_inner())?;
    let certificate = catalogue
        .put_certificate(&actor(&admin, &ip), id.into_inner(), &body.title)
        .await?;
    Ok(web::Json(CertificateSummary::from(&certificate)))
}
