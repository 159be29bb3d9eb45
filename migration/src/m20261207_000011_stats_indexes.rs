//! Indexes for the dashboard's counts per day (`GET /admin/stats`): each count
//! is a range scan of the day column it groups by, and the active grants a
//! range scan of their end.

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

/// `(index, table, column, partial condition)`.
const INDEXES: [(&str, &str, &str, &str); 5] = [
    ("users_created_at_idx", "users", "created_at", ""),
    (
        "lesson_progress_completed_at_idx",
        "lesson_progress",
        "completed_at",
        " WHERE completed_at IS NOT NULL",
    ),
    (
        "certificate_open_user_claimed_at_idx",
        "certificate_open_user",
        "claimed_at",
        " WHERE claimed_at IS NOT NULL",
    ),
    (
        "orders_completed_at_idx",
        "orders",
        "completed_at",
        " WHERE status = 'completed'",
    ),
    (
        "courses_open_users_live_expires_at_idx",
        "courses_open_users",
        "expires_at, course_id",
        " WHERE revoked_at IS NULL",
    ),
];

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let connection = manager.get_connection();
        for (name, table, columns, condition) in INDEXES {
            connection
                .execute_unprepared(&format!(
                    "CREATE INDEX {name} ON {table} ({columns}){condition}"
                ))
                .await?;
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let connection = manager.get_connection();
        for (name, ..) in INDEXES {
            connection
                .execute_unprepared(&format!("DROP INDEX IF EXISTS {name}"))
                .await?;
        }
        Ok(())
    }
}
