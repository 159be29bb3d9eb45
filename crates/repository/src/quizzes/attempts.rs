//! `AttemptRepository` on sea-orm.
//!
//! A start is one transaction: the open attempt (refused), the count (refused
//! at `max_attempts`), the insert numbered after the count. Two starts racing
//! each other both count the same and insert the same number: the unique keys
//! let one through and the other fails as `test.attempt_open`. A save and a
//! submit are each one conditional `UPDATE`; a submit's points go in with it.

use super::mapping::answers_column;
use crate::database::{Database, db_error};
use crate::entities::test_attempts::{self, Column};
use async_trait::async_trait;
use bilim_domain::ports::{
    ATTEMPT_CLOSED, ATTEMPT_OPEN, ATTEMPTS_EXHAUSTED, AttemptRepository, OLYMPIAD_ATTEMPT_TAKEN,
    OLYMPIAD_NOT_REGISTERED,
};
use bilim_domain::quizzes::{Attempt, GivenAnswer, NewAttempt, PointAward, Score};
use bilim_domain::{DomainError, DomainResult};
use chrono::{DateTime, Utc};
use sea_orm::ActiveValue::Set;
use sea_orm::sea_query::{Expr, ExprTrait, OnConflict, Query};
use sea_orm::{
    ColumnTrait, Condition, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder,
};
use uuid::Uuid;

pub struct SeaAttemptRepository {
    db: Database,
}

impl SeaAttemptRepository {
    pub fn new(db: Database) -> Self {
        Self { db }
    }

    /// An olympiad's one attempt: only for a registered user (the
    /// registration row is locked meanwhile), and once (the partial unique
    /// key on olympiad and user).
    async fn start_olympiad(
        &self,
        attempt: &NewAttempt,
        olympiad_id: Uuid,
    ) -> DomainResult<Attempt> {
        use crate::entities::olympiad_registrations;
        use sea_orm::QuerySelect;
        use sea_orm::sea_query::LockType;
        let txn = self.db.begin_write().await?;
        let registered = olympiad_registrations::Entity::find_by_id((olympiad_id, attempt.user_id))
            .lock(LockType::Update)
            .one(&txn)
            .await
            .map_err(db_error)?;
        if registered.is_none() {
            return Err(conflict(OLYMPIAD_NOT_REGISTERED));
        }
        let row = test_attempts::ActiveModel {
            id: Set(attempt.id),
            test_id: Set(attempt.test_id),
            user_id: Set(attempt.user_id),
            number: Set(1),
            started_at: Set(attempt.started_at.fixed_offset()),
            deadline: Set(attempt.deadline.map(|d| d.fixed_offset())),
            answers: Set("[]".to_owned()),
            submitted_at: Set(None),
            score: Set(None),
            max_score: Set(None),
            passed: Set(None),
            olympiad_id: Set(Some(olympiad_id)),
        };
        if let Err(error) = test_attempts::Entity::insert(row)
            .exec_without_returning(&txn)
            .await
        {
            return Err(match db_error(error) {
                DomainError::Conflict { .. } => conflict(OLYMPIAD_ATTEMPT_TAKEN),
                other => other,
            });
        }
        let started = find(&txn, attempt.id).await?.ok_or(DomainError::NotFound)?;
        txn.commit().await.map_err(db_error)?;
        Ok(started)
    }
}

fn conflict(what: &str) -> DomainError {
    DomainError::Conflict {
        what: what.to_owned(),
    }
}

async fn find<C: ConnectionTrait>(conn: &C, id: Uuid) -> DomainResult<Option<Attempt>> {
    test_attempts::Entity::find_by_id(id)
        .one(conn)
        .await
        .map_err(db_error)?
        .map(Attempt::try_from)
        .transpose()
}

/// Adds the award once (the unique key on user and source), and its points
/// to the user's totals, overall and in the direction.
async fn award<C: ConnectionTrait>(
    conn: &C,
    user_id: Uuid,
    award: &PointAward,
) -> DomainResult<()> {
    use crate::entities::{point_entries, point_totals};
    let insert = Query::insert()
        .into_table(point_entries::Entity)
        .columns([
            point_entries::Column::Id,
            point_entries::Column::UserId,
            point_entries::Column::Source,
            point_entries::Column::Points,
            point_entries::Column::DirectionId,
            point_entries::Column::CreatedAt,
        ])
        .values_panic([
            award.id.into(),
            user_id.into(),
            award.source.clone().into(),
            award.points.into(),
            award.direction_id.into(),
            award.at.fixed_offset().into(),
        ])
        .on_conflict(
            OnConflict::columns([point_entries::Column::UserId, point_entries::Column::Source])
                .do_nothing()
                .to_owned(),
        )
        .to_owned();
    let added = conn.execute(&insert).await.map_err(db_error)?;
    if added.rows_affected() == 0 {
        return Ok(());
    }
    let mut scopes = vec!["all".to_owned()];
    if let Some(direction) = award.direction_id {
        scopes.push(direction.to_string());
    }
    for scope in scopes {
        let upsert = Query::insert()
            .into_table(point_totals::Entity)
            .columns([
                point_totals::Column::UserId,
                point_totals::Column::Scope,
                point_totals::Column::Points,
            ])
            .values_panic([user_id.into(), scope.into(), i64::from(award.points).into()])
            .on_conflict(
                OnConflict::columns([point_totals::Column::UserId, point_totals::Column::Scope])
                    .value(
                        point_totals::Column::Points,
                        Expr::col((point_totals::Entity, point_totals::Column::Points)).add(
                            Expr::col((
                                sea_orm::sea_query::Alias::new("excluded"),
                                point_totals::Column::Points,
                            )),
                        ),
                    )
                    .to_owned(),
            )
            .to_owned();
        conn.execute(&upsert).await.map_err(db_error)?;
    }
    Ok(())
}

#[async_trait]
impl AttemptRepository for SeaAttemptRepository {
    #[tracing::instrument(skip(self, attempt), fields(test = %attempt.test_id, user = %attempt.user_id))]
    async fn start(&self, attempt: &NewAttempt) -> DomainResult<Attempt> {
        if let Some(olympiad_id) = attempt.olympiad_id {
            return self.start_olympiad(attempt, olympiad_id).await;
        }
        let txn = self.db.begin_write().await?;
        let mine = Condition::all()
            .add(Column::TestId.eq(attempt.test_id))
            .add(Column::UserId.eq(attempt.user_id))
            .add(Column::OlympiadId.is_null());
        let open = test_attempts::Entity::find()
            .filter(mine.clone())
            .filter(Column::SubmittedAt.is_null())
            .count(&txn)
            .await
            .map_err(db_error)?;
        if open > 0 {
            return Err(conflict(ATTEMPT_OPEN));
        }
        let used = test_attempts::Entity::find()
            .filter(mine)
            .count(&txn)
            .await
            .map_err(db_error)?;
        let number = i32::try_from(used).unwrap_or(i32::MAX).saturating_add(1);
        if number > attempt.max_attempts {
            return Err(conflict(ATTEMPTS_EXHAUSTED));
        }
        let row = test_attempts::ActiveModel {
            id: Set(attempt.id),
            test_id: Set(attempt.test_id),
            user_id: Set(attempt.user_id),
            number: Set(number),
            started_at: Set(attempt.started_at.fixed_offset()),
            deadline: Set(attempt.deadline.map(|d| d.fixed_offset())),
            answers: Set("[]".to_owned()),
            submitted_at: Set(None),
            score: Set(None),
            max_score: Set(None),
            passed: Set(None),
            olympiad_id: Set(None),
        };
        match test_attempts::Entity::insert(row)
            .exec_without_returning(&txn)
            .await
        {
            Ok(_) => {}
            Err(error) => {
                return Err(match db_error(error) {
                    // A concurrent start took this number or the open place.
                    DomainError::Conflict { .. } => conflict(ATTEMPT_OPEN),
                    other => other,
                });
            }
        }
        let started = find(&txn, attempt.id).await?.ok_or(DomainError::NotFound)?;
        txn.commit().await.map_err(|error| match db_error(error) {
            DomainError::Conflict { .. } => conflict(ATTEMPT_OPEN),
            other => other,
        })?;
        Ok(started)
    }

    async fn get(&self, id: Uuid) -> DomainResult<Option<Attempt>> {
        find(self.db.connection(), id).await
    }

    async fn of_user(&self, test_id: Uuid, user_id: Uuid) -> DomainResult<Vec<Attempt>> {
        test_attempts::Entity::find()
            .filter(Column::TestId.eq(test_id))
            .filter(Column::UserId.eq(user_id))
            .filter(Column::OlympiadId.is_null())
            .order_by_asc(Column::Number)
            .all(self.db.connection())
            .await
            .map_err(db_error)?
            .into_iter()
            .map(Attempt::try_from)
            .collect()
    }

    #[tracing::instrument(skip(self, answers))]
    async fn save_answers(
        &self,
        id: Uuid,
        user_id: Uuid,
        answers: &[GivenAnswer],
        now: DateTime<Utc>,
    ) -> DomainResult<()> {
        let saved = test_attempts::Entity::update_many()
            .col_expr(Column::Answers, Expr::value(answers_column(answers)?))
            .filter(Column::Id.eq(id))
            .filter(Column::UserId.eq(user_id))
            .filter(Column::SubmittedAt.is_null())
            .filter(
                Condition::any()
                    .add(Column::Deadline.is_null())
                    .add(Column::Deadline.gt(now.fixed_offset())),
            )
            .exec(self.db.connection())
            .await
            .map_err(db_error)?;
        if saved.rows_affected == 1 {
            return Ok(());
        }
        match find(self.db.connection(), id).await? {
            Some(attempt) if attempt.user_id == user_id => Err(conflict(ATTEMPT_CLOSED)),
            _ => Err(DomainError::NotFound),
        }
    }

    #[tracing::instrument(skip(self, award_points))]
    async fn finish(
        &self,
        id: Uuid,
        score: Score,
        submitted_at: DateTime<Utc>,
        award_points: Option<&PointAward>,
    ) -> DomainResult<Attempt> {
        let txn = self.db.begin_write().await?;
        let closed = test_attempts::Entity::update_many()
            .col_expr(
                Column::SubmittedAt,
                Expr::value(submitted_at.fixed_offset()),
            )
            .col_expr(Column::Score, Expr::value(score.score))
            .col_expr(Column::MaxScore, Expr::value(score.max_score))
            .col_expr(Column::Passed, Expr::value(score.passed))
            .filter(Column::Id.eq(id))
            .filter(Column::SubmittedAt.is_null())
            .exec(&txn)
            .await
            .map_err(db_error)?;
        let attempt = find(&txn, id).await?.ok_or(DomainError::NotFound)?;
        if closed.rows_affected == 1
            && let Some(points) = award_points
        {
            award(&txn, attempt.user_id, points).await?;
        }
        txn.commit().await.map_err(db_error)?;
        Ok(attempt)
    }
}
