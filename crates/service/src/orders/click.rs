//! The Click SHOP API, as Click's documentation specifies it: `prepare`
//! (action 0) and `complete` (action 1), form-encoded, each signed with
//! `sign_string = md5(click_trans_id + service_id + SECRET_KEY +
//! merchant_trans_id [+ merchant_prepare_id] + amount + action + sign_time)`;
//! `merchant_trans_id` is the order id, `merchant_prepare_id` and
//! `merchant_confirm_id` our integer id of the prepare; errors 0, -1 … -9.
//! A repeated complete answers the same. Each request is kept raw with its
//! answer.

use super::Completions;
use crate::ServiceResult;
use crate::crypto::hex;
use bilim_domain::DomainError;
use bilim_domain::orders::{ClickOutcome, ClickPrepare, PaidVia, ProviderRequest, Unpayable};
use bilim_domain::ports::PaymentRepository;
use md5::{Digest, Md5};
use secrecy::{ExposeSecret, SecretString};
use serde_json::{Value, json};
use std::collections::HashMap;
use std::sync::Arc;
use uuid::Uuid;

/// `BILIM_CLICK_SERVICE_ID`, `BILIM_CLICK_MERCHANT_ID`, `BILIM_CLICK_SECRET_KEY`.
#[derive(Debug, Clone)]
pub struct ClickConfig {
    pub service_id: String,
    pub merchant_id: String,
    pub secret_key: SecretString,
}

#[derive(Clone)]
pub struct Click {
    config: ClickConfig,
    payments: Arc<dyn PaymentRepository>,
    completions: Completions,
}

/// Click's error codes and their notes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ClickError {
    SignFailed = -1,
    WrongAmount = -2,
    NoAction = -3,
    AlreadyPaid = -4,
    NoUser = -5,
    NoTransaction = -6,
    UpdateFailed = -7,
    BadRequest = -8,
    Cancelled = -9,
}

impl ClickError {
    pub fn note(self) -> &'static str {
        match self {
            Self::SignFailed => "SIGN CHECK FAILED!",
            Self::WrongAmount => "Incorrect parameter amount",
            Self::NoAction => "Action not found",
            Self::AlreadyPaid => "Already paid",
            Self::NoUser => "User does not exist",
            Self::NoTransaction => "Transaction does not exist",
            Self::UpdateFailed => "Failed to update user",
            Self::BadRequest => "Error in request from click",
            Self::Cancelled => "Transaction cancelled",
        }
    }
}

fn refusal(why: Unpayable) -> ClickError {
    match why {
        Unpayable::NoOrder => ClickError::NoUser,
        Unpayable::WrongAmount => ClickError::WrongAmount,
        Unpayable::Paid | Unpayable::Busy => ClickError::AlreadyPaid,
        Unpayable::Cancelled => ClickError::Cancelled,
    }
}

/// The fields of one request, as sent.
struct Fields(HashMap<String, String>);

impl Fields {
    fn parse(body: &[u8]) -> Self {
        Self(
            form_urlencoded::parse(body)
                .map(|(k, v)| (k.into_owned(), v.into_owned()))
                .collect(),
        )
    }

    fn text(&self, name: &str) -> Result<&str, ClickError> {
        self.0
            .get(name)
            .map(String::as_str)
            .filter(|v| v.len() <= 256)
            .ok_or(ClickError::BadRequest)
    }

    fn number<T: std::str::FromStr>(&self, name: &str) -> Result<T, ClickError> {
        self.text(name)?.parse().map_err(|_| ClickError::BadRequest)
    }
}

/// `amount` in whole so'm: `5000`, `5000.0` or `5000.00`; anything else
/// (a fraction of a so'm, a negative, not a number) is a wrong amount.
fn soum(raw: &str) -> Result<i64, ClickError> {
    let (whole, fraction) = raw.split_once('.').unwrap_or((raw, ""));
    let digits = |s: &str| s.chars().all(|c| c.is_ascii_digit());
    if whole.is_empty() || whole.len() > 12 || !digits(whole) || !digits(fraction) {
        return Err(ClickError::WrongAmount);
    }
    if fraction.chars().any(|c| c != '0') {
        return Err(ClickError::WrongAmount);
    }
    whole.parse().map_err(|_| ClickError::WrongAmount)
}

/// What a request says once its fields and signature are checked.
struct Checked {
    click_trans_id: i64,
    merchant_trans_id: String,
    amount: i64,
}

impl Click {
    pub fn new(
        config: ClickConfig,
        payments: Arc<dyn PaymentRepository>,
        completions: Completions,
    ) -> Self {
        Self {
            config,
            payments,
            completions,
        }
    }

    /// The signature a request with these fields must carry.
    fn sign(&self, fields: &Fields, prepare_id: Option<&str>) -> Result<String, ClickError> {
        let mut text = String::new();
        text.push_str(fields.text("click_trans_id")?);
        text.push_str(fields.text("service_id")?);
        text.push_str(self.config.secret_key.expose_secret());
        text.push_str(fields.text("merchant_trans_id")?);
        if let Some(prepare_id) = prepare_id {
            text.push_str(prepare_id);
        }
        text.push_str(fields.text("amount")?);
        text.push_str(fields.text("action")?);
        text.push_str(fields.text("sign_time")?);
        Ok(hex(Md5::digest(text.as_bytes()).as_slice()))
    }

    /// The checks both steps share, in Click's order: every field there,
    /// the signature, the action, the amount.
    fn check(&self, fields: &Fields, action: i64, complete: bool) -> Result<Checked, ClickError> {
        let click_trans_id: i64 = fields.number("click_trans_id")?;
        let _: i64 = fields.number("service_id")?;
        let _: i64 = fields.number("click_paydoc_id")?;
        let merchant_trans_id = fields.text("merchant_trans_id")?.to_owned();
        let given = fields.text("sign_string")?;
        let prepare_id = if complete {
            Some(fields.text("merchant_prepare_id")?)
        } else {
            None
        };
        let _: i64 = fields.number("error")?;
        let sent_action: i64 = fields.number("action")?;
        let expected = self.sign(fields, prepare_id)?;
        if !given.eq_ignore_ascii_case(&expected)
            || fields.text("service_id")? != self.config.service_id
        {
            return Err(ClickError::SignFailed);
        }
        if sent_action != action {
            return Err(ClickError::NoAction);
        }
        let amount = soum(fields.text("amount")?)?;
        Ok(Checked {
            click_trans_id,
            merchant_trans_id,
            amount,
        })
    }

    /// `action=0`: checks the order and the amount and records the prepare.
    pub async fn prepare(&self, body: &[u8]) -> ServiceResult<String> {
        let fields = Fields::parse(body);
        let answer = self.prepared(&fields).await;
        let (prepare_id, error) = match answer {
            Ok(id) => (Some(id), None),
            Err(error) => (None, Some(error)),
        };
        let reply = json!({
            "click_trans_id": fields.number::<i64>("click_trans_id").ok(),
            "merchant_trans_id": fields.text("merchant_trans_id").ok(),
            "merchant_prepare_id": prepare_id,
            "error": error.map_or(0, |e| e as i32),
            "error_note": error.map_or("Success", ClickError::note),
        });
        self.record("prepare", body, reply).await
    }

    /// `action=1`: completes the order paid through Click (fulfilled in the
    /// same transaction), or cancels the prepare when Click says the
    /// payment failed (`error` < 0).
    pub async fn complete(&self, body: &[u8]) -> ServiceResult<String> {
        let fields = Fields::parse(body);
        let answer = self.completed(&fields).await;
        let (confirm_id, error) = match answer {
            Ok(id) => (Some(id), None),
            Err(error) => (None, Some(error)),
        };
        let reply = json!({
            "click_trans_id": fields.number::<i64>("click_trans_id").ok(),
            "merchant_trans_id": fields.text("merchant_trans_id").ok(),
            "merchant_confirm_id": confirm_id,
            "error": error.map_or(0, |e| e as i32),
            "error_note": error.map_or("Success", ClickError::note),
        });
        self.record("complete", body, reply).await
    }

    async fn record(&self, method: &str, body: &[u8], reply: Value) -> ServiceResult<String> {
        tracing::info!(method, error = %reply["error"], "click request answered");
        let response = reply.to_string();
        self.payments
            .record(&ProviderRequest {
                provider: "click",
                method: method.to_owned(),
                request: String::from_utf8_lossy(body).into_owned(),
                response: response.clone(),
                at: self.completions.now(),
            })
            .await?;
        Ok(response)
    }

    async fn prepared(&self, fields: &Fields) -> Result<i32, ClickError> {
        let checked = self.check(fields, 0, false)?;
        let order_id =
            Uuid::parse_str(&checked.merchant_trans_id).map_err(|_| ClickError::NoUser)?;
        let prepare = ClickPrepare {
            click_trans_id: checked.click_trans_id,
            click_paydoc_id: fields.number("click_paydoc_id")?,
            order_id,
            amount: checked.amount,
            now: self.completions.now(),
        };
        match self
            .payments
            .click_prepare(&prepare)
            .await
            .map_err(failed)?
        {
            ClickOutcome::Done(tx) => Ok(tx.prepare_id),
            ClickOutcome::Refused(why) => Err(refusal(why)),
            ClickOutcome::NoTransaction => Err(ClickError::NoTransaction),
            ClickOutcome::Cancelled => Err(ClickError::Cancelled),
        }
    }

    async fn completed(&self, fields: &Fields) -> Result<i32, ClickError> {
        let checked = self.check(fields, 1, true)?;
        Uuid::parse_str(&checked.merchant_trans_id).map_err(|_| ClickError::NoUser)?;
        let prepare_id: i32 = fields
            .number("merchant_prepare_id")
            .map_err(|_| ClickError::NoTransaction)?;
        let click_failed = fields.number::<i64>("error")? < 0;
        let completion = self.completions.completion(PaidVia::Click, None);
        let outcome = self
            .payments
            .click_complete(
                prepare_id,
                checked.click_trans_id,
                checked.amount,
                click_failed,
                &completion,
            )
            .await
            .map_err(failed)?;
        match outcome {
            ClickOutcome::Done(tx) if tx.state == 2 && !click_failed => Ok(tx.prepare_id),
            ClickOutcome::Done(_) => Err(ClickError::AlreadyPaid),
            ClickOutcome::Refused(why) => Err(refusal(why)),
            ClickOutcome::NoTransaction => Err(ClickError::NoTransaction),
            ClickOutcome::Cancelled => Err(ClickError::Cancelled),
        }
    }
}

fn failed(error: DomainError) -> ClickError {
    tracing::error!(%error, "click request failed");
    ClickError::UpdateFailed
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn amounts_are_whole_soum_as_click_writes_them() {
        for (raw, soum_value) in [("450000", 450_000), ("450000.00", 450_000), ("1.0", 1)] {
            assert_eq!(soum(raw), Ok(soum_value), "{raw}");
        }
        for bad in [
            "450000.5",
            "-1",
            "",
            ".5",
            "1e6",
            "abc",
            "1 000",
            "9999999999999",
        ] {
            assert_eq!(soum(bad), Err(ClickError::WrongAmount), "{bad}");
        }
    }

    #[test]
    fn every_error_has_clicks_code_and_note() {
        let all = [
            (ClickError::SignFailed, -1, "SIGN CHECK FAILED!"),
            (ClickError::WrongAmount, -2, "Incorrect parameter amount"),
            (ClickError::NoAction, -3, "Action not found"),
            (ClickError::AlreadyPaid, -4, "Already paid"),
            (ClickError::NoUser, -5, "User does not exist"),
            (ClickError::NoTransaction, -6, "Transaction does not exist"),
            (ClickError::UpdateFailed, -7, "Failed to update user"),
            (ClickError::BadRequest, -8, "Error in request from click"),
            (ClickError::Cancelled, -9, "Transaction cancelled"),
        ];
        for (error, code, note) in all {
            assert_eq!((error as i32, error.note()), (code, note));
        }
    }
}
