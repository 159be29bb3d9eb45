//! `QuizRepository` on sea-orm: tests and questions, each admin change in one
//! transaction with its audit entry.

use super::mapping::{find_test, options_column, select_tests};
use crate::audit::insert_entry;
use crate::database::{Database, db_error};
use crate::entities::{lessons, questions, tests};
use async_trait::async_trait;
use bilim_domain::ports::{AuditEntry, QuizRepository};
use bilim_domain::quizzes::{NewTest, Question, QuestionDraft, QuizTest, TestPatch};
use bilim_domain::{DomainError, DomainResult};
use chrono::{DateTime, Utc};
use sea_orm::ActiveValue::{NotSet, Set, Unchanged};
use sea_orm::sea_query::{Expr, ExprTrait};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder,
    QuerySelect,
};
use uuid::Uuid;

pub struct SeaQuizRepository {
    db: Database,
}

impl SeaQuizRepository {
    pub fn new(db: Database) -> Self {
        Self { db }
    }
}

fn question_model(
    id: Uuid,
    test_id: Uuid,
    draft: &QuestionDraft,
) -> DomainResult<questions::ActiveModel> {
    Ok(questions::ActiveModel {
        id: Set(id),
        test_id: Set(test_id),
        kind: Set(draft.kind.as_str().to_owned()),
        text: Set(draft.text.as_str().to_owned()),
        points: Set(draft.points.get()),
        position: NotSet,
        options: Set(options_column(&draft.options)?),
        answer: Set(draft.answer.clone()),
        tolerance: Set(draft.tolerance),
        created_at: NotSet,
    })
}

/// The position after the test's last question.
async fn next_position<C: ConnectionTrait>(conn: &C, test_id: Uuid) -> DomainResult<i32> {
    let last: Option<Option<i32>> = questions::Entity::find()
        .select_only()
        .expr(Expr::col(questions::Column::Position).max())
        .filter(questions::Column::TestId.eq(test_id))
        .into_tuple()
        .one(conn)
        .await
        .map_err(db_error)?;
    Ok(last.flatten().unwrap_or(0).saturating_add(1))
}

async fn find_question<C: ConnectionTrait>(conn: &C, id: Uuid) -> DomainResult<Option<Question>> {
    questions::Entity::find_by_id(id)
        .one(conn)
        .await
        .map_err(db_error)?
        .map(Question::try_from)
        .transpose()
}

#[async_trait]
impl QuizRepository for SeaQuizRepository {
    async fn test(&self, id: Uuid) -> DomainResult<Option<QuizTest>> {
        find_test(self.db.connection(), id).await
    }

    async fn tests_of_course(&self, course_id: Uuid) -> DomainResult<Vec<QuizTest>> {
        select_tests(self.db.connection(), "m.course_id = $1", course_id).await
    }

    #[tracing::instrument(skip(self, new, audit))]
    async fn create_test(
        &self,
        id: Uuid,
        lesson_id: Uuid,
        new: &NewTest,
        now: DateTime<Utc>,
        audit: &AuditEntry,
    ) -> DomainResult<QuizTest> {
        let txn = self.db.begin_write().await?;
        if lessons::Entity::find_by_id(lesson_id)
            .one(&txn)
            .await
            .map_err(db_error)?
            .is_none()
        {
            return Err(DomainError::NotFound);
        }
        let at = now.fixed_offset();
        tests::Entity::insert(tests::ActiveModel {
            id: Set(id),
            lesson_id: Set(lesson_id),
            title: Set(new.title.as_str().to_owned()),
            time_limit_seconds: Set(new.time_limit.map(|t| t.get())),
            max_attempts: Set(new.max_attempts.get()),
            pass_percent: Set(new.pass_percent.get()),
            shuffle: Set(new.shuffle),
            partial_credit: Set(new.partial_credit),
            created_at: Set(at),
            updated_at: Set(at),
        })
        .exec_without_returning(&txn)
        .await
        .map_err(db_error)?;
        insert_entry(&txn, audit).await?;
        let test = find_test(&txn, id).await?.ok_or(DomainError::NotFound)?;
        txn.commit().await.map_err(db_error)?;
        Ok(test)
    }

    #[tracing::instrument(skip(self, patch, audit))]
    async fn update_test(
        &self,
        id: Uuid,
        patch: &TestPatch,
        now: DateTime<Utc>,
        audit: &AuditEntry,
    ) -> DomainResult<QuizTest> {
        let txn = self.db.begin_write().await?;
        let mut change = tests::ActiveModel {
            id: Unchanged(id),
            updated_at: Set(now.fixed_offset()),
            ..Default::default()
        };
        if let Some(title) = &patch.title {
            change.title = Set(title.as_str().to_owned());
        }
        if let Some(limit) = patch.time_limit {
            change.time_limit_seconds = Set(limit.map(|t| t.get()));
        }
        if let Some(max) = patch.max_attempts {
            change.max_attempts = Set(max.get());
        }
        if let Some(pass) = patch.pass_percent {
            change.pass_percent = Set(pass.get());
        }
        if let Some(shuffle) = patch.shuffle {
            change.shuffle = Set(shuffle);
        }
        if let Some(partial) = patch.partial_credit {
            change.partial_credit = Set(partial);
        }
        match change.update(&txn).await {
            Ok(_) => {}
            Err(sea_orm::DbErr::RecordNotUpdated) => return Err(DomainError::NotFound),
            Err(error) => return Err(db_error(error)),
        }
        insert_entry(&txn, audit).await?;
        let test = find_test(&txn, id).await?.ok_or(DomainError::NotFound)?;
        txn.commit().await.map_err(db_error)?;
        Ok(test)
    }

    #[tracing::instrument(skip(self, audit))]
    async fn delete_test(&self, id: Uuid, audit: &AuditEntry) -> DomainResult<()> {
        let txn = self.db.begin_write().await?;
        let deleted = tests::Entity::delete_by_id(id)
            .exec(&txn)
            .await
            .map_err(db_error)?;
        if deleted.rows_affected == 0 {
            return Err(DomainError::NotFound);
        }
        insert_entry(&txn, audit).await?;
        txn.commit().await.map_err(db_error)
    }

    async fn questions(&self, test_id: Uuid) -> DomainResult<Vec<Question>> {
        questions::Entity::find()
            .filter(questions::Column::TestId.eq(test_id))
            .order_by_asc(questions::Column::Position)
            .order_by_asc(questions::Column::Id)
            .all(self.db.connection())
            .await
            .map_err(db_error)?
            .into_iter()
            .map(Question::try_from)
            .collect()
    }

    async fn question(&self, id: Uuid) -> DomainResult<Option<Question>> {
        find_question(self.db.connection(), id).await
    }

    #[tracing::instrument(skip(self, draft, audit))]
    async fn create_question(
        &self,
        id: Uuid,
        test_id: Uuid,
        draft: &QuestionDraft,
        position: Option<i32>,
        audit: &AuditEntry,
    ) -> DomainResult<Question> {
        let txn = self.db.begin_write().await?;
        let test = tests::Entity::find_by_id(test_id)
            .one(&txn)
            .await
            .map_err(db_error)?
            .ok_or(DomainError::NotFound)?;
        let position = match position {
            Some(position) => position,
            None => next_position(&txn, test.id).await?,
        };
        let mut row = question_model(id, test_id, draft)?;
        row.position = Set(position);
        row.created_at = Set(audit.at.fixed_offset());
        questions::Entity::insert(row)
            .exec_without_returning(&txn)
            .await
            .map_err(db_error)?;
        // The test changed: its course page shows it anew.
        touch_test(&txn, test_id, audit.at).await?;
        insert_entry(&txn, audit).await?;
        let question = find_question(&txn, id)
            .await?
            .ok_or(DomainError::NotFound)?;
        txn.commit().await.map_err(db_error)?;
        Ok(question)
    }

    #[tracing::instrument(skip(self, draft, audit))]
    async fn update_question(
        &self,
        id: Uuid,
        draft: &QuestionDraft,
        position: Option<i32>,
        audit: &AuditEntry,
    ) -> DomainResult<Question> {
        let txn = self.db.begin_write().await?;
        let existing = find_question(&txn, id)
            .await?
            .ok_or(DomainError::NotFound)?;
        let mut row = question_model(id, existing.test_id, draft)?;
        row.id = Unchanged(id);
        row.test_id = Unchanged(existing.test_id);
        if let Some(position) = position {
            row.position = Set(position);
        }
        row.update(&txn).await.map_err(db_error)?;
        insert_entry(&txn, audit).await?;
        let question = find_question(&txn, id)
            .await?
            .ok_or(DomainError::NotFound)?;
        txn.commit().await.map_err(db_error)?;
        Ok(question)
    }

    #[tracing::instrument(skip(self, audit))]
    async fn delete_question(&self, id: Uuid, audit: &AuditEntry) -> DomainResult<()> {
        let txn = self.db.begin_write().await?;
        let existing = find_question(&txn, id)
            .await?
            .ok_or(DomainError::NotFound)?;
        questions::Entity::delete_by_id(id)
            .exec(&txn)
            .await
            .map_err(db_error)?;
        touch_test(&txn, existing.test_id, audit.at).await?;
        insert_entry(&txn, audit).await?;
        txn.commit().await.map_err(db_error)
    }
}

/// Marks the test changed (its `updated_at`), so the catalogue revision moves
/// with the question count the course page shows.
async fn touch_test<C: ConnectionTrait>(
    conn: &C,
    test_id: Uuid,
    now: DateTime<Utc>,
) -> DomainResult<()> {
    tests::Entity::update_many()
        .col_expr(tests::Column::UpdatedAt, Expr::value(now.fixed_offset()))
        .filter(tests::Column::Id.eq(test_id))
        .exec(conn)
        .await
        .map_err(db_error)?;
    Ok(())
}
