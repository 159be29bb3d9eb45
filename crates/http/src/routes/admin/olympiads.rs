//! Admins' olympiads: list, create, change, remove (audited), and the
//! participant list as JSON or CSV.

use super::actor;
use crate::dto::admin::PageQuery;
use crate::dto::olympiads::{
    OlympiadCreateBody, OlympiadPage, OlympiadPatchBody, OlympiadResponse, ParticipantItem,
    ParticipantList, ParticipantsQuery, participants_csv,
};
use crate::error::ApiError;
use crate::extract::{ClientIp, CurrentAdmin, JsonObject};
use actix_web::http::header;
use actix_web::{HttpResponse, delete, get, patch, post, web};
use bilim_service::olympiads::{AdminOlympiads, Olympiads};
use uuid::Uuid;

const RULES: &str = "- `validation`: `title` empty or over 200 characters (`text.length`), `description` over 20 000, an unknown `level` (`level.invalid`), `registration_ends_at` after `starts_at` or `ends_at` not after `starts_at` (`schedule.invalid`), `capacity` not 1 to 100 000 (`capacity.invalid`)";

#[utoipa::path(
    operation_id = "adminListOlympiads",
    tag = "admin-olympiads",
    security(("admin_token" = [])),
    params(PageQuery),
    responses(
        (status = 200, description = "Newest first", body = OlympiadPage),
        (status = 400, description = "- `validation`: `limit` outside 1 to 100, or a `cursor` this API did not give"),
    )
)]
#[get("/admin/olympiads")]
pub async fn list(
    admin_olympiads: web::Data<AdminOlympiads>,
    olympiads: web::Data<Olympiads>,
    _admin: CurrentAdmin,
    query: web::Query<PageQuery>,
) -> Result<web::Json<OlympiadPage>, ApiError> {
    let page = admin_olympiads
        .list(&crate::routes::wallet::page_request(query))
        .await?;
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
    operation_id = "adminCreateOlympiad",
    tag = "admin-olympiads",
    security(("admin_token" = [])),
    request_body(content = OlympiadCreateBody, example = json!({"title": "Viloyat matematika olimpiadasi", "direction_id": "0193a1b2-0000-7000-8000-000000000001", "level": "regional", "registration_ends_at": "2027-03-01T00:00:00Z", "starts_at": "2027-03-05T09:00:00Z", "ends_at": "2027-03-05T12:00:00Z", "capacity": 100, "test_id": "0193a1b2-0000-7000-8000-000000000002"})),
    responses(
        (status = 201, description = "Created; audited", body = OlympiadResponse),
        (status = 400, description = RULES),
    )
)]
#[post("/admin/olympiads")]
pub async fn create(
    admin_olympiads: web::Data<AdminOlympiads>,
    olympiads: web::Data<Olympiads>,
    admin: CurrentAdmin,
    ip: ClientIp,
    body: JsonObject<OlympiadCreateBody>,
) -> Result<HttpResponse, ApiError> {
    let new = body.into_inner().try_into()?;
    let made = admin_olympiads.create(&actor(&admin, &ip), new).await?;
    Ok(HttpResponse::Created().json(OlympiadResponse::new(&made, olympiads.status(&made))))
}

#[utoipa::path(
    operation_id = "adminUpdateOlympiad",
    tag = "admin-olympiads",
    security(("admin_token" = [])),
    request_body(content = OlympiadPatchBody, example = json!({"capacity": 200})),
    responses(
        (status = 200, description = "Changed; audited", body = OlympiadResponse),
        (status = 400, description = RULES),
        (status = 404, description = "- `olympiad.not_found`: no such olympiad"),
        (status = 409, description = "- `olympiad.capacity_below_registered`: more users have places than the new capacity"),
    )
)]
#[patch("/admin/olympiads/{id}")]
pub async fn update(
    admin_olympiads: web::Data<AdminOlympiads>,
    olympiads: web::Data<Olympiads>,
    admin: CurrentAdmin,
    ip: ClientIp,
    id: web::Path<Uuid>,
    body: JsonObject<OlympiadPatchBody>,
) -> Result<web::Json<OlympiadResponse>, ApiError> {
    let patch = body.into_inner().try_into()?;
    let changed = admin_olympiads
        .update(&actor(&admin, &ip), id.into_inner(), patch)
        .await?;
    Ok(web::Json(OlympiadResponse::new(
        &changed,
        olympiads.status(&changed),
    )))
}

#[utoipa::path(
    operation_id = "adminDeleteOlympiad",
    tag = "admin-olympiads",
    security(("admin_token" = [])),
    responses(
        (status = 204, description = "Removed with its registrations and attempts; audited"),
        (status = 404, description = "- `olympiad.not_found`: no such olympiad"),
    )
)]
#[delete("/admin/olympiads/{id}")]
pub async fn remove(
    admin_olympiads: web::Data<AdminOlympiads>,
    admin: CurrentAdmin,
    ip: ClientIp,
    id: web::Path<Uuid>,
) -> Result<HttpResponse, ApiError> {
    admin_olympiads
        .delete(&actor(&admin, &ip), id.into_inner())
        .await?;
    Ok(HttpResponse::NoContent().finish())
}

/// Every registered user with their result; `?format=csv` as a UTF-8 CSV
/// with a byte order mark.
#[utoipa::path(
    operation_id = "adminListOlympiadParticipants",
    tag = "admin-olympiads",
    security(("admin_token" = [])),
    params(ParticipantsQuery),
    responses(
        (status = 200, description = "The participants, by registration", content(
            (ParticipantList = "application/json"),
            (String = "text/csv", example = "\u{feff}ism,familiya,email,royxatdan_otgan,boshlagan,topshirgan,ball,maksimal_ball\r\nOʻktam,Karimov,oktam@example.uz,2027-03-01T08:00:00+00:00,,,,\r\n"),
        )),
        (status = 400, description = "- `validation`: `format` not `json` or `csv`"),
        (status = 404, description = "- `olympiad.not_found`: no such olympiad"),
    )
)]
#[get("/admin/olympiads/{id}/participants")]
pub async fn participants(
    admin_olympiads: web::Data<AdminOlympiads>,
    _admin: CurrentAdmin,
    id: web::Path<Uuid>,
    query: web::Query<ParticipantsQuery>,
) -> Result<HttpResponse, ApiError> {
    let csv = match query.format.as_deref() {
        None | Some("") | Some("json") => false,
        Some("csv") => true,
        Some(_) => {
            return Err(ApiError::from(bilim_service::ServiceError::validation(
                "format",
                "validation",
                "must be json or csv",
            )));
        }
    };
    let (olympiad, participants) = admin_olympiads.participants(id.into_inner()).await?;
    let items: Vec<ParticipantItem> = participants.iter().map(ParticipantItem::from).collect();
    if csv {
        return Ok(HttpResponse::Ok()
            .content_type("text/csv; charset=utf-8")
            .insert_header((
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"olympiad-{}.csv\"", olympiad.id),
            ))
            .body(participants_csv(&items)));
    }
    Ok(HttpResponse::Ok().json(ParticipantList { items }))
}
