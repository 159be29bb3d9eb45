//! `AdminRepository` on sea-orm. An admin created by another is inserted in
//! one `begin_write` transaction with its audit entry.

mod mapping;

use crate::audit::insert_entry;
use crate::database::{Database, db_error};
use crate::entities::admins::{self, Column};
use async_trait::async_trait;
use bilim_domain::admins::{Admin, AdminChanges, AdminRole, NewAdmin};
use bilim_domain::ports::{AdminRepository, AuditEntry};
use bilim_domain::{DomainError, DomainResult};
use chrono::{DateTime, Utc};
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, Condition, DbErr, EntityTrait, ExprTrait, PaginatorTrait,
    QueryFilter, QueryOrder, QuerySelect,
};
use uuid::Uuid;

pub struct SeaAdminRepository {
    db: Database,
}

impl SeaAdminRepository {
    pub fn new(db: Database) -> Self {
        Self { db }
    }
}

/// Names the unique constraint a new admin broke: `admins_username_key` /
/// `admins_email_key` on PostgreSQL, `admins.username` / `admins.email` in
/// SQLite's message. The driver's text itself never leaves this function.
fn insert_error(error: DbErr) -> DomainError {
    match db_error(error) {
        DomainError::Conflict { what } => {
            let what = if what.contains("username") {
                "username"
            } else if what.contains("email") {
                "email"
            } else {
                "admin"
            };
            DomainError::Conflict {
                what: what.to_owned(),
            }
        }
        other => other,
    }
}

#[async_trait]
impl AdminRepository for SeaAdminRepository {
    /// The entry goes after the row: it may name the new admin, and its
    /// `admin_id` must exist.
    #[tracing::instrument(skip(self, admin, audit), fields(admin.id = %admin.id))]
    async fn insert(&self, admin: NewAdmin, audit: Option<&AuditEntry>) -> DomainResult<Admin> {
        let txn = self.db.begin_write().await?;
        let row = admins::ActiveModel::from(&admin)
            .insert(&txn)
            .await
            .map_err(insert_error)?;
        if let Some(entry) = audit {
            insert_entry(&txn, entry).await?;
        }
        txn.commit().await.map_err(db_error)?;
        Admin::try_from(row)
    }

    #[tracing::instrument(skip(self))]
    async fn find_by_id(&self, id: Uuid) -> DomainResult<Option<Admin>> {
        let row = admins::Entity::find_by_id(id)
            .one(self.db.connection())
            .await
            .map_err(db_error)?;
        row.map(Admin::try_from).transpose()
    }

    /// A username never contains `@` and both columns are unique, so at most one
    /// admin matches.
    #[tracing::instrument(skip(self, login))]
    async fn find_by_login(&self, login: &str) -> DomainResult<Option<Admin>> {
        let row = admins::Entity::find()
            .filter(
                Condition::any()
                    .add(Column::Username.eq(login))
                    .add(Column::Email.eq(login)),
            )
            .one(self.db.connection())
            .await
            .map_err(db_error)?;
        row.map(Admin::try_from).transpose()
    }

    #[tracing::instrument(skip(self))]
    async fn list(&self, after: Option<Uuid>, limit: u64) -> DomainResult<Vec<Admin>> {
        if limit == 0 {
            return Ok(Vec::new());
        }
        let mut select = admins::Entity::find();
        if let Some(after) = after {
            select = select.filter(Column::Id.lt(after));
        }
        let rows = select
            .order_by_desc(Column::Id)
            .limit(limit)
            .all(self.db.connection())
            .await
            .map_err(db_error)?;
        rows.into_iter().map(Admin::try_from).collect()
    }

    /// A `COUNT(*)`: admins are a handful of rows.
    #[tracing::instrument(skip(self))]
    async fn count(&self) -> DomainResult<u64> {
        admins::Entity::find()
            .count(self.db.connection())
            .await
            .map_err(db_error)
    }

    /// Leaves `updated_at` alone: a login is not a change to the account.
    #[tracing::instrument(skip(self))]
    async fn record_login(&self, id: Uuid, at: DateTime<Utc>) -> DomainResult<()> {
        let result = admins::Entity::update_many()
            .col_expr(Column::LastLoginAt, Expr::value(at.fixed_offset()))
            .filter(Column::Id.eq(id))
            .exec(self.db.connection())
            .await
            .map_err(db_error)?;
        if result.rows_affected == 0 {
            return Err(DomainError::NotFound);
        }
        Ok(())
    }

    /// Locks the active super admins first (`FOR UPDATE`; SQLite's `BEGIN
    /// IMMEDIATE` serialises writers), changes the row, then counts the
    /// active super admins left: none, and the transaction is dropped.
    #[tracing::instrument(skip(self, audit))]
    async fn update(
        &self,
        id: Uuid,
        changes: AdminChanges,
        now: DateTime<Utc>,
        audit: &AuditEntry,
    ) -> DomainResult<Admin> {
        let txn = self.db.begin_write().await?;
        let active_supers = || {
            admins::Entity::find()
                .filter(Column::Role.eq(AdminRole::Super.as_str()))
                .filter(Column::Active.eq(true))
        };
        active_supers()
            .lock_exclusive()
            .all(&txn)
            .await
            .map_err(db_error)?;
        let mut update = admins::Entity::update_many()
            .col_expr(Column::UpdatedAt, Expr::value(now.fixed_offset()));
        if let Some(role) = changes.role {
            update = update.col_expr(Column::Role, Expr::value(role.as_str()));
        }
        if let Some(active) = changes.active {
            update = update.col_expr(Column::Active, Expr::value(active));
            if !active {
                update =
                    update.col_expr(Column::TokenVersion, Expr::col(Column::TokenVersion).add(1));
            }
        }
        if let Some(tg_id) = changes.tg_id {
            update = update.col_expr(Column::TgId, Expr::value(tg_id));
        }
        let changed = update
            .filter(Column::Id.eq(id))
            .exec(&txn)
            .await
            .map_err(db_error)?
            .rows_affected;
        if changed == 0 {
            return Err(DomainError::NotFound);
        }
        if active_supers().count(&txn).await.map_err(db_error)? == 0 {
            return Err(DomainError::Conflict {
                what: "last_super".to_owned(),
            });
        }
        let row = admins::Entity::find_by_id(id)
            .one(&txn)
            .await
            .map_err(db_error)?
            .ok_or(DomainError::NotFound)?;
        insert_entry(&txn, audit).await?;
        txn.commit().await.map_err(db_error)?;
        Admin::try_from(row)
    }
}
