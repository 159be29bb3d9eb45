//! Admins' offerings (list, create, change, delete or archive) and orders
//! (list by status and user, complete, cancel). Every change is audited.

use super::actor;
use crate::dto::orders::{
    AdminOrderQuery, OfferingCreateBody, OfferingList, OfferingPatchBody, OfferingResponse,
    OrderPage, OrderResponse,
};
use crate::error::ApiError;
use crate::extract::{ClientIp, CurrentAdmin, JsonObject};
use actix_web::{HttpResponse, delete, get, patch, post, web};
use bilim_domain::orders::Removal;
use bilim_service::orders::{AdminOrders, Orders};
use bilim_service::paging::PageRequest;
use uuid::Uuid;

/// Every offering, archived ones too.
#[utoipa::path(
    operation_id = "adminListOfferings",
    tag = "admin-orders",
    security(("admin_token" = [])),
    responses((status = 200, description = "Every offering, newest first", body = OfferingList))
)]
#[get("/admin/offerings")]
pub async fn offerings(
    admin_orders: web::Data<AdminOrders>,
    _admin: CurrentAdmin,
) -> Result<web::Json<OfferingList>, ApiError> {
    let offerings = admin_orders.offerings().await?;
    Ok(web::Json(OfferingList {
        items: offerings.iter().map(OfferingResponse::from).collect(),
    }))
}

/// A new offering.
#[utoipa::path(
    operation_id = "adminCreateOffering",
    tag = "admin-orders",
    security(("admin_token" = [])),
    request_body(content = OfferingCreateBody, example = json!({"name": "Matematika: 6 oylik kirish", "price": 450000, "kind": "course_access", "course_id": "0193a1b2-0000-7000-8000-0000000000c1", "months": 6})),
    responses(
        (status = 201, description = "Created; audited", body = OfferingResponse),
        (status = 400, description = "- `validation`: `name` empty or over 200 characters (`text.length`), `price` not 1 to 100 000 000 (`amount.invalid`), `kind` unknown (`offering.kind_invalid`), `months` not 1 to 60 (`months.invalid`), a field the kind needs missing (`required`) or one it does not take (`offering.field_not_allowed`), no such course (`course.not_found`) or product (`product.not_found`)"),
    )
)]
#[post("/admin/offerings")]
pub async fn create_offering(
    admin_orders: web::Data<AdminOrders>,
    admin: CurrentAdmin,
    ip: ClientIp,
    body: JsonObject<OfferingCreateBody>,
) -> Result<HttpResponse, ApiError> {
    let command = body.into_inner().try_into()?;
    let offering = admin_orders
        .create_offering(&actor(&admin, &ip), command)
        .await?;
    Ok(HttpResponse::Created().json(OfferingResponse::from(&offering)))
}

/// Changes an offering's name, description, price or months. Orders placed
/// keep their amount and terms.
#[utoipa::path(
    operation_id = "adminUpdateOffering",
    tag = "admin-orders",
    security(("admin_token" = [])),
    request_body(content = OfferingPatchBody, example = json!({"price": 400000})),
    responses(
        (status = 200, description = "Changed; audited", body = OfferingResponse),
        (status = 400, description = "- `validation`: a field breaks its rule, as when creating; `months` for a custom offering (`months.not_allowed`)"),
        (status = 404, description = "- `offering.not_found`: no such offering, or archived"),
    )
)]
#[patch("/admin/offerings/{id}")]
pub async fn update_offering(
    admin_orders: web::Data<AdminOrders>,
    admin: CurrentAdmin,
    ip: ClientIp,
    id: web::Path<Uuid>,
    body: JsonObject<OfferingPatchBody>,
) -> Result<web::Json<OfferingResponse>, ApiError> {
    let patch = body.into_inner().try_into()?;
    let offering = admin_orders
        .update_offering(&actor(&admin, &ip), id.into_inner(), patch)
        .await?;
    Ok(web::Json(OfferingResponse::from(&offering)))
}

/// Deletes an offering; one with orders is archived instead (kept, no
/// longer sold).
#[utoipa::path(
    operation_id = "adminDeleteOffering",
    tag = "admin-orders",
    security(("admin_token" = [])),
    responses(
        (status = 204, description = "Deleted, or archived when it has orders (`X-Bilim-Archived: true`); audited"),
        (status = 404, description = "- `offering.not_found`: no such offering, or archived already"),
    )
)]
#[delete("/admin/offerings/{id}")]
pub async fn delete_offering(
    admin_orders: web::Data<AdminOrders>,
    admin: CurrentAdmin,
    ip: ClientIp,
    id: web::Path<Uuid>,
) -> Result<HttpResponse, ApiError> {
    let removal = admin_orders
        .remove_offering(&actor(&admin, &ip), id.into_inner())
        .await?;
    let mut response = HttpResponse::NoContent();
    if removal == Removal::Archived {
        response.insert_header(("X-Bilim-Archived", "true"));
    }
    Ok(response.finish())
}

/// Orders, newest first, by status and user.
#[utoipa::path(
    operation_id = "adminListOrders",
    tag = "admin-orders",
    security(("admin_token" = [])),
    params(AdminOrderQuery),
    responses(
        (status = 200, description = "A page of orders", body = OrderPage),
        (status = 400, description = "- `validation`: `status` not pending, completed or cancelled, `limit` outside 1 to 100, or a `cursor` this API did not give"),
    )
)]
#[get("/admin/orders")]
pub async fn list(
    admin_orders: web::Data<AdminOrders>,
    orders: web::Data<Orders>,
    _admin: CurrentAdmin,
    query: web::Query<AdminOrderQuery>,
) -> Result<web::Json<OrderPage>, ApiError> {
    let status = query.status()?;
    let query = query.into_inner();
    let request = PageRequest {
        limit: query.limit,
        cursor: query.cursor,
    };
    let page = admin_orders.list(status, query.user_id, &request).await?;
    Ok(web::Json(OrderPage {
        items: page
            .items
            .iter()
            .map(|o| OrderResponse::new(o, orders.links(o)))
            .collect(),
        next_cursor: page.next_cursor,
    }))
}

/// Completes a pending order (paid outside the platform): fulfilled in the
/// same transaction; audited.
#[utoipa::path(
    operation_id = "adminCompleteOrder",
    tag = "admin-orders",
    security(("admin_token" = [])),
    responses(
        (status = 200, description = "Completed and fulfilled", body = OrderResponse),
        (status = 404, description = "- `order.not_found`: no such order"),
        (status = 409, description = "- `order.not_pending`: completed or cancelled already"),
    )
)]
#[post("/admin/orders/{id}/complete")]
pub async fn complete(
    admin_orders: web::Data<AdminOrders>,
    orders: web::Data<Orders>,
    admin: CurrentAdmin,
    ip: ClientIp,
    id: web::Path<Uuid>,
) -> Result<web::Json<OrderResponse>, ApiError> {
    let order = admin_orders
        .complete(&actor(&admin, &ip), id.into_inner())
        .await?;
    Ok(web::Json(OrderResponse::new(&order, orders.links(&order))))
}

/// Cancels a pending order; audited.
#[utoipa::path(
    operation_id = "adminCancelOrder",
    tag = "admin-orders",
    security(("admin_token" = [])),
    responses(
        (status = 200, description = "Cancelled", body = OrderResponse),
        (status = 404, description = "- `order.not_found`: no such order"),
        (status = 409, description = "- `order.not_pending`: completed or cancelled already"),
    )
)]
#[post("/admin/orders/{id}/cancel")]
pub async fn cancel(
    admin_orders: web::Data<AdminOrders>,
    orders: web::Data<Orders>,
    admin: CurrentAdmin,
    ip: ClientIp,
    id: web::Path<Uuid>,
) -> Result<web::Json<OrderResponse>, ApiError> {
    let order = admin_orders
        .cancel(&actor(&admin, &ip), id.into_inner())
        .await?;
    Ok(web::Json(OrderResponse::new(&order, orders.links(&order))))
}
