//! The Payme Merchant API (JSON-RPC 2.0), as Payme's documentation specifies
//! it: Basic auth `Paycom:<key>`; `CheckPerformTransaction`,
//! `CreateTransaction`, `PerformTransaction`, `CancelTransaction`,
//! `CheckTransaction`, `GetStatement`; amounts in tiyin; states 1, 2, -1, -2;
//! times in milliseconds; a created transaction times out after 12 hours
//! (cancelled with reason 4). Every answer is HTTP 200 with a `result` or an
//! `error` whose `message` is in `uz`, `ru` and `en`. Each request is kept
//! raw with its answer; the log names the method and the outcome, never the
//! key.

use super::Completions;
use crate::ServiceResult;
use crate::crypto::sha256;
use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use bilim_domain::DomainError;
use bilim_domain::orders::{
    PaidVia, PaymeCancelled, PaymeCreate, PaymeCreated, PaymePerformed, PaymeState,
    PaymeTransaction, ProviderRequest, Unpayable,
};
use bilim_domain::ports::{OrderRepository, PaymentRepository};
use secrecy::{ExposeSecret, SecretString};
use serde_json::{Map, Value, json};
use std::sync::Arc;
use uuid::Uuid;

/// A created transaction not performed within 12 hours is cancelled.
pub const TIMEOUT_MS: i64 = 43_200_000;
/// Cancel reason 4: the transaction timed out.
const REASON_TIMEOUT: i16 = 4;
/// The most transactions one `GetStatement` answers.
const STATEMENT_LIMIT: u64 = 10_000;
/// The longest transaction id accepted (Payme's are 24 hex digits).
const MAX_ID_CHARS: usize = 64;

/// `BILIM_PAYME_MERCHANT_ID` and `BILIM_PAYME_KEY`.
#[derive(Debug, Clone)]
pub struct PaymeConfig {
    pub merchant_id: String,
    pub key: SecretString,
}

#[derive(Clone)]
pub struct Payme {
    /// SHA-256 of the one `Authorization` value accepted.
    expected_auth: Vec<u8>,
    orders: Arc<dyn OrderRepository>,
    payments: Arc<dyn PaymentRepository>,
    completions: Completions,
}

/// A Payme error: its code, its three messages and what `data` names.
#[derive(Debug, Clone, PartialEq)]
pub struct RpcError {
    pub code: i32,
    pub uz: &'static str,
    pub ru: &'static str,
    pub en: &'static str,
    pub data: Option<Value>,
}

const fn err(code: i32, uz: &'static str, ru: &'static str, en: &'static str) -> RpcError {
    RpcError {
        code,
        uz,
        ru,
        en,
        data: None,
    }
}

const PARSE: RpcError = err(
    -32700,
    "JSON so'rovini o'qib bo'lmadi",
    "Ошибка разбора JSON",
    "Parse error",
);
const INVALID: RpcError = err(
    -32600,
    "JSON-RPC so'rovi noto'g'ri: majburiy maydonlar yo'q yoki turi noto'g'ri",
    "Неверный JSON-RPC объект: нет обязательных полей или неверный тип",
    "Invalid JSON-RPC request: required fields missing or of the wrong type",
);
const NO_METHOD: RpcError = err(
    -32601,
    "So'ralgan metod topilmadi",
    "Запрашиваемый метод не найден",
    "Method not found",
);
const FORBIDDEN: RpcError = err(
    -32504,
    "Metodni bajarish uchun huquq yetarli emas",
    "Недостаточно привилегий для выполнения метода",
    "Insufficient privileges to perform this method",
);
const SYSTEM: RpcError = err(-32400, "Tizim xatosi", "Системная ошибка", "System error");
const WRONG_AMOUNT: RpcError = err(
    -31001,
    "Noto'g'ri summa",
    "Неверная сумма",
    "Incorrect amount",
);
const NO_TRANSACTION: RpcError = err(
    -31003,
    "Tranzaksiya topilmadi",
    "Транзакция не найдена",
    "Transaction not found",
);
const CANNOT_CANCEL: RpcError = err(
    -31007,
    "Tranzaksiyani bekor qilib bo'lmaydi: xizmat to'liq ko'rsatilgan",
    "Невозможно отменить транзакцию: услуга предоставлена в полном объёме",
    "The transaction cannot be cancelled: the service has been provided in full",
);
const CANNOT_PERFORM: RpcError = err(
    -31008,
    "Bu amalni bajarib bo'lmaydi",
    "Невозможно выполнить данную операцию",
    "Unable to perform this operation",
);

/// -31050: the account (`order_id`) cannot be paid, saying why.
fn account(uz: &'static str, ru: &'static str, en: &'static str) -> RpcError {
    RpcError {
        data: Some(json!("order_id")),
        ..err(-31050, uz, ru, en)
    }
}

fn refusal(why: Unpayable) -> RpcError {
    match why {
        Unpayable::NoOrder => account("Buyurtma topilmadi", "Заказ не найден", "Order not found"),
        Unpayable::WrongAmount => WRONG_AMOUNT,
        Unpayable::Paid => account(
            "Buyurtma allaqachon to'langan",
            "Заказ уже оплачен",
            "The order is already paid",
        ),
        Unpayable::Cancelled => account(
            "Buyurtma bekor qilingan",
            "Заказ отменён",
            "The order is cancelled",
        ),
        Unpayable::Busy => account(
            "Buyurtma boshqa tranzaksiya bo'yicha to'lovni kutmoqda",
            "Заказ ожидает оплаты по другой транзакции",
            "The order awaits payment in another transaction",
        ),
    }
}

type Answer = Result<Value, RpcError>;

fn with_data(error: RpcError, data: &str) -> RpcError {
    RpcError {
        data: Some(json!(data)),
        ..error
    }
}

/// A required whole number of `params`.
fn integer(params: &Map<String, Value>, field: &str) -> Result<i64, RpcError> {
    params
        .get(field)
        .and_then(Value::as_i64)
        .ok_or_else(|| with_data(INVALID, field))
}

/// The transaction id Payme gives: a string of at most 64 characters.
fn transaction_id(params: &Map<String, Value>) -> Result<String, RpcError> {
    match params.get("id").and_then(Value::as_str) {
        Some(id) if !id.is_empty() && id.chars().count() <= MAX_ID_CHARS => Ok(id.to_owned()),
        _ => Err(with_data(INVALID, "id")),
    }
}

/// `amount` in tiyin: present, and a positive whole number (a string, a
/// fraction or 0 is a wrong amount).
fn amount(params: &Map<String, Value>) -> Result<i64, RpcError> {
    match params.get("amount") {
        None | Some(Value::Null) => Err(with_data(INVALID, "amount")),
        Some(value) => value
            .as_i64()
            .filter(|tiyin| *tiyin > 0)
            .ok_or(WRONG_AMOUNT),
    }
}

/// `account.order_id`: an order id, or the order is not found.
fn order_id(params: &Map<String, Value>) -> Result<Uuid, RpcError> {
    params
        .get("account")
        .and_then(Value::as_object)
        .and_then(|account| account.get("order_id"))
        .and_then(Value::as_str)
        .filter(|raw| raw.len() <= 36)
        .and_then(|raw| Uuid::parse_str(raw).ok())
        .ok_or_else(|| refusal(Unpayable::NoOrder))
}

fn system(error: DomainError) -> RpcError {
    tracing::error!(%error, "payme request failed");
    SYSTEM
}

fn state_of(tx: &PaymeTransaction) -> i16 {
    tx.state.code()
}

impl Payme {
    pub fn new(
        config: &PaymeConfig,
        orders: Arc<dyn OrderRepository>,
        payments: Arc<dyn PaymentRepository>,
        completions: Completions,
    ) -> Self {
        let expected = format!(
            "Basic {}",
            STANDARD.encode(format!("Paycom:{}", config.key.expose_secret()))
        );
        Self {
            expected_auth: sha256(expected.as_bytes()),
            orders,
            payments,
            completions,
        }
    }

    /// Compares digests, so the time taken says nothing about the key.
    fn authorised(&self, header: Option<&str>) -> bool {
        let Some(header) = header else { return false };
        let given = sha256(header.trim().as_bytes());
        given
            .iter()
            .zip(&self.expected_auth)
            .fold(0u8, |acc, (a, b)| acc | (a ^ b))
            == 0
    }

    /// Answers one request: the JSON body to send with HTTP 200. Fails only
    /// when the request and its answer could not be stored.
    pub async fn handle(&self, authorization: Option<&str>, body: &[u8]) -> ServiceResult<String> {
        let (id, method, answer) = match serde_json::from_slice::<Value>(body) {
            Err(_) => (Value::Null, String::new(), Err(PARSE)),
            Ok(request) => {
                let id = request.get("id").cloned().unwrap_or(Value::Null);
                let method = request
                    .get("method")
                    .and_then(Value::as_str)
                    .unwrap_or_default()
                    .chars()
                    .take(64)
                    .collect::<String>();
                let answer = if !self.authorised(authorization) {
                    Err(FORBIDDEN)
                } else {
                    match (request.get("method"), request.get("params")) {
                        (Some(Value::String(_)), Some(Value::Object(params))) => {
                            self.dispatch(&method, params).await
                        }
                        _ => Err(INVALID),
                    }
                };
                (id, method, answer)
            }
        };
        let reply = match &answer {
            Ok(result) => json!({"jsonrpc": "2.0", "id": id, "result": result}),
            Err(error) => {
                let mut body = json!({
                    "code": error.code,
                    "message": {"uz": error.uz, "ru": error.ru, "en": error.en},
                });
                if let Some(data) = &error.data {
                    body["data"] = data.clone();
                }
                json!({"jsonrpc": "2.0", "id": id, "error": body})
            }
        };
        tracing::info!(
            method = %method,
            code = answer.as_ref().err().map_or(0, |e| e.code),
            "payme request answered"
        );
        let response = reply.to_string();
        self.payments
            .record(&ProviderRequest {
                provider: "payme",
                method: if method.is_empty() {
                    "-".into()
                } else {
                    method
                },
                request: String::from_utf8_lossy(body).into_owned(),
                response: response.clone(),
                at: self.completions.now(),
            })
            .await?;
        Ok(response)
    }

    async fn dispatch(&self, method: &str, params: &Map<String, Value>) -> Answer {
        match method {
            "CheckPerformTransaction" => self.check_perform(params).await,
            "CreateTransaction" => self.create(params).await,
            "PerformTransaction" => self.perform(params).await,
            "CancelTransaction" => self.cancel(params).await,
            "CheckTransaction" => self.check(params).await,
            "GetStatement" => self.statement(params).await,
            _ => Err(with_data(NO_METHOD, method)),
        }
    }

    fn now_ms(&self) -> i64 {
        self.completions.now().timestamp_millis()
    }

    async fn check_perform(&self, params: &Map<String, Value>) -> Answer {
        let tiyin = amount(params)?;
        let order_id = order_id(params)?;
        let order = self
            .orders
            .get(order_id)
            .await
            .map_err(system)?
            .ok_or_else(|| refusal(Unpayable::NoOrder))?;
        if order.amount.checked_mul(100) != Some(tiyin) {
            return Err(WRONG_AMOUNT);
        }
        match order.status {
            bilim_domain::orders::OrderStatus::Pending => Ok(json!({"allow": true})),
            bilim_domain::orders::OrderStatus::Completed => Err(refusal(Unpayable::Paid)),
            bilim_domain::orders::OrderStatus::Cancelled => Err(refusal(Unpayable::Cancelled)),
        }
    }

    /// A transaction created before: answered again while it waits, refused
    /// once performed or cancelled, cancelled (reason 4) once timed out.
    async fn existing(&self, tx: PaymeTransaction) -> Answer {
        if tx.state != PaymeState::Created {
            return Err(CANNOT_PERFORM);
        }
        if self.timed_out(&tx) {
            return Err(CANNOT_PERFORM);
        }
        Ok(json!({
            "create_time": tx.create_time,
            "transaction": tx.id.to_string(),
            "state": state_of(&tx),
        }))
    }

    /// True (and the transaction cancelled with reason 4) when it waited
    /// more than 12 hours.
    fn timed_out(&self, tx: &PaymeTransaction) -> bool {
        tx.state == PaymeState::Created && self.now_ms() - tx.create_time > TIMEOUT_MS
    }

    async fn cancel_timed_out(&self, tx: &PaymeTransaction) -> Result<(), RpcError> {
        if self.timed_out(tx) {
            self.payments
                .payme_cancel(
                    &tx.payme_id,
                    REASON_TIMEOUT,
                    self.completions.now(),
                    self.now_ms(),
                )
                .await
                .map_err(system)?;
            return Err(CANNOT_PERFORM);
        }
        Ok(())
    }

    async fn create(&self, params: &Map<String, Value>) -> Answer {
        let payme_id = transaction_id(params)?;
        let time = integer(params, "time")?;
        if let Some(tx) = self
            .payments
            .payme_transaction(&payme_id)
            .await
            .map_err(system)?
        {
            self.cancel_timed_out(&tx).await?;
            return self.existing(tx).await;
        }
        let tiyin = amount(params)?;
        let order_id = order_id(params)?;
        let create = PaymeCreate {
            id: Uuid::now_v7(),
            payme_id,
            order_id,
            amount: tiyin,
            payme_time: time,
            now_ms: self.now_ms(),
        };
        match self.payments.payme_create(&create).await.map_err(system)? {
            PaymeCreated::Created(tx) | PaymeCreated::Existing(tx) => self.existing(tx).await,
            PaymeCreated::Refused(why) => Err(refusal(why)),
        }
    }

    async fn perform(&self, params: &Map<String, Value>) -> Answer {
        let payme_id = transaction_id(params)?;
        let tx = self
            .payments
            .payme_transaction(&payme_id)
            .await
            .map_err(system)?
            .ok_or(NO_TRANSACTION)?;
        self.cancel_timed_out(&tx).await?;
        let completion = self.completions.completion(PaidVia::Payme, None);
        match self
            .payments
            .payme_perform(&payme_id, &completion, self.now_ms())
            .await
            .map_err(system)?
        {
            PaymePerformed::Performed(tx) => Ok(json!({
                "transaction": tx.id.to_string(),
                "perform_time": tx.perform_time,
                "state": state_of(&tx),
            })),
            PaymePerformed::Refused(_) => Err(CANNOT_PERFORM),
            PaymePerformed::NotFound => Err(NO_TRANSACTION),
        }
    }

    async fn cancel(&self, params: &Map<String, Value>) -> Answer {
        let payme_id = transaction_id(params)?;
        let reason = integer(params, "reason")?;
        let reason = i16::try_from(reason).map_err(|_| with_data(INVALID, "reason"))?;
        let cancelled = self
            .payments
            .payme_cancel(&payme_id, reason, self.completions.now(), self.now_ms())
            .await;
        match cancelled {
            Ok(PaymeCancelled::Cancelled(tx)) => Ok(json!({
                "transaction": tx.id.to_string(),
                "cancel_time": tx.cancel_time,
                "state": state_of(&tx),
            })),
            Ok(PaymeCancelled::NotFound) => Err(NO_TRANSACTION),
            Err(DomainError::Conflict { what }) if what == "order.not_completed" => {
                Err(CANNOT_CANCEL)
            }
            Err(other) => Err(system(other)),
        }
    }

    async fn check(&self, params: &Map<String, Value>) -> Answer {
        let payme_id = transaction_id(params)?;
        let tx = self
            .payments
            .payme_transaction(&payme_id)
            .await
            .map_err(system)?
            .ok_or(NO_TRANSACTION)?;
        Ok(json!({
            "create_time": tx.create_time,
            "perform_time": tx.perform_time,
            "cancel_time": tx.cancel_time,
            "transaction": tx.id.to_string(),
            "state": state_of(&tx),
            "reason": tx.reason,
        }))
    }

    async fn statement(&self, params: &Map<String, Value>) -> Answer {
        let from = integer(params, "from")?;
        let to = integer(params, "to")?;
        let rows = self
            .payments
            .payme_statement(from, to, STATEMENT_LIMIT)
            .await
            .map_err(system)?;
        let transactions: Vec<Value> = rows
            .iter()
            .map(|tx| {
                json!({
                    "id": tx.payme_id,
                    "time": tx.payme_time,
                    "amount": tx.amount,
                    "account": {"order_id": tx.order_id.to_string()},
                    "create_time": tx.create_time,
                    "perform_time": tx.perform_time,
                    "cancel_time": tx.cancel_time,
                    "transaction": tx.id.to_string(),
                    "state": state_of(tx),
                    "reason": tx.reason,
                    "receivers": null,
                })
            })
            .collect();
        Ok(json!({ "transactions": transactions }))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn params(value: Value) -> Map<String, Value> {
        value.as_object().cloned().unwrap_or_default()
    }

    #[test]
    fn amounts_are_positive_whole_tiyin() {
        assert_eq!(amount(&params(json!({"amount": 4_500_000}))), Ok(4_500_000));
        for bad in [
            json!("4500000"),
            json!(4500000.5),
            json!(0),
            json!(-100),
            json!(true),
        ] {
            assert_eq!(
                amount(&params(json!({ "amount": bad }))).map_err(|e| e.code),
                Err(-31001)
            );
        }
        assert_eq!(amount(&params(json!({}))).map_err(|e| e.code), Err(-32600));
    }

    #[test]
    fn ids_and_orders_are_bounded() {
        let id = |v: Value| transaction_id(&params(json!({ "id": v }))).map_err(|e| e.code);
        assert_eq!(
            id(json!("5305e3bab097f420a62ced0b")),
            Ok("5305e3bab097f420a62ced0b".into())
        );
        for bad in [json!(""), json!("x".repeat(65)), json!(42)] {
            assert_eq!(id(bad), Err(-32600));
        }
        let order = |v: Value| order_id(&params(json!({"account": {"order_id": v}}))).map(|_| ());
        assert!(order(json!(Uuid::now_v7().to_string())).is_ok());
        for bad in [json!("12"), json!("f".repeat(1000)), json!(7)] {
            assert_eq!(order(bad).map_err(|e| e.code), Err(-31050));
        }
    }
}
