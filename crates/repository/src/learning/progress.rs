//! `ProgressRepository` on sea-orm: one upsert per report, the completed
//! lessons of a course in one query, and a user's progress report in two
//! (the courses, then every module's counts grouped in one statement).

use super::excluded;
use crate::catalogue::{module_progress, write_error};
use crate::database::{Database, db_error};
use crate::entities::{lesson_progress, lessons, modules};
use async_trait::async_trait;
use bilim_domain::learning::{CourseProgress, LessonProgress, ModuleProgress, ProgressCounts};
use bilim_domain::ports::ProgressRepository;
use bilim_domain::{DomainError, DomainResult};
use chrono::{DateTime, Utc};
use sea_orm::sea_query::{Expr, Func, OnConflict, Query};
use sea_orm::{
    ColumnTrait, ConnectionTrait, EntityTrait, FromQueryResult, JoinType, QueryFilter, QueryOrder,
    QuerySelect, RelationTrait,
};
use uuid::Uuid;

use lesson_progress::Column;

pub struct SeaProgressRepository {
    db: Database,
}

impl SeaProgressRepository {
    pub fn new(db: Database) -> Self {
        Self { db }
    }
}

#[async_trait]
impl ProgressRepository for SeaProgressRepository {
    /// `INSERT … ON CONFLICT (user_id, lesson_id) DO UPDATE SET
    /// position_seconds = excluded…, updated_at = excluded…, completed_at =
    /// COALESCE(lesson_progress.completed_at, excluded.completed_at) RETURNING
    /// *`: one statement, so concurrent reports cannot clear or move a
    /// completion. An unknown lesson or user is `NotFound`.
    #[tracing::instrument(skip(self))]
    async fn record(
        &self,
        user_id: Uuid,
        lesson_id: Uuid,
        position_seconds: i32,
        completed: bool,
        now: DateTime<Utc>,
    ) -> DomainResult<LessonProgress> {
        let at = now.fixed_offset();
        let upsert = Query::insert()
            .into_table(lesson_progress::Entity)
            .columns([
                Column::UserId,
                Column::LessonId,
                Column::PositionSeconds,
                Column::CompletedAt,
                Column::UpdatedAt,
            ])
            .values_panic([
                user_id.into(),
                lesson_id.into(),
                position_seconds.into(),
                completed.then_some(at).into(),
                at.into(),
            ])
            .on_conflict(
                OnConflict::columns([Column::UserId, Column::LessonId])
                    .update_columns([Column::PositionSeconds, Column::UpdatedAt])
                    .value(
                        Column::CompletedAt,
                        Func::coalesce([
                            Expr::col((lesson_progress::Entity, Column::CompletedAt)),
                            excluded(Column::CompletedAt),
                        ]),
                    )
                    .to_owned(),
            )
            .returning_all()
            .to_owned();
        let row = self
            .db
            .connection()
            .query_one(&upsert)
            .await
            .map_err(write_error)?
            .ok_or_else(|| DomainError::internal("an upsert returned no row"))?;
        let row = lesson_progress::Model::from_query_result(&row, "").map_err(db_error)?;
        Ok(row.into())
    }

    /// `lesson_progress ⋈ lessons ⋈ modules` on the user's completed rows
    /// (`lesson_progress_completed_idx`), in outline order.
    #[tracing::instrument(skip(self))]
    async fn passed_tests(&self, user_id: Uuid, course_id: Uuid) -> DomainResult<Vec<Uuid>> {
        let connection = self.db.connection();
        let statement = sea_orm::Statement::from_sql_and_values(
            connection.get_database_backend(),
            "SELECT DISTINCT a.test_id FROM test_attempts a \
             JOIN tests t ON t.id = a.test_id \
             JOIN lessons l ON l.id = t.lesson_id \
             JOIN modules m ON m.id = l.module_id \
             WHERE a.user_id = $1 AND m.course_id = $2 AND a.passed = $3 \
             AND a.olympiad_id IS NULL",
            [user_id.into(), course_id.into(), true.into()],
        );
        let rows = connection
            .query_all_raw(statement)
            .await
            .map_err(db_error)?;
        rows.iter()
            .map(|row| row.try_get::<Uuid>("", "test_id").map_err(db_error))
            .collect()
    }

    async fn completed_lessons(&self, user_id: Uuid, course_id: Uuid) -> DomainResult<Vec<Uuid>> {
        lesson_progress::Entity::find()
            .select_only()
            .column(Column::LessonId)
            .join(
                JoinType::InnerJoin,
                lesson_progress::Relation::Lessons.def(),
            )
            .join(JoinType::InnerJoin, lessons::Relation::Modules.def())
            .filter(Column::UserId.eq(user_id))
            .filter(Column::CompletedAt.is_not_null())
            .filter(modules::Column::CourseId.eq(course_id))
            .order_by_asc(modules::Column::Position)
            .order_by_asc(lessons::Column::Position)
            .order_by_asc(Column::LessonId)
            .into_tuple()
            .all(self.db.connection())
            .await
            .map_err(db_error)
    }

    /// Two statements whatever the number of courses: the user's grants with
    /// their course titles (`courses_open_users_user_id_course_id_key`), then
    /// [`module_progress`]. A module read after a grant that the first did
    /// not see is left out.
    #[tracing::instrument(skip(self))]
    async fn report(&self, user_id: Uuid) -> DomainResult<Vec<CourseProgress>> {
        let connection = self.db.connection();
        let statement = sea_orm::Statement::from_sql_and_values(
            connection.get_database_backend(),
            "SELECT c.id AS course_id, c.title AS title FROM courses_open_users g \
             JOIN courses c ON c.id = g.course_id \
             WHERE g.user_id = $1 ORDER BY g.created_at DESC, g.id DESC",
            [user_id.into()],
        );
        let rows = connection
            .query_all_raw(statement)
            .await
            .map_err(db_error)?;
        let mut courses = rows
            .iter()
            .map(|row| {
                Ok(CourseProgress {
                    course_id: row.try_get("", "course_id").map_err(db_error)?,
                    title: row.try_get("", "title").map_err(db_error)?,
                    modules: Vec::new(),
                })
            })
            .collect::<DomainResult<Vec<_>>>()?;
        let count = |n: i64| u32::try_from(n).unwrap_or(u32::MAX);
        for row in module_progress(connection, user_id).await? {
            if let Some(course) = courses.iter_mut().find(|c| c.course_id == row.course_id) {
                course.modules.push(ModuleProgress {
                    id: row.module_id,
                    title: row.title,
                    counts: ProgressCounts {
                        lessons_watched: count(row.lessons_watched),
                        lessons_total: count(row.lessons_total),
                        tests_passed: count(row.tests_passed),
                        tests_total: count(row.tests_total),
                    },
                });
            }
        }
        Ok(courses)
    }
}
