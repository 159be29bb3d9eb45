//! Document 003's tests for users: a test's overview, attempts (start, read,
//! save answers, submit), the user's attempts, and the leaderboard. A right
//! answer appears only in the result of the user's own submitted attempt.

use crate::dto::quizzes::{
    AnswerItem, AnswersBody, AttemptList, AttemptResponse, AttemptSummary, LeaderboardPage,
    LeaderboardQuery, ResultResponse, SavedResponse, TestResponse,
};
use crate::error::ApiError;
use crate::extract::{CurrentUser, JsonObject};
use actix_web::{HttpResponse, get, post, put, web};
use bilim_service::paging::PageRequest;
use bilim_service::quizzes::Quizzes;
use uuid::Uuid;

const ACCESS: &str = "- `access.none`: the course is not opened to the user (or was revoked)\n- `access.expired`: the user's access to the course has ended";

/// A test of a course opened to the user: its rules and the attempts left.
/// Never a question or an answer.
#[utoipa::path(
    operation_id = "getTest",
    tag = "tests",
    security(("user_token" = [])),
    responses(
        (status = 200, description = "The test", body = TestResponse),
        (status = 403, description = ACCESS),
        (status = 404, description = "- `test.not_found`: no such test"),
    )
)]
#[get("/tests/{id}")]
pub async fn test(
    quizzes: web::Data<Quizzes>,
    user: CurrentUser,
    id: web::Path<Uuid>,
) -> Result<web::Json<TestResponse>, ApiError> {
    let overview = quizzes.overview(user.0.user.id, id.into_inner()).await?;
    Ok(web::Json(TestResponse::from(&overview)))
}

/// Starts an attempt, timed by the server: the questions (without answers,
/// in this attempt's order) and the deadline.
#[utoipa::path(
    operation_id = "startAttempt",
    tag = "tests",
    security(("user_token" = [])),
    responses(
        (status = 201, description = "Started", body = AttemptResponse),
        (status = 403, description = ACCESS),
        (status = 404, description = "- `test.not_found`: no such test"),
        (status = 409, description = "- `test.attempt_open`: an attempt is open (also for the loser of two starts at once)\n- `test.attempts_exhausted`: every one of `max_attempts` is used\n- `test.empty`: the test has no questions"),
    )
)]
#[post("/tests/{id}/attempts")]
pub async fn start(
    quizzes: web::Data<Quizzes>,
    user: CurrentUser,
    id: web::Path<Uuid>,
) -> Result<HttpResponse, ApiError> {
    let sheet = quizzes.start(user.0.user.id, id.into_inner()).await?;
    Ok(HttpResponse::Created().json(AttemptResponse::from(&sheet)))
}

/// The user's attempts at a test, oldest first; those past their deadline
/// are graded with what was saved by then.
#[utoipa::path(
    operation_id = "listMyAttempts",
    tag = "tests",
    security(("user_token" = [])),
    responses(
        (status = 200, description = "The attempts", body = AttemptList),
        (status = 403, description = ACCESS),
        (status = 404, description = "- `test.not_found`: no such test"),
    )
)]
#[get("/tests/{id}/attempts")]
pub async fn attempts(
    quizzes: web::Data<Quizzes>,
    user: CurrentUser,
    id: web::Path<Uuid>,
) -> Result<web::Json<AttemptList>, ApiError> {
    let attempts = quizzes.attempts(user.0.user.id, id.into_inner()).await?;
    Ok(web::Json(AttemptList {
        items: attempts.iter().map(AttemptSummary::from).collect(),
    }))
}

/// One of the user's attempts: its questions (without answers) and what is
/// saved. The result is `POST /attempts/{id}/submit`'s.
#[utoipa::path(
    operation_id = "getAttempt",
    tag = "tests",
    security(("user_token" = [])),
    responses(
        (status = 200, description = "The attempt", body = AttemptResponse),
        (status = 404, description = "- `attempt.not_found`: no such attempt, or another user's"),
    )
)]
#[get("/attempts/{id}")]
pub async fn attempt(
    quizzes: web::Data<Quizzes>,
    user: CurrentUser,
    id: web::Path<Uuid>,
) -> Result<web::Json<AttemptResponse>, ApiError> {
    let sheet = quizzes.sheet(user.0.user.id, id.into_inner()).await?;
    Ok(web::Json(AttemptResponse::from(&sheet)))
}

/// Saves the answers, replacing what was saved; any number of times before
/// the submit and the deadline.
#[utoipa::path(
    operation_id = "saveAttemptAnswers",
    tag = "tests",
    security(("user_token" = [])),
    request_body(content = AnswersBody, example = json!({"answers": [{"question_id": "0193a1b2-0000-7000-8000-000000000101", "option_ids": ["0193a1b2-0000-7000-8000-000000000201"]}, {"question_id": "0193a1b2-0000-7000-8000-000000000102", "value": "oʻzbek"}]})),
    responses(
        (status = 200, description = "Saved", body = SavedResponse),
        (status = 400, description = "- `validation`: `answers[i]` names a question of another test (`answer.question_unknown`), a question twice (`answer.duplicate`), an option of another question (`answer.option_unknown`), two options of a single choice (`answer.too_many_options`), options for a number or text or a value for a choice (`answer.kind_mismatch`), a value that is not a number (`number.invalid`) or over 200 characters (`text.length`); more than 200 answers"),
        (status = 404, description = "- `attempt.not_found`: no such attempt, or another user's"),
        (status = 409, description = "- `attempt.closed`: submitted, or past its deadline; nothing saved"),
    )
)]
#[put("/attempts/{id}/answers")]
pub async fn save_answers(
    quizzes: web::Data<Quizzes>,
    user: CurrentUser,
    id: web::Path<Uuid>,
    body: JsonObject<AnswersBody>,
) -> Result<web::Json<SavedResponse>, ApiError> {
    let attempt_id = id.into_inner();
    let saved = quizzes
        .save(user.0.user.id, attempt_id, body.into_inner().into())
        .await?;
    let sheet = quizzes.sheet(user.0.user.id, attempt_id).await?;
    Ok(web::Json(SavedResponse {
        attempt_id,
        deadline: sheet.attempt.deadline,
        answers: saved.iter().map(AnswerItem::from).collect(),
    }))
}

/// Submits: grades what is saved on the server and shows the right answers.
/// A second submit answers the same result; an attempt past its deadline is
/// graded with what was saved by then.
#[utoipa::path(
    operation_id = "submitAttempt",
    tag = "tests",
    security(("user_token" = [])),
    responses(
        (status = 200, description = "The result", body = ResultResponse),
        (status = 404, description = "- `attempt.not_found`: no such attempt, or another user's"),
    )
)]
#[post("/attempts/{id}/submit")]
pub async fn submit(
    quizzes: web::Data<Quizzes>,
    user: CurrentUser,
    id: web::Path<Uuid>,
) -> Result<web::Json<ResultResponse>, ApiError> {
    let result = quizzes.submit(user.0.user.id, id.into_inner()).await?;
    Ok(web::Json(ResultResponse::from(&result)))
}

/// Users by points (a first pass of each test adds its score once), overall
/// or in one direction; keyset paged.
#[utoipa::path(
    operation_id = "getLeaderboard",
    tag = "tests",
    params(LeaderboardQuery),
    responses(
        (status = 200, description = "Most points first; ties by user id", body = LeaderboardPage),
        (status = 400, description = "- `validation`: `limit` outside 1 to 100, or a `cursor` this API did not give"),
    )
)]
#[get("/leaderboard")]
pub async fn leaderboard(
    quizzes: web::Data<Quizzes>,
    query: web::Query<LeaderboardQuery>,
) -> Result<web::Json<LeaderboardPage>, ApiError> {
    let query = query.into_inner();
    let page = PageRequest {
        limit: query.limit,
        cursor: query.cursor,
    };
    let board = quizzes.leaderboard(query.direction_id, &page).await?;
    Ok(web::Json(LeaderboardPage::from(&board)))
}
