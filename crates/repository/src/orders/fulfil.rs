//! Completing an order, and undoing a completion, inside the caller's
//! transaction.

use crate::catalogue::exists;
use crate::database::db_error;
use crate::entities::orders::{self, Column};
use crate::entities::users;
use crate::learning::access::{grant_in, revoke_in};
use crate::shop::subscriptions::{Extension, extend_in, shorten_in};
use crate::wallet::apply_change;
use bilim_domain::learning::GrantTerm;
use bilim_domain::orders::{Completion, OfferingKind, OrderStatus, PaidVia};
use bilim_domain::wallet::{BalanceChange, EntryKind};
use bilim_domain::{DomainError, DomainResult};
use chrono::{DateTime, Months, Utc};
use sea_orm::sea_query::{Expr, LockType};
use sea_orm::{ColumnTrait, DatabaseTransaction, EntityTrait, QueryFilter};
use uuid::Uuid;

pub(super) fn not_pending() -> DomainError {
    DomainError::Conflict {
        what: "order.not_pending".to_owned(),
    }
}

/// Moves order `id` from `pending` to `to` with one conditional update
/// (`owner`: only the user's own); the row after it. `NotFound` when absent
/// or another's, `order.not_pending` when it was not pending.
pub(super) async fn leave_pending(
    txn: &DatabaseTransaction,
    id: Uuid,
    owner: Option<Uuid>,
    to: OrderStatus,
    paid_via: Option<PaidVia>,
    now: DateTime<Utc>,
) -> DomainResult<orders::Model> {
    let at = now.fixed_offset();
    let mut update = orders::Entity::update_many()
        .col_expr(Column::Status, Expr::value(to.as_str()))
        .col_expr(Column::UpdatedAt, Expr::value(at))
        .filter(Column::Id.eq(id))
        .filter(Column::Status.eq(OrderStatus::Pending.as_str()));
    update = match to {
        OrderStatus::Completed => update
            .col_expr(Column::CompletedAt, Expr::value(at))
            .col_expr(Column::PaidVia, Expr::value(paid_via.map(PaidVia::as_str))),
        _ => update.col_expr(Column::CancelledAt, Expr::value(at)),
    };
    if let Some(owner) = owner {
        update = update.filter(Column::UserId.eq(owner));
    }
    let changed = update.exec(txn).await.map_err(db_error)?.rows_affected;
    let row = orders::Entity::find_by_id(id)
        .one(txn)
        .await
        .map_err(db_error)?
        .filter(|row| owner.is_none_or(|owner| row.user_id == owner))
        .ok_or(DomainError::NotFound)?;
    if changed == 0 {
        return Err(not_pending());
    }
    Ok(row)
}

fn end_after(now: DateTime<Utc>, months: Option<i32>) -> DomainResult<(u32, DateTime<Utc>)> {
    let months = months
        .and_then(|m| u32::try_from(m).ok())
        .ok_or_else(|| DomainError::internal("order without months"))?;
    let end = now
        .checked_add_months(Months::new(months))
        .ok_or_else(|| DomainError::internal("access end out of range"))?;
    Ok((months, end))
}

/// Completes the order and fulfils it: the debit of its owner's balance
/// when paid from it, then the course opened as an admin's grant opens it
/// (same rows: grant, workbooks, certificate) or the subscription bought or
/// extended, or nothing more for a custom offering.
pub(super) async fn complete_in(
    txn: &DatabaseTransaction,
    id: Uuid,
    owner: Option<Uuid>,
    completion: &Completion,
) -> DomainResult<orders::Model> {
    let now = completion.now;
    let mut row = leave_pending(
        txn,
        id,
        owner,
        OrderStatus::Completed,
        Some(completion.via),
        now,
    )
    .await?;
    if completion.via == PaidVia::Balance {
        apply_change(
            txn,
            &BalanceChange {
                entry_id: completion.entry_id,
                user_id: row.user_id,
                amount: -row.amount,
                kind: EntryKind::Order,
                note: Some(row.name.clone()),
                admin_id: None,
                reference: Some(format!("order:{}", row.id)),
                at: now,
            },
        )
        .await?;
    }
    let kind = OfferingKind::parse(&row.kind)
        .ok_or_else(|| DomainError::internal("order of an unknown kind"))?;
    match (kind, row.course_id, row.product_id) {
        (OfferingKind::CourseAccess, Some(course_id), _) => {
            let (_, expires_at) = end_after(now, row.months)?;
            grant_in(
                txn,
                row.user_id,
                &[GrantTerm {
                    course_id,
                    expires_at,
                }],
                completion.admin_id,
                now,
            )
            .await?;
        }
        (OfferingKind::Product, _, Some(product_id)) => {
            let (months, _) = end_after(now, row.months)?;
            // The user's row, as a purchase holds it: one user's
            // subscriptions change one after another.
            if !exists::<users::Entity>(txn, row.user_id, LockType::Update).await? {
                return Err(DomainError::NotFound);
            }
            let has_licence = crate::entities::products::Entity::find_by_id(product_id)
                .one(txn)
                .await
                .map_err(db_error)?
                .is_some_and(|p| p.has_licence);
            let device_id = row.device_id.clone().unwrap_or_default();
            let subscription_id = extend_in(
                txn,
                &Extension {
                    user_id: row.user_id,
                    product_id,
                    device_id: &device_id,
                    months,
                    subjects: &[],
                    new_id: completion.subscription_id,
                    licence_key_hash: has_licence.then(|| completion.licence_key_hash.clone()),
                    now,
                },
            )
            .await?;
            orders::Entity::update_many()
                .col_expr(Column::SubscriptionId, Expr::value(subscription_id))
                .filter(Column::Id.eq(row.id))
                .exec(txn)
                .await
                .map_err(db_error)?;
            row.subscription_id = Some(subscription_id);
        }
        _ => {}
    }
    Ok(row)
}

/// A completed order's payment taken back by the provider: the order becomes
/// cancelled (one conditional update from `completed`) and its fulfilment is
/// undone where it can be: the course's access revoked, the subscription
/// shortened by the order's months. `Conflict { what: "order.not_completed" }`
/// when it is not completed.
pub(super) async fn undo_in(
    txn: &DatabaseTransaction,
    id: Uuid,
    now: DateTime<Utc>,
) -> DomainResult<()> {
    let at = now.fixed_offset();
    let changed = orders::Entity::update_many()
        .col_expr(Column::Status, Expr::value(OrderStatus::Cancelled.as_str()))
        .col_expr(Column::CancelledAt, Expr::value(at))
        .col_expr(Column::RefundedAt, Expr::value(at))
        .col_expr(Column::UpdatedAt, Expr::value(at))
        .filter(Column::Id.eq(id))
        .filter(Column::Status.eq(OrderStatus::Completed.as_str()))
        .exec(txn)
        .await
        .map_err(db_error)?
        .rows_affected;
    if changed == 0 {
        return Err(DomainError::Conflict {
            what: "order.not_completed".to_owned(),
        });
    }
    let row = orders::Entity::find_by_id(id)
        .one(txn)
        .await
        .map_err(db_error)?
        .ok_or(DomainError::NotFound)?;
    match (row.course_id, row.subscription_id) {
        (Some(course_id), _) => {
            revoke_in(txn, row.user_id, course_id, now).await?;
        }
        (None, Some(subscription_id)) => {
            let (months, _) = end_after(now, row.months)?;
            shorten_in(txn, subscription_id, months, now).await?;
        }
        _ => {}
    }
    Ok(())
}
