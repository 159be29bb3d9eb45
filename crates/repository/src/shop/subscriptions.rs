//! `SubscriptionRepository` on sea-orm.
//!
//! A purchase is one `begin_write` transaction: the product row (share-locked
//! on PostgreSQL, so an admin's price change waits), the user's row (`FOR
//! UPDATE`, so one user's purchases run one after another), the subscription
//! of this product and device, the debit through `wallet::apply_change` (one
//! conditional update), the subscription created or extended from the later
//! of now and its end, then commit. A device move is one conditional update.

use super::mapping::{subjects_column, subscription};
use crate::audit::insert_entry;
use crate::catalogue::exists;
use crate::database::{Database, db_error};
use crate::entities::{products, subscriptions, users};
use crate::wallet::apply_change;
use async_trait::async_trait;
use bilim_domain::ports::{AuditEntry, SubscriptionRepository};
use bilim_domain::shop::{LicenceStatus, Purchase, Purchased, Subscription, SubscriptionPatch};
use bilim_domain::wallet::{BalanceChange, EntryKind};
use bilim_domain::{DomainError, DomainResult};
use chrono::{DateTime, Months, Utc};
use sea_orm::ActiveValue::{Set, Unchanged};
use sea_orm::sea_query::{Expr, LockType};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, Condition, ConnectionTrait, DatabaseTransaction, EntityTrait,
    QueryFilter, QueryOrder, QuerySelect,
};
use uuid::Uuid;

use subscriptions::Column;

pub struct SeaSubscriptionRepository {
    db: Database,
}

impl SeaSubscriptionRepository {
    pub fn new(db: Database) -> Self {
        Self { db }
    }
}

fn conflict(what: &str) -> DomainError {
    DomainError::Conflict {
        what: what.to_owned(),
    }
}

async fn find<C: ConnectionTrait>(conn: &C, id: Uuid) -> DomainResult<Option<Subscription>> {
    let found = subscriptions::Entity::find_by_id(id)
        .find_also_related(products::Entity)
        .one(conn)
        .await
        .map_err(db_error)?;
    found
        .map(|(row, product)| subscription(row, product))
        .transpose()
}

/// A move onto a device where the user has the product already breaks the
/// unique key.
fn device_error(error: sea_orm::DbErr) -> DomainError {
    match db_error(error) {
        DomainError::Conflict { .. } => conflict("subscription.device_taken"),
        other => other,
    }
}

/// A subscription bought or extended, in the caller's transaction.
pub(crate) struct Extension<'a> {
    pub user_id: Uuid,
    pub product_id: Uuid,
    pub device_id: &'a str,
    pub months: u32,
    pub subjects: &'a [String],
    /// The id a new subscription gets.
    pub new_id: Uuid,
    /// The licence key's hash a new subscription gets, if its product has them.
    pub licence_key_hash: Option<String>,
    pub now: DateTime<Utc>,
}

/// Creates the subscription of (user, product, device), or extends it by
/// `months` from the later of now and its end; returns its id. The caller
/// holds the user's row (`FOR UPDATE`), so the row read here is the one
/// extended.
pub(crate) async fn extend_in(
    txn: &DatabaseTransaction,
    extension: &Extension<'_>,
) -> DomainResult<Uuid> {
    let now = extension.now;
    let existing = subscriptions::Entity::find()
        .filter(Column::UserId.eq(extension.user_id))
        .filter(Column::ProductId.eq(extension.product_id))
        .filter(Column::DeviceId.eq(extension.device_id))
        .lock(LockType::Update)
        .one(txn)
        .await
        .map_err(db_error)?;
    let months = Months::new(extension.months);
    let overflow = || DomainError::internal("subscription end out of range");
    let subjects = subjects_column(extension.subjects)?;
    match existing {
        Some(row) => {
            let from = row.ends_at.to_utc().max(now);
            let ends_at = from.checked_add_months(months).ok_or_else(overflow)?;
            let mut change = subscriptions::ActiveModel {
                id: Unchanged(row.id),
                ends_at: Set(ends_at.fixed_offset()),
                updated_at: Set(now.fixed_offset()),
                ..Default::default()
            };
            if row.ends_at.to_utc() <= now {
                change.starts_at = Set(now.fixed_offset());
            }
            if subjects.is_some() {
                change.subjects = Set(subjects);
            }
            change.update(txn).await.map_err(db_error)?;
            Ok(row.id)
        }
        None => {
            let ends_at = now.checked_add_months(months).ok_or_else(overflow)?;
            subscriptions::ActiveModel {
                id: Set(extension.new_id),
                user_id: Set(extension.user_id),
                product_id: Set(extension.product_id),
                device_id: Set(extension.device_id.to_owned()),
                subjects: Set(subjects),
                starts_at: Set(now.fixed_offset()),
                ends_at: Set(ends_at.fixed_offset()),
                licence_key_hash: Set(extension.licence_key_hash.clone()),
                device_changed_at: Set(None),
                created_at: Set(now.fixed_offset()),
                updated_at: Set(now.fixed_offset()),
            }
            .insert(txn)
            .await
            .map_err(db_error)?;
            Ok(extension.new_id)
        }
    }
}

/// Takes `months` off the end of subscription `id` (not before its start),
/// in the caller's transaction: an order's fulfilment undone.
pub(crate) async fn shorten_in(
    txn: &DatabaseTransaction,
    id: Uuid,
    months: u32,
    now: DateTime<Utc>,
) -> DomainResult<bool> {
    let Some(row) = subscriptions::Entity::find_by_id(id)
        .lock(LockType::Update)
        .one(txn)
        .await
        .map_err(db_error)?
    else {
        return Ok(false);
    };
    let ends_at = row
        .ends_at
        .to_utc()
        .checked_sub_months(Months::new(months))
        .ok_or_else(|| DomainError::internal("subscription end out of range"))?
        .max(row.starts_at.to_utc());
    subscriptions::ActiveModel {
        id: Unchanged(row.id),
        ends_at: Set(ends_at.fixed_offset()),
        updated_at: Set(now.fixed_offset()),
        ..Default::default()
    }
    .update(txn)
    .await
    .map_err(db_error)?;
    Ok(true)
}

#[async_trait]
impl SubscriptionRepository for SeaSubscriptionRepository {
    #[tracing::instrument(skip(self, purchase), fields(user = %purchase.user_id, product = %purchase.product_id))]
    async fn purchase(&self, purchase: &Purchase) -> DomainResult<Purchased> {
        let now = purchase.now;
        let txn = self.db.begin_write().await?;
        let product = products::Entity::find_by_id(purchase.product_id)
            .lock(LockType::Share)
            .one(&txn)
            .await
            .map_err(db_error)?
            .ok_or(DomainError::NotFound)?;
        if !product.active {
            return Err(conflict("product.inactive"));
        }
        let total = product
            .monthly_price
            .checked_mul(i64::from(purchase.months.get()));
        if total != Some(purchase.total) {
            return Err(conflict("product.price_changed"));
        }
        // The user's row, held to the end: the user's purchases run one after
        // another from here, so the row of this product and device read next
        // is the one extended.
        if !exists::<users::Entity>(&txn, purchase.user_id, LockType::Update).await? {
            return Err(DomainError::NotFound);
        }
        let subscription_id = extend_in(
            &txn,
            &Extension {
                user_id: purchase.user_id,
                product_id: purchase.product_id,
                device_id: purchase.device_id.as_str(),
                months: purchase.months.get(),
                subjects: &purchase.subjects,
                new_id: purchase.subscription_id,
                licence_key_hash: product
                    .has_licence
                    .then(|| purchase.licence_key_hash.clone())
                    .flatten(),
                now,
            },
        )
        .await?;
        let applied = apply_change(
            &txn,
            &BalanceChange {
                entry_id: purchase.entry_id,
                user_id: purchase.user_id,
                amount: -purchase.total,
                kind: EntryKind::Purchase,
                note: Some(format!("{} — {} oy", product.name, purchase.months.get())),
                admin_id: None,
                reference: Some(format!("subscription:{subscription_id}")),
                at: now,
            },
        )
        .await?;
        let subscription = find(&txn, subscription_id)
            .await?
            .ok_or_else(|| DomainError::internal("subscription gone after its purchase"))?;
        txn.commit().await.map_err(db_error)?;
        Ok(Purchased {
            subscription,
            balance: applied.balance,
            entry_id: applied.entry.id,
        })
    }

    async fn of_user(&self, user_id: Uuid) -> DomainResult<Vec<Subscription>> {
        subscriptions::Entity::find()
            .filter(Column::UserId.eq(user_id))
            .find_also_related(products::Entity)
            .order_by_desc(Column::CreatedAt)
            .order_by_desc(Column::Id)
            .all(self.db.connection())
            .await
            .map_err(db_error)?
            .into_iter()
            .map(|(row, product)| subscription(row, product))
            .collect()
    }

    async fn get(&self, id: Uuid) -> DomainResult<Option<Subscription>> {
        find(self.db.connection(), id).await
    }

    #[tracing::instrument(skip(self, device_id))]
    async fn move_device(
        &self,
        user_id: Uuid,
        id: Uuid,
        device_id: &str,
        moved_before: DateTime<Utc>,
        now: DateTime<Utc>,
    ) -> DomainResult<Subscription> {
        let connection = self.db.connection();
        let moved = subscriptions::Entity::update_many()
            .col_expr(Column::DeviceId, Expr::value(device_id))
            .col_expr(Column::DeviceChangedAt, Expr::value(now.fixed_offset()))
            .col_expr(Column::UpdatedAt, Expr::value(now.fixed_offset()))
            .filter(Column::Id.eq(id))
            .filter(Column::UserId.eq(user_id))
            .filter(
                Condition::any()
                    .add(Column::DeviceChangedAt.is_null())
                    .add(Column::DeviceChangedAt.lte(moved_before.fixed_offset())),
            )
            .exec(connection)
            .await
            .map_err(device_error)?;
        let found = find(connection, id)
            .await?
            .filter(|s| s.user_id == user_id)
            .ok_or(DomainError::NotFound)?;
        if moved.rows_affected == 0 {
            return Err(conflict("subscription.device_change_too_soon"));
        }
        Ok(found)
    }

    #[tracing::instrument(skip(self, patch, audit))]
    async fn update(
        &self,
        id: Uuid,
        patch: &SubscriptionPatch,
        now: DateTime<Utc>,
        audit: &AuditEntry,
    ) -> DomainResult<Subscription> {
        let txn = self.db.begin_write().await?;
        let mut change = subscriptions::ActiveModel {
            id: Unchanged(id),
            updated_at: Set(now.fixed_offset()),
            ..Default::default()
        };
        if let Some(ends_at) = patch.ends_at {
            change.ends_at = Set(ends_at.fixed_offset());
        }
        if let Some(device_id) = &patch.device_id {
            change.device_id = Set(device_id.as_str().to_owned());
        }
        change.update(&txn).await.map_err(|error| match error {
            sea_orm::DbErr::RecordNotUpdated => DomainError::NotFound,
            other => device_error(other),
        })?;
        insert_entry(&txn, audit).await?;
        let found = find(&txn, id).await?.ok_or(DomainError::NotFound)?;
        txn.commit().await.map_err(db_error)?;
        Ok(found)
    }

    #[tracing::instrument(skip(self, audit))]
    async fn delete(&self, id: Uuid, audit: &AuditEntry) -> DomainResult<()> {
        let txn = self.db.begin_write().await?;
        let deleted = subscriptions::Entity::delete_by_id(id)
            .exec(&txn)
            .await
            .map_err(db_error)?;
        if deleted.rows_affected == 0 {
            return Err(DomainError::NotFound);
        }
        insert_entry(&txn, audit).await?;
        txn.commit().await.map_err(db_error)
    }

    async fn licence(
        &self,
        key_hash: &str,
        device_id: &str,
        now: DateTime<Utc>,
    ) -> DomainResult<Option<LicenceStatus>> {
        let found = subscriptions::Entity::find()
            .filter(Column::LicenceKeyHash.eq(key_hash))
            .find_also_related(products::Entity)
            .one(self.db.connection())
            .await
            .map_err(db_error)?;
        let Some((row, product)) = found else {
            return Ok(None);
        };
        let subscription = subscription(row, product)?;
        Ok(Some(LicenceStatus {
            active: subscription.is_active(now) && subscription.device_id == device_id,
            ends_at: subscription.ends_at,
            product_code: subscription.product_code,
        }))
    }
}
