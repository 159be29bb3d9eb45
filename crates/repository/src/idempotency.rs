//! `IdempotencyStore` on sea-orm (`idempotency_keys`): one row per caller
//! and key, claimed by an insert that the primary key lets exactly one
//! concurrent request make, answered once the work is done, released when it
//! did nothing. In the database, so every instance sees it and it survives
//! restarts.

use crate::database::{Database, db_error};
use crate::entities::idempotency_keys::{self, Column};
use async_trait::async_trait;
use bilim_domain::DomainResult;
use bilim_domain::idempotency::{KeyClaim, StoredAnswer};
use bilim_domain::ports::IdempotencyStore;
use chrono::{DateTime, Utc};
use sea_orm::ActiveValue::Set;
use sea_orm::sea_query::{Expr, OnConflict};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};

pub struct SeaIdempotencyStore {
    db: Database,
}

impl SeaIdempotencyStore {
    pub fn new(db: Database) -> Self {
        Self { db }
    }

    fn of(caller: &str, key: &str) -> sea_orm::Condition {
        sea_orm::Condition::all()
            .add(Column::Caller.eq(caller))
            .add(Column::Key.eq(key))
    }
}

#[async_trait]
impl IdempotencyStore for SeaIdempotencyStore {
    #[tracing::instrument(skip(self, fingerprint))]
    async fn claim(
        &self,
        caller: &str,
        key: &str,
        fingerprint: &str,
        now: DateTime<Utc>,
        expires_at: DateTime<Utc>,
    ) -> DomainResult<KeyClaim> {
        let connection = self.db.connection();
        // A row released between two of these steps: look again (twice at most).
        for _ in 0..3 {
            let row = idempotency_keys::ActiveModel {
                caller: Set(caller.to_owned()),
                key: Set(key.to_owned()),
                fingerprint: Set(fingerprint.to_owned()),
                status: Set(None),
                response: Set(None),
                created_at: Set(now.fixed_offset()),
                expires_at: Set(expires_at.fixed_offset()),
            };
            let inserted = idempotency_keys::Entity::insert(row)
                .on_conflict(
                    OnConflict::columns([Column::Caller, Column::Key])
                        .do_nothing()
                        .to_owned(),
                )
                .exec_without_returning(connection)
                .await
                .map_err(db_error)?;
            if inserted == 1 {
                return Ok(KeyClaim::Claimed);
            }
            // An expired use: taken over by one conditional update.
            let taken = idempotency_keys::Entity::update_many()
                .col_expr(Column::Fingerprint, Expr::value(fingerprint))
                .col_expr(Column::Status, Expr::value(Option::<i16>::None))
                .col_expr(Column::Response, Expr::value(Option::<String>::None))
                .col_expr(Column::CreatedAt, Expr::value(now.fixed_offset()))
                .col_expr(Column::ExpiresAt, Expr::value(expires_at.fixed_offset()))
                .filter(Self::of(caller, key))
                .filter(Column::ExpiresAt.lte(now.fixed_offset()))
                .exec(connection)
                .await
                .map_err(db_error)?;
            if taken.rows_affected == 1 {
                return Ok(KeyClaim::Claimed);
            }
            let Some(found) = idempotency_keys::Entity::find()
                .filter(Self::of(caller, key))
                .one(connection)
                .await
                .map_err(db_error)?
            else {
                continue;
            };
            if found.fingerprint != fingerprint {
                return Ok(KeyClaim::Mismatch);
            }
            return Ok(match (found.status, found.response) {
                (Some(status), Some(body)) => KeyClaim::Answered(StoredAnswer {
                    status: u16::try_from(status).unwrap_or(500),
                    body,
                }),
                _ => KeyClaim::InProgress,
            });
        }
        Ok(KeyClaim::InProgress)
    }

    async fn answer(&self, caller: &str, key: &str, answer: &StoredAnswer) -> DomainResult<()> {
        idempotency_keys::Entity::update_many()
            .col_expr(Column::Status, Expr::value(answer.status as i16))
            .col_expr(Column::Response, Expr::value(answer.body.clone()))
            .filter(Self::of(caller, key))
            .exec(self.db.connection())
            .await
            .map_err(db_error)?;
        Ok(())
    }

    async fn release(&self, caller: &str, key: &str) -> DomainResult<()> {
        idempotency_keys::Entity::delete_many()
            .filter(Self::of(caller, key))
            .filter(Column::Status.is_null())
            .exec(self.db.connection())
            .await
            .map_err(db_error)?;
        Ok(())
    }
}
