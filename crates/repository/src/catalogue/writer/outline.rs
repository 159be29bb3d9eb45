//! Modules and lessons, the two levels of a course's outline, written by one
//! implementation. `OutlineTable` names what differs between them (the table,
//! the table of the parent, the columns, which lessons' videos a removal
//! takes); locking, positions and removals are the same code for both.
//!
//! Changes to positions are serialised per set of siblings: the parent row is
//! locked `FOR UPDATE` (the course for its modules, the module for its
//! lessons); an item being changed is read, its parent locked, and it is read
//! again. SQLite's `BEGIN IMMEDIATE` serialises every writer anyway.

use super::references::{lock_parent, write_error};
use crate::catalogue::positions::Siblings;
use crate::catalogue::videos::{self, LessonsOf};
use crate::database::db_error;
use crate::entities::{courses, lessons, modules};
use bilim_domain::catalogue::{NewOutlineItem, OutlineItem, OutlineLevel, OutlinePatch};
use bilim_domain::search::document_text;
use bilim_domain::values::Position;
use bilim_domain::{DomainError, DomainResult};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, DatabaseTransaction, EntityTrait, IntoActiveModel,
    PrimaryKeyTrait, QueryFilter, QuerySelect, Value,
};
use uuid::Uuid;

type ColumnOf<T> = <<T as OutlineTable>::Entity as EntityTrait>::Column;
type RowOf<T> = <<T as OutlineTable>::Entity as EntityTrait>::ActiveModel;
type ModelOf<T> = <<T as OutlineTable>::Entity as EntityTrait>::Model;

/// One level of the outline.
trait OutlineTable {
    type Entity: EntityTrait<
            Column: Copy,
            ActiveModel: Send,
            Model: Into<OutlineItem> + IntoActiveModel<RowOf<Self>>,
        >;
    /// The course of a module, the module of a lesson.
    type Parent: EntityTrait<PrimaryKey: PrimaryKeyTrait<ValueType: From<Uuid>>>;
    const ID: ColumnOf<Self>;
    /// The column naming the parent.
    const PARENT: ColumnOf<Self>;
    const TITLE: ColumnOf<Self>;
    /// `None` for modules, which have none.
    const DESCRIPTION: Option<ColumnOf<Self>>;
    const POSITION: ColumnOf<Self>;
    /// The folded title and description (`bilim_domain::search`); `None` for
    /// modules, which are not searched.
    const SEARCH_TEXT: Option<ColumnOf<Self>>;

    /// The lessons whose videos go with item `id`.
    fn lessons(id: Uuid) -> LessonsOf;

    /// The item's siblings: the children of `parent_id`.
    fn siblings(parent_id: Uuid) -> Siblings<Self::Entity> {
        Siblings::under(Self::PARENT, parent_id, Self::POSITION)
    }
}

struct Modules;
struct Lessons;

impl OutlineTable for Modules {
    type Entity = modules::Entity;
    type Parent = courses::Entity;
    const ID: modules::Column = modules::Column::Id;
    const PARENT: modules::Column = modules::Column::CourseId;
    const TITLE: modules::Column = modules::Column::Title;
    const DESCRIPTION: Option<modules::Column> = None;
    const POSITION: modules::Column = modules::Column::Position;
    const SEARCH_TEXT: Option<modules::Column> = None;

    fn lessons(id: Uuid) -> LessonsOf {
        LessonsOf::Module(id)
    }
}

impl OutlineTable for Lessons {
    type Entity = lessons::Entity;
    type Parent = modules::Entity;
    const ID: lessons::Column = lessons::Column::Id;
    const PARENT: lessons::Column = lessons::Column::ModuleId;
    const TITLE: lessons::Column = lessons::Column::Title;
    const DESCRIPTION: Option<lessons::Column> = Some(lessons::Column::Description);
    const POSITION: lessons::Column = lessons::Column::Position;
    const SEARCH_TEXT: Option<lessons::Column> = Some(lessons::Column::SearchText);

    fn lessons(id: Uuid) -> LessonsOf {
        LessonsOf::Lesson(id)
    }
}

pub(super) async fn create(
    level: OutlineLevel,
    txn: &DatabaseTransaction,
    id: Uuid,
    parent_id: Uuid,
    new: NewOutlineItem,
) -> DomainResult<OutlineItem> {
    match level {
        OutlineLevel::Module => create_in::<Modules>(txn, id, parent_id, new).await,
        OutlineLevel::Lesson => create_in::<Lessons>(txn, id, parent_id, new).await,
    }
}

pub(super) async fn update(
    level: OutlineLevel,
    txn: &DatabaseTransaction,
    id: Uuid,
    patch: OutlinePatch,
) -> DomainResult<OutlineItem> {
    match level {
        OutlineLevel::Module => update_in::<Modules>(txn, id, patch).await,
        OutlineLevel::Lesson => update_in::<Lessons>(txn, id, patch).await,
    }
}

/// Returns the keys of the stored videos of the lessons it removed. Their
/// workbooks stay, as workbooks of the course (`ON DELETE SET NULL`).
pub(super) async fn delete(
    level: OutlineLevel,
    txn: &DatabaseTransaction,
    id: Uuid,
) -> DomainResult<Vec<String>> {
    match level {
        OutlineLevel::Module => delete_in::<Modules>(txn, id).await,
        OutlineLevel::Lesson => delete_in::<Lessons>(txn, id).await,
    }
}

/// Sets a column of a row being written; a value of the wrong type is a bug.
fn set<A: ActiveModelTrait>(
    row: &mut A,
    column: <A::Entity as EntityTrait>::Column,
    value: impl Into<Value>,
) -> DomainResult<()> {
    row.try_set(column, value.into()).map_err(db_error)
}

/// Writes the search text of a row whose title or description may have
/// changed, from the values the row is about to hold.
fn set_search_text<T: OutlineTable>(row: &mut RowOf<T>) -> DomainResult<()> {
    let (Some(column), Some(description)) = (T::SEARCH_TEXT, T::DESCRIPTION) else {
        return Ok(());
    };
    let text = |column: ColumnOf<T>| -> DomainResult<String> {
        row.get(column)
            .into_value()
            .and_then(|value| <String as sea_orm::sea_query::ValueType>::try_from(value).ok())
            .ok_or_else(|| DomainError::internal("a searched outline row lacks its text"))
    };
    let search_text = document_text(&text(T::TITLE)?, &text(description)?);
    set(row, column, search_text)
}

/// The item `id` with its parent locked: read, lock the parent, read again (a
/// concurrent change may have moved the item before the lock was held).
async fn locked<T: OutlineTable>(txn: &DatabaseTransaction, id: Uuid) -> DomainResult<ModelOf<T>> {
    let parent_id: Uuid = T::Entity::find()
        .select_only()
        .column(T::PARENT)
        .filter(T::ID.eq(id))
        .into_tuple()
        .one(txn)
        .await
        .map_err(db_error)?
        .ok_or(DomainError::NotFound)?;
    lock_parent::<T::Parent>(txn, parent_id).await?;
    T::Entity::find()
        .filter(T::ID.eq(id))
        .one(txn)
        .await
        .map_err(db_error)?
        .ok_or(DomainError::NotFound)
}

async fn create_in<T: OutlineTable>(
    txn: &DatabaseTransaction,
    id: Uuid,
    parent_id: Uuid,
    new: NewOutlineItem,
) -> DomainResult<OutlineItem> {
    lock_parent::<T::Parent>(txn, parent_id).await?;
    let position = T::siblings(parent_id)
        .open(txn, new.position.map(Position::get))
        .await?;
    let mut row = <RowOf<T> as ActiveModelTrait>::default();
    set(&mut row, T::ID, id)?;
    set(&mut row, T::PARENT, parent_id)?;
    set(&mut row, T::TITLE, new.title.into_string())?;
    if let Some(column) = T::DESCRIPTION {
        set(&mut row, column, new.description.into_string())?;
    }
    set(&mut row, T::POSITION, position)?;
    set_search_text::<T>(&mut row)?;
    let row = row.insert(txn).await.map_err(write_error)?;
    Ok(row.into())
}

async fn update_in<T: OutlineTable>(
    txn: &DatabaseTransaction,
    id: Uuid,
    patch: OutlinePatch,
) -> DomainResult<OutlineItem> {
    let row = locked::<T>(txn, id).await?;
    let OutlineItem {
        parent_id,
        position: from,
        ..
    } = row.clone().into();
    let mut update = row.into_active_model();
    if let Some(title) = patch.title {
        set(&mut update, T::TITLE, title.into_string())?;
    }
    if let (Some(column), Some(description)) = (T::DESCRIPTION, patch.description) {
        set(&mut update, column, description.into_string())?;
    }
    if let Some(wanted) = patch.position {
        let to = T::siblings(parent_id)
            .make_way(txn, from, wanted.get())
            .await?;
        set(&mut update, T::POSITION, to)?;
    }
    set_search_text::<T>(&mut update)?;
    let row = update.update(txn).await.map_err(write_error)?;
    Ok(row.into())
}

async fn delete_in<T: OutlineTable>(
    txn: &DatabaseTransaction,
    id: Uuid,
) -> DomainResult<Vec<String>> {
    let OutlineItem {
        parent_id,
        position,
        ..
    } = locked::<T>(txn, id).await?.into();
    let keys = videos::stored_keys(txn, T::lessons(id)).await?;
    T::Entity::delete_many()
        .filter(T::ID.eq(id))
        .exec(txn)
        .await
        .map_err(db_error)?;
    T::siblings(parent_id).close(txn, position).await?;
    Ok(keys)
}
