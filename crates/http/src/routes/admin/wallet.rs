//! Admins and users' wallets: top-ups and adjustments (each with an
//! `Idempotency-Key`, audited) and the ledger.

use super::actor;
use crate::dto::admin::PageQuery;
use crate::dto::wallet::{AdjustmentBody, AppliedResponse, EntryPage, TopUpBody};
use crate::error::ApiError;
use crate::extract::{ClientIp, CurrentAdmin, JsonObject};
use crate::idempotency::{Keyed, respond, stored};
use crate::routes::wallet::{entry_page, page_request};
use actix_web::http::StatusCode;
use actix_web::{HttpResponse, get, post, web};
use bilim_domain::wallet::{Adjustment, TopUp};
use bilim_service::idempotency::Idempotency;
use bilim_service::wallet::AdminWallets;
use uuid::Uuid;

/// Credits the user's balance. A retry with the same `Idempotency-Key` and
/// body answers the first answer again and credits nothing.
#[utoipa::path(
    operation_id = "adminTopUpWallet",
    tag = "wallet",
    security(("admin_token" = [])),
    params(("Idempotency-Key" = String, Header, pattern = "^[!-~]{1,64}$", description = "1 to 64 visible ASCII characters, new for each top-up; kept 24 hours")),
    request_body(content = TopUpBody, example = json!({"amount": 100000, "note": "Naqd pul orqali toʻlov"})),
    responses(
        (status = 201, description = "Credited: the ledger row and the new balance; audited. A replay carries `Idempotent-Replayed: true`", body = AppliedResponse),
        (status = 400, description = "- `validation`: `amount` not a whole number from 1 to 100 000 000 (`amount.invalid`), `note` over 500 characters (`note.invalid`)\n- `idempotency.key_required`: no `Idempotency-Key`\n- `idempotency.key_invalid`: not 1 to 64 visible ASCII characters"),
        (status = 404, description = "- `user.not_found`: no such user"),
        (status = 409, description = "- `idempotency.in_progress`: the first request with this key is still being answered; send it again shortly"),
        (status = 422, description = "- `idempotency.mismatch`: this key was used for another request"),
    )
)]
#[post("/admin/users/{id}/wallet/top-ups")]
pub async fn top_up(
    wallets: web::Data<AdminWallets>,
    idempotency: web::Data<Idempotency>,
    admin: CurrentAdmin,
    ip: ClientIp,
    id: web::Path<Uuid>,
    keyed: Keyed,
    body: JsonObject<TopUpBody>,
) -> Result<HttpResponse, ApiError> {
    let command = TopUp::try_from(&*body)?;
    let caller = format!("admin:{}", admin.0.admin.id);
    let user_id = id.into_inner();
    let answer = idempotency
        .run(&caller, &keyed.key, &keyed.fingerprint(&*body), || async {
            let applied = wallets
                .top_up(&actor(&admin, &ip), user_id, command)
                .await?;
            stored(StatusCode::CREATED, &AppliedResponse::from(&applied))
        })
        .await?;
    Ok(respond(answer))
}

/// Credits or debits the user's balance with a reason; never below 0.
#[utoipa::path(
    operation_id = "adminAdjustWallet",
    tag = "wallet",
    security(("admin_token" = [])),
    params(("Idempotency-Key" = String, Header, pattern = "^[!-~]{1,64}$", description = "1 to 64 visible ASCII characters, new for each adjustment; kept 24 hours")),
    request_body(content = AdjustmentBody, example = json!({"amount": -20000, "note": "Xato kiritilgan toʻlov qaytarildi"})),
    responses(
        (status = 201, description = "Applied: the ledger row and the new balance; audited", body = AppliedResponse),
        (status = 400, description = "- `validation`: `amount` 0, fractional or beyond ±100 000 000 (`amount.invalid`); `note` missing or empty (`required`) or over 500 characters\n- `idempotency.key_required`, `idempotency.key_invalid`"),
        (status = 404, description = "- `user.not_found`: no such user"),
        (status = 409, description = "- `wallet.insufficient_funds`: the debit is more than the balance; nothing changed (`detail`: \"Balansingizga yetarli mablag' mavjud emas!\")\n- `idempotency.in_progress`"),
        (status = 422, description = "- `idempotency.mismatch`: this key was used for another request"),
    )
)]
#[post("/admin/users/{id}/wallet/adjustments")]
pub async fn adjust(
    wallets: web::Data<AdminWallets>,
    idempotency: web::Data<Idempotency>,
    admin: CurrentAdmin,
    ip: ClientIp,
    id: web::Path<Uuid>,
    keyed: Keyed,
    body: JsonObject<AdjustmentBody>,
) -> Result<HttpResponse, ApiError> {
    let command = Adjustment::try_from(&*body)?;
    let caller = format!("admin:{}", admin.0.admin.id);
    let user_id = id.into_inner();
    let answer = idempotency
        .run(&caller, &keyed.key, &keyed.fingerprint(&*body), || async {
            let applied = wallets
                .adjust(&actor(&admin, &ip), user_id, command)
                .await?;
            stored(StatusCode::CREATED, &AppliedResponse::from(&applied))
        })
        .await?;
    Ok(respond(answer))
}

/// The user's ledger, newest first.
#[utoipa::path(
    operation_id = "adminListWalletEntries",
    tag = "wallet",
    security(("admin_token" = [])),
    params(PageQuery),
    responses(
        (status = 200, description = "A page of the ledger, newest first", body = EntryPage),
        (status = 400, description = "- `validation`: `limit` outside 1 to 100, or a `cursor` this API did not give"),
        (status = 404, description = "- `user.not_found`: no such user"),
    )
)]
#[get("/admin/users/{id}/wallet/entries")]
pub async fn entries(
    wallets: web::Data<AdminWallets>,
    _admin: CurrentAdmin,
    id: web::Path<Uuid>,
    query: web::Query<PageQuery>,
) -> Result<web::Json<EntryPage>, ApiError> {
    let page = wallets
        .entries(id.into_inner(), &page_request(query))
        .await?;
    Ok(web::Json(entry_page(&page)))
}
