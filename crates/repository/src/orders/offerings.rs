//! `OfferingRepository` on sea-orm: admins' changes, each with its audit
//! entry in one transaction. An offering with orders is archived, not deleted.

use crate::audit::insert_entry;
use crate::catalogue::exists;
use crate::database::{Database, db_error};
use crate::entities::offerings::{self, Column};
use crate::entities::{courses, orders, products};
use async_trait::async_trait;
use bilim_domain::orders::{NewOffering, Offering, OfferingPatch, OfferingTerms, Removal};
use bilim_domain::ports::{AuditEntry, OfferingRepository};
use bilim_domain::{DomainError, DomainResult};
use chrono::{DateTime, Utc};
use sea_orm::ActiveValue::{Set, Unchanged};
use sea_orm::sea_query::LockType;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, DatabaseTransaction, EntityTrait, PaginatorTrait, QueryFilter,
    QueryOrder, QuerySelect,
};
use uuid::Uuid;

pub struct SeaOfferingRepository {
    db: Database,
}

impl SeaOfferingRepository {
    pub fn new(db: Database) -> Self {
        Self { db }
    }
}

fn conflict(what: &str) -> DomainError {
    DomainError::Conflict {
        what: what.to_owned(),
    }
}

/// The live (not archived) offering, locked for the change.
async fn live(txn: &DatabaseTransaction, id: Uuid) -> DomainResult<offerings::Model> {
    offerings::Entity::find_by_id(id)
        .filter(Column::ArchivedAt.is_null())
        .lock(LockType::Update)
        .one(txn)
        .await
        .map_err(db_error)?
        .ok_or(DomainError::NotFound)
}

#[async_trait]
impl OfferingRepository for SeaOfferingRepository {
    async fn list(&self, archived_too: bool) -> DomainResult<Vec<Offering>> {
        let mut select = offerings::Entity::find();
        if !archived_too {
            select = select.filter(Column::ArchivedAt.is_null());
        }
        select
            .order_by_desc(Column::Id)
            .limit(500)
            .all(self.db.connection())
            .await
            .map_err(db_error)?
            .into_iter()
            .map(Offering::try_from)
            .collect()
    }

    async fn get(&self, id: Uuid) -> DomainResult<Option<Offering>> {
        offerings::Entity::find_by_id(id)
            .one(self.db.connection())
            .await
            .map_err(db_error)?
            .map(Offering::try_from)
            .transpose()
    }

    #[tracing::instrument(skip(self, offering, audit))]
    async fn create(
        &self,
        id: Uuid,
        offering: &NewOffering,
        now: DateTime<Utc>,
        audit: &AuditEntry,
    ) -> DomainResult<Offering> {
        let txn = self.db.begin_write().await?;
        match offering.terms {
            OfferingTerms::CourseAccess { course_id, .. } => {
                if !exists::<courses::Entity>(&txn, course_id, LockType::Share).await? {
                    return Err(conflict("offering.course_not_found"));
                }
            }
            OfferingTerms::Product { product_id, .. } => {
                if !exists::<products::Entity>(&txn, product_id, LockType::Share).await? {
                    return Err(conflict("offering.product_not_found"));
                }
            }
            OfferingTerms::Custom => {}
        }
        let at = now.fixed_offset();
        let row = offerings::ActiveModel {
            id: Set(id),
            name: Set(offering.name.as_str().to_owned()),
            description: Set(offering.description.as_str().to_owned()),
            price: Set(offering.price.get()),
            kind: Set(offering.terms.kind().as_str().to_owned()),
            course_id: Set(offering.terms.course_id()),
            product_id: Set(offering.terms.product_id()),
            months: Set(offering.terms.months().map(|m| m.as_i32())),
            archived_at: Set(None),
            created_at: Set(at),
            updated_at: Set(at),
        }
        .insert(&txn)
        .await
        .map_err(db_error)?;
        insert_entry(&txn, audit).await?;
        txn.commit().await.map_err(db_error)?;
        Offering::try_from(row)
    }

    #[tracing::instrument(skip(self, patch, audit))]
    async fn update(
        &self,
        id: Uuid,
        patch: &OfferingPatch,
        now: DateTime<Utc>,
        audit: &AuditEntry,
    ) -> DomainResult<Offering> {
        let txn = self.db.begin_write().await?;
        let current = live(&txn, id).await?;
        if patch.months.is_some() && current.months.is_none() {
            return Err(conflict("offering.months_not_allowed"));
        }
        let mut change = offerings::ActiveModel {
            id: Unchanged(id),
            updated_at: Set(now.fixed_offset()),
            ..Default::default()
        };
        if let Some(name) = &patch.name {
            change.name = Set(name.as_str().to_owned());
        }
        if let Some(description) = &patch.description {
            change.description = Set(description.as_str().to_owned());
        }
        if let Some(price) = patch.price {
            change.price = Set(price.get());
        }
        if let Some(months) = patch.months {
            change.months = Set(Some(months.as_i32()));
        }
        let row = change.update(&txn).await.map_err(db_error)?;
        insert_entry(&txn, audit).await?;
        txn.commit().await.map_err(db_error)?;
        Offering::try_from(row)
    }

    #[tracing::instrument(skip(self, audit))]
    async fn remove(
        &self,
        id: Uuid,
        now: DateTime<Utc>,
        audit: &AuditEntry,
    ) -> DomainResult<Removal> {
        let txn = self.db.begin_write().await?;
        live(&txn, id).await?;
        let ordered = orders::Entity::find()
            .filter(orders::Column::OfferingId.eq(id))
            .count(&txn)
            .await
            .map_err(db_error)?;
        let removal = if ordered > 0 {
            offerings::ActiveModel {
                id: Unchanged(id),
                archived_at: Set(Some(now.fixed_offset())),
                updated_at: Set(now.fixed_offset()),
                ..Default::default()
            }
            .update(&txn)
            .await
            .map_err(db_error)?;
            Removal::Archived
        } else {
            offerings::Entity::delete_by_id(id)
                .exec(&txn)
                .await
                .map_err(db_error)?;
            Removal::Deleted
        };
        insert_entry(&txn, audit).await?;
        txn.commit().await.map_err(db_error)?;
        Ok(removal)
    }
}
