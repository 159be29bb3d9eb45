//! Admins' tests and questions (document 003): create, read with answers,
//! change, remove; every change audited.

use super::actor;
use crate::dto::quizzes::{
    AdminQuestionResponse, AdminTestResponse, QuestionCreateBody, QuestionPatchBody,
    TestCreateBody, TestPatchBody,
};
use crate::error::ApiError;
use crate::extract::{ClientIp, CurrentAdmin, JsonObject};
use actix_web::{HttpResponse, delete, get, patch, post, web};
use bilim_service::quizzes::AdminQuizzes;
use uuid::Uuid;

const TEST_RULES: &str = "- `validation`: `title` empty or over 200 characters (`text.length`), `time_limit_seconds` not 10 to 86 400 (`time_limit.invalid`), `max_attempts` not 1 to 100 (`max_attempts.invalid`), `pass_percent` not 1 to 100 (`pass_percent.invalid`)";
const QUESTION_RULES: &str = "- `validation`: `kind` not single, multiple, number or text (`kind.invalid`); `text` empty or over 5 000 characters (`text.length`); `points` not 1 to 100 (`points.invalid`); `position` not 1 to 10 000 (`position.invalid`); a choice with fewer than 2 or more than 20 options (`options.count`), not exactly one right option for `single` or none for `multiple` (`options.correct`), or an `answer` (`answer.not_allowed`); a number or text with options (`options.not_allowed`), without `answer` (`required`), a number `answer` that is not a number (`number.invalid`), a tolerance outside 0 to 1 000 000 (`tolerance.invalid`) or on a text (`tolerance.not_allowed`)";

/// A new test of a lesson.
#[utoipa::path(
    operation_id = "adminCreateTest",
    tag = "admin-tests",
    security(("admin_token" = [])),
    request_body(content = TestCreateBody, example = json!({"title": "Kasrlar: 1-test", "time_limit_seconds": 900, "max_attempts": 3, "pass_percent": 60})),
    responses(
        (status = 201, description = "Created; audited", body = AdminTestResponse),
        (status = 400, description = TEST_RULES),
        (status = 404, description = "- `lesson.not_found`: no such lesson"),
    )
)]
#[post("/admin/lessons/{id}/tests")]
pub async fn create_test(
    quizzes: web::Data<AdminQuizzes>,
    admin: CurrentAdmin,
    ip: ClientIp,
    id: web::Path<Uuid>,
    body: JsonObject<TestCreateBody>,
) -> Result<HttpResponse, ApiError> {
    let new = body.into_inner().try_into()?;
    let test = quizzes
        .create_test(&actor(&admin, &ip), id.into_inner(), new)
        .await?;
    Ok(HttpResponse::Created().json(AdminTestResponse::new(&test, &[])))
}

/// A test with its questions and their answers.
#[utoipa::path(
    operation_id = "adminGetTest",
    tag = "admin-tests",
    security(("admin_token" = [])),
    responses(
        (status = 200, description = "The test", body = AdminTestResponse),
        (status = 404, description = "- `test.not_found`: no such test"),
    )
)]
#[get("/admin/tests/{id}")]
pub async fn get_test(
    quizzes: web::Data<AdminQuizzes>,
    _admin: CurrentAdmin,
    id: web::Path<Uuid>,
) -> Result<web::Json<AdminTestResponse>, ApiError> {
    let test = quizzes.test(id.into_inner()).await?;
    Ok(web::Json(AdminTestResponse::from(&test)))
}

/// Changes a test's rules; attempts already made keep their results.
#[utoipa::path(
    operation_id = "adminUpdateTest",
    tag = "admin-tests",
    security(("admin_token" = [])),
    request_body(content = TestPatchBody, example = json!({"max_attempts": 5, "time_limit_seconds": null})),
    responses(
        (status = 200, description = "Changed; audited", body = AdminTestResponse),
        (status = 400, description = TEST_RULES),
        (status = 404, description = "- `test.not_found`: no such test"),
    )
)]
#[patch("/admin/tests/{id}")]
pub async fn update_test(
    quizzes: web::Data<AdminQuizzes>,
    admin: CurrentAdmin,
    ip: ClientIp,
    id: web::Path<Uuid>,
    body: JsonObject<TestPatchBody>,
) -> Result<web::Json<AdminTestResponse>, ApiError> {
    let patch = body.into_inner().try_into()?;
    let id = id.into_inner();
    quizzes.update_test(&actor(&admin, &ip), id, patch).await?;
    let test = quizzes.test(id).await?;
    Ok(web::Json(AdminTestResponse::from(&test)))
}

/// Removes a test with its questions, attempts and the olympiads written on it.
#[utoipa::path(
    operation_id = "adminDeleteTest",
    tag = "admin-tests",
    security(("admin_token" = [])),
    responses(
        (status = 204, description = "Removed with its questions, attempts and olympiads; audited"),
        (status = 404, description = "- `test.not_found`: no such test"),
    )
)]
#[delete("/admin/tests/{id}")]
pub async fn delete_test(
    quizzes: web::Data<AdminQuizzes>,
    admin: CurrentAdmin,
    ip: ClientIp,
    id: web::Path<Uuid>,
) -> Result<HttpResponse, ApiError> {
    quizzes
        .delete_test(&actor(&admin, &ip), id.into_inner())
        .await?;
    Ok(HttpResponse::NoContent().finish())
}

/// A new question of a test.
#[utoipa::path(
    operation_id = "adminCreateQuestion",
    tag = "admin-tests",
    security(("admin_token" = [])),
    request_body(content = QuestionCreateBody, example = json!({"kind": "single", "text": "1/2 + 1/4 nechaga teng?", "points": 2, "options": [{"text": "3/4", "correct": true}, {"text": "2/6", "correct": false}]})),
    responses(
        (status = 201, description = "Created; audited", body = AdminQuestionResponse),
        (status = 400, description = QUESTION_RULES),
        (status = 404, description = "- `test.not_found`: no such test"),
    )
)]
#[post("/admin/tests/{id}/questions")]
pub async fn create_question(
    quizzes: web::Data<AdminQuizzes>,
    admin: CurrentAdmin,
    ip: ClientIp,
    id: web::Path<Uuid>,
    body: JsonObject<QuestionCreateBody>,
) -> Result<HttpResponse, ApiError> {
    let (draft, position) = body.into_inner().into_draft()?;
    let question = quizzes
        .create_question(&actor(&admin, &ip), id.into_inner(), draft, position)
        .await?;
    Ok(HttpResponse::Created().json(AdminQuestionResponse::from(&question)))
}

/// Changes a question; new `options` replace the old ones.
#[utoipa::path(
    operation_id = "adminUpdateQuestion",
    tag = "admin-tests",
    security(("admin_token" = [])),
    request_body(content = QuestionPatchBody, example = json!({"points": 3})),
    responses(
        (status = 200, description = "Changed; audited", body = AdminQuestionResponse),
        (status = 400, description = QUESTION_RULES),
        (status = 404, description = "- `question.not_found`: no such question"),
    )
)]
#[patch("/admin/questions/{id}")]
pub async fn update_question(
    quizzes: web::Data<AdminQuizzes>,
    admin: CurrentAdmin,
    ip: ClientIp,
    id: web::Path<Uuid>,
    body: JsonObject<QuestionPatchBody>,
) -> Result<web::Json<AdminQuestionResponse>, ApiError> {
    let patch = body.into_inner().try_into()?;
    let question = quizzes
        .update_question(&actor(&admin, &ip), id.into_inner(), patch)
        .await?;
    Ok(web::Json(AdminQuestionResponse::from(&question)))
}

/// Removes a question.
#[utoipa::path(
    operation_id = "adminDeleteQuestion",
    tag = "admin-tests",
    security(("admin_token" = [])),
    responses(
        (status = 204, description = "Removed; audited"),
        (status = 404, description = "- `question.not_found`: no such question"),
    )
)]
#[delete("/admin/questions/{id}")]
pub async fn delete_question(
    quizzes: web::Data<AdminQuizzes>,
    admin: CurrentAdmin,
    ip: ClientIp,
    id: web::Path<Uuid>,
) -> Result<HttpResponse, ApiError> {
    quizzes
        .delete_question(&actor(&admin, &ip), id.into_inner())
        .await?;
    Ok(HttpResponse::NoContent().finish())
}
