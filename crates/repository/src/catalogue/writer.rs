//! `CatalogueWriter` on sea-orm. Every change is one `begin_write` transaction.
//!
//! Referenced rows are checked (and locked on PostgreSQL) in the transaction
//! before a write, so an unknown parent is a clear error rather than a foreign
//! key violation: the item being changed or the parent named by the call
//! (`course_id` of a module, `module_id` of a lesson) is `NotFound`; a
//! reference inside the fields is `Invalid` with its field (`direction_id`,
//! `teacher_id`, a workbook's `lesson_id`). Foreign key violations are still
//! mapped the same way, should one slip through.
//!
//! Changes to positions are serialised per set of siblings: the parent row is
//! locked `FOR UPDATE` (the course for its modules, the module for its
//! lessons), and the `directions` table for directions. SQLite's `BEGIN
//! IMMEDIATE` serialises every writer anyway; the locks are PostgreSQL's.

use super::mapping::title_search;
use super::positions::Siblings;
use super::videos::{self, LessonsOf};
use crate::database::{Database, db_error};
use crate::entities::{certificates, courses, directions, lessons, modules, users, workbooks};
use crate::learning::claims;
use async_trait::async_trait;
use bilim_domain::catalogue::{
    Certificate, Course, CourseStatus, Direction, Lesson, Module, VideoSource, Workbook,
};
use bilim_domain::ports::{CatalogueWriter, CourseFields, DirectionFields, OutlineFields};
use bilim_domain::{DomainError, DomainResult};
use chrono::{DateTime, Utc};
use sea_orm::ActiveValue::Set;
use sea_orm::sea_query::{Expr, LockType, OnConflict};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseBackend, DatabaseTransaction, DbErr,
    EntityTrait, IntoActiveModel, PrimaryKeyTrait, QueryFilter, QuerySelect, RelationTrait,
    RuntimeErr, SqlErr,
};
use uuid::Uuid;

/// How long a grant opens a course unless the course says otherwise.
const DEFAULT_ACCESS_MONTHS: i32 = 6;

pub struct SeaCatalogueWriter {
    db: Database,
}

impl SeaCatalogueWriter {
    pub fn new(db: Database) -> Self {
        Self { db }
    }
}

fn required<T>(field: &'static str, value: Option<T>) -> DomainResult<T> {
    value.ok_or_else(|| DomainError::invalid(field, "required", "is required"))
}

fn unknown_direction() -> DomainError {
    DomainError::invalid("direction_id", "direction.not_found", "no such direction")
}

fn unknown_teacher() -> DomainError {
    DomainError::invalid("teacher_id", "teacher.not_found", "no such user")
}

/// Whether the row `id` of `E` exists, locking it with `lock` on PostgreSQL
/// (SQLite ignores row locks; `BEGIN IMMEDIATE` already serialises writers).
/// Also used by the learning adapters (a grant share-locks its courses).
pub(crate) async fn exists<E>(
    txn: &DatabaseTransaction,
    id: Uuid,
    lock: LockType,
) -> DomainResult<bool>
where
    E: EntityTrait,
    Uuid: Into<<E::PrimaryKey as PrimaryKeyTrait>::ValueType>,
{
    let found: Option<i32> = E::find_by_id(id)
        .select_only()
        .expr(Expr::val(1))
        .lock(lock)
        .into_tuple()
        .one(txn)
        .await
        .map_err(db_error)?;
    Ok(found.is_some())
}

/// Serialises changes to the directions' positions on PostgreSQL. The mode
/// conflicts with itself and with writes to `directions`, not with reads nor
/// with the key-share locks of foreign key checks (courses being written).
async fn lock_directions(txn: &DatabaseTransaction) -> DomainResult<()> {
    if txn.get_database_backend() == DatabaseBackend::Postgres {
        txn.execute_unprepared("LOCK TABLE directions IN SHARE ROW EXCLUSIVE MODE")
            .await
            .map_err(db_error)?;
    }
    Ok(())
}

fn foreign_key_violation(error: &DbErr) -> Option<String> {
    match error.sql_err() {
        Some(SqlErr::ForeignKeyConstraintViolation(detail)) => Some(detail),
        _ => sqlite_restrict_violation(error),
    }
}

/// SQLite reports a refused `ON DELETE RESTRICT` (deleting a course that has
/// grants) as `SQLITE_CONSTRAINT_TRIGGER` (1811), not as the foreign key code
/// (787) that sea-orm recognises; the message is the same.
fn sqlite_restrict_violation(error: &DbErr) -> Option<String> {
    let (DbErr::Exec(RuntimeErr::SqlxError(error)) | DbErr::Query(RuntimeErr::SqlxError(error))) =
        error
    else {
        return None;
    };
    let sea_orm::sqlx::Error::Database(error) = error.as_ref() else {
        return None;
    };
    error.try_downcast_ref::<sea_orm::sqlx::sqlite::SqliteError>()?;
    (error.code().as_deref() == Some("1811") && error.message().contains("FOREIGN KEY"))
        .then(|| error.message().to_owned())
}

/// A write whose only references are the item itself or the parent the call
/// names: a foreign key violation means that one is gone.
pub(crate) fn write_error(error: DbErr) -> DomainError {
    if foreign_key_violation(&error).is_some() {
        return DomainError::NotFound;
    }
    db_error(error)
}

/// `directions_name_key` on PostgreSQL, `directions.name` in SQLite's message.
fn direction_error(error: DbErr) -> DomainError {
    match db_error(error) {
        DomainError::Conflict { what } => DomainError::Conflict {
            what: if what.contains("name") {
                "direction.name"
            } else {
                "direction"
            }
            .to_owned(),
        },
        other => other,
    }
}

/// PostgreSQL names the constraint (`courses_direction_id_fkey`,
/// `courses_teacher_id_fkey`); SQLite does not, and the checks before the
/// write make a violation there impossible.
fn course_error(error: DbErr) -> DomainError {
    match foreign_key_violation(&error) {
        Some(detail) if detail.contains("teacher") => unknown_teacher(),
        Some(detail) if detail.contains("direction") => unknown_direction(),
        Some(_) => DomainError::NotFound,
        None => db_error(error),
    }
}

async fn require_direction(txn: &DatabaseTransaction, id: Uuid) -> DomainResult<()> {
    if exists::<directions::Entity>(txn, id, LockType::Share).await? {
        Ok(())
    } else {
        Err(unknown_direction())
    }
}

/// The teacher's role is the service's to check; here only that the user exists.
async fn require_teacher(txn: &DatabaseTransaction, teacher: Option<Uuid>) -> DomainResult<()> {
    match teacher {
        Some(id) if !exists::<users::Entity>(txn, id, LockType::Share).await? => {
            Err(unknown_teacher())
        }
        _ => Ok(()),
    }
}

/// Locks the parent of a set of siblings, `NotFound` when it is gone.
async fn lock_parent<E>(txn: &DatabaseTransaction, id: Uuid) -> DomainResult<()>
where
    E: EntityTrait,
    Uuid: Into<<E::PrimaryKey as PrimaryKeyTrait>::ValueType>,
{
    if exists::<E>(txn, id, LockType::Update).await? {
        Ok(())
    } else {
        Err(DomainError::NotFound)
    }
}

/// The module `id` with its course locked: read, lock the course, read again
/// (a concurrent change may have moved the module before the lock was held).
async fn locked_module(txn: &DatabaseTransaction, id: Uuid) -> DomainResult<modules::Model> {
    let course_id: Uuid = modules::Entity::find_by_id(id)
        .select_only()
        .column(modules::Column::CourseId)
        .into_tuple()
        .one(txn)
        .await
        .map_err(db_error)?
        .ok_or(DomainError::NotFound)?;
    lock_parent::<courses::Entity>(txn, course_id).await?;
    modules::Entity::find_by_id(id)
        .one(txn)
        .await
        .map_err(db_error)?
        .ok_or(DomainError::NotFound)
}

/// The lesson `id` with its module locked, as `locked_module`.
async fn locked_lesson(txn: &DatabaseTransaction, id: Uuid) -> DomainResult<lessons::Model> {
    let module_id: Uuid = lessons::Entity::find_by_id(id)
        .select_only()
        .column(lessons::Column::ModuleId)
        .into_tuple()
        .one(txn)
        .await
        .map_err(db_error)?
        .ok_or(DomainError::NotFound)?;
    lock_parent::<modules::Entity>(txn, module_id).await?;
    lessons::Entity::find_by_id(id)
        .one(txn)
        .await
        .map_err(db_error)?
        .ok_or(DomainError::NotFound)
}

fn modules_of(course_id: Uuid) -> Siblings<modules::Entity> {
    Siblings::under(
        modules::Column::CourseId,
        course_id,
        modules::Column::Position,
    )
}

fn lessons_of(module_id: Uuid) -> Siblings<lessons::Entity> {
    Siblings::under(
        lessons::Column::ModuleId,
        module_id,
        lessons::Column::Position,
    )
}

fn all_directions() -> Siblings<directions::Entity> {
    Siblings::all(directions::Column::Position)
}

#[async_trait]
impl CatalogueWriter for SeaCatalogueWriter {
    #[tracing::instrument(skip(self, fields))]
    async fn create_direction(
        &self,
        id: Uuid,
        fields: DirectionFields,
        now: DateTime<Utc>,
    ) -> DomainResult<Direction> {
        let name = required("name", fields.name)?;
        let txn = self.db.begin_write().await?;
        lock_directions(&txn).await?;
        let position = all_directions().open(&txn, fields.position).await?;
        let row = directions::ActiveModel {
            id: Set(id),
            name: Set(name),
            description: Set(fields.description.flatten()),
            position: Set(position),
            created_at: Set(now.fixed_offset()),
            updated_at: Set(now.fixed_offset()),
        }
        .insert(&txn)
        .await
        .map_err(direction_error)?;
        txn.commit().await.map_err(db_error)?;
        Ok(row.into())
    }

    #[tracing::instrument(skip(self, fields))]
    async fn update_direction(
        &self,
        id: Uuid,
        fields: DirectionFields,
        now: DateTime<Utc>,
    ) -> DomainResult<Direction> {
        let txn = self.db.begin_write().await?;
        lock_directions(&txn).await?;
        let row = directions::Entity::find_by_id(id)
            .one(&txn)
            .await
            .map_err(db_error)?
            .ok_or(DomainError::NotFound)?;
        let from = row.position;
        let mut update = row.into_active_model();
        if let Some(name) = fields.name {
            update.name = Set(name);
        }
        if let Some(description) = fields.description {
            update.description = Set(description);
        }
        if let Some(wanted) = fields.position {
            update.position = Set(all_directions().make_way(&txn, from, wanted).await?);
        }
        update.updated_at = Set(now.fixed_offset());
        let row = update.update(&txn).await.map_err(direction_error)?;
        txn.commit().await.map_err(db_error)?;
        Ok(row.into())
    }

    #[tracing::instrument(skip(self))]
    async fn delete_direction(&self, id: Uuid) -> DomainResult<()> {
        let has_courses = || DomainError::Conflict {
            what: "direction.has_courses".to_owned(),
        };
        let txn = self.db.begin_write().await?;
        lock_directions(&txn).await?;
        let position: i32 = directions::Entity::find_by_id(id)
            .select_only()
            .column(directions::Column::Position)
            .into_tuple()
            .one(&txn)
            .await
            .map_err(db_error)?
            .ok_or(DomainError::NotFound)?;
        let course: Option<Uuid> = courses::Entity::find()
            .select_only()
            .column(courses::Column::Id)
            .filter(courses::Column::DirectionId.eq(id))
            .limit(1)
            .into_tuple()
            .one(&txn)
            .await
            .map_err(db_error)?;
        if course.is_some() {
            return Err(has_courses());
        }
        // `courses_direction_id_fkey` is RESTRICT: a course added meanwhile fails
        // the delete.
        directions::Entity::delete_by_id(id)
            .exec(&txn)
            .await
            .map_err(|error| match foreign_key_violation(&error) {
                Some(_) => has_courses(),
                None => db_error(error),
            })?;
        all_directions().close(&txn, position).await?;
        txn.commit().await.map_err(db_error)
    }

    #[tracing::instrument(skip(self, fields))]
    async fn create_course(
        &self,
        id: Uuid,
        fields: CourseFields,
        now: DateTime<Utc>,
    ) -> DomainResult<Course> {
        let direction_id = required("direction_id", fields.direction_id)?;
        let title = required("title", fields.title)?;
        let level = required("level", fields.level)?;
        let teacher_id = fields.teacher_id.flatten();
        let txn = self.db.begin_write().await?;
        require_direction(&txn, direction_id).await?;
        require_teacher(&txn, teacher_id).await?;
        let row = courses::ActiveModel {
            id: Set(id),
            direction_id: Set(direction_id),
            title_search: Set(title_search(&title)),
            title: Set(title),
            description: Set(fields.description.unwrap_or_default()),
            level: Set(level.as_str().to_owned()),
            status: Set(fields
                .status
                .unwrap_or(CourseStatus::Draft)
                .as_str()
                .to_owned()),
            teacher_id: Set(teacher_id),
            access_months: Set(fields.access_months.unwrap_or(DEFAULT_ACCESS_MONTHS)),
            created_at: Set(now.fixed_offset()),
            updated_at: Set(now.fixed_offset()),
        }
        .insert(&txn)
        .await
        .map_err(course_error)?;
        txn.commit().await.map_err(db_error)?;
        Course::try_from(row)
    }

    #[tracing::instrument(skip(self, fields))]
    async fn update_course(
        &self,
        id: Uuid,
        fields: CourseFields,
        now: DateTime<Utc>,
    ) -> DomainResult<Course> {
        let txn = self.db.begin_write().await?;
        let row = courses::Entity::find_by_id(id)
            .lock_exclusive()
            .one(&txn)
            .await
            .map_err(db_error)?
            .ok_or(DomainError::NotFound)?;
        if let Some(direction_id) = fields.direction_id
            && direction_id != row.direction_id
        {
            require_direction(&txn, direction_id).await?;
        }
        if let Some(teacher_id) = fields.teacher_id
            && teacher_id != row.teacher_id
        {
            require_teacher(&txn, teacher_id).await?;
        }
        let mut update = row.into_active_model();
        if let Some(direction_id) = fields.direction_id {
            update.direction_id = Set(direction_id);
        }
        if let Some(title) = fields.title {
            update.title_search = Set(title_search(&title));
            update.title = Set(title);
        }
        if let Some(description) = fields.description {
            update.description = Set(description);
        }
        if let Some(level) = fields.level {
            update.level = Set(level.as_str().to_owned());
        }
        if let Some(status) = fields.status {
            update.status = Set(status.as_str().to_owned());
        }
        if let Some(teacher_id) = fields.teacher_id {
            update.teacher_id = Set(teacher_id);
        }
        if let Some(access_months) = fields.access_months {
            update.access_months = Set(access_months);
        }
        update.updated_at = Set(now.fixed_offset());
        let row = update.update(&txn).await.map_err(course_error)?;
        txn.commit().await.map_err(db_error)?;
        Course::try_from(row)
    }

    /// `courses_open_users.course_id` references `courses` ON DELETE
    /// RESTRICT: a course with grants (revoked or expired ones too) fails the
    /// delete with a foreign key violation, mapped here to
    /// `course.has_students` (every other reference to a course cascades).
    #[tracing::instrument(skip(self))]
    async fn delete_course(&self, id: Uuid) -> DomainResult<Vec<String>> {
        let txn = self.db.begin_write().await?;
        lock_parent::<courses::Entity>(&txn, id).await?;
        let mut keys = videos::stored_keys(&txn, LessonsOf::Course(id)).await?;
        let workbook_keys: Vec<String> = workbooks::Entity::find()
            .select_only()
            .column(workbooks::Column::StorageKey)
            .filter(workbooks::Column::CourseId.eq(id))
            .into_tuple()
            .all(&txn)
            .await
            .map_err(db_error)?;
        keys.extend(workbook_keys);
        courses::Entity::delete_by_id(id)
            .exec(&txn)
            .await
            .map_err(|error| match foreign_key_violation(&error) {
                Some(_) => DomainError::Conflict {
                    what: "course.has_students".to_owned(),
                },
                None => db_error(error),
            })?;
        txn.commit().await.map_err(db_error)?;
        Ok(keys)
    }

    #[tracing::instrument(skip(self, fields))]
    async fn create_module(
        &self,
        id: Uuid,
        course_id: Uuid,
        fields: OutlineFields,
    ) -> DomainResult<Module> {
        let title = required("title", fields.title)?;
        let txn = self.db.begin_write().await?;
        lock_parent::<courses::Entity>(&txn, course_id).await?;
        let position = modules_of(course_id).open(&txn, fields.position).await?;
        let row = modules::ActiveModel {
            id: Set(id),
            course_id: Set(course_id),
            title: Set(title),
            position: Set(position),
        }
        .insert(&txn)
        .await
        .map_err(write_error)?;
        txn.commit().await.map_err(db_error)?;
        Ok(row.into())
    }

    /// A module has no description: `fields.description` is ignored.
    #[tracing::instrument(skip(self, fields))]
    async fn update_module(&self, id: Uuid, fields: OutlineFields) -> DomainResult<Module> {
        let txn = self.db.begin_write().await?;
        let row = locked_module(&txn, id).await?;
        let (course_id, from) = (row.course_id, row.position);
        let mut update = row.into_active_model();
        if let Some(title) = fields.title {
            update.title = Set(title);
        }
        if let Some(wanted) = fields.position {
            update.position = Set(modules_of(course_id).make_way(&txn, from, wanted).await?);
        }
        let row = update.update(&txn).await.map_err(write_error)?;
        txn.commit().await.map_err(db_error)?;
        Ok(row.into())
    }

    /// Returns the keys of the stored videos of its lessons. Workbooks of those
    /// lessons stay, as workbooks of the course (`ON DELETE SET NULL`).
    #[tracing::instrument(skip(self))]
    async fn delete_module(&self, id: Uuid) -> DomainResult<Vec<String>> {
        let txn = self.db.begin_write().await?;
        let row = locked_module(&txn, id).await?;
        let keys = videos::stored_keys(&txn, LessonsOf::Module(id)).await?;
        modules::Entity::delete_by_id(id)
            .exec(&txn)
            .await
            .map_err(db_error)?;
        modules_of(row.course_id).close(&txn, row.position).await?;
        txn.commit().await.map_err(db_error)?;
        Ok(keys)
    }

    #[tracing::instrument(skip(self, fields))]
    async fn create_lesson(
        &self,
        id: Uuid,
        module_id: Uuid,
        fields: OutlineFields,
    ) -> DomainResult<Lesson> {
        let title = required("title", fields.title)?;
        let txn = self.db.begin_write().await?;
        lock_parent::<modules::Entity>(&txn, module_id).await?;
        let position = lessons_of(module_id).open(&txn, fields.position).await?;
        let row = lessons::ActiveModel {
            id: Set(id),
            module_id: Set(module_id),
            title: Set(title),
            description: Set(fields.description.unwrap_or_default()),
            position: Set(position),
        }
        .insert(&txn)
        .await
        .map_err(write_error)?;
        txn.commit().await.map_err(db_error)?;
        Ok(row.into())
    }

    #[tracing::instrument(skip(self, fields))]
    async fn update_lesson(&self, id: Uuid, fields: OutlineFields) -> DomainResult<Lesson> {
        let txn = self.db.begin_write().await?;
        let row = locked_lesson(&txn, id).await?;
        let (module_id, from) = (row.module_id, row.position);
        let mut update = row.into_active_model();
        if let Some(title) = fields.title {
            update.title = Set(title);
        }
        if let Some(description) = fields.description {
            update.description = Set(description);
        }
        if let Some(wanted) = fields.position {
            update.position = Set(lessons_of(module_id).make_way(&txn, from, wanted).await?);
        }
        let row = update.update(&txn).await.map_err(write_error)?;
        txn.commit().await.map_err(db_error)?;
        Ok(row.into())
    }

    /// Returns the key of its video when it was a stored file. Its workbooks
    /// stay, as workbooks of the course (`ON DELETE SET NULL`).
    #[tracing::instrument(skip(self))]
    async fn delete_lesson(&self, id: Uuid) -> DomainResult<Vec<String>> {
        let txn = self.db.begin_write().await?;
        let row = locked_lesson(&txn, id).await?;
        let keys = videos::stored_keys(&txn, LessonsOf::Lesson(id)).await?;
        lessons::Entity::delete_by_id(id)
            .exec(&txn)
            .await
            .map_err(db_error)?;
        lessons_of(row.module_id).close(&txn, row.position).await?;
        txn.commit().await.map_err(db_error)?;
        Ok(keys)
    }

    #[tracing::instrument(skip(self, source))]
    async fn set_video(
        &self,
        lesson_id: Uuid,
        source: VideoSource,
        duration_seconds: i32,
    ) -> DomainResult<Option<String>> {
        let txn = self.db.begin_write().await?;
        lock_parent::<lessons::Entity>(&txn, lesson_id).await?;
        let replaced = videos::replace(&txn, lesson_id, source, duration_seconds).await?;
        txn.commit().await.map_err(db_error)?;
        Ok(replaced)
    }

    /// `created_at` is the time of the call: the port passes no clock time for
    /// workbooks, and it only orders them. In the same transaction the
    /// workbook is added to the claims of every holder of a grant on the
    /// course that is not revoked.
    #[tracing::instrument(skip(self, workbook), fields(workbook.id = %workbook.id))]
    async fn create_workbook(&self, workbook: &Workbook) -> DomainResult<()> {
        let txn = self.db.begin_write().await?;
        // FOR UPDATE, not FOR SHARE: a grant share-locks the course, so the
        // two wait for each other on PostgreSQL (READ COMMITTED) and whichever
        // comes second sees the other's rows — the workbook reaches a holder
        // granted meanwhile.
        if !exists::<courses::Entity>(&txn, workbook.course_id, LockType::Update).await? {
            return Err(DomainError::NotFound);
        }
        if let Some(lesson_id) = workbook.lesson_id {
            let in_course: Option<i32> = lessons::Entity::find_by_id(lesson_id)
                .select_only()
                .expr(Expr::val(1))
                .join(
                    sea_orm::JoinType::InnerJoin,
                    lessons::Relation::Modules.def(),
                )
                .filter(modules::Column::CourseId.eq(workbook.course_id))
                .lock(LockType::Share)
                .into_tuple()
                .one(&txn)
                .await
                .map_err(db_error)?;
            if in_course.is_none() {
                return Err(DomainError::invalid(
                    "lesson_id",
                    "lesson.not_in_course",
                    "is not a lesson of this course",
                ));
            }
        }
        let now = Utc::now();
        workbooks::ActiveModel {
            id: Set(workbook.id),
            course_id: Set(workbook.course_id),
            lesson_id: Set(workbook.lesson_id),
            title: Set(workbook.title.clone()),
            storage_key: Set(workbook.storage_key.clone()),
            size_bytes: Set(workbook.size_bytes),
            sha256: Set(workbook.sha256.clone()),
            created_at: Set(now.fixed_offset()),
        }
        .insert(&txn)
        .await
        .map_err(write_error)?;
        claims::open_workbook_to_holders(&txn, workbook.id, workbook.course_id, now).await?;
        txn.commit().await.map_err(db_error)
    }

    #[tracing::instrument(skip(self))]
    async fn delete_workbook(&self, id: Uuid) -> DomainResult<String> {
        let txn = self.db.begin_write().await?;
        let key: String = workbooks::Entity::find_by_id(id)
            .select_only()
            .column(workbooks::Column::StorageKey)
            .lock_exclusive()
            .into_tuple()
            .one(&txn)
            .await
            .map_err(db_error)?
            .ok_or(DomainError::NotFound)?;
        workbooks::Entity::delete_by_id(id)
            .exec(&txn)
            .await
            .map_err(db_error)?;
        txn.commit().await.map_err(db_error)?;
        Ok(key)
    }

    /// One upsert on `certificates_course_id_key`; a new certificate gets a
    /// UUID v7, a renamed one keeps its id. In the same transaction the
    /// certificate is added to the claims of every holder of a grant on the
    /// course that is not revoked (a rename adds nothing: they have it).
    #[tracing::instrument(skip(self, title))]
    async fn put_certificate(&self, course_id: Uuid, title: &str) -> DomainResult<Certificate> {
        let txn = self.db.begin_write().await?;
        // FOR UPDATE against a concurrent grant's FOR SHARE, as in
        // `create_workbook`.
        if !exists::<courses::Entity>(&txn, course_id, LockType::Update).await? {
            return Err(DomainError::NotFound);
        }
        let row = certificates::ActiveModel {
            id: Set(Uuid::now_v7()),
            course_id: Set(course_id),
            title: Set(title.to_owned()),
        };
        certificates::Entity::insert(row)
            .on_conflict(
                OnConflict::column(certificates::Column::CourseId)
                    .update_column(certificates::Column::Title)
                    .to_owned(),
            )
            .exec_without_returning(&txn)
            .await
            .map_err(write_error)?;
        let row = certificates::Entity::find()
            .filter(certificates::Column::CourseId.eq(course_id))
            .one(&txn)
            .await
            .map_err(db_error)?
            .ok_or_else(|| DomainError::internal("certificate not found after its upsert"))?;
        claims::open_certificate_to_holders(&txn, row.id, course_id, Utc::now()).await?;
        txn.commit().await.map_err(db_error)?;
        Ok(row.into())
    }
}
