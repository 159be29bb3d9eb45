//! The signed-in user's wallet: balance and ledger.

use crate::dto::admin::PageQuery;
use crate::dto::wallet::{EntryPage, EntryResponse, WalletResponse};
use crate::error::ApiError;
use crate::extract::CurrentUser;
use actix_web::{get, web};
use bilim_domain::wallet::WalletEntry;
use bilim_service::paging::{Page, PageRequest};
use bilim_service::wallet::Wallets;

pub(crate) fn page_request(query: web::Query<PageQuery>) -> PageRequest {
    let query = query.into_inner();
    PageRequest {
        limit: query.limit,
        cursor: query.cursor,
    }
}

pub(crate) fn entry_page(page: &Page<WalletEntry>) -> EntryPage {
    EntryPage {
        items: page.items.iter().map(EntryResponse::from).collect(),
        next_cursor: page.next_cursor.clone(),
    }
}

/// The balance, in so'm.
#[utoipa::path(
    operation_id = "getMyWallet",
    tag = "wallet",
    security(("user_token" = [])),
    responses((status = 200, description = "The balance", body = WalletResponse))
)]
#[get("/users/me/wallet")]
pub async fn wallet(
    wallets: web::Data<Wallets>,
    user: CurrentUser,
) -> Result<web::Json<WalletResponse>, ApiError> {
    let balance = wallets.balance(user.0.user.id).await?;
    Ok(web::Json(WalletResponse::new(balance)))
}

/// The ledger, newest first: every credit and debit with the balance it left.
#[utoipa::path(
    operation_id = "listMyWalletEntries",
    tag = "wallet",
    security(("user_token" = [])),
    params(PageQuery),
    responses(
        (status = 200, description = "A page of the ledger, newest first", body = EntryPage),
        (status = 400, description = "- `validation`: `limit` outside 1 to 100, or a `cursor` this API did not give"),
    )
)]
#[get("/users/me/wallet/entries")]
pub async fn entries(
    wallets: web::Data<Wallets>,
    user: CurrentUser,
    query: web::Query<PageQuery>,
) -> Result<web::Json<EntryPage>, ApiError> {
    let page = wallets
        .entries(user.0.user.id, &page_request(query))
        .await?;
    Ok(web::Json(entry_page(&page)))
}
