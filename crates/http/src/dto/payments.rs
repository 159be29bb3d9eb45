//! The providers' own request and answer shapes, for the OpenAPI document
//! only: the service reads the raw body itself, since Payme's errors for a
//! bad body (-32700, -32600) are answers, not HTTP errors.
// Documentation only: never constructed.
#![allow(dead_code)]

use serde_json::Value;
use utoipa::ToSchema;

/// A Payme Merchant API request (JSON-RPC 2.0).
#[derive(ToSchema)]
#[schema(example = json!({"jsonrpc": "2.0", "id": 1, "method": "CheckPerformTransaction", "params": {"amount": 45000000, "account": {"order_id": "0193a1b2-0000-7000-8000-0000000000ab"}}}))]
pub struct PaymeRequest {
    pub jsonrpc: Option<String>,
    /// Echoed in the answer.
    #[schema(value_type = Object)]
    pub id: Value,
    /// `CheckPerformTransaction`, `CreateTransaction`, `PerformTransaction`,
    /// `CancelTransaction`, `CheckTransaction` or `GetStatement`.
    #[schema(example = "CreateTransaction")]
    pub method: String,
    /// The method's parameters: `id` (Payme's transaction id), `time`,
    /// `amount` (tiyin), `account.order_id`, `reason`, `from`, `to`.
    #[schema(value_type = Object)]
    pub params: Value,
}

/// A Payme error: `code` (-32700, -32600, -32601, -32504, -32400, -31001,
/// -31003, -31007, -31008, -31050), `message` in `uz`, `ru` and `en`, and
/// `data` naming the field (`order_id`) where Payme's documentation asks.
#[derive(ToSchema)]
pub struct PaymeError {
    #[schema(example = -31050)]
    pub code: i32,
    #[schema(value_type = Object, example = json!({"uz": "Buyurtma topilmadi", "ru": "Заказ не найден", "en": "Order not found"}))]
    pub message: Value,
    #[schema(value_type = Option<String>, example = "order_id")]
    pub data: Option<Value>,
}

/// The answer: `result` or `error`, always with HTTP 200.
#[derive(ToSchema)]
#[schema(example = json!({"jsonrpc": "2.0", "id": 1, "result": {"create_time": 1788249600000_i64, "transaction": "0193a1b2-0000-7000-8000-0000000000cd", "state": 1}}))]
pub struct PaymeAnswer {
    pub jsonrpc: String,
    #[schema(value_type = Object)]
    pub id: Value,
    /// The method's result (`allow`, `create_time`, `perform_time`,
    /// `cancel_time`, `transaction`, `state` 1/2/-1/-2, `reason`,
    /// `transactions`).
    #[schema(value_type = Option<Object>)]
    pub result: Option<Value>,
    pub error: Option<PaymeError>,
}

/// A Click SHOP API request (form-encoded). `merchant_prepare_id` comes with
/// `complete` only, and is in its signature.
#[derive(ToSchema)]
pub struct ClickForm {
    #[schema(example = 2_600_012_345_i64)]
    pub click_trans_id: i64,
    #[schema(example = 1234)]
    pub service_id: i64,
    #[schema(example = 1_900_012_345_i64)]
    pub click_paydoc_id: i64,
    /// The order id.
    #[schema(example = "0193a1b2-0000-7000-8000-0000000000ab")]
    pub merchant_trans_id: String,
    /// `complete` only: the `merchant_prepare_id` our `prepare` answered.
    pub merchant_prepare_id: Option<i64>,
    /// So'm, as Click writes it (`450000` or `450000.00`).
    #[schema(example = "450000.00")]
    pub amount: String,
    /// 0 for prepare, 1 for complete.
    #[schema(example = 0)]
    pub action: i64,
    /// Click's own status: below 0 on complete means the payment failed.
    #[schema(example = 0)]
    pub error: i64,
    pub error_note: Option<String>,
    #[schema(example = "2026-12-07 10:00:00")]
    pub sign_time: String,
    /// MD5 (hex) of `click_trans_id service_id SECRET_KEY merchant_trans_id
    /// [merchant_prepare_id] amount action sign_time`, concatenated.
    pub sign_string: String,
}

/// Click's answer: `error` 0 (done) or -1 … -9 with `error_note`.
#[derive(ToSchema)]
#[schema(example = json!({"click_trans_id": 2600012345_i64, "merchant_trans_id": "0193a1b2-0000-7000-8000-0000000000ab", "merchant_prepare_id": 17, "error": 0, "error_note": "Success"}))]
pub struct ClickAnswer {
    pub click_trans_id: Option<i64>,
    pub merchant_trans_id: Option<String>,
    /// `prepare` answers this; `complete` answers `merchant_confirm_id`.
    pub merchant_prepare_id: Option<i64>,
    pub merchant_confirm_id: Option<i64>,
    /// 0, or -1 sign check failed, -2 wrong amount, -3 action not found, -4
    /// already paid, -5 order not found, -6 transaction not found, -7 update
    /// failed, -8 bad request, -9 transaction cancelled.
    #[schema(example = 0)]
    pub error: i32,
    #[schema(example = "Success")]
    pub error_note: String,
}
