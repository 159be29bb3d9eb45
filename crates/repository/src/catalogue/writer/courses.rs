//! Courses. A course's direction and teacher are references inside the
//! command: unknown ones are `Invalid` with their field, checked (and
//! share-locked on PostgreSQL) before the write.

use super::references::{
    foreign_key_violation, lock_parent, require_direction, require_teacher, unknown_direction,
    unknown_teacher,
};
use crate::catalogue::mapping::{apply_course_patch, course_row};
use crate::catalogue::videos::{self, LessonsOf};
use crate::database::db_error;
use crate::entities::{courses, workbooks};
use bilim_domain::catalogue::{Course, CoursePatch, NewCourse};
use bilim_domain::{DomainError, DomainResult};
use chrono::{DateTime, Utc};
use sea_orm::ActiveValue::Set;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, DatabaseTransaction, DbErr, EntityTrait, IntoActiveModel,
    QueryFilter, QuerySelect,
};
use uuid::Uuid;

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

pub(super) async fn create(
    txn: &DatabaseTransaction,
    id: Uuid,
    new: NewCourse,
    now: DateTime<Utc>,
) -> DomainResult<Course> {
    require_direction(txn, new.direction_id).await?;
    require_teacher(txn, new.teacher_id).await?;
    let row = course_row(id, new, now)
        .insert(txn)
        .await
        .map_err(course_error)?;
    Course::try_from(row)
}

pub(super) async fn update(
    txn: &DatabaseTransaction,
    id: Uuid,
    patch: CoursePatch,
    now: DateTime<Utc>,
) -> DomainResult<Course> {
    let row = courses::Entity::find_by_id(id)
        .lock_exclusive()
        .one(txn)
        .await
        .map_err(db_error)?
        .ok_or(DomainError::NotFound)?;
    if let Some(direction_id) = patch.direction_id
        && direction_id != row.direction_id
    {
        require_direction(txn, direction_id).await?;
    }
    if let Some(teacher_id) = patch.teacher_id
        && teacher_id != row.teacher_id
    {
        require_teacher(txn, teacher_id).await?;
    }
    let mut update = row.into_active_model();
    apply_course_patch(&mut update, patch);
    update.updated_at = Set(now.fixed_offset());
    let row = update.update(txn).await.map_err(course_error)?;
    Course::try_from(row)
}

/// `courses_open_users.course_id` references `courses` ON DELETE RESTRICT: a
/// course with grants (revoked or expired ones too) fails the delete with a
/// foreign key violation, mapped here to `course.has_students` (every other
/// reference to a course cascades). Returns the keys of its stored videos and
/// of its workbooks, read before the delete.
pub(super) async fn delete(txn: &DatabaseTransaction, id: Uuid) -> DomainResult<Vec<String>> {
    lock_parent::<courses::Entity>(txn, id).await?;
    let mut keys = videos::stored_keys(txn, LessonsOf::Course(id)).await?;
    let workbook_keys: Vec<String> = workbooks::Entity::find()
        .select_only()
        .column(workbooks::Column::StorageKey)
        .filter(workbooks::Column::CourseId.eq(id))
        .into_tuple()
        .all(txn)
        .await
        .map_err(db_error)?;
    keys.extend(workbook_keys);
    courses::Entity::delete_by_id(id).exec(txn).await.map_err(
        |error| match foreign_key_violation(&error) {
            Some(_) => DomainError::Conflict {
                what: "course.has_students".to_owned(),
            },
            None => db_error(error),
        },
    )?;
    Ok(keys)
}
