//! `OrderRepository` on sea-orm: placing, listing, cancelling and completing
//! orders; completion in [`super::fulfil::complete_in`].

use super::fulfil::{complete_in, leave_pending};
use crate::audit::insert_entry;
use crate::database::{Database, db_error};
use crate::entities::{offerings, orders};
use async_trait::async_trait;
use bilim_domain::orders::{Completion, NewOrder, Order, OrderStatus};
use bilim_domain::ports::{AuditEntry, OrderRepository};
use bilim_domain::{DomainError, DomainResult};
use chrono::{DateTime, Utc};
use sea_orm::ActiveValue::Set;
use sea_orm::sea_query::LockType;
use sea_orm::{ActiveModelTrait, ColumnTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect};
use uuid::Uuid;

use orders::Column;

pub struct SeaOrderRepository {
    db: Database,
}

impl SeaOrderRepository {
    pub fn new(db: Database) -> Self {
        Self { db }
    }
}

#[async_trait]
impl OrderRepository for SeaOrderRepository {
    #[tracing::instrument(skip(self, order), fields(user = %order.user_id, offering = %order.offering_id))]
    async fn create(&self, order: &NewOrder) -> DomainResult<Order> {
        let txn = self.db.begin_write().await?;
        // Share-locked: an admin's price change or archiving waits.
        let offering = offerings::Entity::find_by_id(order.offering_id)
            .filter(offerings::Column::ArchivedAt.is_null())
            .lock(LockType::Share)
            .one(&txn)
            .await
            .map_err(db_error)?
            .ok_or(DomainError::NotFound)?;
        let at = order.now.fixed_offset();
        let row = orders::ActiveModel {
            id: Set(order.id),
            user_id: Set(order.user_id),
            offering_id: Set(offering.id),
            name: Set(offering.name),
            amount: Set(offering.price),
            kind: Set(offering.kind),
            course_id: Set(offering.course_id),
            product_id: Set(offering.product_id),
            months: Set(offering.months),
            device_id: Set(order.device_id.as_ref().map(|d| d.as_str().to_owned())),
            status: Set(OrderStatus::Pending.as_str().to_owned()),
            paid_via: Set(None),
            subscription_id: Set(None),
            completed_at: Set(None),
            cancelled_at: Set(None),
            refunded_at: Set(None),
            created_at: Set(at),
            updated_at: Set(at),
        }
        .insert(&txn)
        .await
        .map_err(db_error)?;
        txn.commit().await.map_err(db_error)?;
        Order::try_from(row)
    }

    async fn get(&self, id: Uuid) -> DomainResult<Option<Order>> {
        orders::Entity::find_by_id(id)
            .one(self.db.connection())
            .await
            .map_err(db_error)?
            .map(Order::try_from)
            .transpose()
    }

    async fn list(
        &self,
        user_id: Option<Uuid>,
        status: Option<OrderStatus>,
        before: Option<Uuid>,
        limit: u64,
    ) -> DomainResult<Vec<Order>> {
        let mut select = orders::Entity::find();
        if let Some(user_id) = user_id {
            select = select.filter(Column::UserId.eq(user_id));
        }
        if let Some(status) = status {
            select = select.filter(Column::Status.eq(status.as_str()));
        }
        if let Some(before) = before {
            select = select.filter(Column::Id.lt(before));
        }
        select
            .order_by_desc(Column::Id)
            .limit(limit)
            .all(self.db.connection())
            .await
            .map_err(db_error)?
            .into_iter()
            .map(Order::try_from)
            .collect()
    }

    #[tracing::instrument(skip(self, audit))]
    async fn cancel(
        &self,
        id: Uuid,
        owner: Option<Uuid>,
        now: DateTime<Utc>,
        audit: Option<&AuditEntry>,
    ) -> DomainResult<Order> {
        let txn = self.db.begin_write().await?;
        let row = leave_pending(&txn, id, owner, OrderStatus::Cancelled, None, now).await?;
        if let Some(audit) = audit {
            insert_entry(&txn, audit).await?;
        }
        txn.commit().await.map_err(db_error)?;
        Order::try_from(row)
    }

    #[tracing::instrument(skip(self, completion, audit), fields(via = completion.via.as_str()))]
    async fn complete(
        &self,
        id: Uuid,
        owner: Option<Uuid>,
        completion: &Completion,
        audit: Option<&AuditEntry>,
    ) -> DomainResult<Order> {
        let txn = self.db.begin_write().await?;
        let row = complete_in(&txn, id, owner, completion).await?;
        if let Some(audit) = audit {
            insert_entry(&txn, audit).await?;
        }
        txn.commit().await.map_err(db_error)?;
        Order::try_from(row)
    }
}
