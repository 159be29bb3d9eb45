//! `WalletRepository` on sea-orm: balances (`users.balance`) and the ledger
//! (`wallet_entries`).
//!
//! Every change of a balance goes through [`apply_change`], inside the
//! caller's transaction: one conditional `UPDATE users SET balance = balance +
//! :amount WHERE id = :user [AND balance >= :debit] RETURNING balance`, then
//! the ledger row with the balance it returned. Never read-then-write:
//! of concurrent debits only those the balance covers change it, and the
//! CHECK `balance >= 0` stands behind the condition. The ledger therefore
//! sums to the balance.

use crate::audit::insert_entry;
use crate::database::{Database, db_error};
use crate::entities::{users, wallet_entries};
use async_trait::async_trait;
use bilim_domain::ports::{AuditEntry, INSUFFICIENT_FUNDS, WalletRepository};
use bilim_domain::wallet::{Applied, BalanceChange, EntryKind, WalletEntry};
use bilim_domain::{DomainError, DomainResult};
use sea_orm::ActiveValue::Set;
use sea_orm::sea_query::{Expr, ExprTrait, Query};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect};
use uuid::Uuid;

pub struct SeaWalletRepository {
    db: Database,
}

impl SeaWalletRepository {
    pub fn new(db: Database) -> Self {
        Self { db }
    }
}

/// Moves the balance and writes the ledger row, on `conn` (a transaction the
/// caller commits). `NotFound` without the user; `Conflict {
/// wallet.insufficient_funds }` when a debit is more than the balance.
pub(crate) async fn apply_change<C: ConnectionTrait>(
    conn: &C,
    change: &BalanceChange,
) -> DomainResult<Applied> {
    let mut update = Query::update();
    update
        .table(users::Entity)
        .value(
            users::Column::Balance,
            Expr::col(users::Column::Balance).add(change.amount),
        )
        .and_where(Expr::col(users::Column::Id).eq(change.user_id))
        .returning_col(users::Column::Balance);
    if change.amount < 0 {
        let debit = change
            .amount
            .checked_neg()
            .ok_or_else(|| DomainError::internal("debit out of range"))?;
        update.and_where(Expr::col(users::Column::Balance).gte(debit));
    }
    let statement = conn.get_database_backend().build(&update);
    let row = conn.query_one_raw(statement).await.map_err(db_error)?;
    let Some(row) = row else {
        let exists = users::Entity::find_by_id(change.user_id)
            .one(conn)
            .await
            .map_err(db_error)?
            .is_some();
        return Err(if exists {
            DomainError::Conflict {
                what: INSUFFICIENT_FUNDS.to_owned(),
            }
        } else {
            DomainError::NotFound
        });
    };
    let balance: i64 = row.try_get("", "balance").map_err(db_error)?;
    let entry = wallet_entries::ActiveModel {
        id: Set(change.entry_id),
        user_id: Set(change.user_id),
        amount: Set(change.amount),
        balance_after: Set(balance),
        kind: Set(change.kind.as_str().to_owned()),
        note: Set(change.note.clone()),
        admin_id: Set(change.admin_id),
        reference: Set(change.reference.clone()),
        created_at: Set(change.at.fixed_offset()),
    };
    wallet_entries::Entity::insert(entry)
        .exec_without_returning(conn)
        .await
        .map_err(db_error)?;
    Ok(Applied {
        entry: WalletEntry {
            id: change.entry_id,
            user_id: change.user_id,
            amount: change.amount,
            balance_after: balance,
            kind: change.kind,
            note: change.note.clone(),
            admin_id: change.admin_id,
            reference: change.reference.clone(),
            created_at: change.at,
        },
        balance,
    })
}

impl TryFrom<wallet_entries::Model> for WalletEntry {
    type Error = DomainError;

    fn try_from(row: wallet_entries::Model) -> DomainResult<Self> {
        let kind = EntryKind::parse(&row.kind).ok_or_else(|| {
            DomainError::internal(format!(
                "wallet_entries.kind of {} is {:?}",
                row.id, row.kind
            ))
        })?;
        Ok(Self {
            id: row.id,
            user_id: row.user_id,
            amount: row.amount,
            balance_after: row.balance_after,
            kind,
            note: row.note,
            admin_id: row.admin_id,
            reference: row.reference,
            created_at: row.created_at.to_utc(),
        })
    }
}

#[async_trait]
impl WalletRepository for SeaWalletRepository {
    #[tracing::instrument(skip(self, change, audit), fields(user = %change.user_id, amount = change.amount))]
    async fn apply(
        &self,
        change: &BalanceChange,
        audit: Option<&AuditEntry>,
    ) -> DomainResult<Applied> {
        let txn = self.db.begin_write().await?;
        let applied = apply_change(&txn, change).await?;
        if let Some(audit) = audit {
            insert_entry(&txn, audit).await?;
        }
        txn.commit().await.map_err(db_error)?;
        Ok(applied)
    }

    async fn balance(&self, user_id: Uuid) -> DomainResult<i64> {
        let balance: Option<i64> = users::Entity::find_by_id(user_id)
            .select_only()
            .column(users::Column::Balance)
            .into_tuple()
            .one(self.db.connection())
            .await
            .map_err(db_error)?;
        balance.ok_or(DomainError::NotFound)
    }

    async fn entries(
        &self,
        user_id: Uuid,
        before: Option<Uuid>,
        limit: u64,
    ) -> DomainResult<Vec<WalletEntry>> {
        let mut select =
            wallet_entries::Entity::find().filter(wallet_entries::Column::UserId.eq(user_id));
        if let Some(before) = before {
            select = select.filter(wallet_entries::Column::Id.lt(before));
        }
        select
            .order_by_desc(wallet_entries::Column::Id)
            .limit(limit)
            .all(self.db.connection())
            .await
            .map_err(db_error)?
            .into_iter()
            .map(WalletEntry::try_from)
            .collect()
    }
}
