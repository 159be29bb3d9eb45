//! Admins in the shop: products (list, create, change) and users'
//! subscriptions (list, change end or device, delete). Every change is
//! audited.

use super::actor;
use crate::dto::shop::{
    ProductCreateBody, ProductList, ProductPatchBody, ProductResponse, SubscriptionList,
    SubscriptionPatchBody, SubscriptionResponse,
};
use crate::error::ApiError;
use crate::extract::{ClientIp, CurrentAdmin, JsonObject};
use actix_web::{HttpResponse, delete, get, patch, post, put, web};
use bilim_service::shop::AdminShop;
use uuid::Uuid;

/// Every product, on sale or not.
#[utoipa::path(
    operation_id = "adminListProducts",
    tag = "admin-shop",
    security(("admin_token" = [])),
    responses((status = 200, description = "Every product, by code", body = ProductList))
)]
#[get("/admin/products")]
pub async fn products(
    shop: web::Data<AdminShop>,
    _admin: CurrentAdmin,
) -> Result<web::Json<ProductList>, ApiError> {
    let products = shop.products().await?;
    Ok(web::Json(ProductList {
        items: products.iter().map(ProductResponse::from).collect(),
    }))
}

/// A new product.
#[utoipa::path(
    operation_id = "adminCreateProduct",
    tag = "admin-shop",
    security(("admin_token" = [])),
    request_body(content = ProductCreateBody, example = json!({"code": "testmax-school", "name": "TestMax (maktab)", "monthly_price": 90000, "max_months": 12})),
    responses(
        (status = 201, description = "Created; audited", body = ProductResponse),
        (status = 400, description = "- `validation`: `code` not 1 to 64 of a-z, 0-9, - (`code.invalid`), `name` empty or over 200 characters (`text.length`), `monthly_price` not 1 to 100 000 000 (`amount.invalid`), `max_months` not 1 to 60 (`max_months.invalid`)"),
        (status = 409, description = "- `product.code_taken`: another product has this code"),
    )
)]
#[post("/admin/products")]
pub async fn create_product(
    shop: web::Data<AdminShop>,
    admin: CurrentAdmin,
    ip: ClientIp,
    body: JsonObject<ProductCreateBody>,
) -> Result<HttpResponse, ApiError> {
    let command = body.into_inner().try_into()?;
    let product = shop.create_product(&actor(&admin, &ip), command).await?;
    Ok(HttpResponse::Created().json(ProductResponse::from(&product)))
}

/// Changes a product: name, description, price, months, subjects, on sale.
/// Subscriptions already bought keep their ends.
#[utoipa::path(
    operation_id = "adminUpdateProduct",
    tag = "admin-shop",
    security(("admin_token" = [])),
    request_body(content = ProductPatchBody, example = json!({"monthly_price": 30000, "active": true})),
    responses(
        (status = 200, description = "Changed; audited", body = ProductResponse),
        (status = 400, description = "- `validation`: a field breaks its rule, as when creating"),
        (status = 404, description = "- `product.not_found`: no such product"),
    )
)]
#[patch("/admin/products/{id}")]
pub async fn update_product(
    shop: web::Data<AdminShop>,
    admin: CurrentAdmin,
    ip: ClientIp,
    id: web::Path<Uuid>,
    body: JsonObject<ProductPatchBody>,
) -> Result<web::Json<ProductResponse>, ApiError> {
    let patch = body.into_inner().try_into()?;
    let product = shop
        .update_product(&actor(&admin, &ip), id.into_inner(), patch)
        .await?;
    Ok(web::Json(ProductResponse::from(&product)))
}

/// The user's subscriptions.
#[utoipa::path(
    operation_id = "adminListUserSubscriptions",
    tag = "admin-shop",
    security(("admin_token" = [])),
    responses(
        (status = 200, description = "The subscriptions, newest first", body = SubscriptionList),
        (status = 404, description = "- `user.not_found`: no such user"),
    )
)]
#[get("/admin/users/{id}/subscriptions")]
pub async fn user_subscriptions(
    shop: web::Data<AdminShop>,
    _admin: CurrentAdmin,
    id: web::Path<Uuid>,
) -> Result<web::Json<SubscriptionList>, ApiError> {
    let own = shop.subscriptions_of(id.into_inner()).await?;
    Ok(web::Json(SubscriptionList {
        items: own.iter().map(SubscriptionResponse::new).collect(),
    }))
}

/// Changes a subscription's end or device.
#[utoipa::path(
    operation_id = "adminUpdateSubscription",
    tag = "admin-shop",
    security(("admin_token" = [])),
    request_body(content = SubscriptionPatchBody, example = json!({"ends_at": "2027-06-01T00:00:00Z", "device_id": "PC-11D4-0A7C"})),
    responses(
        (status = 200, description = "Changed; audited", body = SubscriptionResponse),
        (status = 400, description = "- `validation`: `device_id` empty, over 128 characters or with control characters (`text.length`)"),
        (status = 404, description = "- `subscription.not_found`: no such subscription"),
        (status = 409, description = "- `subscription.device_taken`: the user has this product on that device already"),
    )
)]
#[put("/admin/subscriptions/{id}")]
pub async fn update_subscription(
    shop: web::Data<AdminShop>,
    admin: CurrentAdmin,
    ip: ClientIp,
    id: web::Path<Uuid>,
    body: JsonObject<SubscriptionPatchBody>,
) -> Result<web::Json<SubscriptionResponse>, ApiError> {
    let patch = body.into_inner().try_into()?;
    let changed = shop
        .update_subscription(&actor(&admin, &ip), id.into_inner(), patch)
        .await?;
    Ok(web::Json(SubscriptionResponse::new(&changed)))
}

/// Deletes a subscription; its ledger rows stay.
#[utoipa::path(
    operation_id = "adminDeleteSubscription",
    tag = "admin-shop",
    security(("admin_token" = [])),
    responses(
        (status = 204, description = "Deleted; audited"),
        (status = 404, description = "- `subscription.not_found`: no such subscription"),
    )
)]
#[delete("/admin/subscriptions/{id}")]
pub async fn delete_subscription(
    shop: web::Data<AdminShop>,
    admin: CurrentAdmin,
    ip: ClientIp,
    id: web::Path<Uuid>,
) -> Result<HttpResponse, ApiError> {
    shop.delete_subscription(&actor(&admin, &ip), id.into_inner())
        .await?;
    Ok(HttpResponse::NoContent().finish())
}
