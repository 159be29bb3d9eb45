//! The wallet: balance, ledger rows, and the admins' top-up and adjustment
//! bodies as `TopUp` and `Adjustment`.

use super::money::whole;
use bilim_domain::values::{Amount, Note, SignedAmount};
use bilim_domain::wallet::{Adjustment, Applied, TopUp, WalletEntry};
use bilim_service::ServiceError;
use bilim_service::input::Invalid;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;

/// `GET /users/me/wallet`.
#[derive(Debug, Serialize, ToSchema)]
pub struct WalletResponse {
    /// So'm, never negative.
    #[schema(minimum = 0, example = 150000)]
    pub balance: i64,
    #[schema(example = "UZS")]
    pub currency: &'static str,
}

impl WalletResponse {
    pub fn new(balance: i64) -> Self {
        Self {
            balance,
            currency: "UZS",
        }
    }
}

/// One ledger row.
#[derive(Debug, Serialize, ToSchema)]
pub struct EntryResponse {
    pub id: Uuid,
    /// Signed so'm: + credit, − debit.
    #[schema(example = 100000)]
    pub amount: i64,
    #[schema(minimum = 0, example = 150000)]
    pub balance_after: i64,
    /// `top_up`, `adjustment`, `purchase`, `order`, `refund` or `payment`.
    #[schema(example = "top_up")]
    pub kind: &'static str,
    #[schema(required = true, example = "Naqd pul orqali toʻlov")]
    pub note: Option<String>,
    pub created_at: DateTime<Utc>,
}

impl From<&WalletEntry> for EntryResponse {
    fn from(entry: &WalletEntry) -> Self {
        Self {
            id: entry.id,
            amount: entry.amount,
            balance_after: entry.balance_after,
            kind: entry.kind.as_str(),
            note: entry.note.clone(),
            created_at: entry.created_at,
        }
    }
}

/// A page of the ledger, newest first.
#[derive(Debug, Serialize, ToSchema)]
pub struct EntryPage {
    pub items: Vec<EntryResponse>,
    #[schema(required = true)]
    pub next_cursor: Option<String>,
}

/// A top-up or adjustment made: its ledger row and the balance it left.
#[derive(Debug, Serialize, ToSchema)]
pub struct AppliedResponse {
    pub entry: EntryResponse,
    #[schema(minimum = 0, example = 250000)]
    pub balance: i64,
}

impl From<&Applied> for AppliedResponse {
    fn from(applied: &Applied) -> Self {
        Self {
            entry: EntryResponse::from(&applied.entry),
            balance: applied.balance,
        }
    }
}

/// `POST /admin/users/{id}/wallet/top-ups`: `amount` whole so'm, 1 to
/// 100 000 000 (`amount.invalid` otherwise, also for `34.5`); `note` at most
/// 500 characters.
#[derive(Debug, Deserialize, Serialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct TopUpBody {
    #[schema(value_type = i64, minimum = 1, maximum = 100000000, example = 100000)]
    pub amount: serde_json::Number,
    #[schema(max_length = 500, example = "Naqd pul orqali toʻlov")]
    pub note: Option<String>,
}

/// `POST /admin/users/{id}/wallet/adjustments`: `amount` signed whole so'm,
/// not 0, at most 100 000 000 either way; `note` (the reason) required.
#[derive(Debug, Deserialize, Serialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AdjustmentBody {
    #[schema(value_type = i64, minimum = -100000000, maximum = 100000000, example = -20000)]
    pub amount: serde_json::Number,
    #[schema(value_type = String, required = true, min_length = 1, max_length = 500, example = "Xato kiritilgan toʻlov qaytarildi")]
    pub note: Option<String>,
}

impl TryFrom<&TopUpBody> for TopUp {
    type Error = ServiceError;

    fn try_from(body: &TopUpBody) -> Result<Self, ServiceError> {
        let mut invalid = Invalid::default();
        let amount = invalid
            .check(whole("amount", "amount.invalid", &body.amount))
            .and_then(|raw| invalid.check(Amount::parse("amount", raw)));
        let note = match &body.note {
            Some(raw) => invalid.check(Note::optional("note", raw)).flatten(),
            None => None,
        };
        invalid.finish()?;
        let amount = amount.ok_or_else(|| ServiceError::Internal("amount lost".into()))?;
        Ok(Self { amount, note })
    }
}

impl TryFrom<&AdjustmentBody> for Adjustment {
    type Error = ServiceError;

    fn try_from(body: &AdjustmentBody) -> Result<Self, ServiceError> {
        let mut invalid = Invalid::default();
        let amount = invalid
            .check(whole("amount", "amount.invalid", &body.amount))
            .and_then(|raw| invalid.check(SignedAmount::parse("amount", raw)));
        let note = invalid.check(Note::required("note", body.note.as_deref().unwrap_or("")));
        invalid.finish()?;
        let (Some(amount), Some(note)) = (amount, note) else {
            return Err(ServiceError::Internal("adjustment field lost".into()));
        };
        Ok(Self { amount, note })
    }
}
