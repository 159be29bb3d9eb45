//! A `WalletRepository` in memory, with the adapter's rules: a debit only
//! when the balance covers it, one ledger row per change, the audit entry
//! kept with its change, `NotFound` for an account never opened.

use async_trait::async_trait;
use bilim_domain::ports::{AuditEntry, INSUFFICIENT_FUNDS, WalletRepository};
use bilim_domain::wallet::{Applied, BalanceChange, WalletEntry};
use bilim_domain::{DomainError, DomainResult};
use std::collections::HashMap;
use std::sync::{Mutex, MutexGuard, PoisonError};
use uuid::Uuid;

#[derive(Default)]
pub struct InMemoryWalletRepository {
    state: Mutex<State>,
}

#[derive(Default)]
struct State {
    balances: HashMap<Uuid, i64>,
    entries: Vec<WalletEntry>,
    audits: Vec<AuditEntry>,
}

impl InMemoryWalletRepository {
    pub fn new() -> Self {
        Self::default()
    }

    /// An account with balance 0 for `user` (a user row, in the adapter).
    pub fn open(&self, user: Uuid) {
        self.lock().balances.entry(user).or_insert(0);
    }

    /// The sum of the user's ledger.
    pub fn ledger_sum(&self, user: Uuid) -> i64 {
        self.lock()
            .entries
            .iter()
            .filter(|e| e.user_id == user)
            .map(|e| e.amount)
            .sum()
    }

    /// The audit entries committed with changes, oldest first.
    pub fn audits(&self) -> Vec<AuditEntry> {
        self.lock().audits.clone()
    }

    fn lock(&self) -> MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// `apply` without the audit, for a fake of a port that debits in its
    /// own transaction (a purchase).
    pub fn apply_now(&self, change: &BalanceChange) -> DomainResult<Applied> {
        let mut state = self.lock();
        let balance = state
            .balances
            .get_mut(&change.user_id)
            .ok_or(DomainError::NotFound)?;
        let after = *balance + change.amount;
        if after < 0 {
            return Err(DomainError::Conflict {
                what: INSUFFICIENT_FUNDS.to_owned(),
            });
        }
        *balance = after;
        let entry = WalletEntry {
            id: change.entry_id,
            user_id: change.user_id,
            amount: change.amount,
            balance_after: after,
            kind: change.kind,
            note: change.note.clone(),
            admin_id: change.admin_id,
            reference: change.reference.clone(),
            created_at: change.at,
        };
        state.entries.push(entry.clone());
        Ok(Applied {
            entry,
            balance: after,
        })
    }
}

#[async_trait]
impl WalletRepository for InMemoryWalletRepository {
    async fn apply(
        &self,
        change: &BalanceChange,
        audit: Option<&AuditEntry>,
    ) -> DomainResult<Applied> {
        let applied = self.apply_now(change)?;
        if let Some(audit) = audit {
            self.lock().audits.push(audit.clone());
        }
        Ok(applied)
    }

    async fn balance(&self, user_id: Uuid) -> DomainResult<i64> {
        self.lock()
            .balances
            .get(&user_id)
            .copied()
            .ok_or(DomainError::NotFound)
    }

    async fn entries(
        &self,
        user_id: Uuid,
        before: Option<Uuid>,
        limit: u64,
    ) -> DomainResult<Vec<WalletEntry>> {
        let mut entries: Vec<WalletEntry> = self
            .lock()
            .entries
            .iter()
            .filter(|e| e.user_id == user_id && before.is_none_or(|b| e.id < b))
            .cloned()
            .collect();
        entries.sort_by_key(|e| std::cmp::Reverse(e.id));
        entries.truncate(usize::try_from(limit).unwrap_or(usize::MAX));
        Ok(entries)
    }
}
