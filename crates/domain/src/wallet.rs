//! The wallet of document 002: a balance in whole so'm that never goes below
//! 0, and a ledger whose signed amounts always sum to it.

use crate::values::{Amount, Note, SignedAmount};
use chrono::{DateTime, Utc};
use uuid::Uuid;

/// What caused a ledger row.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EntryKind {
    TopUp,
    Adjustment,
    Purchase,
    Order,
    Refund,
    Payment,
}

impl EntryKind {
    pub const ALL: [Self; 6] = [
        Self::TopUp,
        Self::Adjustment,
        Self::Purchase,
        Self::Order,
        Self::Refund,
        Self::Payment,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::TopUp => "top_up",
            Self::Adjustment => "adjustment",
            Self::Purchase => "purchase",
            Self::Order => "order",
            Self::Refund => "refund",
            Self::Payment => "payment",
        }
    }

    pub fn parse(raw: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|kind| kind.as_str() == raw)
    }
}

/// One row of a user's ledger.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WalletEntry {
    pub id: Uuid,
    pub user_id: Uuid,
    /// Signed so'm: + credit, − debit; never 0.
    pub amount: i64,
    /// The balance right after this row.
    pub balance_after: i64,
    pub kind: EntryKind,
    pub note: Option<String>,
    /// The admin who made the change, if one did.
    pub admin_id: Option<Uuid>,
    /// What caused it (`subscription:<id>`), if anything.
    pub reference: Option<String>,
    pub created_at: DateTime<Utc>,
}

/// `POST /admin/users/{id}/wallet/top-ups`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TopUp {
    pub amount: Amount,
    pub note: Option<Note>,
}

/// `POST /admin/users/{id}/wallet/adjustments`: signed, with a reason.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Adjustment {
    pub amount: SignedAmount,
    pub note: Note,
}

/// A change of one user's balance as the port applies it: the balance moves
/// by `amount` and one ledger row records it, or nothing happens.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BalanceChange {
    pub entry_id: Uuid,
    pub user_id: Uuid,
    pub amount: i64,
    pub kind: EntryKind,
    pub note: Option<String>,
    pub admin_id: Option<Uuid>,
    pub reference: Option<String>,
    pub at: DateTime<Utc>,
}

/// A ledger row and the balance it left.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Applied {
    pub entry: WalletEntry,
    pub balance: i64,
}
