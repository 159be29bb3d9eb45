//! What holds a file: a lesson's video, workbooks and the course's
//! certificate. Workbooks and certificates are added in the same transaction
//! to the claims of every holder of a grant on the course that is not revoked.

use super::references::{exists, lock_parent, write_error};
use crate::catalogue::videos;
use crate::database::db_error;
use crate::entities::{certificates, courses, lessons, modules, workbooks};
use crate::learning::claims;
use bilim_domain::catalogue::{Certificate, VideoSource, Workbook};
use bilim_domain::values::Title;
use bilim_domain::{DomainError, DomainResult};
use chrono::Utc;
use sea_orm::ActiveValue::Set;
use sea_orm::sea_query::{Expr, LockType, OnConflict};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, DatabaseTransaction, EntityTrait, QueryFilter, QuerySelect,
    RelationTrait,
};
use uuid::Uuid;

/// Locks the lesson, then replaces its video (`videos.rs`); returns the
/// storage key it replaced.
pub(super) async fn set_video(
    txn: &DatabaseTransaction,
    lesson_id: Uuid,
    source: VideoSource,
    duration_seconds: i32,
) -> DomainResult<Option<String>> {
    lock_parent::<lessons::Entity>(txn, lesson_id).await?;
    videos::replace(txn, lesson_id, source, duration_seconds).await
}

/// `created_at` is the time of the call: the port passes no clock time for
/// workbooks, and it only orders them.
pub(super) async fn create_workbook(
    txn: &DatabaseTransaction,
    workbook: &Workbook,
) -> DomainResult<()> {
    // FOR UPDATE, not FOR SHARE: a grant share-locks the course, so the two
    // wait for each other on PostgreSQL (READ COMMITTED) and whichever comes
    // second sees the other's rows — the workbook reaches a holder granted
    // meanwhile.
    if !exists::<courses::Entity>(txn, workbook.course_id, LockType::Update).await? {
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
            .one(txn)
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
    .insert(txn)
    .await
    .map_err(write_error)?;
    claims::open_workbook_to_holders(txn, workbook.id, workbook.course_id, now).await
}

/// Returns the removed workbook's storage key.
pub(super) async fn delete_workbook(txn: &DatabaseTransaction, id: Uuid) -> DomainResult<String> {
    let key: String = workbooks::Entity::find_by_id(id)
        .select_only()
        .column(workbooks::Column::StorageKey)
        .lock_exclusive()
        .into_tuple()
        .one(txn)
        .await
        .map_err(db_error)?
        .ok_or(DomainError::NotFound)?;
    workbooks::Entity::delete_by_id(id)
        .exec(txn)
        .await
        .map_err(db_error)?;
    Ok(key)
}

/// One upsert on `certificates_course_id_key`; a new certificate gets a UUID
/// v7, a renamed one keeps its id. A rename adds no claims: holders have it.
pub(super) async fn put_certificate(
    txn: &DatabaseTransaction,
    course_id: Uuid,
    title: &Title,
) -> DomainResult<Certificate> {
    // FOR UPDATE against a concurrent grant's FOR SHARE, as in
    // `create_workbook`.
    if !exists::<courses::Entity>(txn, course_id, LockType::Update).await? {
        return Err(DomainError::NotFound);
    }
    let row = certificates::ActiveModel {
        id: Set(Uuid::now_v7()),
        course_id: Set(course_id),
        title: Set(title.as_str().to_owned()),
    };
    certificates::Entity::insert(row)
        .on_conflict(
            OnConflict::column(certificates::Column::CourseId)
                .update_column(certificates::Column::Title)
                .to_owned(),
        )
        .exec_without_returning(txn)
        .await
        .map_err(write_error)?;
    let row = certificates::Entity::find()
        .filter(certificates::Column::CourseId.eq(course_id))
        .one(txn)
        .await
        .map_err(db_error)?
        .ok_or_else(|| DomainError::internal("certificate not found after its upsert"))?;
    claims::open_certificate_to_holders(txn, row.id, course_id, Utc::now()).await?;
    Ok(row.into())
}
