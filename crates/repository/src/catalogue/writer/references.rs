//! What the writer checks before it writes, and how it reads a refused write.
//!
//! Referenced rows are checked (and locked on PostgreSQL) in the transaction
//! before a write, so an unknown parent is a clear error rather than a foreign
//! key violation: the item being changed or the parent named by the call (the
//! course of a module, the module of a lesson) is `NotFound`; a reference
//! inside the command is `Invalid` with its field (`direction_id`,
//! `teacher_id`, a workbook's `lesson_id`). Foreign key violations are still
//! mapped the same way, should one slip through.

use crate::database::db_error;
use crate::entities::{directions, users};
use bilim_domain::{DomainError, DomainResult};
use sea_orm::sea_query::{Expr, LockType};
use sea_orm::{
    DatabaseTransaction, DbErr, EntityTrait, PrimaryKeyTrait, QuerySelect, RuntimeErr, SqlErr,
};
use uuid::Uuid;

pub(super) fn unknown_direction() -> DomainError {
    DomainError::invalid("direction_id", "direction.not_found", "no such direction")
}

pub(super) fn unknown_teacher() -> DomainError {
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

/// Locks the row `id` of `E` `FOR UPDATE` (the parent of a set of siblings,
/// or the course a workbook or certificate joins), `NotFound` when it is gone.
pub(super) async fn lock_parent<E>(txn: &DatabaseTransaction, id: Uuid) -> DomainResult<()>
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

pub(super) async fn require_direction(txn: &DatabaseTransaction, id: Uuid) -> DomainResult<()> {
    if exists::<directions::Entity>(txn, id, LockType::Share).await? {
        Ok(())
    } else {
        Err(unknown_direction())
    }
}

/// The teacher's role is the service's to check; here only that the user exists.
pub(super) async fn require_teacher(
    txn: &DatabaseTransaction,
    teacher: Option<Uuid>,
) -> DomainResult<()> {
    match teacher {
        Some(id) if !exists::<users::Entity>(txn, id, LockType::Share).await? => {
            Err(unknown_teacher())
        }
        _ => Ok(()),
    }
}

pub(super) fn foreign_key_violation(error: &DbErr) -> Option<String> {
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
