//! `UserDirectory` on sea-orm: the admin's filtered keyset pages of users, and
//! the kept totals.
//!
//! A page is one query served by an index on PostgreSQL:
//!
//! ```sql
//! SELECT … FROM users
//! WHERE active = ?                                  -- users_active_id_idx
//!   AND search_text LIKE '%' || ? || '%' ESCAPE '\' -- users_search_text_trgm_idx
//!   AND id < ?                                      -- keyset
//! ORDER BY id DESC LIMIT ?
//! ```
//!
//! `search_text` holds the names, email and phone lower-cased in Rust (see
//! `users::mapping::search_text`), and the query is lower-cased the same way, so
//! the search is case-insensitive in every script on both backends; SQLite's own
//! `lower()` and `LIKE` fold ASCII only.

use crate::database::{Database, db_error};
use crate::entities::user_totals;
use crate::entities::users::{self, Column};
use async_trait::async_trait;
use bilim_domain::ports::{UserDirectory, UserQuery, UserStatus, UserTotals};
use bilim_domain::users::User;
use bilim_domain::{DomainError, DomainResult};
use sea_orm::sea_query::{Expr, LikeExpr};
use sea_orm::{
    ColumnTrait, ConnectionTrait, EntityTrait, ExprTrait, QueryFilter, QueryOrder, QuerySelect,
};

/// The one row of `user_totals`.
const TOTALS_ID: i32 = 1;

/// The escape character of search patterns.
const LIKE_ESCAPE: char = '\\';

pub struct SeaUserDirectory {
    db: Database,
}

impl SeaUserDirectory {
    pub fn new(db: Database) -> Self {
        Self { db }
    }
}

#[async_trait]
impl UserDirectory for SeaUserDirectory {
    #[tracing::instrument(skip(self))]
    async fn list(&self, query: &UserQuery) -> DomainResult<Vec<User>> {
        if query.limit == 0 {
            return Ok(Vec::new());
        }
        let mut select = users::Entity::find();
        match query.status {
            UserStatus::Active => select = select.filter(Column::Active.eq(true)),
            UserStatus::Inactive => select = select.filter(Column::Active.eq(false)),
            UserStatus::All => {}
        }
        if let Some(search) = query.search.as_deref().filter(|search| !search.is_empty()) {
            let pattern = format!("%{}%", escape_like(&search.to_lowercase()));
            select =
                select.filter(Column::SearchText.like(LikeExpr::new(pattern).escape(LIKE_ESCAPE)));
        }
        if let Some(after) = query.after {
            select = select.filter(Column::Id.lt(after));
        }
        let rows = select
            .order_by_desc(Column::Id)
            .limit(query.limit)
            .all(self.db.connection())
            .await
            .map_err(db_error)?;
        rows.into_iter().map(User::try_from).collect()
    }

    #[tracing::instrument(skip(self))]
    async fn totals(&self) -> DomainResult<UserTotals> {
        let row = user_totals::Entity::find_by_id(TOTALS_ID)
            .one(self.db.connection())
            .await
            .map_err(db_error)?
            .ok_or_else(|| DomainError::internal("user_totals has no row"))?;
        let count = |n: i64| {
            u64::try_from(n)
                .map_err(|_| DomainError::internal(format!("user_totals holds {n}: {row:?}")))
        };
        Ok(UserTotals {
            active: count(row.active)?,
            inactive: count(row.inactive)?,
        })
    }
}

/// Adds to the kept totals (`SET active = active + ?`, never read-modify-write).
/// Call it inside the transaction that changes the users it counts.
pub(crate) async fn add_to_totals<C: ConnectionTrait>(
    connection: &C,
    active: i64,
    inactive: i64,
) -> DomainResult<()> {
    let result = user_totals::Entity::update_many()
        .col_expr(
            user_totals::Column::Active,
            Expr::col(user_totals::Column::Active).add(active),
        )
        .col_expr(
            user_totals::Column::Inactive,
            Expr::col(user_totals::Column::Inactive).add(inactive),
        )
        .filter(user_totals::Column::Id.eq(TOTALS_ID))
        .exec(connection)
        .await
        .map_err(db_error)?;
    if result.rows_affected != 1 {
        return Err(DomainError::internal("user_totals has no row"));
    }
    Ok(())
}

/// Makes `%`, `_` and the escape character itself literal in a `LIKE` pattern.
fn escape_like(text: &str) -> String {
    let mut escaped = String::with_capacity(text.len());
    for c in text.chars() {
        if matches!(c, '%' | '_' | LIKE_ESCAPE) {
            escaped.push(LIKE_ESCAPE);
        }
        escaped.push(c);
    }
    escaped
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn like_wildcards_and_the_escape_become_literal() {
        assert_eq!(escape_like("50%_off\\"), "50\\%\\_off\\\\");
        assert_eq!(escape_like("муҳам"), "муҳам");
    }
}
