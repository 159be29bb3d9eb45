//! `ProductRepository` on sea-orm: the products of document 002, and the
//! admins' changes to them, each with its audit entry in one transaction.

use super::mapping::{new_product, product_patch};
use crate::audit::insert_entry;
use crate::database::{Database, db_error};
use crate::entities::products::{self, Column};
use async_trait::async_trait;
use bilim_domain::ports::{AuditEntry, ProductRepository};
use bilim_domain::shop::{NewProduct, Product, ProductPatch};
use bilim_domain::{DomainError, DomainResult};
use chrono::{DateTime, Utc};
use sea_orm::{ActiveModelTrait, EntityTrait, QueryOrder};
use uuid::Uuid;

pub struct SeaProductRepository {
    db: Database,
}

impl SeaProductRepository {
    pub fn new(db: Database) -> Self {
        Self { db }
    }
}

#[async_trait]
impl ProductRepository for SeaProductRepository {
    async fn list(&self) -> DomainResult<Vec<Product>> {
        let rows = products::Entity::find()
            .order_by_asc(Column::Code)
            .all(self.db.connection())
            .await
            .map_err(db_error)?;
        Ok(rows.into_iter().map(Product::from).collect())
    }

    async fn get(&self, id: Uuid) -> DomainResult<Option<Product>> {
        let row = products::Entity::find_by_id(id)
            .one(self.db.connection())
            .await
            .map_err(db_error)?;
        Ok(row.map(Product::from))
    }

    #[tracing::instrument(skip(self, product, audit))]
    async fn create(
        &self,
        id: Uuid,
        product: &NewProduct,
        now: DateTime<Utc>,
        audit: &AuditEntry,
    ) -> DomainResult<Product> {
        let txn = self.db.begin_write().await?;
        let row =
            new_product(id, product, now)
                .insert(&txn)
                .await
                .map_err(|error| match db_error(error) {
                    DomainError::Conflict { .. } => DomainError::Conflict {
                        what: "product.code_taken".to_owned(),
                    },
                    other => other,
                })?;
        insert_entry(&txn, audit).await?;
        txn.commit().await.map_err(db_error)?;
        Ok(Product::from(row))
    }

    #[tracing::instrument(skip(self, patch, audit))]
    async fn update(
        &self,
        id: Uuid,
        patch: &ProductPatch,
        now: DateTime<Utc>,
        audit: &AuditEntry,
    ) -> DomainResult<Product> {
        let txn = self.db.begin_write().await?;
        let row =
            product_patch(id, patch, now)
                .update(&txn)
                .await
                .map_err(|error| match error {
                    sea_orm::DbErr::RecordNotUpdated => DomainError::NotFound,
                    other => db_error(other),
                })?;
        insert_entry(&txn, audit).await?;
        txn.commit().await.map_err(db_error)?;
        Ok(Product::from(row))
    }
}
