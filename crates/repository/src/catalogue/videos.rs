//! Every statement on the `videos` table: `VideoRepository::video_of`, the one
//! way to read a video; `lessons_with_video` (lesson ids only); and what the
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
