//! The relational database: SQLite (the default, one file) or PostgreSQL, chosen by
//! URL. Owns the pool settings, migrations, write transactions and the mapping of
//! driver errors to domain errors.

use async_trait::async_trait;
use bilim_domain::ports::HealthProbe;
use bilim_domain::{DomainError, DomainResult};
use migration::{Migrator, MigratorTrait};
use sea_orm::sqlx::Connection as _;
use sea_orm::sqlx::sqlite::{SqliteJournalMode, SqliteSynchronous};
use sea_orm::{
    ConnectOptions, ConnectionTrait, DatabaseBackend, DatabaseConnection, DatabaseTransaction,
    DbErr, RuntimeErr, SqlErr, SqliteTransactionMode, TransactionOptions, TransactionTrait,
};
use std::path::Path;
use std::time::Duration;

/// How long a request waits for a pooled connection before answering 503.
const ACQUIRE_TIMEOUT: Duration = Duration::from_secs(3);
/// A PostgreSQL connection idle this long is pinged before it is handed out; one
/// in steady use is not (sqlx pings every connection on release anyway, and a
/// ping per checkout was a third of a course page's round trips). A restart or
/// failover takes longer than this, so a connection that sat idle through one
/// is replaced before use; one that died while in use (or was used again within
/// the second) fails its request with 503 and is dropped on release.
const PING_AFTER_IDLE: Duration = Duration::from_secs(1);
/// PostgreSQL cancels a statement running longer than this, and ends a session
/// left idle inside a transaction this long: a safety net under the request
/// deadline (5 s), generous enough for migrations.
const STATEMENT_TIMEOUT: &str = "30s";
const IDLE_IN_TRANSACTION_TIMEOUT: &str = "30s";
/// How long a SQLite writer waits for the write lock held by another connection.
const SQLITE_BUSY_TIMEOUT: Duration = Duration::from_secs(10);

#[derive(Debug, Clone)]
pub struct DatabaseOptions {
    pub url: String,
    pub max_connections: u32,
}

impl DatabaseOptions {
    pub fn new(url: impl Into<String>) -> Self {
        Self {
            url: url.into(),
            max_connections: 16,
        }
    }
}

/// A pooled connection to Bilim's database.
#[derive(Debug, Clone)]
pub struct Database {
    connection: DatabaseConnection,
}

impl Database {
    /// Connects (creating the SQLite file and its directory when needed). Fails
    /// fast with `Unavailable` when the server does not answer.
    pub async fn connect(options: &DatabaseOptions) -> DomainResult<Self> {
        let url = options.url.as_str();
        let is_sqlite = url.starts_with("sqlite:");
        if is_sqlite {
            create_sqlite_directory(url)?;
        } else if !url.starts_with("postgres://") && !url.starts_with("postgresql://") {
            return Err(DomainError::invalid(
                "database_url",
                "config.invalid",
                "must start with sqlite: or postgres://",
            ));
        }
        let mut connect = ConnectOptions::new(url);
        connect
            .max_connections(options.max_connections)
            .min_connections(if is_sqlite { 1 } else { 2 })
            .connect_timeout(Duration::from_secs(3))
            .acquire_timeout(ACQUIRE_TIMEOUT)
            .idle_timeout(Duration::from_secs(600))
            .test_before_acquire(false)
            .map_sqlx_postgres_before_acquire(|connection, meta| {
                Box::pin(async move {
                    if meta.idle_for >= PING_AFTER_IDLE {
                        connection.ping().await?;
                    }
                    Ok(true)
                })
            })
            .map_sqlx_postgres_opts(|postgres| {
                postgres.options([
                    ("statement_timeout", STATEMENT_TIMEOUT),
                    (
                        "idle_in_transaction_session_timeout",
                        IDLE_IN_TRANSACTION_TIMEOUT,
                    ),
                ])
            })
            .sqlx_logging(false)
            .map_sqlx_sqlite_opts(|sqlite| {
                sqlite
                    .journal_mode(SqliteJournalMode::Wal)
                    .synchronous(SqliteSynchronous::Normal)
                    .busy_timeout(SQLITE_BUSY_TIMEOUT)
                    .foreign_keys(true)
            });
        let connection = sea_orm::Database::connect(connect)
            .await
            .map_err(|error| DomainError::unavailable("database", redact_db_error(&error)))?;
        Ok(Self { connection })
    }

    pub fn connection(&self) -> &DatabaseConnection {
        &self.connection
    }

    pub fn backend(&self) -> DatabaseBackend {
        self.connection.get_database_backend()
    }

    /// Calls `callback` after every statement run through this handle and the
    /// transactions it begins. Clones made afterwards share it; the pool and
    /// clones made before do not. Meant for tests and diagnostics: the catalogue
    /// contract tests record the statements of a course page with it.
    pub fn set_metric_callback<F>(&mut self, callback: F)
    where
        F: Fn(&sea_orm::metric::Info<'_>) + Send + Sync + 'static,
    {
        self.connection.set_metric_callback(callback);
    }

    /// Applies every pending migration.
    pub async fn migrate(&self) -> DomainResult<()> {
        Migrator::up(&self.connection, None).await.map_err(db_error)
    }

    /// Starts a transaction that will write. On SQLite it takes the write lock up
    /// front (`BEGIN IMMEDIATE`), so a read-then-write transaction waits for other
    /// writers (busy timeout) instead of failing with "database is locked".
    pub async fn begin_write(&self) -> DomainResult<DatabaseTransaction> {
        let options = TransactionOptions {
            sqlite_transaction_mode: Some(SqliteTransactionMode::Immediate),
            ..TransactionOptions::default()
        };
        self.connection
            .begin_with_options(options)
            .await
            .map_err(db_error)
    }

    pub async fn close(self) {
        let _ = self.connection.close().await;
    }
}

#[async_trait]
impl HealthProbe for Database {
    fn name(&self) -> &'static str {
        "database"
    }

    async fn check(&self) -> DomainResult<()> {
        self.connection
            .execute_unprepared("SELECT 1")
            .await
            .map(|_| ())
            .map_err(db_error)
    }
}

/// Maps a driver error onto the domain: lost connections become `Unavailable`
/// (503), unique violations `Conflict` (409), the rest `Internal` (500, logged).
pub fn db_error(error: DbErr) -> DomainError {
    if let Some(SqlErr::UniqueConstraintViolation(detail)) = error.sql_err() {
        return DomainError::Conflict { what: detail };
    }
    match error {
        DbErr::ConnectionAcquire(_) | DbErr::Conn(_) => {
            DomainError::unavailable("database", redact_db_error(&error))
        }
        other if connection_lost(&other) => {
            DomainError::unavailable("database", redact_db_error(&other))
        }
        other if sqlstate(&other).is_some_and(|code| code.starts_with("22")) => {
            tracing::warn!(error = %redact_db_error(&other), "input the database refused");
            DomainError::invalid(
                "input",
                "text.unstorable",
                "holds characters or values the database cannot store",
            )
        }
        other if sqlstate(&other).is_some_and(|code| code == "57014") => {
            DomainError::unavailable("database", "statement timed out")
        }
        other => DomainError::internal(other),
    }
}

/// A statement that failed because its connection went away: the socket broke,
/// or PostgreSQL is shutting down or ended the session (SQLSTATE classes 08,
/// connection exception, and 57P, e.g. `pg_terminate_backend` or a restart).
/// The pool drops such a connection on release; a retry gets a fresh one.
fn connection_lost(error: &DbErr) -> bool {
    let (DbErr::Exec(RuntimeErr::SqlxError(error)) | DbErr::Query(RuntimeErr::SqlxError(error))) =
        error
    else {
        return false;
    };
    match error.as_ref() {
        sea_orm::sqlx::Error::Io(_) | sea_orm::sqlx::Error::Tls(_) => true,
        sea_orm::sqlx::Error::Database(error) => error
            .code()
            .is_some_and(|code| code.starts_with("08") || code.starts_with("57P")),
        _ => false,
    }
}

/// The SQLSTATE of a statement's error, if the database sent one. Class 22
/// (data exception: a NUL in text, a bad encoding, a value out of range) is the
/// input's fault, never a 500; 57014 is a statement cancelled by its timeout.
fn sqlstate(error: &DbErr) -> Option<String> {
    let (DbErr::Exec(RuntimeErr::SqlxError(error)) | DbErr::Query(RuntimeErr::SqlxError(error))) =
        error
    else {
        return None;
    };
    match error.as_ref() {
        sea_orm::sqlx::Error::Database(error) => error.code().map(|code| code.into_owned()),
        _ => None,
    }
}

/// Driver messages can echo the connection URL; keep only the error's kind.
fn redact_db_error(error: &DbErr) -> String {
    let text = error.to_string();
    match text.find("://") {
        Some(at) => format!("{} (connection details hidden)", &text[..at]),
        None => text,
    }
}

fn create_sqlite_directory(url: &str) -> DomainResult<()> {
    let rest = url
        .trim_start_matches("sqlite://")
        .trim_start_matches("sqlite:");
    let path = rest.split('?').next().unwrap_or_default();
    if path.is_empty() || path.starts_with(":memory:") {
        return Ok(());
    }
    match Path::new(path).parent() {
        Some(parent) if !parent.as_os_str().is_empty() => {
            std::fs::create_dir_all(parent).map_err(|error| {
                DomainError::unavailable(
                    "database",
                    format!("cannot create {}: {error}", parent.display()),
                )
            })
        }
        _ => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use sea_orm::Statement;
    use std::sync::Arc;

    async fn sqlite_in(dir: &tempfile::TempDir) -> Database {
        let url = format!("sqlite://{}/nested/bilim.db?mode=rwc", dir.path().display());
        Database::connect(&DatabaseOptions::new(url)).await.unwrap()
    }

    #[tokio::test]
    async fn creates_the_sqlite_directory_and_uses_wal() {
        let dir = tempfile::tempdir().unwrap();
        let db = sqlite_in(&dir).await;
        assert!(dir.path().join("nested/bilim.db").exists());
        let row = db
            .connection()
            .query_one_raw(Statement::from_string(
                DatabaseBackend::Sqlite,
                "PRAGMA journal_mode",
            ))
            .await
            .unwrap()
            .unwrap();
        assert_eq!(row.try_get_by_index::<String>(0).unwrap(), "wal");
        db.check().await.unwrap();
    }

    /// Twenty read-then-write transactions at once: with deferred transactions some
    /// fail with SQLITE_BUSY ("database is locked"); with `begin_write` none do.
    #[tokio::test]
    async fn concurrent_read_then_write_transactions_never_see_a_locked_database() {
        let dir = tempfile::tempdir().unwrap();
        let db = Arc::new(sqlite_in(&dir).await);
        db.connection()
            .execute_unprepared("CREATE TABLE counter (id INTEGER PRIMARY KEY, n INTEGER NOT NULL); INSERT INTO counter VALUES (1, 0);")
            .await
            .unwrap();
        let tasks: Vec<_> = (0..20)
            .map(|_| {
                let db = Arc::clone(&db);
                tokio::spawn(async move {
                    let txn = db.begin_write().await?;
                    let row = txn
                        .query_one_raw(Statement::from_string(
                            DatabaseBackend::Sqlite,
                            "SELECT n FROM counter WHERE id = 1",
                        ))
                        .await
                        .map_err(db_error)?
                        .ok_or(DomainError::NotFound)?;
                    let n: i64 = row.try_get_by_index(0).map_err(db_error)?;
                    tokio::time::sleep(Duration::from_millis(2)).await;
                    txn.execute_unprepared(&format!(
                        "UPDATE counter SET n = {} WHERE id = 1",
                        n + 1
                    ))
                    .await
                    .map_err(db_error)?;
                    txn.commit().await.map_err(db_error)
                })
            })
            .collect();
        for task in tasks {
            task.await.unwrap().unwrap();
        }
        let row = db
            .connection()
            .query_one_raw(Statement::from_string(
                DatabaseBackend::Sqlite,
                "SELECT n FROM counter",
            ))
            .await
            .unwrap()
            .unwrap();
        assert_eq!(
            row.try_get_by_index::<i64>(0).unwrap(),
            20,
            "no update was lost"
        );
    }

    #[tokio::test]
    async fn an_unreachable_postgres_is_unavailable_not_a_hang() {
        let started = std::time::Instant::now();
        let result = Database::connect(&DatabaseOptions::new(
            "postgres://postgres@127.0.0.1:1/bilim",
        ))
        .await;
        assert!(matches!(
            result,
            Err(DomainError::Unavailable {
                service: "database",
                ..
            })
        ));
        assert!(started.elapsed() < Duration::from_secs(5));
    }

    #[tokio::test]
    async fn refuses_an_unknown_scheme() {
        let result = Database::connect(&DatabaseOptions::new("mysql://x")).await;
        assert!(matches!(result, Err(DomainError::Invalid { .. })));
    }
}
