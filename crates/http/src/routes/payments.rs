//! The payment providers' callbacks: Payme's Merchant API and Click's SHOP
//! API. Called by Payme and Click, never by clients; each answers 404 while
//! its provider is not configured.

use crate::dto::payments::{ClickAnswer, ClickForm, PaymeAnswer, PaymeRequest};
use crate::error::ApiError;
use actix_web::http::{StatusCode, header};
use actix_web::{HttpRequest, HttpResponse, post, web};
use bilim_service::orders::{Click, Payme};

fn not_configured() -> ApiError {
    ApiError::new(StatusCode::NOT_FOUND, "route.not_found", "No such route.")
}

fn json(body: String) -> HttpResponse {
    HttpResponse::Ok()
        .content_type("application/json; charset=utf-8")
        .body(body)
}

/// **Called by Payme, not by clients.** The Payme Merchant API (JSON-RPC
/// 2.0) with Basic auth `Paycom:<BILIM_PAYME_KEY>`: every answer is 200 with
/// a `result` or a Payme `error` (a wrong key is -32504, a body that is not
/// JSON -32700, an unknown method -32601).
#[utoipa::path(
    operation_id = "paymeMerchantApi",
    tag = "payments",
    request_body(content = PaymeRequest, content_type = "application/json"),
    responses(
        (status = 200, description = "The JSON-RPC answer: `result`, or `error` with Payme's code and `uz`/`ru`/`en` message", body = PaymeAnswer),
        (status = 404, description = "- `route.not_found`: Payme is not configured (`BILIM_PAYME_MERCHANT_ID`, `BILIM_PAYME_KEY`)"),
    )
)]
#[post("/payments/payme")]
pub async fn payme(
    payme: Option<web::Data<Payme>>,
    request: HttpRequest,
    body: web::Bytes,
) -> Result<HttpResponse, ApiError> {
    let payme = payme.ok_or_else(not_configured)?;
    let auth = request
        .headers()
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok());
    Ok(json(payme.handle(auth, &body).await?))
}

/// **Called by Click, not by clients.** Click's `prepare` (action 0): checks
/// the signature, the order (`merchant_trans_id`) and the amount, and
/// answers `merchant_prepare_id`.
#[utoipa::path(
    operation_id = "clickPrepare",
    tag = "payments",
    request_body(content = ClickForm, content_type = "application/x-www-form-urlencoded"),
    responses(
        (status = 200, description = "Click's answer: `error` 0 with `merchant_prepare_id`, or -1 … -9", body = ClickAnswer),
        (status = 404, description = "- `route.not_found`: Click is not configured (`BILIM_CLICK_SERVICE_ID`, `BILIM_CLICK_MERCHANT_ID`, `BILIM_CLICK_SECRET_KEY`)"),
    )
)]
#[post("/payments/click/prepare")]
pub async fn click_prepare(
    click: Option<web::Data<Click>>,
    body: web::Bytes,
) -> Result<HttpResponse, ApiError> {
    let click = click.ok_or_else(not_configured)?;
    Ok(json(click.prepare(&body).await?))
}

/// **Called by Click, not by clients.** Click's `complete` (action 1): the
/// order is completed and fulfilled (or the prepare cancelled when Click's
/// `error` is below 0); a repeat answers the same.
#[utoipa::path(
    operation_id = "clickComplete",
    tag = "payments",
    request_body(content = ClickForm, content_type = "application/x-www-form-urlencoded"),
    responses(
        (status = 200, description = "Click's answer: `error` 0 with `merchant_confirm_id`, or -1 … -9", body = ClickAnswer),
        (status = 404, description = "- `route.not_found`: Click is not configured"),
    )
)]
#[post("/payments/click/complete")]
pub async fn click_complete(
    click: Option<web::Data<Click>>,
    body: web::Bytes,
) -> Result<HttpResponse, ApiError> {
    let click = click.ok_or_else(not_configured)?;
    Ok(json(click.complete(&body).await?))
}
