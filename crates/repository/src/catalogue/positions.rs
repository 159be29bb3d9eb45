//! Positions among siblings (directions; the modules of a course; the lessons of
//! a module), kept `1..=n` without gaps or duplicates.
//!
//! Every change runs inside the writer's `begin_write` transaction, after the
//! writer has serialised changes to the same siblings: on PostgreSQL by locking
//! the parent row (`SELECT … FOR UPDATE`), or the `directions` table; on SQLite
//! `BEGIN IMMEDIATE` already serialises all writers. Renumbering is one
//! `UPDATE … SET position = position ± 1 WHERE <siblings> AND position BETWEEN
//! ? AND ?`, whatever the number of siblings.

use crate::database::db_error;
use bilim_domain::DomainResult;
use sea_orm::sea_query::Expr;
use sea_orm::{
    ColumnTrait, Condition, ConnectionTrait, EntityTrait, ExprTrait, QueryFilter, QuerySelect,
};
use uuid::Uuid;

/// The rows of `E` that share one numbering.
pub(super) struct Siblings<E: EntityTrait> {
    scope: Condition,
    position: E::Column,
}

impl<E> Siblings<E>
where
    E: EntityTrait,
    E::Column: Copy,
{
    /// The rows whose `parent` column is `id`.
    pub(super) fn under(parent: E::Column, id: Uuid, position: E::Column) -> Self {
        Self {
            scope: Condition::all().add(parent.eq(id)),
            position,
        }
    }

    /// Every row of the table.
    pub(super) fn all(position: E::Column) -> Self {
        Self {
            scope: Condition::all(),
            position,
        }
    }

    /// The highest position, 0 when there are no siblings.
    async fn last<C: ConnectionTrait>(&self, connection: &C) -> DomainResult<i32> {
        let last: Option<Option<i32>> = E::find()
            .select_only()
            .expr(Expr::col(self.position).max())
            .filter(self.scope.clone())
            .into_tuple()
            .one(connection)
            .await
            .map_err(db_error)?;
        Ok(last.flatten().unwrap_or(0))
    }

    /// Makes room for a new sibling and returns its position: at the end
    /// without `wanted`; else at `wanted` (clamped to `1..=n + 1`), the
    /// siblings from there on moving one down.
    pub(super) async fn open<C: ConnectionTrait>(
        &self,
        connection: &C,
        wanted: Option<i32>,
    ) -> DomainResult<i32> {
        let last = self.last(connection).await?;
        let Some(wanted) = wanted else {
            return Ok(last + 1);
        };
        let at = wanted.clamp(1, last + 1);
        self.shift(connection, at, last, 1).await?;
        Ok(at)
    }

    /// Makes room for the sibling at `from` to move to `wanted` (clamped to
    /// `1..=n`) and returns where it goes; the caller then writes it there.
    pub(super) async fn make_way<C: ConnectionTrait>(
        &self,
        connection: &C,
        from: i32,
        wanted: i32,
    ) -> DomainResult<i32> {
        let last = self.last(connection).await?;
        let to = wanted.clamp(1, Ord::max(last, 1));
        if to < from {
            self.shift(connection, to, from - 1, 1).await?;
        } else if to > from {
            self.shift(connection, from + 1, to, -1).await?;
        }
        Ok(to)
    }

    /// Closes the gap a removed sibling left at `at`.
    pub(super) async fn close<C: ConnectionTrait>(
        &self,
        connection: &C,
        at: i32,
    ) -> DomainResult<()> {
        self.shift(connection, at + 1, i32::MAX, -1).await
    }

    /// Adds `delta` to the positions `from..=to`.
    async fn shift<C: ConnectionTrait>(
        &self,
        connection: &C,
        from: i32,
        to: i32,
        delta: i32,
    ) -> DomainResult<()> {
        if from > to {
            return Ok(());
        }
        E::update_many()
            .col_expr(self.position, Expr::col(self.position).add(delta))
            .filter(self.scope.clone())
            .filter(self.position.between(from, to))
            .exec(connection)
            .await
            .map_err(db_error)?;
        Ok(())
    }
}
