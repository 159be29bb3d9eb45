//! Offerings and the signed-in user's orders: place (with an
//! `Idempotency-Key`), list, read, cancel, pay from the balance.

use crate::dto::admin::PageQuery;
use crate::dto::orders::{OfferingList, OfferingResponse, OrderBody, OrderPage, OrderResponse};
use crate::error::ApiError;
use crate::extract::{CurrentUser, JsonObject};
use crate::idempotency::{Keyed, respond, stored};
use crate::routes::wallet::page_request;
use actix_web::http::StatusCode;
use actix_web::{HttpResponse, get, post, web};
use bilim_service::idempotency::Idempotency;
use bilim_service::orders::Orders;
use uuid::Uuid;

/// The offerings on sale (document 004's services).
#[utoipa::path(
    operation_id = "listOfferings",
    tag = "orders",
    responses((status = 200, description = "The offerings, newest first", body = OfferingList))
)]
#[get("/offerings")]
pub async fn offerings(orders: web::Data<Orders>) -> Result<web::Json<OfferingList>, ApiError> {
    let offerings = orders.offerings().await?;
    Ok(web::Json(OfferingList {
        items: offerings.iter().map(OfferingResponse::from).collect(),
    }))
}

/// Orders an offering at its current price; the amount is fixed now.
#[utoipa::path(
    operation_id = "placeOrder",
    tag = "orders",
    security(("user_token" = [])),
    params(("Idempotency-Key" = String, Header, pattern = "^[!-~]{1,64}$", description = "1 to 64 visible ASCII characters, new for each order; kept 24 hours")),
    request_body(content = OrderBody, example = json!({"offering_id": "0193a1b2-0000-7000-8000-0000000000ab"})),
    responses(
        (status = 201, description = "Placed, `pending`, with the links that pay it. A replay carries `Idempotent-Replayed: true`", body = OrderResponse),
        (status = 400, description = "- `validation`: `device_id` missing for a product (`required`), given for another kind (`device_id.not_allowed`), empty or over 128 characters (`text.length`)\n- `idempotency.key_required`, `idempotency.key_invalid`"),
        (status = 404, description = "- `offering.not_found`: no such offering, or no longer sold"),
        (status = 409, description = "- `idempotency.in_progress`"),
        (status = 422, description = "- `idempotency.mismatch`: this key was used for another request"),
    )
)]
#[post("/orders")]
pub async fn place(
    orders: web::Data<Orders>,
    idempotency: web::Data<Idempotency>,
    user: CurrentUser,
    keyed: Keyed,
    body: JsonObject<OrderBody>,
) -> Result<HttpResponse, ApiError> {
    let user_id = user.0.user.id;
    let device_id = body.device()?;
    let caller = format!("user:{user_id}");
    let answer = idempotency
        .run(&caller, &keyed.key, &keyed.fingerprint(&*body), || async {
            let order = orders.place(user_id, body.offering_id, device_id).await?;
            let response = OrderResponse::new(&order, orders.links(&order));
            stored(StatusCode::CREATED, &response)
        })
        .await?;
    Ok(respond(answer))
}

/// The user's orders, newest first.
#[utoipa::path(
    operation_id = "listMyOrders",
    tag = "orders",
    security(("user_token" = [])),
    params(PageQuery),
    responses(
        (status = 200, description = "A page of the user's orders", body = OrderPage),
        (status = 400, description = "- `validation`: `limit` outside 1 to 100, or a `cursor` this API did not give"),
    )
)]
#[get("/users/me/orders")]
pub async fn mine(
    orders: web::Data<Orders>,
    user: CurrentUser,
    query: web::Query<PageQuery>,
) -> Result<web::Json<OrderPage>, ApiError> {
    let page = orders.mine(user.0.user.id, &page_request(query)).await?;
    Ok(web::Json(OrderPage {
        items: page
            .items
            .iter()
            .map(|o| OrderResponse::new(o, orders.links(o)))
            .collect(),
        next_cursor: page.next_cursor,
    }))
}

/// One of the user's orders.
#[utoipa::path(
    operation_id = "getMyOrder",
    tag = "orders",
    security(("user_token" = [])),
    responses(
        (status = 200, description = "The order", body = OrderResponse),
        (status = 404, description = "- `order.not_found`: no such order of this user"),
    )
)]
#[get("/orders/{id}")]
pub async fn get(
    orders: web::Data<Orders>,
    user: CurrentUser,
    id: web::Path<Uuid>,
) -> Result<web::Json<OrderResponse>, ApiError> {
    let order = orders.own(user.0.user.id, id.into_inner()).await?;
    Ok(web::Json(OrderResponse::new(&order, orders.links(&order))))
}

/// Cancels the user's pending order.
#[utoipa::path(
    operation_id = "cancelMyOrder",
    tag = "orders",
    security(("user_token" = [])),
    responses(
        (status = 200, description = "Cancelled", body = OrderResponse),
        (status = 404, description = "- `order.not_found`: no such order of this user"),
        (status = 409, description = "- `order.not_pending`: completed or cancelled already"),
    )
)]
#[post("/orders/{id}/cancel")]
pub async fn cancel(
    orders: web::Data<Orders>,
    user: CurrentUser,
    id: web::Path<Uuid>,
) -> Result<web::Json<OrderResponse>, ApiError> {
    let order = orders.cancel(user.0.user.id, id.into_inner()).await?;
    Ok(web::Json(OrderResponse::new(&order, orders.links(&order))))
}

/// Pays the pending order from the balance: completed, debited (a ledger
/// row of kind `order`) and fulfilled in one transaction, or nothing.
#[utoipa::path(
    operation_id = "payMyOrderFromBalance",
    tag = "orders",
    security(("user_token" = [])),
    params(("Idempotency-Key" = String, Header, pattern = "^[!-~]{1,64}$", description = "1 to 64 visible ASCII characters, new for each payment; kept 24 hours")),
    responses(
        (status = 200, description = "Completed and fulfilled. A replay carries `Idempotent-Replayed: true`", body = OrderResponse),
        (status = 400, description = "- `idempotency.key_required`, `idempotency.key_invalid`"),
        (status = 404, description = "- `order.not_found`: no such order of this user"),
        (status = 409, description = "- `wallet.insufficient_funds`: the balance does not cover the amount; nothing changed (`detail`: \"Balansingizga yetarli mablag' mavjud emas!\")\n- `order.not_pending`: completed or cancelled already (another payment won)\n- `idempotency.in_progress`"),
        (status = 422, description = "- `idempotency.mismatch`: this key was used for another request"),
    )
)]
#[post("/orders/{id}/pay/balance")]
pub async fn pay_balance(
    orders: web::Data<Orders>,
    idempotency: web::Data<Idempotency>,
    user: CurrentUser,
    id: web::Path<Uuid>,
    keyed: Keyed,
) -> Result<HttpResponse, ApiError> {
    let user_id = user.0.user.id;
    let order_id = id.into_inner();
    let caller = format!("user:{user_id}");
    let answer = idempotency
        .run(&caller, &keyed.key, &keyed.fingerprint(&()), || async {
            let order = orders.pay_from_balance(user_id, order_id).await?;
            stored(
                StatusCode::OK,
                &OrderResponse::new(&order, orders.links(&order)),
            )
        })
        .await?;
    Ok(respond(answer))
}
