//! Storage of balances and their ledger.

use super::AuditEntry;
use crate::DomainResult;
use crate::wallet::{Applied, BalanceChange, WalletEntry};
use async_trait::async_trait;
use uuid::Uuid;

#[async_trait]
pub trait WalletRepository: Send + Sync {
    /// In one transaction: moves the balance by `change.amount` with one
    /// conditional update (a debit only `WHERE balance >= debit`), writes
    /// the ledger row with the balance it left, and writes `audit` when an
    /// admin made the change. `NotFound` without the user;
    /// `Conflict { what: "wallet.insufficient_funds" }` when a debit would
    /// take the balance below 0; nothing is written then.
    async fn apply(
        &self,
        change: &BalanceChange,
        audit: Option<&AuditEntry>,
    ) -> DomainResult<Applied>;

    /// The user's balance; `NotFound` without the user.
    async fn balance(&self, user_id: Uuid) -> DomainResult<i64>;

    /// The user's ledger, newest first, rows older than `before` (an entry
    /// id) when given.
    async fn entries(
        &self,
        user_id: Uuid,
        before: Option<Uuid>,
        limit: u64,
    ) -> DomainResult<Vec<WalletEntry>>;
}

/// What `WalletRepository::apply` reports when the balance is too small.
pub const INSUFFICIENT_FUNDS: &str = "wallet.insufficient_funds";
