//! Document 002's shop: products and prices, purchases from the balance,
//! the user's subscriptions and device moves, the licence check, subjects,
//! and the user's school.

use crate::dto::shop::*;
use crate::dto::users::UserResponse;
use crate::error::ApiError;
use crate::extract::{ClientIp, CurrentUser, JsonObject};
use crate::idempotency::{Keyed, respond, stored};
use actix_web::http::StatusCode;
use actix_web::{HttpResponse, get, post, put, web};
use bilim_domain::ports::INSUFFICIENT_FUNDS;
use bilim_domain::shop::PurchaseRequest;
use bilim_domain::users::School;
use bilim_domain::values::{DeviceId, Months};
use bilim_service::idempotency::Idempotency;
use bilim_service::profiles::Profiles;
use bilim_service::shop::Shop;
use uuid::Uuid;

/// The products on sale.
#[utoipa::path(
    operation_id = "listProducts",
    tag = "shop",
    responses((status = 200, description = "The active products", body = ProductList))
)]
#[get("/products")]
pub async fn products(shop: web::Data<Shop>) -> Result<web::Json<ProductList>, ApiError> {
    let products = shop.products().await?;
    Ok(web::Json(ProductList {
        items: products.iter().map(ProductResponse::from).collect(),
    }))
}

/// The document's `price_months`: the total for `months` months.
#[utoipa::path(
    operation_id = "getProductPrice",
    tag = "shop",
    params(PriceQuery),
    responses(
        (status = 200, description = "The total", body = PriceResponse),
        (status = 400, description = "- `validation`: `months` missing (`required`), not a whole number or outside 1 to the product's `max_months` (`months.invalid`)"),
        (status = 404, description = "- `product.not_found`: no such product, or not on sale"),
    )
)]
#[get("/products/{id}/price")]
pub async fn price(
    shop: web::Data<Shop>,
    id: web::Path<Uuid>,
    query: web::Query<PriceQuery>,
) -> Result<web::Json<PriceResponse>, ApiError> {
    let months = Months::try_from(&*query)?;
    let price = shop.price(id.into_inner(), months).await?;
    Ok(web::Json(price.into()))
}

/// The document's `buy`: debits the balance, writes the ledger row and
/// creates or extends the subscription of this product and device (from the
/// later of now and its end), in one transaction. Any failure but a short
/// balance has the `detail` "Nimadur xato ketdi".
#[utoipa::path(
    operation_id = "purchaseProduct",
    tag = "shop",
    security(("user_token" = [])),
    params(("Idempotency-Key" = String, Header, pattern = "^[!-~]{1,64}$", description = "1 to 64 visible ASCII characters, new for each purchase; kept 24 hours")),
    request_body(content = PurchaseBody, example = json!({"months": 3, "device_id": "PC-7F3A-92B1"})),
    responses(
        (status = 200, description = "Bought: `message` is \"To'lov muvaffaqiyatli amalga oshirildi.\"", body = PurchaseResponse, example = json!({"ok": true, "message": "To'lov muvaffaqiyatli amalga oshirildi.", "subscription": {"id": "0193a1b2-0000-7000-8000-0000000000aa", "product": {"id": "0193a000-0000-7000-8000-000000000001", "code": "kundalik-pc"}, "device_id": "PC-7F3A-92B1", "starts_at": "2026-12-01T10:00:00Z", "ends_at": "2027-03-01T10:00:00Z", "active": true}, "balance": 25000})),
        (status = 400, description = "- `validation`: `months` outside 1 to `max_months` or fractional (`months.invalid`), `device_id` empty or over 128 characters (`text.length`), an unknown subject (`subject.invalid`), no subject for a product that needs them (`required`) or subjects for one that does not (`subjects.not_allowed`)\n- `idempotency.key_required`, `idempotency.key_invalid`"),
        (status = 404, description = "- `product.not_found`: no such product, or not on sale"),
        (status = 409, description = "- `wallet.insufficient_funds`: the balance does not cover the total; nothing changed (`detail`: \"Balansingizga yetarli mablag' mavjud emas!\")\n- `product.price_changed`: an admin changed the price meanwhile\n- `idempotency.in_progress`"),
        (status = 422, description = "- `idempotency.mismatch`: this key was used for another request"),
    )
)]
#[post("/products/{id}/purchase")]
pub async fn purchase(
    shop: web::Data<Shop>,
    idempotency: web::Data<Idempotency>,
    user: CurrentUser,
    id: web::Path<Uuid>,
    keyed: Keyed,
    body: JsonObject<PurchaseBody>,
) -> Result<HttpResponse, ApiError> {
    let user_id = user.0.user.id;
    let product_id = id.into_inner();
    let answer = async {
        let request = PurchaseRequest::try_from(&*body)?;
        let caller = format!("user:{user_id}");
        idempotency
            .run(&caller, &keyed.key, &keyed.fingerprint(&*body), || async {
                let done = shop.purchase(user_id, product_id, request).await?;
                let response = PurchaseResponse {
                    ok: true,
                    message: PURCHASE_DONE_UZ,
                    subscription: SubscriptionResponse::new(&shop.own(done.subscription)),
                    balance: done.balance,
                };
                stored(StatusCode::OK, &response)
            })
            .await
    };
    match answer.await {
        Ok(answer) => Ok(respond(answer)),
        Err(error) => {
            let error = ApiError::from(error);
            if error.problem().code == INSUFFICIENT_FUNDS {
                Err(error)
            } else {
                Err(error.with_detail(PURCHASE_FAILED_UZ))
            }
        }
    }
}

/// The user's subscriptions, with the licence key of the PC product.
#[utoipa::path(
    operation_id = "listMySubscriptions",
    tag = "shop",
    security(("user_token" = [])),
    responses((status = 200, description = "The subscriptions, newest first", body = SubscriptionList))
)]
#[get("/users/me/subscriptions")]
pub async fn my_subscriptions(
    shop: web::Data<Shop>,
    user: CurrentUser,
) -> Result<web::Json<SubscriptionList>, ApiError> {
    let own = shop.subscriptions(user.0.user.id).await?;
    Ok(web::Json(SubscriptionList {
        items: own.iter().map(SubscriptionResponse::new).collect(),
    }))
}

/// Moves the subscription to another device: once per
/// `BILIM_DEVICE_CHANGE_DAYS` (30).
#[utoipa::path(
    operation_id = "moveMySubscription",
    tag = "shop",
    security(("user_token" = [])),
    request_body(content = DeviceBody, example = json!({"device_id": "PC-11D4-0A7C"})),
    responses(
        (status = 200, description = "Moved", body = SubscriptionResponse),
        (status = 400, description = "- `validation`: `device_id` empty, over 128 characters or with control characters (`text.length`)"),
        (status = 404, description = "- `subscription.not_found`: no such subscription of this user"),
        (status = 409, description = "- `subscription.device_change_too_soon`: moved less than `BILIM_DEVICE_CHANGE_DAYS` ago\n- `subscription.device_taken`: the user has this product on that device already"),
    )
)]
#[put("/users/me/subscriptions/{id}/device")]
pub async fn move_device(
    shop: web::Data<Shop>,
    user: CurrentUser,
    id: web::Path<Uuid>,
    body: JsonObject<DeviceBody>,
) -> Result<web::Json<SubscriptionResponse>, ApiError> {
    let device_id = DeviceId::parse("device_id", &body.device_id).map_err(ApiError::from_domain)?;
    let moved = shop
        .move_device(user.0.user.id, id.into_inner(), device_id)
        .await?;
    Ok(web::Json(SubscriptionResponse::new(&moved)))
}

/// Whether a licence key is active on a device, for the desktop and mobile
/// apps. Limited per client address like the auth routes; never says whose
/// key it is (an unknown key is `active: false`).
#[utoipa::path(
    operation_id = "checkLicence",
    tag = "shop",
    request_body(content = LicenceCheckBody, example = json!({"licence_key": "3F2A9-C01B7-5D8E2-9A410-B7C3F-0E6D1-24A8B-9C5F7", "device_id": "PC-7F3A-92B1"})),
    responses(
        (status = 200, description = "The key's standing on this device", body = LicenceCheckResponse),
        (status = 429, description = "- `rate_limited`: too many checks from this address; `Retry-After` says how long to wait"),
    )
)]
#[post("/licences/check")]
pub async fn check_licence(
    shop: web::Data<Shop>,
    ip: ClientIp,
    body: JsonObject<LicenceCheckBody>,
) -> Result<web::Json<LicenceCheckResponse>, ApiError> {
    let status = shop
        .check_licence(ip.0, &body.licence_key, &body.device_id)
        .await?;
    Ok(web::Json(status.into()))
}

/// The subjects a TestMax teacher picks from.
#[utoipa::path(
    operation_id = "listSubjects",
    tag = "shop",
    responses((status = 200, description = "Every subject, by code", body = SubjectList))
)]
#[get("/subjects")]
pub async fn subjects() -> web::Json<SubjectList> {
    web::Json(SubjectList::all())
}

/// Sets the user's school: region by code, district, school number.
#[utoipa::path(
    operation_id = "putMySchool",
    tag = "users",
    security(("user_token" = [])),
    request_body(content = SchoolBody, example = json!({"region": "UZ-SA", "district": "Urgut tumani", "school_number": "45"})),
    responses(
        (status = 200, description = "The user with the school", body = UserResponse),
        (status = 400, description = "- `validation`: `region` not one of the 14 codes (`region.invalid`), `district` or `school_number` empty or too long (`text.length`)"),
    )
)]
#[put("/users/me/school")]
pub async fn put_school(
    profiles: web::Data<Profiles>,
    user: CurrentUser,
    body: JsonObject<SchoolBody>,
) -> Result<web::Json<UserResponse>, ApiError> {
    let school = School::try_from(body.into_inner())?;
    let updated = profiles.set_school(&user.0.user, school).await?;
    Ok(web::Json(UserResponse::new(&updated, &profiles)))
}
