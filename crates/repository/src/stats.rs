//! `StatsRepository` on sea-orm: seven statements, each a range scan of an
//! index of migration 000011 (or the kept totals), whatever the number of users.

use crate::database::{Database, db_error};
use async_trait::async_trait;
use bilim_domain::ports::StatsRepository;
use bilim_domain::stats::{
    DayStats, ENDING_SOON_DAYS, Stats, StatsRange, TASHKENT_HOURS, TOP_COURSES, TopCourse,
};
use bilim_domain::{DomainError, DomainResult};
use chrono::{DateTime, NaiveDate, Utc};
use sea_orm::{
    ConnectionTrait, DatabaseBackend, DatabaseConnection, QueryResult, Statement, Value,
};
use std::collections::BTreeMap;
use uuid::Uuid;

pub struct SeaStatsRepository {
    db: Database,
}

impl SeaStatsRepository {
    pub fn new(db: Database) -> Self {
        Self { db }
    }
}

/// `column`'s Tashkent date as `YYYY-MM-DD` text.
fn day_of(backend: DatabaseBackend, column: &str) -> String {
    match backend {
        DatabaseBackend::Postgres => format!(
            "to_char({column} AT TIME ZONE 'UTC' + interval '{TASHKENT_HOURS} hours', 'YYYY-MM-DD')"
        ),
        _ => format!("date({column}, '+{TASHKENT_HOURS} hours')"),
    }
}

/// Numbered placeholders: `$n` on PostgreSQL, `?n` on SQLite.
fn arg(backend: DatabaseBackend, n: usize) -> String {
    match backend {
        DatabaseBackend::Postgres => format!("${n}"),
        _ => format!("?{n}"),
    }
}

fn at(time: DateTime<Utc>) -> Value {
    Value::from(time.fixed_offset())
}

async fn rows(
    connection: &DatabaseConnection,
    sql: String,
    values: Vec<Value>,
) -> DomainResult<Vec<QueryResult>> {
    let backend = connection.get_database_backend();
    connection
        .query_all_raw(Statement::from_sql_and_values(backend, sql, values))
        .await
        .map_err(db_error)
}

fn day(row: &QueryResult) -> DomainResult<NaiveDate> {
    let text: String = row.try_get_by_index(0).map_err(db_error)?;
    text.parse()
        .map_err(|_| DomainError::internal(format!("a stats day of {text:?}")))
}

fn count(row: &QueryResult, index: usize) -> DomainResult<i64> {
    // SUM and COUNT come back as NULL over no rows, and as NUMERIC from
    // PostgreSQL's SUM(bigint): both are cast to BIGINT in the SQL.
    Ok(row
        .try_get_by_index::<Option<i64>>(index)
        .map_err(db_error)?
        .unwrap_or(0))
}

#[async_trait]
impl StatsRepository for SeaStatsRepository {
    async fn stats(&self, range: &StatsRange, now: DateTime<Utc>) -> DomainResult<Stats> {
        let connection = self.db.connection();
        let backend = connection.get_database_backend();
        let (a1, a2) = (arg(backend, 1), arg(backend, 2));
        let window = || vec![at(range.starts_at()), at(range.ends_before())];
        let mut days: BTreeMap<NaiveDate, DayStats> =
            range.days().map(|day| (day, DayStats::default())).collect();

        let per_day = |table: &str, column: &str, extra: &str, sums: &str| {
            let day = day_of(backend, column);
            format!(
                "SELECT {day} AS day, CAST(COUNT(*) AS BIGINT){sums} FROM {table} \
                 WHERE {column} >= {a1} AND {column} < {a2}{extra} GROUP BY {day}"
            )
        };
        for row in rows(connection, per_day("users", "created_at", "", ""), window()).await? {
            if let Some(entry) = days.get_mut(&day(&row)?) {
                entry.new_users = count(&row, 1)?;
            }
        }
        let sql = per_day("lesson_progress", "completed_at", "", "");
        for row in rows(connection, sql, window()).await? {
            if let Some(entry) = days.get_mut(&day(&row)?) {
                entry.lessons_completed = count(&row, 1)?;
            }
        }
        let sql = per_day("certificate_open_user", "claimed_at", "", "");
        for row in rows(connection, sql, window()).await? {
            if let Some(entry) = days.get_mut(&day(&row)?) {
                entry.certificates = count(&row, 1)?;
            }
        }
        let sql = per_day(
            "orders",
            "completed_at",
            " AND status = 'completed'",
            ", CAST(SUM(amount) AS BIGINT)",
        );
        for row in rows(connection, sql, window()).await? {
            if let Some(entry) = days.get_mut(&day(&row)?) {
                entry.orders = count(&row, 1)?;
                entry.revenue = count(&row, 2)?;
            }
        }

        let totals = rows(
            connection,
            "SELECT CAST(active + inactive AS BIGINT), CAST(active AS BIGINT) FROM user_totals WHERE id = 1"
                .to_owned(),
            Vec::new(),
        )
        .await?;
        let totals = totals
            .first()
            .ok_or_else(|| DomainError::internal("user_totals has no row"))?;
        let (users_total, users_active) = (count(totals, 0)?, count(totals, 1)?);

        let soon = now + chrono::Duration::days(ENDING_SOON_DAYS);
        let grants = rows(
            connection,
            format!(
                "SELECT CAST(COUNT(*) AS BIGINT), \
                        CAST(SUM(CASE WHEN expires_at <= {a2} THEN 1 ELSE 0 END) AS BIGINT) \
                 FROM courses_open_users \
                 WHERE revoked_at IS NULL AND expires_at > {a1} AND opened_at <= {a1}"
            ),
            vec![at(now), at(soon)],
        )
        .await?;
        let grants = grants
            .first()
            .ok_or_else(|| DomainError::internal("COUNT answered no row"))?;
        let (grants_active, grants_ending_soon) = (count(grants, 0)?, count(grants, 1)?);

        let top = rows(
            connection,
            format!(
                "SELECT c.id, c.title, CAST(g.n AS BIGINT) FROM \
                   (SELECT course_id, COUNT(*) AS n FROM courses_open_users \
                    WHERE revoked_at IS NULL AND expires_at > {a1} AND opened_at <= {a1} \
                    GROUP BY course_id ORDER BY n DESC, course_id LIMIT {TOP_COURSES}) AS g \
                 JOIN courses c ON c.id = g.course_id ORDER BY g.n DESC, c.id"
            ),
            vec![at(now)],
        )
        .await?;
        let top_courses = top
            .iter()
            .map(|row| {
                Ok(TopCourse {
                    course_id: row.try_get_by_index::<Uuid>(0).map_err(db_error)?,
                    title: row.try_get_by_index(1).map_err(db_error)?,
                    active_grants: count(row, 2)?,
                })
            })
            .collect::<DomainResult<Vec<_>>>()?;

        Ok(Stats {
            range: *range,
            users_total,
            users_active,
            grants_active,
            grants_ending_soon,
            days: days.into_iter().collect(),
            top_courses,
        })
    }
}
