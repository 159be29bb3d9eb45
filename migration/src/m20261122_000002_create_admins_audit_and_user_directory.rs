//! Admins, the audit log, and what the admin's user list needs: kept totals and
//! indexes that serve its filters and keyset pages.
//!
//! The user search matches a substring of `users.search_text`, the names, email and
//! phone joined by spaces and lower-cased **in Rust** (`str::to_lowercase`) by
//! whoever writes the row. A lower-cased column rather than `lower(…)` in SQL,
//! because SQLite's `lower()` folds ASCII only (`Муҳаммад` would stay as it is),
//! and PostgreSQL's depends on the database's ctype; folding in Rust is the same
//! on both backends and independent of the server's locale.

use sea_orm_migration::sea_orm::{ConnectionTrait, DbBackend, Statement, Value};
use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

/// Rows read and rewritten per round trip when filling `users.search_text`.
const BACKFILL_BATCH: u64 = 1000;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    /// In one transaction on SQLite too: the totals are counted from the same
    /// users the new column is filled for, and a failure leaves nothing half done.
    fn use_transaction(&self) -> Option<bool> {
        Some(true)
    }

    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        create_admins(manager).await?;
        create_audit_log(manager).await?;
        create_user_totals(manager).await?;
        add_user_search(manager).await?;
        // The status filter with its keyset order: `WHERE active = ? AND id < ?
        // ORDER BY id DESC LIMIT ?` reads this index backwards and stops at the
        // limit. Without a status filter the primary key does the same.
        manager
            .create_index(
                Index::create()
                    .name("users_active_id_idx")
                    .table(Users::Table)
                    .col(Users::Active)
                    .col(Users::Id)
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_index(
                Index::drop()
                    .name("users_active_id_idx")
                    .table(Users::Table)
                    .to_owned(),
            )
            .await?;
        if manager.get_database_backend() == DbBackend::Postgres {
            // pg_trgm stays: other schemas may use it.
            manager
                .get_connection()
                .execute_unprepared("DROP INDEX IF EXISTS users_search_text_trgm_idx")
                .await?;
        }
        manager
            .alter_table(
                Table::alter()
                    .table(Users::Table)
                    .drop_column(Users::SearchText)
                    .to_owned(),
            )
            .await?;
        for table in [
            UserTotals::Table.into_iden(),
            AuditLog::Table.into_iden(),
            Admins::Table.into_iden(),
        ] {
            manager
                .drop_table(Table::drop().table(table).to_owned())
                .await?;
        }
        Ok(())
    }
}

async fn create_admins(manager: &SchemaManager<'_>) -> Result<(), DbErr> {
    manager
        .create_table(
            Table::create()
                .table(Admins::Table)
                .col(pk_uuid(Admins::Id))
                .col(string_len(Admins::Username, 32))
                .col(string_len(Admins::Email, 254))
                .col(text(Admins::PasswordHash))
                .col(string_len(Admins::Role, 16))
                .col(boolean(Admins::Active).default(true))
                .col(big_integer_null(Admins::TgId))
                .col(integer(Admins::TokenVersion).default(0))
                .col(timestamp_with_time_zone_null(Admins::LastLoginAt))
                .col(timestamp_with_time_zone(Admins::CreatedAt))
                .col(timestamp_with_time_zone(Admins::UpdatedAt))
                .to_owned(),
        )
        .await?;
    // The adapter tells the two apart by these names: "admins_username_key" on
    // PostgreSQL, "admins.username" in SQLite's message.
    for (name, column) in [
        ("admins_username_key", Admins::Username),
        ("admins_email_key", Admins::Email),
    ] {
        manager
            .create_index(
                Index::create()
                    .name(name)
                    .table(Admins::Table)
                    .col(column)
                    .unique()
                    .to_owned(),
            )
            .await?;
    }
    Ok(())
}

async fn create_audit_log(manager: &SchemaManager<'_>) -> Result<(), DbErr> {
    manager
        .create_table(
            Table::create()
                .table(AuditLog::Table)
                // UUID v7: time-ordered, so `ORDER BY id DESC` is newest first.
                .col(pk_uuid(AuditLog::Id))
                .col(uuid(AuditLog::AdminId))
                .col(string_len(AuditLog::Action, 64))
                .col(string_len(AuditLog::TargetType, 32))
                .col(string_len(AuditLog::TargetId, 64))
                .col(text(AuditLog::Details))
                .col(string_len_null(AuditLog::Ip, 45))
                .col(timestamp_with_time_zone(AuditLog::At))
                // An admin with history is deactivated, never deleted.
                .foreign_key(
                    ForeignKey::create()
                        .name("audit_log_admin_id_fkey")
                        .from(AuditLog::Table, AuditLog::AdminId)
                        .to(Admins::Table, Admins::Id)
                        .on_delete(ForeignKeyAction::Restrict)
                        .on_update(ForeignKeyAction::Restrict),
                )
                .to_owned(),
        )
        .await?;
    // Each serves one filter with the keyset order `id < ? ORDER BY id DESC`.
    for (name, column) in [
        ("audit_log_admin_id_id_idx", AuditLog::AdminId),
        ("audit_log_target_id_id_idx", AuditLog::TargetId),
    ] {
        manager
            .create_index(
                Index::create()
                    .name(name)
                    .table(AuditLog::Table)
                    .col(column)
                    .col(AuditLog::Id)
                    .to_owned(),
            )
            .await?;
    }
    Ok(())
}

/// One row (`id = 1`) counting active and inactive users, changed in the same
/// transaction as every insert and every real change of `users.active`, so the
/// admin dashboard never runs `COUNT(*)` over users.
async fn create_user_totals(manager: &SchemaManager<'_>) -> Result<(), DbErr> {
    manager
        .create_table(
            Table::create()
                .table(UserTotals::Table)
                .col(integer(UserTotals::Id).primary_key())
                .col(big_integer(UserTotals::Active))
                .col(big_integer(UserTotals::Inactive))
                .check(Expr::col(UserTotals::Id).eq(1))
                .to_owned(),
        )
        .await?;
    manager
        .get_connection()
        .execute_unprepared(
            "INSERT INTO user_totals (id, active, inactive) \
             SELECT 1, \
                    COALESCE(SUM(CASE WHEN active THEN 1 ELSE 0 END), 0), \
                    COALESCE(SUM(CASE WHEN active THEN 0 ELSE 1 END), 0) \
             FROM users",
        )
        .await?;
    Ok(())
}

async fn add_user_search(manager: &SchemaManager<'_>) -> Result<(), DbErr> {
    manager
        .alter_table(
            Table::alter()
                .table(Users::Table)
                .add_column(text(Users::SearchText).default(""))
                .to_owned(),
        )
        .await?;
    backfill_search_text(manager).await?;
    // Nothing on SQLite: a B-tree cannot serve `LIKE '%…%'`, and a trigram index
    // there means an FTS5 virtual table kept in step by triggers. A search walks
    // users newest first and stops after a page of matches, which at SQLite's
    // scale (one server) is a scan of a few MB at worst.
    if manager.get_database_backend() == DbBackend::Postgres {
        // `LIKE '%…%'` can use a trigram GIN index (three characters or more).
        // pg_trgm is a trusted extension: the database owner may create it.
        let connection = manager.get_connection();
        connection
            .execute_unprepared("CREATE EXTENSION IF NOT EXISTS pg_trgm")
            .await?;
        connection
            .execute_unprepared(
                "CREATE INDEX users_search_text_trgm_idx ON users \
                 USING gin (search_text gin_trgm_ops)",
            )
            .await?;
    }
    Ok(())
}

/// What `bilim-repository` writes into `users.search_text`; both must agree.
fn search_text(first_name: &str, last_name: &str, email: &str, phone: Option<&str>) -> String {
    format!(
        "{first_name} {last_name} {email} {}",
        phone.unwrap_or_default()
    )
    .to_lowercase()
}

/// Fills `search_text` for the users that exist, in Rust for the reason above.
/// Rows are addressed by a key the migration can read without the UUID type:
/// SQLite's `rowid`, PostgreSQL's `id::text`.
async fn backfill_search_text(manager: &SchemaManager<'_>) -> Result<(), DbErr> {
    let connection = manager.get_connection();
    let backend = manager.get_database_backend();
    let (select, update) = match backend {
        DbBackend::Postgres => (
            "SELECT id::text, first_name, last_name, email, phone FROM users \
             WHERE id > $1::uuid ORDER BY id LIMIT $2",
            "UPDATE users SET search_text = $1 WHERE id = $2::uuid",
        ),
        _ => (
            "SELECT rowid, first_name, last_name, email, phone FROM users \
             WHERE rowid > ? ORDER BY rowid LIMIT ?",
            "UPDATE users SET search_text = ? WHERE rowid = ?",
        ),
    };
    let mut after: Value = match backend {
        DbBackend::Postgres => "00000000-0000-0000-0000-000000000000".into(),
        _ => 0_i64.into(),
    };
    loop {
        let rows = connection
            .query_all_raw(Statement::from_sql_and_values(
                backend,
                select,
                [after.clone(), (BACKFILL_BATCH as i64).into()],
            ))
            .await?;
        for row in &rows {
            let key: Value = match backend {
                DbBackend::Postgres => row.try_get_by_index::<String>(0)?.into(),
                _ => row.try_get_by_index::<i64>(0)?.into(),
            };
            let text = search_text(
                &row.try_get_by_index::<String>(1)?,
                &row.try_get_by_index::<String>(2)?,
                &row.try_get_by_index::<String>(3)?,
                row.try_get_by_index::<Option<String>>(4)?.as_deref(),
            );
            connection
                .execute_raw(Statement::from_sql_and_values(
                    backend,
                    update,
                    [text.into(), key.clone()],
                ))
                .await?;
            after = key;
        }
        if (rows.len() as u64) < BACKFILL_BATCH {
            return Ok(());
        }
    }
}

#[derive(DeriveIden)]
enum Admins {
    Table,
    Id,
    Username,
    Email,
    PasswordHash,
    Role,
    Active,
    TgId,
    TokenVersion,
    LastLoginAt,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum AuditLog {
    Table,
    Id,
    AdminId,
    Action,
    TargetType,
    TargetId,
    Details,
    Ip,
    At,
}

#[derive(DeriveIden)]
enum UserTotals {
    Table,
    Id,
    Active,
    Inactive,
}

#[derive(DeriveIden)]
enum Users {
    Table,
    Id,
    Active,
    SearchText,
}
