//! Every statement on the `videos` table: `VideoRepository::video_of`, the one
//! way to read a video; `lessons_with_video` (lesson ids only); the counts of
//! a user's progress report ([`module_progress`], which only joins on
//! `lesson_id`); and what the
//! writer needs — replacing a lesson's video and the storage keys of the
//! videos a removal takes with it. Nothing else in this crate names `videos`
//! (the seed only inserts).

use super::mapping::video_columns;
use crate::database::{Database, db_error};
use crate::entities::{lessons, modules, videos};
use async_trait::async_trait;
use bilim_domain::DomainResult;
use bilim_domain::catalogue::{Video, VideoSource};
use bilim_domain::ports::VideoRepository;
use sea_orm::ActiveValue::Set;
use sea_orm::sea_query::{OnConflict, Query, SelectStatement};
use sea_orm::{
    ColumnTrait, ConnectionTrait, EntityTrait, JoinType, QueryFilter, QueryOrder, QuerySelect,
    RelationTrait,
};
use uuid::Uuid;

pub struct SeaVideoRepository {
    db: Database,
}

impl SeaVideoRepository {
    pub fn new(db: Database) -> Self {
        Self { db }
    }
}

#[async_trait]
impl VideoRepository for SeaVideoRepository {
    #[tracing::instrument(skip(self))]
    async fn video_of(&self, lesson_id: Uuid) -> DomainResult<Option<Video>> {
        let row = videos::Entity::find_by_id(lesson_id)
            .one(self.db.connection())
            .await
            .map_err(db_error)?;
        row.map(Video::try_from).transpose()
    }

    /// One query: `videos.lesson_id` joined to `lessons` and `modules` (by
    /// primary key) for the course, in outline order. No source is read.
    #[tracing::instrument(skip(self))]
    async fn lessons_with_video(&self, course_id: Uuid) -> DomainResult<Vec<Uuid>> {
        videos::Entity::find()
            .select_only()
            .column(videos::Column::LessonId)
            .join(JoinType::InnerJoin, videos::Relation::Lessons.def())
            .join(JoinType::InnerJoin, lessons::Relation::Modules.def())
            .filter(modules::Column::CourseId.eq(course_id))
            .order_by_asc(modules::Column::Position)
            .order_by_asc(lessons::Column::Position)
            .order_by_asc(videos::Column::LessonId)
            .into_tuple()
            .all(self.db.connection())
            .await
            .map_err(db_error)
    }
}

/// Which lessons' videos a removal takes with it.
pub(super) enum LessonsOf {
    Course(Uuid),
    Module(Uuid),
    Lesson(Uuid),
}

impl LessonsOf {
    /// `SELECT id FROM lessons WHERE …`: the ids of those lessons.
    fn lesson_ids(&self) -> SelectStatement {
        let mut select = Query::select();
        select.column(lessons::Column::Id).from(lessons::Entity);
        match *self {
            Self::Course(course_id) => select.and_where(
                lessons::Column::ModuleId.in_subquery(
                    Query::select()
                        .column(modules::Column::Id)
                        .from(modules::Entity)
                        .and_where(modules::Column::CourseId.eq(course_id))
                        .to_owned(),
                ),
            ),
            Self::Module(module_id) => select.and_where(lessons::Column::ModuleId.eq(module_id)),
            Self::Lesson(lesson_id) => select.and_where(lessons::Column::Id.eq(lesson_id)),
        };
        select
    }
}

/// The storage keys of the stored (not external) videos of those lessons. Call
/// it in the transaction that removes them, before the removal.
pub(super) async fn stored_keys<C: ConnectionTrait>(
    connection: &C,
    lessons: LessonsOf,
) -> DomainResult<Vec<String>> {
    let keys: Vec<Option<String>> = videos::Entity::find()
        .select_only()
        .column(videos::Column::StorageKey)
        .filter(videos::Column::LessonId.in_subquery(lessons.lesson_ids()))
        .filter(videos::Column::StorageKey.is_not_null())
        .into_tuple()
        .all(connection)
        .await
        .map_err(db_error)?;
    Ok(keys.into_iter().flatten().collect())
}

/// Sets or replaces the video of `lesson_id` (which the caller has checked and
/// locked) with one upsert. Returns the storage key of the replaced video when
/// it held a stored file other than the new one: setting the same key again
/// must not make the caller delete the file it just set.
pub(super) async fn replace<C: ConnectionTrait>(
    connection: &C,
    lesson_id: Uuid,
    source: VideoSource,
    duration_seconds: i32,
) -> DomainResult<Option<String>> {
    let previous: Option<Option<String>> = videos::Entity::find_by_id(lesson_id)
        .select_only()
        .column(videos::Column::StorageKey)
        .lock_exclusive()
        .into_tuple()
        .one(connection)
        .await
        .map_err(db_error)?;
    let (url, storage_key) = video_columns(source);
    let replaced = previous
        .flatten()
        .filter(|previous| storage_key.as_deref() != Some(previous.as_str()));
    let row = videos::ActiveModel {
        lesson_id: Set(lesson_id),
        url: Set(url),
        storage_key: Set(storage_key),
        duration_seconds: Set(duration_seconds),
    };
    videos::Entity::insert(row)
        .on_conflict(
            OnConflict::column(videos::Column::LessonId)
                .update_columns([
                    videos::Column::Url,
                    videos::Column::StorageKey,
                    videos::Column::DurationSeconds,
                ])
                .to_owned(),
        )
        .exec_without_returning(connection)
        .await
        .map_err(db_error)?;
    Ok(replaced)
}

/// One module of a course the user holds or held a grant on, with its counts.
pub(crate) struct ModuleProgressRow {
    pub course_id: Uuid,
    pub module_id: Uuid,
    pub title: String,
    pub lessons_watched: i64,
    pub lessons_total: i64,
    pub tests_passed: i64,
    pub tests_total: i64,
}

/// Every module of every course `user_id` holds or held a grant on, in one
/// grouped statement whatever the number of courses: its lessons with a
/// video, those the user completed, its lessons' tests, and those the user
/// passed in a submitted attempt outside an olympiad. Ordered by course, then
/// outline position. No video source is read.
pub(crate) async fn module_progress<C: ConnectionTrait>(
    connection: &C,
    user_id: Uuid,
) -> DomainResult<Vec<ModuleProgressRow>> {
    let statement = sea_orm::Statement::from_sql_and_values(
        connection.get_database_backend(),
        "SELECT m.course_id AS course_id, m.id AS module_id, m.title AS title, \
         COUNT(DISTINCT v.lesson_id) AS lessons_total, \
         COUNT(DISTINCT p.lesson_id) AS lessons_watched, \
         COUNT(DISTINCT t.id) AS tests_total, \
         COUNT(DISTINCT a.test_id) AS tests_passed \
         FROM courses_open_users g \
         JOIN modules m ON m.course_id = g.course_id \
         LEFT JOIN lessons l ON l.module_id = m.id \
         LEFT JOIN videos v ON v.lesson_id = l.id \
         LEFT JOIN lesson_progress p ON p.lesson_id = v.lesson_id AND p.user_id = $1 \
           AND p.completed_at IS NOT NULL \
         LEFT JOIN tests t ON t.lesson_id = l.id \
         LEFT JOIN test_attempts a ON a.test_id = t.id AND a.user_id = $2 \
           AND a.passed = $3 AND a.olympiad_id IS NULL AND a.submitted_at IS NOT NULL \
         WHERE g.user_id = $4 \
         GROUP BY m.course_id, m.id, m.title, m.position \
         ORDER BY m.course_id, m.position",
        [user_id.into(), user_id.into(), true.into(), user_id.into()],
    );
    let rows = connection
        .query_all_raw(statement)
        .await
        .map_err(db_error)?;
    rows.iter()
        .map(|row| {
            Ok(ModuleProgressRow {
                course_id: row.try_get("", "course_id").map_err(db_error)?,
                module_id: row.try_get("", "module_id").map_err(db_error)?,
                title: row.try_get("", "title").map_err(db_error)?,
                lessons_watched: row.try_get("", "lessons_watched").map_err(db_error)?,
                lessons_total: row.try_get("", "lessons_total").map_err(db_error)?,
                tests_passed: row.try_get("", "tests_passed").map_err(db_error)?,
                tests_total: row.try_get("", "tests_total").map_err(db_error)?,
            })
        })
        .collect()
}
