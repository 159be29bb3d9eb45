//! `UserRepository` on sea-orm. Token-version raises are single `UPDATE`s
//! (`token_version = token_version + 1`), never read-modify-write.
//!
//! Two derived values are kept in step by every write here: `user_totals` (in the
//! same transaction as an insert or a real change of `active`) and
//! `users.search_text` (whenever a name or the phone changes).
//!
//! An admin's change of the role and `active` (`update_account`) is one
//! `begin_write` transaction with its audit entry.

mod mapping;

pub(crate) use mapping::search_text;

use crate::audit::insert_entry;
use crate::database::{Database, db_error};
use crate::directory::add_to_totals;
use crate::entities::users::{self, Column};
use async_trait::async_trait;
use bilim_domain::ports::{AuditEntry, UserRepository};
use bilim_domain::users::{
    AccountChanges, NewUser, ProfileChanges, SEEN_WRITE_INTERVAL_SECONDS, School, User,
};
use bilim_domain::{DomainError, DomainResult};
use chrono::{DateTime, Utc};
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, Condition, DatabaseTransaction, DbErr, EntityTrait, ExprTrait,
    QueryFilter, QuerySelect, UpdateMany,
};
use uuid::Uuid;

pub struct SeaUserRepository {
    db: Database,
}

impl SeaUserRepository {
    pub fn new(db: Database) -> Self {
        Self { db }
    }

    /// Runs an update of the one user `id`; `NotFound` when no row matched.
    async fn update_one(&self, id: Uuid, update: UpdateMany<users::Entity>) -> DomainResult<()> {
        let result = update
            .filter(Column::Id.eq(id))
            .exec(self.db.connection())
            .await
            .map_err(db_error)?;
        if result.rows_affected == 0 {
            return Err(DomainError::NotFound);
        }
        Ok(())
    }
}

/// Names the unique constraint a row broke (`users_email_key`,
/// `users_username_key`, `users_tg_id_key` on PostgreSQL; `users.email`, …
/// in SQLite's message); the driver's text never leaves this function.
pub(crate) fn insert_error(error: DbErr) -> DomainError {
    match db_error(error) {
        DomainError::Conflict { what } => {
            let what = ["username", "tg_id", "email"]
                .into_iter()
                .find(|column| what.contains(column))
                .unwrap_or("user");
            DomainError::Conflict {
                what: what.to_owned(),
            }
        }
        other => other,
    }
}

/// Inserts a new user's row in `txn` and counts it in the totals (new users
/// are active).
pub(crate) async fn insert_row(
    txn: &DatabaseTransaction,
    row: users::ActiveModel,
) -> DomainResult<users::Model> {
    let row = row.insert(txn).await.map_err(insert_error)?;
    add_to_totals(txn, 1, 0).await?;
    Ok(row)
}

fn raise_token_version() -> Expr {
    Expr::col(Column::TokenVersion).add(1)
}

/// Changes the row only when `active` really changes (a conditional `UPDATE
/// … WHERE active = <old>`), and then the totals in the same transaction, so
/// repeated or concurrent calls count once. Setting the value the user
/// already has is a no-op: nothing is written, no token version is raised.
/// `NotFound` when the user does not exist.
async fn change_active(
    txn: &DatabaseTransaction,
    id: Uuid,
    active: bool,
    now: DateTime<Utc>,
) -> DomainResult<()> {
    let mut update = users::Entity::update_many()
        .col_expr(Column::Active, Expr::value(active))
        .col_expr(Column::UpdatedAt, Expr::value(now.fixed_offset()));
    if !active {
        update = update.col_expr(Column::TokenVersion, raise_token_version());
    }
    let changed = update
        .filter(Column::Id.eq(id))
        .filter(Column::Active.eq(!active))
        .exec(txn)
        .await
        .map_err(db_error)?
        .rows_affected;
    if changed == 0 {
        let exists = users::Entity::find_by_id(id)
            .select_only()
            .column(Column::Id)
            .into_tuple::<Uuid>()
            .one(txn)
            .await
            .map_err(db_error)?
            .is_some();
        return if exists {
            Ok(())
        } else {
            Err(DomainError::NotFound)
        };
    }
    let delta = if active { 1 } else { -1 };
    add_to_totals(txn, delta, -delta).await
}

#[async_trait]
impl UserRepository for SeaUserRepository {
    #[tracing::instrument(skip(self, user), fields(user.id = %user.id))]
    async fn insert(&self, user: NewUser) -> DomainResult<User> {
        let txn = self.db.begin_write().await?;
        let row = insert_row(&txn, users::ActiveModel::from(&user)).await?;
        txn.commit().await.map_err(db_error)?;
        User::try_from(row)
    }

    #[tracing::instrument(skip(self))]
    async fn find_by_id(&self, id: Uuid) -> DomainResult<Option<User>> {
        let row = users::Entity::find_by_id(id)
            .one(self.db.connection())
            .await
            .map_err(db_error)?;
        row.map(User::try_from).transpose()
    }

    #[tracing::instrument(skip(self, email))]
    async fn find_by_email(&self, email: &str) -> DomainResult<Option<User>> {
        let row = users::Entity::find()
            .filter(Column::Email.eq(email))
            .one(self.db.connection())
            .await
            .map_err(db_error)?;
        row.map(User::try_from).transpose()
    }

    #[tracing::instrument(skip(self, school))]
    async fn set_school(
        &self,
        id: Uuid,
        school: &School,
        now: DateTime<Utc>,
    ) -> DomainResult<User> {
        let connection = self.db.connection();
        let result = users::Entity::update_many()
            .col_expr(Column::SchoolRegion, Expr::value(school.region.code()))
            .col_expr(
                Column::SchoolDistrict,
                Expr::value(school.district.as_str()),
            )
            .col_expr(Column::SchoolNumber, Expr::value(school.number.as_str()))
            .col_expr(Column::UpdatedAt, Expr::value(now.fixed_offset()))
            .filter(Column::Id.eq(id))
            .exec(connection)
            .await
            .map_err(db_error)?;
        if result.rows_affected == 0 {
            return Err(DomainError::NotFound);
        }
        self.find_by_id(id).await?.ok_or(DomainError::NotFound)
    }

    #[tracing::instrument(skip(self, changes))]
    async fn update_profile(
        &self,
        id: Uuid,
        changes: ProfileChanges,
        now: DateTime<Utc>,
    ) -> DomainResult<User> {
        let txn = self.db.begin_write().await?;
        let result = users::Entity::update_many()
            .set(mapping::profile_update(changes, now))
            .filter(Column::Id.eq(id))
            .exec(&txn)
            .await
            .map_err(insert_error)?;
        if result.rows_affected == 0 {
            return Err(DomainError::NotFound);
        }
        let mut row = users::Entity::find_by_id(id)
            .one(&txn)
            .await
            .map_err(db_error)?
            .ok_or(DomainError::NotFound)?;
        let search_text = mapping::search_text_of(&row);
        if row.search_text != search_text {
            users::Entity::update_many()
                .col_expr(Column::SearchText, Expr::value(search_text.as_str()))
                .filter(Column::Id.eq(id))
                .exec(&txn)
                .await
                .map_err(db_error)?;
            row.search_text = search_text;
        }
        txn.commit().await.map_err(db_error)?;
        User::try_from(row)
    }

    #[tracing::instrument(skip(self, password_hash))]
    async fn set_password(
        &self,
        id: Uuid,
        password_hash: &str,
        now: DateTime<Utc>,
    ) -> DomainResult<()> {
        let update = users::Entity::update_many()
            .col_expr(Column::PasswordHash, Expr::value(password_hash))
            .col_expr(Column::TokenVersion, raise_token_version())
            .col_expr(Column::UpdatedAt, Expr::value(now.fixed_offset()));
        self.update_one(id, update).await
    }

    #[tracing::instrument(skip(self))]
    async fn set_avatar(
        &self,
        id: Uuid,
        avatar_key: &str,
        now: DateTime<Utc>,
    ) -> DomainResult<Option<String>> {
        let txn = self.db.begin_write().await?;
        // FOR UPDATE on PostgreSQL; SQLite has no row locks, BEGIN IMMEDIATE serialises.
        let previous = users::Entity::find_by_id(id)
            .lock_exclusive()
            .one(&txn)
            .await
            .map_err(db_error)?
            .ok_or(DomainError::NotFound)?
            .avatar_key;
        users::Entity::update_many()
            .col_expr(Column::AvatarKey, Expr::value(avatar_key))
            .col_expr(Column::UpdatedAt, Expr::value(now.fixed_offset()))
            .filter(Column::Id.eq(id))
            .exec(&txn)
            .await
            .map_err(db_error)?;
        txn.commit().await.map_err(db_error)?;
        Ok(previous)
    }

    #[tracing::instrument(skip(self))]
    async fn bump_token_version(&self, id: Uuid, now: DateTime<Utc>) -> DomainResult<()> {
        let update = users::Entity::update_many()
            .col_expr(Column::TokenVersion, raise_token_version())
            .col_expr(Column::UpdatedAt, Expr::value(now.fixed_offset()));
        self.update_one(id, update).await
    }

    /// See `change_active`: a no-op when `active` is already the value.
    #[tracing::instrument(skip(self))]
    async fn set_active(&self, id: Uuid, active: bool, now: DateTime<Utc>) -> DomainResult<()> {
        let txn = self.db.begin_write().await?;
        change_active(&txn, id, active, now).await?;
        txn.commit().await.map_err(db_error)
    }

    /// The role, then `active` (`change_active`), then the entry, then the
    /// row as it now is, all in one transaction: an error anywhere leaves
    /// nothing written.
    #[tracing::instrument(skip(self, audit))]
    async fn update_account(
        &self,
        id: Uuid,
        changes: AccountChanges,
        now: DateTime<Utc>,
        audit: &AuditEntry,
    ) -> DomainResult<User> {
        let txn = self.db.begin_write().await?;
        if let Some(role) = changes.role {
            let result = users::Entity::update_many()
                .col_expr(Column::Role, Expr::value(role.as_str()))
                .col_expr(Column::UpdatedAt, Expr::value(now.fixed_offset()))
                .filter(Column::Id.eq(id))
                .exec(&txn)
                .await
                .map_err(db_error)?;
            if result.rows_affected == 0 {
                return Err(DomainError::NotFound);
            }
        }
        if let Some(active) = changes.active {
            change_active(&txn, id, active, now).await?;
        }
        let row = users::Entity::find_by_id(id)
            .one(&txn)
            .await
            .map_err(db_error)?
            .ok_or(DomainError::NotFound)?;
        insert_entry(&txn, audit).await?;
        txn.commit().await.map_err(db_error)?;
        User::try_from(row)
    }

    /// Leaves `updated_at` alone: a login is not a change to the account.
    #[tracing::instrument(skip(self))]
    async fn record_login(&self, id: Uuid, at: DateTime<Utc>) -> DomainResult<()> {
        let update = users::Entity::update_many()
            .col_expr(Column::LastLoginAt, Expr::value(at.fixed_offset()));
        self.update_one(id, update).await
    }

    #[tracing::instrument(skip(self, username))]
    async fn find_by_username(&self, username: &str) -> DomainResult<Option<User>> {
        let row = users::Entity::find()
            .filter(Column::Username.eq(username))
            .one(self.db.connection())
            .await
            .map_err(db_error)?;
        row.map(User::try_from).transpose()
    }

    /// One conditional `UPDATE`: a row seen within the interval is left alone,
    /// so concurrent requests write once. Not a change to the account.
    #[tracing::instrument(skip(self))]
    async fn record_seen(&self, id: Uuid, now: DateTime<Utc>) -> DomainResult<()> {
        let stale_before = now - chrono::Duration::seconds(SEEN_WRITE_INTERVAL_SECONDS);
        users::Entity::update_many()
            .col_expr(Column::LastSeenAt, Expr::value(now.fixed_offset()))
            .filter(Column::Id.eq(id))
            .filter(
                Condition::any()
                    .add(Column::LastSeenAt.is_null())
                    .add(Column::LastSeenAt.lte(stale_before.fixed_offset())),
            )
            .exec(self.db.connection())
            .await
            .map_err(db_error)?;
        Ok(())
    }

    #[tracing::instrument(skip(self))]
    async fn mark_email_verified(&self, id: Uuid, at: DateTime<Utc>) -> DomainResult<()> {
        users::Entity::update_many()
            .col_expr(Column::EmailVerifiedAt, Expr::value(at.fixed_offset()))
            .col_expr(Column::UpdatedAt, Expr::value(at.fixed_offset()))
            .filter(Column::Id.eq(id))
            .filter(Column::EmailVerifiedAt.is_null())
            .exec(self.db.connection())
            .await
            .map_err(db_error)?;
        Ok(())
    }
}
