//! `[anyone]` search over the published catalogue.

use crate::dto::search::{SearchHitResponse, SearchQuery, SearchResults};
use crate::error::ApiError;
use actix_web::{get, web};
use bilim_service::search::Search;

/// Published courses and lessons, and olympiads, by words, Latin or Cyrillic, one typo forgiven.
#[utoipa::path(
    operation_id = "search",
    tag = "catalogue",
    params(SearchQuery),
    responses(
        (status = 200, description = "Hits, best first; none for a query of punctuation only", body = SearchResults),
        (status = 400, description = "- `validation`: `q` missing, empty or over 200 characters, `kind` other than `course`/`lesson`/`olympiad`, or `limit` outside 1 to 50\n- `request.invalid_query`: `limit` not a number"),
    )
)]
#[get("/search")]
pub async fn search(
    search: web::Data<Search>,
    query: web::Query<SearchQuery>,
) -> Result<web::Json<SearchResults>, ApiError> {
    let query = query.into_inner();
    let hits = search
        .search(&query.q, query.kind.as_deref(), query.limit)
        .await?;
    Ok(web::Json(SearchResults {
        items: hits.iter().map(SearchHitResponse::from).collect(),
    }))
}
