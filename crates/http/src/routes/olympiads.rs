//! Olympiads (document 003): the public list, page and results; a user's
//! registration and their one attempt.

use crate::dto::olympiads::{
    OlympiadListQuery, OlympiadPage, OlympiadResponse, ResultItem, ResultList,
};
use crate::dto::quizzes::AttemptResponse;
use crate::error::ApiError;
use crate::extract::CurrentUser;
use actix_web::{HttpResponse, delete, get, post, web};
use bilim_service::olympiads::Olympiads;
use bilim_service::paging::PageRequest;
use uuid::Uuid;

/// Olympiads, newest first, by level and status (from the clock).
#[utoipa::path(
    operation_id = "listOlympiads",
    tag = "olympiads",
    params(OlympiadListQuery),
    responses(
        (status = 200, description = "A page of olympiads", body = OlympiadPage),
        (status = 400, description = "- `validation`: an unknown `level` (`level.invalid`) or `status` (`status.invalid`), `limit` outside 1 to 100, or a `cursor` this API did not give"),
    )
)]
#[get("/olympiads")]
pub async fn list(
    olympiads: web::Data<Olympiads>,
    query: web::Query<OlympiadListQuery>,
) -> Result<web::Json<OlympiadPage>, ApiError> {
    let query = query.into_inner();
    let (level, status) = query.filters()?;
    let request = PageRequest {
        limit: query.limit,
        cursor: query.cursor,
    };
    let page = olympiads.list(level, status, &request).await?;
    Ok(web::Json(OlympiadPage {
        items: page
            .items
            .iter()
            .map(|o| OlympiadResponse::new(o, olympiads.status(o)))
            .collect(),
        next_cursor: page.next_cursor,
    }))
}

#[utoipa::path(
    operation_id = "getOlympiad",
    tag = "olympiads",
    responses(
        (status = 200, description = "The olympiad", body = OlympiadResponse),
        (status = 404, description = "- `olympiad.not_found`: no such olympiad"),
    )
)]
#[get("/olympiads/{id}")]
pub async fn get(
    olympiads: web::Data<Olympiads>,
    id: web::Path<Uuid>,
) -> Result<web::Json<OlympiadResponse>, ApiError> {
    let olympiad = olympiads.get(id.into_inner()).await?;
    Ok(web::Json(OlympiadResponse::new(
        &olympiad,
        olympiads.status(&olympiad),
    )))
}

/// Takes a place, while registration is open and places are left.
#[utoipa::path(
    operation_id = "registerForOlympiad",
    tag = "olympiads",
    security(("user_token" = [])),
    responses(
        (status = 201, description = "Registered", body = OlympiadResponse),
        (status = 404, description = "- `olympiad.not_found`: no such olympiad"),
        (status = 409, description = "- `olympiad.full`: every place is taken\n- `olympiad.registration_closed`: `registration_ends_at` has passed\n- `olympiad.already_registered`: the user has a place"),
    )
)]
#[post("/olympiads/{id}/registration")]
pub async fn register(
    olympiads: web::Data<Olympiads>,
    user: CurrentUser,
    id: web::Path<Uuid>,
) -> Result<HttpResponse, ApiError> {
    let olympiad = olympiads.register(id.into_inner(), user.0.user.id).await?;
    Ok(HttpResponse::Created().json(OlympiadResponse::new(
        &olympiad,
        olympiads.status(&olympiad),
    )))
}

/// Gives the place back, before the start.
#[utoipa::path(
    operation_id = "unregisterFromOlympiad",
    tag = "olympiads",
    security(("user_token" = [])),
    responses(
        (status = 204, description = "The place is free again"),
        (status = 404, description = "- `olympiad.not_found`: no such olympiad\n- `olympiad.not_registered`: the user has no place"),
        (status = 409, description = "- `olympiad.started`: it has started"),
    )
)]
#[delete("/olympiads/{id}/registration")]
pub async fn unregister(
    olympiads: web::Data<Olympiads>,
    user: CurrentUser,
    id: web::Path<Uuid>,
) -> Result<HttpResponse, ApiError> {
    olympiads
        .unregister(id.into_inner(), user.0.user.id)
        .await?;
    Ok(HttpResponse::NoContent().finish())
}

/// The registered user's one attempt, while in progress: the paper's
/// questions, the deadline the earlier of the time limit and `ends_at`.
/// Answers and the submit go through `/attempts/{id}`.
#[utoipa::path(
    operation_id = "startOlympiadAttempt",
    tag = "olympiads",
    security(("user_token" = [])),
    responses(
        (status = 201, description = "Started", body = AttemptResponse),
        (status = 403, description = "- `olympiad.not_registered`: the user has no place"),
        (status = 404, description = "- `olympiad.not_found`: no such olympiad"),
        (status = 409, description = "- `olympiad.not_in_progress`: before `starts_at` or from `ends_at`\n- `olympiad.attempt_taken`: written already\n- `test.empty`: the paper has no questions"),
    )
)]
#[post("/olympiads/{id}/attempt")]
pub async fn attempt(
    olympiads: web::Data<Olympiads>,
    user: CurrentUser,
    id: web::Path<Uuid>,
) -> Result<HttpResponse, ApiError> {
    let sheet = olympiads.start(id.into_inner(), user.0.user.id).await?;
    Ok(HttpResponse::Created().json(AttemptResponse::from(&sheet)))
}

/// The ranking after the end: score, most first, then the time taken.
#[utoipa::path(
    operation_id = "getOlympiadResults",
    tag = "olympiads",
    responses(
        (status = 200, description = "The ranking", body = ResultList),
        (status = 404, description = "- `olympiad.not_found`: no such olympiad"),
        (status = 409, description = "- `olympiad.not_completed`: before `ends_at`"),
    )
)]
#[get("/olympiads/{id}/results")]
pub async fn results(
    olympiads: web::Data<Olympiads>,
    id: web::Path<Uuid>,
) -> Result<web::Json<ResultList>, ApiError> {
    let standings = olympiads.results(id.into_inner()).await?;
    Ok(web::Json(ResultList {
        items: standings.iter().map(ResultItem::from).collect(),
    }))
}
