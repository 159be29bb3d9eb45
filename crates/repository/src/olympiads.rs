//! `OlympiadRepository` on sea-orm.
//!
//! A registration is one transaction: `UPDATE olympiads SET registered =
//! registered + 1 WHERE id = :id AND registered < capacity AND
//! registration_ends_at > :now`, then the registration row (its primary key
//! refuses a second one, and the rollback gives the place back). Of a
//! hundred registrations at once for ten places, ten change the counter.

use crate::audit::insert_entry;
use crate::database::{Database, db_error};
use crate::entities::{directions, olympiad_registrations, olympiads, test_attempts, tests, users};
use async_trait::async_trait;
use bilim_domain::olympiads::{
    NewOlympiad, Olympiad, OlympiadLevel, OlympiadPatch, OlympiadQuery, OlympiadStatus,
    Participant, Schedule,
};
use bilim_domain::ports::{
    AuditEntry, OLYMPIAD_ALREADY_REGISTERED, OLYMPIAD_CAPACITY_BELOW, OLYMPIAD_FULL,
    OLYMPIAD_REGISTRATION_CLOSED, OLYMPIAD_STARTED, OlympiadRepository,
};
use bilim_domain::quizzes::Attempt;
use bilim_domain::search::document_text;
use bilim_domain::{DomainError, DomainResult};
use chrono::{DateTime, Utc};
use sea_orm::ActiveValue::Set;
use sea_orm::sea_query::{Expr, ExprTrait};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect};
use std::collections::HashMap;
use uuid::Uuid;

use olympiads::Column;

pub struct SeaOlympiadRepository {
    db: Database,
}

impl SeaOlympiadRepository {
    pub fn new(db: Database) -> Self {
        Self { db }
    }
}

fn conflict(what: &str) -> DomainError {
    DomainError::Conflict {
        what: what.to_owned(),
    }
}

fn olympiad(row: olympiads::Model, direction_name: String) -> DomainResult<Olympiad> {
    let level = OlympiadLevel::parse(&row.level)
        .ok_or_else(|| DomainError::internal(format!("olympiads.level of {}", row.id)))?;
    Ok(Olympiad {
        id: row.id,
        title: row.title,
        description: row.description,
        direction_id: row.direction_id,
        direction_name,
        level,
        schedule: Schedule {
            registration_ends_at: row.registration_ends_at.to_utc(),
            starts_at: row.starts_at.to_utc(),
            ends_at: row.ends_at.to_utc(),
        },
        capacity: row.capacity,
        registered: row.registered,
        test_id: row.test_id,
        created_at: row.created_at.to_utc(),
        updated_at: row.updated_at.to_utc(),
    })
}

async fn find<C: ConnectionTrait>(conn: &C, id: Uuid) -> DomainResult<Option<Olympiad>> {
    let found = olympiads::Entity::find_by_id(id)
        .one(conn)
        .await
        .map_err(db_error)?;
    let Some(row) = found else {
        return Ok(None);
    };
    let name = direction_name(conn, row.direction_id).await?;
    olympiad(row, name).map(Some)
}

async fn direction_name<C: ConnectionTrait>(conn: &C, id: Uuid) -> DomainResult<String> {
    let name: Option<String> = directions::Entity::find_by_id(id)
        .select_only()
        .column(directions::Column::Name)
        .into_tuple()
        .one(conn)
        .await
        .map_err(db_error)?;
    name.ok_or(DomainError::NotFound)
}

#[async_trait]
impl OlympiadRepository for SeaOlympiadRepository {
    async fn list(&self, query: &OlympiadQuery, now: DateTime<Utc>) -> DomainResult<Vec<Olympiad>> {
        let at = now.fixed_offset();
        let mut select = olympiads::Entity::find();
        if let Some(level) = query.level {
            select = select.filter(Column::Level.eq(level.as_str()));
        }
        select = match query.status {
            None => select,
            Some(OlympiadStatus::Upcoming) => select.filter(Column::StartsAt.gt(at)),
            Some(OlympiadStatus::InProgress) => select
                .filter(Column::StartsAt.lte(at))
                .filter(Column::EndsAt.gt(at)),
            Some(OlympiadStatus::Completed) => select.filter(Column::EndsAt.lte(at)),
        };
        if let Some(after) = query.after {
            select = select.filter(Column::Id.lt(after));
        }
        let rows = select
            .order_by_desc(Column::Id)
            .limit(query.limit)
            .all(self.db.connection())
            .await
            .map_err(db_error)?;
        let names: HashMap<Uuid, String> = directions::Entity::find()
            .select_only()
            .columns([directions::Column::Id, directions::Column::Name])
            .into_tuple::<(Uuid, String)>()
            .all(self.db.connection())
            .await
            .map_err(db_error)?
            .into_iter()
            .collect();
        rows.into_iter()
            .map(|row| {
                let name = names.get(&row.direction_id).cloned().unwrap_or_default();
                olympiad(row, name)
            })
            .collect()
    }

    async fn get(&self, id: Uuid) -> DomainResult<Option<Olympiad>> {
        find(self.db.connection(), id).await
    }

    #[tracing::instrument(skip(self, new, audit))]
    async fn create(
        &self,
        id: Uuid,
        new: &NewOlympiad,
        now: DateTime<Utc>,
        audit: &AuditEntry,
    ) -> DomainResult<Olympiad> {
        let txn = self.db.begin_write().await?;
        direction_name(&txn, new.direction_id).await?;
        if tests::Entity::find_by_id(new.test_id)
            .one(&txn)
            .await
            .map_err(db_error)?
            .is_none()
        {
            return Err(DomainError::NotFound);
        }
        let at = now.fixed_offset();
        olympiads::Entity::insert(olympiads::ActiveModel {
            id: Set(id),
            title: Set(new.title.as_str().to_owned()),
            description: Set(new.description.to_string()),
            search_text: Set(document_text(
                new.title.as_str(),
                &new.description.to_string(),
            )),
            direction_id: Set(new.direction_id),
            level: Set(new.level.as_str().to_owned()),
            registration_ends_at: Set(new.schedule.registration_ends_at.fixed_offset()),
            starts_at: Set(new.schedule.starts_at.fixed_offset()),
            ends_at: Set(new.schedule.ends_at.fixed_offset()),
            capacity: Set(new.capacity.get()),
            registered: Set(0),
            test_id: Set(new.test_id),
            created_at: Set(at),
            updated_at: Set(at),
        })
        .exec_without_returning(&txn)
        .await
        .map_err(db_error)?;
        insert_entry(&txn, audit).await?;
        let made = find(&txn, id).await?.ok_or(DomainError::NotFound)?;
        txn.commit().await.map_err(db_error)?;
        Ok(made)
    }

    #[tracing::instrument(skip(self, patch, schedule, audit))]
    async fn update(
        &self,
        id: Uuid,
        patch: &OlympiadPatch,
        schedule: &Schedule,
        now: DateTime<Utc>,
        audit: &AuditEntry,
    ) -> DomainResult<Olympiad> {
        let txn = self.db.begin_write().await?;
        let mut update = olympiads::Entity::update_many()
            .col_expr(Column::UpdatedAt, Expr::value(now.fixed_offset()))
            .col_expr(
                Column::RegistrationEndsAt,
                Expr::value(schedule.registration_ends_at.fixed_offset()),
            )
            .col_expr(
                Column::StartsAt,
                Expr::value(schedule.starts_at.fixed_offset()),
            )
            .col_expr(Column::EndsAt, Expr::value(schedule.ends_at.fixed_offset()))
            .filter(Column::Id.eq(id));
        if let Some(title) = &patch.title {
            update = update.col_expr(Column::Title, Expr::value(title.as_str()));
        }
        if let Some(description) = &patch.description {
            update = update.col_expr(Column::Description, Expr::value(description.to_string()));
        }
        if let Some(level) = patch.level {
            update = update.col_expr(Column::Level, Expr::value(level.as_str()));
        }
        if let Some(capacity) = patch.capacity {
            update = update
                .col_expr(Column::Capacity, Expr::value(capacity.get()))
                .filter(Column::Registered.lte(capacity.get()));
        }
        let changed = update.exec(&txn).await.map_err(db_error)?;
        if changed.rows_affected == 0 {
            return Err(match find(&txn, id).await? {
                Some(_) => conflict(OLYMPIAD_CAPACITY_BELOW),
                None => DomainError::NotFound,
            });
        }
        let changed = find(&txn, id).await?.ok_or(DomainError::NotFound)?;
        if patch.title.is_some() || patch.description.is_some() {
            olympiads::Entity::update_many()
                .col_expr(
                    Column::SearchText,
                    Expr::value(document_text(&changed.title, &changed.description)),
                )
                .filter(Column::Id.eq(id))
                .exec(&txn)
                .await
                .map_err(db_error)?;
        }
        insert_entry(&txn, audit).await?;
        txn.commit().await.map_err(db_error)?;
        Ok(changed)
    }

    #[tracing::instrument(skip(self, audit))]
    async fn delete(&self, id: Uuid, audit: &AuditEntry) -> DomainResult<()> {
        let txn = self.db.begin_write().await?;
        let deleted = olympiads::Entity::delete_by_id(id)
            .exec(&txn)
            .await
            .map_err(db_error)?;
        if deleted.rows_affected == 0 {
            return Err(DomainError::NotFound);
        }
        insert_entry(&txn, audit).await?;
        txn.commit().await.map_err(db_error)
    }

    #[tracing::instrument(skip(self))]
    async fn register(&self, id: Uuid, user_id: Uuid, now: DateTime<Utc>) -> DomainResult<()> {
        let txn = self.db.begin_write().await?;
        let taken = olympiads::Entity::update_many()
            .col_expr(Column::Registered, Expr::col(Column::Registered).add(1))
            .filter(Column::Id.eq(id))
            .filter(Expr::col(Column::Registered).lt(Expr::col(Column::Capacity)))
            .filter(Column::RegistrationEndsAt.gt(now.fixed_offset()))
            .exec(&txn)
            .await
            .map_err(db_error)?;
        if taken.rows_affected == 0 {
            let Some(found) = find(&txn, id).await? else {
                return Err(DomainError::NotFound);
            };
            let mine = olympiad_registrations::Entity::find_by_id((id, user_id))
                .one(&txn)
                .await
                .map_err(db_error)?;
            return Err(conflict(if mine.is_some() {
                OLYMPIAD_ALREADY_REGISTERED
            } else if now >= found.schedule.registration_ends_at {
                OLYMPIAD_REGISTRATION_CLOSED
            } else {
                OLYMPIAD_FULL
            }));
        }
        let row = olympiad_registrations::ActiveModel {
            olympiad_id: Set(id),
            user_id: Set(user_id),
            registered_at: Set(now.fixed_offset()),
        };
        if let Err(error) = olympiad_registrations::Entity::insert(row)
            .exec_without_returning(&txn)
            .await
        {
            // Dropping the transaction gives the place back.
            return Err(match db_error(error) {
                DomainError::Conflict { .. } => conflict(OLYMPIAD_ALREADY_REGISTERED),
                other => other,
            });
        }
        txn.commit().await.map_err(db_error)
    }

    #[tracing::instrument(skip(self))]
    async fn unregister(&self, id: Uuid, user_id: Uuid, now: DateTime<Utc>) -> DomainResult<()> {
        let txn = self.db.begin_write().await?;
        let found = find(&txn, id).await?.ok_or(DomainError::NotFound)?;
        if now >= found.schedule.starts_at {
            return Err(conflict(OLYMPIAD_STARTED));
        }
        let removed = olympiad_registrations::Entity::delete_by_id((id, user_id))
            .exec(&txn)
            .await
            .map_err(db_error)?;
        if removed.rows_affected == 0 {
            return Err(DomainError::NotFound);
        }
        olympiads::Entity::update_many()
            .col_expr(Column::Registered, Expr::col(Column::Registered).sub(1))
            .filter(Column::Id.eq(id))
            .exec(&txn)
            .await
            .map_err(db_error)?;
        txn.commit().await.map_err(db_error)
    }

    async fn participants(&self, id: Uuid) -> DomainResult<Vec<Participant>> {
        let conn = self.db.connection();
        let rows = olympiad_registrations::Entity::find()
            .filter(olympiad_registrations::Column::OlympiadId.eq(id))
            .order_by_asc(olympiad_registrations::Column::RegisteredAt)
            .order_by_asc(olympiad_registrations::Column::UserId)
            .all(conn)
            .await
            .map_err(db_error)?;
        let user_ids: Vec<Uuid> = rows.iter().map(|r| r.user_id).collect();
        let people: HashMap<Uuid, (String, String, String)> = users::Entity::find()
            .select_only()
            .columns([
                users::Column::Id,
                users::Column::FirstName,
                users::Column::LastName,
                users::Column::Email,
            ])
            .filter(users::Column::Id.is_in(user_ids))
            .into_tuple::<(Uuid, String, String, String)>()
            .all(conn)
            .await
            .map_err(db_error)?
            .into_iter()
            .map(|(id, first, last, email)| (id, (first, last, email)))
            .collect();
        let mut attempts: HashMap<Uuid, Attempt> = HashMap::new();
        for row in test_attempts::Entity::find()
            .filter(test_attempts::Column::OlympiadId.eq(id))
            .all(conn)
            .await
            .map_err(db_error)?
        {
            let attempt = Attempt::try_from(row)?;
            attempts.insert(attempt.user_id, attempt);
        }
        Ok(rows
            .into_iter()
            .filter_map(|row| {
                let (first_name, last_name, email) = people.get(&row.user_id)?.clone();
                Some(Participant {
                    user_id: row.user_id,
                    first_name,
                    last_name,
                    email,
                    registered_at: row.registered_at.to_utc(),
                    attempt: attempts.remove(&row.user_id),
                })
            })
            .collect())
    }
}
