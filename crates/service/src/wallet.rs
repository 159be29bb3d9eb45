//! The wallet: a user's balance and ledger, and the admins' top-ups and
//! adjustments (audited, in the transaction of the change).

use crate::admin::{Actor, Auditor};
use crate::paging::{Page, PageRequest, page};
use crate::{ServiceError, ServiceResult};
use bilim_domain::DomainError;
use bilim_domain::ports::{Clock, INSUFFICIENT_FUNDS, UserRepository, WalletRepository};
use bilim_domain::wallet::{Adjustment, Applied, BalanceChange, EntryKind, TopUp, WalletEntry};
use serde_json::json;
use std::sync::Arc;
use uuid::Uuid;

/// The words of document 002 when the balance does not cover a debit.
pub const INSUFFICIENT_FUNDS_UZ: &str = "Balansingizga yetarli mablag' mavjud emas!";

/// Maps the port's refusals: no user, or not enough money.
pub(crate) fn wallet_error(error: DomainError) -> ServiceError {
    match error {
        DomainError::NotFound => ServiceError::NotFound {
            code: "user.not_found",
        },
        DomainError::Conflict { what } if what == INSUFFICIENT_FUNDS => ServiceError::Conflict {
            code: INSUFFICIENT_FUNDS,
            message: INSUFFICIENT_FUNDS_UZ.to_owned(),
        },
        other => other.into(),
    }
}

/// A page of a user's ledger, newest first.
async fn ledger(
    wallet: &dyn WalletRepository,
    user_id: Uuid,
    request: &PageRequest,
) -> ServiceResult<Page<WalletEntry>> {
    let limit = request.limit()?;
    let rows = wallet.entries(user_id, request.after()?, limit + 1).await?;
    Ok(page(rows, limit, |entry| entry.id))
}

/// What a user sees of their own wallet.
#[derive(Clone)]
pub struct Wallets {
    wallet: Arc<dyn WalletRepository>,
}

impl Wallets {
    pub fn new(wallet: Arc<dyn WalletRepository>) -> Self {
        Self { wallet }
    }

    pub async fn balance(&self, user_id: Uuid) -> ServiceResult<i64> {
        self.wallet.balance(user_id).await.map_err(wallet_error)
    }

    pub async fn entries(
        &self,
        user_id: Uuid,
        request: &PageRequest,
    ) -> ServiceResult<Page<WalletEntry>> {
        ledger(self.wallet.as_ref(), user_id, request).await
    }
}

/// What admins do with wallets.
#[derive(Clone)]
pub struct AdminWallets {
    wallet: Arc<dyn WalletRepository>,
    users: Arc<dyn UserRepository>,
    auditor: Auditor,
    clock: Arc<dyn Clock>,
}

impl AdminWallets {
    pub fn new(
        wallet: Arc<dyn WalletRepository>,
        users: Arc<dyn UserRepository>,
        auditor: Auditor,
        clock: Arc<dyn Clock>,
    ) -> Self {
        Self {
            wallet,
            users,
            auditor,
            clock,
        }
    }

    /// Credits the user's balance.
    #[tracing::instrument(skip_all, fields(admin = %actor.admin.id, user = %user_id))]
    pub async fn top_up(
        &self,
        actor: &Actor<'_>,
        user_id: Uuid,
        top_up: TopUp,
    ) -> ServiceResult<Applied> {
        let note = top_up.note.map(|note| note.as_str().to_owned());
        self.change(
            actor,
            "wallet.top_up",
            user_id,
            top_up.amount.get(),
            EntryKind::TopUp,
            note,
        )
        .await
    }

    /// Credits or debits the user's balance, with a reason; never below 0.
    #[tracing::instrument(skip_all, fields(admin = %actor.admin.id, user = %user_id))]
    pub async fn adjust(
        &self,
        actor: &Actor<'_>,
        user_id: Uuid,
        adjustment: Adjustment,
    ) -> ServiceResult<Applied> {
        let note = Some(adjustment.note.as_str().to_owned());
        self.change(
            actor,
            "wallet.adjustment",
            user_id,
            adjustment.amount.get(),
            EntryKind::Adjustment,
            note,
        )
        .await
    }

    /// The user's ledger.
    pub async fn entries(
        &self,
        user_id: Uuid,
        request: &PageRequest,
    ) -> ServiceResult<Page<WalletEntry>> {
        if self.users.find_by_id(user_id).await?.is_none() {
            return Err(ServiceError::NotFound {
                code: "user.not_found",
            });
        }
        ledger(self.wallet.as_ref(), user_id, request).await
    }

    async fn change(
        &self,
        actor: &Actor<'_>,
        action: &str,
        user_id: Uuid,
        amount: i64,
        kind: EntryKind,
        note: Option<String>,
    ) -> ServiceResult<Applied> {
        let change = BalanceChange {
            entry_id: Uuid::now_v7(),
            user_id,
            amount,
            kind,
            note,
            admin_id: Some(actor.admin.id),
            reference: None,
            at: self.clock.now(),
        };
        self.auditor
            .audited(
                actor,
                action,
                ("user", user_id.to_string()),
                json!({ "amount": amount, "entry_id": change.entry_id, "note": change.note }),
                |entry| async move {
                    self.wallet
                        .apply(&change, Some(&entry))
                        .await
                        .map_err(wallet_error)
                },
            )
            .await
    }
}
