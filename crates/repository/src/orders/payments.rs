//! `PaymentRepository` on sea-orm: Payme's and Click's transactions. Each
//! step is one `begin_write` transaction that reads the provider's row
//! `FOR UPDATE` (PostgreSQL; SQLite's write lock serialises anyway), so
//! repeated or concurrent calls for one transaction queue and each sees the
//! state the one before left. A perform or complete completes the order
//! through `fulfil::complete_in` in the same transaction; an order no longer
//! pending refuses it and the whole transaction rolls back.

use super::fulfil::{complete_in, undo_in};
use crate::database::{Database, db_error};
use crate::entities::{click_transactions, orders, payme_transactions, payment_requests};
use async_trait::async_trait;
use bilim_domain::orders::{
    ClickOutcome, ClickPrepare, ClickTransaction, Completion, OrderStatus, PaymeCancelled,
    PaymeCreate, PaymeCreated, PaymePerformed, PaymeState, PaymeTransaction, ProviderRequest,
    Unpayable,
};
use bilim_domain::ports::PaymentRepository;
use bilim_domain::{DomainError, DomainResult};
use chrono::{DateTime, Utc};
use sea_orm::ActiveValue::{Set, Unchanged};
use sea_orm::sea_query::LockType;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, DatabaseTransaction, EntityTrait, QueryFilter, QueryOrder,
    QuerySelect,
};
use uuid::Uuid;

pub struct SeaPaymentRepository {
    db: Database,
}

impl SeaPaymentRepository {
    pub fn new(db: Database) -> Self {
        Self { db }
    }
}

async fn payme_row(
    txn: &DatabaseTransaction,
    payme_id: &str,
) -> DomainResult<Option<payme_transactions::Model>> {
    payme_transactions::Entity::find()
        .filter(payme_transactions::Column::PaymeId.eq(payme_id))
        .lock(LockType::Update)
        .one(txn)
        .await
        .map_err(db_error)
}

/// Why the order cannot be paid now (`amount` in so'm), if it cannot; the
/// order's row is locked for the rest of the transaction.
async fn unpayable(
    txn: &DatabaseTransaction,
    order_id: Uuid,
    amount: Option<i64>,
) -> DomainResult<Option<Unpayable>> {
    let Some(order) = orders::Entity::find_by_id(order_id)
        .lock(LockType::Update)
        .one(txn)
        .await
        .map_err(db_error)?
    else {
        return Ok(Some(Unpayable::NoOrder));
    };
    if amount.is_some_and(|amount| amount != order.amount) {
        return Ok(Some(Unpayable::WrongAmount));
    }
    Ok(match OrderStatus::parse(&order.status) {
        Some(OrderStatus::Pending) => None,
        Some(OrderStatus::Completed) => Some(Unpayable::Paid),
        _ => Some(Unpayable::Cancelled),
    })
}

/// Tiyin as so'm, when whole.
fn soum(tiyin: i64) -> Option<i64> {
    (tiyin % 100 == 0).then_some(tiyin / 100)
}

fn is_not_pending(error: &DomainError) -> bool {
    matches!(error, DomainError::Conflict { what } if what == "order.not_pending")
}

#[async_trait]
impl PaymentRepository for SeaPaymentRepository {
    async fn payme_transaction(&self, payme_id: &str) -> DomainResult<Option<PaymeTransaction>> {
        payme_transactions::Entity::find()
            .filter(payme_transactions::Column::PaymeId.eq(payme_id))
            .one(self.db.connection())
            .await
            .map_err(db_error)?
            .map(PaymeTransaction::try_from)
            .transpose()
    }

    #[tracing::instrument(skip(self, create), fields(order = %create.order_id))]
    async fn payme_create(&self, create: &PaymeCreate) -> DomainResult<PaymeCreated> {
        let txn = self.db.begin_write().await?;
        if let Some(row) = payme_row(&txn, &create.payme_id).await? {
            return Ok(PaymeCreated::Existing(row.try_into()?));
        }
        let amount = soum(create.amount).unwrap_or(-1);
        if let Some(refusal) = unpayable(&txn, create.order_id, Some(amount)).await? {
            return Ok(PaymeCreated::Refused(refusal));
        }
        let waiting = payme_transactions::Entity::find()
            .filter(payme_transactions::Column::OrderId.eq(create.order_id))
            .filter(payme_transactions::Column::State.eq(PaymeState::Created.code()))
            .one(&txn)
            .await
            .map_err(db_error)?;
        if waiting.is_some() {
            return Ok(PaymeCreated::Refused(Unpayable::Busy));
        }
        let row = payme_transactions::ActiveModel {
            id: Set(create.id),
            payme_id: Set(create.payme_id.clone()),
            order_id: Set(create.order_id),
            amount: Set(create.amount),
            state: Set(PaymeState::Created.code()),
            reason: Set(None),
            payme_time: Set(create.payme_time),
            create_time: Set(create.now_ms),
            perform_time: Set(0),
            cancel_time: Set(0),
        }
        .insert(&txn)
        .await
        .map_err(|error| match db_error(error) {
            // The partial unique key: another waits after all.
            DomainError::Conflict { .. } => DomainError::Conflict {
                what: "payme.busy".to_owned(),
            },
            other => other,
        });
        let row = match row {
            Ok(row) => row,
            Err(DomainError::Conflict { .. }) => return Ok(PaymeCreated::Refused(Unpayable::Busy)),
            Err(other) => return Err(other),
        };
        txn.commit().await.map_err(db_error)?;
        Ok(PaymeCreated::Created(row.try_into()?))
    }

    #[tracing::instrument(skip(self, completion))]
    async fn payme_perform(
        &self,
        payme_id: &str,
        completion: &Completion,
        now_ms: i64,
    ) -> DomainResult<PaymePerformed> {
        let txn = self.db.begin_write().await?;
        let Some(row) = payme_row(&txn, payme_id).await? else {
            return Ok(PaymePerformed::NotFound);
        };
        let current = PaymeTransaction::try_from(row.clone())?;
        match current.state {
            PaymeState::Performed => return Ok(PaymePerformed::Performed(current)),
            PaymeState::Cancelled | PaymeState::CancelledAfterPerform => {
                return Ok(PaymePerformed::Refused(current));
            }
            PaymeState::Created => {}
        }
        let performed = payme_transactions::ActiveModel {
            id: Unchanged(row.id),
            state: Set(PaymeState::Performed.code()),
            perform_time: Set(now_ms),
            ..Default::default()
        }
        .update(&txn)
        .await
        .map_err(db_error)?;
        match complete_in(&txn, row.order_id, None, completion).await {
            Ok(_) => {}
            // Completed or cancelled another way meanwhile: refused; the
            // transaction rolls back, nothing is taken.
            Err(error) if is_not_pending(&error) => return Ok(PaymePerformed::Refused(current)),
            Err(error) => return Err(error),
        }
        txn.commit().await.map_err(db_error)?;
        Ok(PaymePerformed::Performed(performed.try_into()?))
    }

    #[tracing::instrument(skip(self))]
    async fn payme_cancel(
        &self,
        payme_id: &str,
        reason: i16,
        now: DateTime<Utc>,
        now_ms: i64,
    ) -> DomainResult<PaymeCancelled> {
        let txn = self.db.begin_write().await?;
        let Some(row) = payme_row(&txn, payme_id).await? else {
            return Ok(PaymeCancelled::NotFound);
        };
        let current = PaymeTransaction::try_from(row.clone())?;
        let state = match current.state {
            PaymeState::Created => PaymeState::Cancelled,
            PaymeState::Performed => {
                undo_in(&txn, row.order_id, now).await?;
                PaymeState::CancelledAfterPerform
            }
            PaymeState::Cancelled | PaymeState::CancelledAfterPerform => {
                return Ok(PaymeCancelled::Cancelled(current));
            }
        };
        let cancelled = payme_transactions::ActiveModel {
            id: Unchanged(row.id),
            state: Set(state.code()),
            reason: Set(Some(reason)),
            cancel_time: Set(now_ms),
            ..Default::default()
        }
        .update(&txn)
        .await
        .map_err(db_error)?;
        txn.commit().await.map_err(db_error)?;
        Ok(PaymeCancelled::Cancelled(cancelled.try_into()?))
    }

    async fn payme_statement(
        &self,
        from: i64,
        to: i64,
        limit: u64,
    ) -> DomainResult<Vec<PaymeTransaction>> {
        payme_transactions::Entity::find()
            .filter(payme_transactions::Column::PaymeTime.gte(from))
            .filter(payme_transactions::Column::PaymeTime.lte(to))
            .order_by_asc(payme_transactions::Column::PaymeTime)
            .order_by_asc(payme_transactions::Column::Id)
            .limit(limit)
            .all(self.db.connection())
            .await
            .map_err(db_error)?
            .into_iter()
            .map(PaymeTransaction::try_from)
            .collect()
    }

    #[tracing::instrument(skip(self, prepare), fields(order = %prepare.order_id))]
    async fn click_prepare(&self, prepare: &ClickPrepare) -> DomainResult<ClickOutcome> {
        let txn = self.db.begin_write().await?;
        let existing = click_transactions::Entity::find()
            .filter(click_transactions::Column::ClickTransId.eq(prepare.click_trans_id))
            .lock(LockType::Update)
            .one(&txn)
            .await
            .map_err(db_error)?;
        if let Some(row) = existing {
            if row.order_id != prepare.order_id {
                return Ok(ClickOutcome::NoTransaction);
            }
            if row.state == -1 {
                return Ok(ClickOutcome::Cancelled);
            }
            return Ok(ClickOutcome::Done(row.into()));
        }
        if let Some(refusal) = unpayable(&txn, prepare.order_id, Some(prepare.amount)).await? {
            return Ok(ClickOutcome::Refused(refusal));
        }
        let at = prepare.now.fixed_offset();
        let row = click_transactions::ActiveModel {
            click_trans_id: Set(prepare.click_trans_id),
            click_paydoc_id: Set(prepare.click_paydoc_id),
            order_id: Set(prepare.order_id),
            amount: Set(prepare.amount),
            state: Set(1),
            created_at: Set(at),
            updated_at: Set(at),
            ..Default::default()
        }
        .insert(&txn)
        .await
        .map_err(db_error)?;
        txn.commit().await.map_err(db_error)?;
        Ok(ClickOutcome::Done(row.into()))
    }

    #[tracing::instrument(skip(self, completion))]
    async fn click_complete(
        &self,
        prepare_id: i32,
        click_trans_id: i64,
        amount: i64,
        failed: bool,
        completion: &Completion,
    ) -> DomainResult<ClickOutcome> {
        let txn = self.db.begin_write().await?;
        let Some(row) = click_transactions::Entity::find_by_id(prepare_id)
            .lock(LockType::Update)
            .one(&txn)
            .await
            .map_err(db_error)?
            .filter(|row| row.click_trans_id == click_trans_id)
        else {
            return Ok(ClickOutcome::NoTransaction);
        };
        match row.state {
            -1 => return Ok(ClickOutcome::Cancelled),
            2 => return Ok(ClickOutcome::Done(row.into())),
            _ => {}
        }
        let at = completion.now.fixed_offset();
        if failed {
            click_transactions::ActiveModel {
                prepare_id: Unchanged(row.prepare_id),
                state: Set(-1),
                updated_at: Set(at),
                ..Default::default()
            }
            .update(&txn)
            .await
            .map_err(db_error)?;
            txn.commit().await.map_err(db_error)?;
            return Ok(ClickOutcome::Cancelled);
        }
        if amount != row.amount {
            return Ok(ClickOutcome::Refused(Unpayable::WrongAmount));
        }
        let completed = click_transactions::ActiveModel {
            prepare_id: Unchanged(row.prepare_id),
            state: Set(2),
            updated_at: Set(at),
            ..Default::default()
        }
        .update(&txn)
        .await
        .map_err(db_error)?;
        match complete_in(&txn, row.order_id, None, completion).await {
            Ok(_) => {}
            Err(error) if is_not_pending(&error) => {
                drop(txn);
                let status = orders::Entity::find_by_id(row.order_id)
                    .one(self.db.connection())
                    .await
                    .map_err(db_error)?
                    .map(|o| o.status);
                return Ok(ClickOutcome::Refused(
                    if status.as_deref() == Some(OrderStatus::Completed.as_str()) {
                        Unpayable::Paid
                    } else {
                        Unpayable::Cancelled
                    },
                ));
            }
            Err(error) => return Err(error),
        }
        txn.commit().await.map_err(db_error)?;
        Ok(ClickOutcome::Done(ClickTransaction::from(completed)))
    }

    async fn record(&self, request: &ProviderRequest) -> DomainResult<()> {
        payment_requests::Entity::insert(payment_requests::ActiveModel {
            id: Set(Uuid::now_v7()),
            provider: Set(request.provider.to_owned()),
            method: Set(request.method.chars().take(64).collect()),
            request: Set(request.request.clone()),
            response: Set(request.response.clone()),
            created_at: Set(request.at.fixed_offset()),
        })
        .exec_without_returning(self.db.connection())
        .await
        .map_err(db_error)?;
        Ok(())
    }
}
