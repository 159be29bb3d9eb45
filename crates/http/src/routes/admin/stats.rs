//! The dashboard's statistics.

use crate::dto::stats::{StatsQuery, StatsResponse, stats_csv};
use crate::error::ApiError;
use crate::extract::CurrentAdmin;
use actix_web::http::header;
use actix_web::{HttpResponse, get, web};
use bilim_service::ServiceError;
use bilim_service::admin::AdminStats;

/// Totals now and counts per day (Tashkent) over up to 366 days; as CSV too.
#[utoipa::path(
    operation_id = "adminStats",
    tag = "admin",
    security(("admin_token" = [])),
    params(StatsQuery),
    responses(
        (status = 200, description = "Users, open access, and each day's new users, completed lessons, certificates, orders and revenue; the top 10 courses by open access. With `format=csv`, the days as `text/csv` (UTF-8 with a BOM)",
         content((StatsResponse = "application/json"), (String = "text/csv"))),
        (status = 400, description = "- `validation`: `from` after `to`, a range over 366 days (`errors[].code` `stats.range`), or `format` other than `json`/`csv`\n- `request.invalid_query`: a date that is not `YYYY-MM-DD`"),
    )
)]
#[get("/admin/stats")]
pub async fn stats(
    stats: web::Data<AdminStats>,
    _admin: CurrentAdmin,
    query: web::Query<StatsQuery>,
) -> Result<HttpResponse, ApiError> {
    let query = query.into_inner();
    let csv = match query.format.as_deref() {
        None | Some("json") => false,
        Some("csv") => true,
        Some(_) => {
            return Err(
                ServiceError::validation("format", "validation", "must be json or csv").into(),
            );
        }
    };
    let found = stats.stats(query.from, query.to).await?;
    if csv {
        let name = format!(
            "attachment; filename=\"bilim-stats-{}-{}.csv\"",
            found.range.from(),
            found.range.to()
        );
        return Ok(HttpResponse::Ok()
            .content_type("text/csv; charset=utf-8")
            .insert_header((header::CONTENT_DISPOSITION, name))
            .body(stats_csv(&found)));
    }
    Ok(HttpResponse::Ok().json(StatsResponse::from(&found)))
}
