//! `PointsRepository` on sea-orm: the kept totals, and the leaderboard by
//! keyset over `(scope, points, user_id)`.

use crate::database::{Database, db_error};
use crate::entities::point_totals;
use async_trait::async_trait;
use bilim_domain::DomainResult;
use bilim_domain::ports::PointsRepository;
use bilim_domain::quizzes::Leader;
use sea_orm::{
    ColumnTrait, EntityTrait, FromQueryResult, QueryFilter, QuerySelect, Statement, Value,
};
use uuid::Uuid;

pub struct SeaPointsRepository {
    db: Database,
}

impl SeaPointsRepository {
    pub fn new(db: Database) -> Self {
        Self { db }
    }
}

#[derive(Debug, FromQueryResult)]
struct LeaderRow {
    user_id: Uuid,
    points: i64,
    first_name: String,
    last_name: String,
}

#[async_trait]
impl PointsRepository for SeaPointsRepository {
    async fn total(&self, user_id: Uuid) -> DomainResult<i64> {
        let points: Option<i64> = point_totals::Entity::find()
            .select_only()
            .column(point_totals::Column::Points)
            .filter(point_totals::Column::UserId.eq(user_id))
            .filter(point_totals::Column::Scope.eq("all"))
            .into_tuple()
            .one(self.db.connection())
            .await
            .map_err(db_error)?;
        Ok(points.unwrap_or(0))
    }

    async fn leaderboard(
        &self,
        direction_id: Option<Uuid>,
        after: Option<(i64, Uuid)>,
        limit: u64,
    ) -> DomainResult<Vec<Leader>> {
        let scope = direction_id.map_or_else(|| "all".to_owned(), |d| d.to_string());
        let limit = i64::try_from(limit).unwrap_or(100);
        let mut values = vec![Value::from(scope)];
        let mut sql = "SELECT p.user_id, p.points, u.first_name, u.last_name \
                       FROM point_totals p JOIN users u ON u.id = p.user_id \
                       WHERE p.scope = $1 AND u.active"
            .to_owned();
        if let Some((points, user_id)) = after {
            sql.push_str(" AND (p.points < $2 OR (p.points = $3 AND p.user_id > $4))");
            values.extend([points.into(), points.into(), user_id.into()]);
        }
        sql.push_str(&format!(
            " ORDER BY p.points DESC, p.user_id ASC LIMIT ${}",
            values.len() + 1
        ));
        values.push(limit.into());
        let connection = self.db.connection();
        let statement =
            Statement::from_sql_and_values(connection.get_database_backend(), sql, values);
        let rows = LeaderRow::find_by_statement(statement)
            .all(connection)
            .await
            .map_err(db_error)?;
        Ok(rows
            .into_iter()
            .map(|row| Leader {
                user_id: row.user_id,
                first_name: row.first_name,
                last_name: row.last_name,
                points: row.points,
            })
            .collect())
    }
}
