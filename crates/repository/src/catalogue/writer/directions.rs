//! Directions: one numbering over the whole table, serialised on PostgreSQL by
//! a table lock (there is no parent row to lock).

use super::references::foreign_key_violation;
use crate::catalogue::positions::Siblings;
use crate::database::db_error;
use crate::entities::{courses, directions};
use bilim_domain::catalogue::{Direction, DirectionPatch, NewDirection};
use bilim_domain::values::{Description, Position};
use bilim_domain::{DomainError, DomainResult};
use chrono::{DateTime, Utc};
use sea_orm::ActiveValue::Set;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseBackend, DatabaseTransaction, DbErr,
    EntityTrait, IntoActiveModel, QueryFilter, QuerySelect,
};
use uuid::Uuid;

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

fn all_directions() -> Siblings<directions::Entity> {
    Siblings::all(directions::Column::Position)
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

fn has_courses() -> DomainError {
    DomainError::Conflict {
        what: "direction.has_courses".to_owned(),
    }
}

pub(super) async fn create(
    txn: &DatabaseTransaction,
    id: Uuid,
    new: NewDirection,
    now: DateTime<Utc>,
) -> DomainResult<Direction> {
    lock_directions(txn).await?;
    let position = all_directions()
        .open(txn, new.position.map(Position::get))
        .await?;
    let row = directions::ActiveModel {
        id: Set(id),
        name: Set(new.name.into_string()),
        description: Set(new.description.map(Description::into_string)),
        position: Set(position),
        created_at: Set(now.fixed_offset()),
        updated_at: Set(now.fixed_offset()),
    }
    .insert(txn)
    .await
    .map_err(direction_error)?;
    Ok(row.into())
}

pub(super) async fn update(
    txn: &DatabaseTransaction,
    id: Uuid,
    patch: DirectionPatch,
    now: DateTime<Utc>,
) -> DomainResult<Direction> {
    lock_directions(txn).await?;
    let row = directions::Entity::find_by_id(id)
        .one(txn)
        .await
        .map_err(db_error)?
        .ok_or(DomainError::NotFound)?;
    let from = row.position;
    let mut update = row.into_active_model();
    if let Some(name) = patch.name {
        update.name = Set(name.into_string());
    }
    if let Some(description) = patch.description {
        update.description = Set(description.map(Description::into_string));
    }
    if let Some(wanted) = patch.position {
        update.position = Set(all_directions().make_way(txn, from, wanted.get()).await?);
    }
    update.updated_at = Set(now.fixed_offset());
    let row = update.update(txn).await.map_err(direction_error)?;
    Ok(row.into())
}

pub(super) async fn delete(txn: &DatabaseTransaction, id: Uuid) -> DomainResult<()> {
    lock_directions(txn).await?;
    let position: i32 = directions::Entity::find_by_id(id)
        .select_only()
        .column(directions::Column::Position)
        .into_tuple()
        .one(txn)
        .await
        .map_err(db_error)?
        .ok_or(DomainError::NotFound)?;
    let course: Option<Uuid> = courses::Entity::find()
        .select_only()
        .column(courses::Column::Id)
        .filter(courses::Column::DirectionId.eq(id))
        .limit(1)
        .into_tuple()
        .one(txn)
        .await
        .map_err(db_error)?;
    if course.is_some() {
        return Err(has_courses());
    }
    // `courses_direction_id_fkey` is RESTRICT: a course added meanwhile fails
    // the delete.
    directions::Entity::delete_by_id(id)
        .exec(txn)
        .await
        .map_err(|error| match foreign_key_violation(&error) {
            Some(_) => has_courses(),
            None => db_error(error),
        })?;
    all_directions().close(txn, position).await
}
