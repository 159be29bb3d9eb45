//! `PreRegistrationRepository` on sea-orm. One row per Telegram id (an upsert
//! replaces the token); registering deletes the row and inserts the user in
//! one `begin_write` transaction, so a token makes one account at most: a
//! second registration's `DELETE` finds nothing (on PostgreSQL it waits for
//! the first transaction's row lock, then sees the row gone).

use crate::database::{Database, db_error};
use crate::entities::telegram_pre_registrations::{self as rows, Column};
use crate::entities::users;
use crate::users::insert_row;
use async_trait::async_trait;
use bilim_domain::ports::PreRegistrationRepository;
use bilim_domain::telegram::{NewPreRegistration, TelegramSignup};
use bilim_domain::users::User;
use bilim_domain::{DomainError, DomainResult};
use chrono::{DateTime, Utc};
use sea_orm::ActiveValue::Set;
use sea_orm::sea_query::OnConflict;
use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter};

pub struct SeaPreRegistrationRepository {
    db: Database,
}

impl SeaPreRegistrationRepository {
    pub fn new(db: Database) -> Self {
        Self { db }
    }
}

#[async_trait]
impl PreRegistrationRepository for SeaPreRegistrationRepository {
    /// One `INSERT … ON CONFLICT (tg_id) DO UPDATE`: concurrent requests for
    /// one Telegram id leave one row, holding the last token written.
    #[tracing::instrument(skip(self, pre), fields(tg_id = pre.tg_id.get()))]
    async fn replace(&self, pre: NewPreRegistration) -> DomainResult<()> {
        let row = rows::ActiveModel {
            id: Set(pre.id),
            tg_id: Set(pre.tg_id.get()),
            phone: Set(pre.phone.as_str().to_owned()),
            token_hash: Set(pre.token_hash),
            expires_at: Set(pre.expires_at.fixed_offset()),
            created_at: Set(pre.now.fixed_offset()),
        };
        rows::Entity::insert(row)
            .on_conflict(
                OnConflict::column(Column::TgId)
                    .update_columns([
                        Column::Phone,
                        Column::TokenHash,
                        Column::ExpiresAt,
                        Column::CreatedAt,
                    ])
                    .to_owned(),
            )
            .exec_without_returning(self.db.connection())
            .await
            .map_err(db_error)?;
        Ok(())
    }

    #[tracing::instrument(skip_all)]
    async fn is_live(&self, token_hash: &str, now: DateTime<Utc>) -> DomainResult<bool> {
        let count = rows::Entity::find()
            .filter(Column::TokenHash.eq(token_hash))
            .filter(Column::ExpiresAt.gt(now.fixed_offset()))
            .count(self.db.connection())
            .await
            .map_err(db_error)?;
        Ok(count > 0)
    }

    #[tracing::instrument(skip_all)]
    async fn register(&self, signup: TelegramSignup, now: DateTime<Utc>) -> DomainResult<User> {
        let txn = self.db.begin_write().await?;
        let pre = rows::Entity::find()
            .filter(Column::TokenHash.eq(signup.token_hash.as_str()))
            .filter(Column::ExpiresAt.gt(now.fixed_offset()))
            .one(&txn)
            .await
            .map_err(db_error)?
            .ok_or(DomainError::NotFound)?;
        let deleted = rows::Entity::delete_many()
            .filter(Column::Id.eq(pre.id))
            .filter(Column::TokenHash.eq(signup.token_hash.as_str()))
            .exec(&txn)
            .await
            .map_err(db_error)?
            .rows_affected;
        if deleted == 0 {
            // Another registration consumed (or a new /start replaced) it first.
            return Err(DomainError::NotFound);
        }
        let mut row = users::ActiveModel::from(&signup.user);
        row.phone = Set(Some(pre.phone.clone()));
        row.tg_id = Set(Some(pre.tg_id));
        row.username = Set(Some(signup.username.as_str().to_owned()));
        row.sex = Set(Some(signup.sex.as_str().to_owned()));
        row.search_text = Set(crate::users::search_text(
            signup.user.first_name.as_str(),
            signup.user.last_name.as_str(),
            signup.user.email.as_str(),
            Some(&pre.phone),
        ));
        let row = insert_row(&txn, row).await?;
        txn.commit().await.map_err(db_error)?;
        User::try_from(row)
    }
}
