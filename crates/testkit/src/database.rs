//! A database of one test's own: a SQLite file in the test's directory, or a
//! fresh PostgreSQL database (dropped afterwards) when `TEST_DATABASE_URL` is set.

use sea_orm::ConnectionTrait;
use std::path::Path;

pub struct TestDatabase {
    url: String,
    postgres: Option<(String, String)>,
}

impl TestDatabase {
    /// Creates the database; `dir` holds the SQLite file when there is one.
    pub async fn create(dir: &Path) -> Self {
        let Ok(admin_url) = std::env::var("TEST_DATABASE_URL") else {
            return Self {
                url: format!("sqlite://{}/bilim.db?mode=rwc", dir.display()),
                postgres: None,
            };
        };
        let name = format!("bilim_test_{}", uuid::Uuid::new_v4().simple());
        run_admin_sql(&admin_url, &format!("CREATE DATABASE \"{name}\"")).await;
        let base = admin_url
            .rsplit_once('/')
            .map_or(admin_url.as_str(), |(base, _)| base);
        Self {
            url: format!("{base}/{name}"),
            postgres: Some((admin_url, name)),
        }
    }

    pub fn url(&self) -> &str {
        &self.url
    }

    pub fn is_postgres(&self) -> bool {
        self.postgres.is_some()
    }
}

impl Drop for TestDatabase {
    fn drop(&mut self) {
        let Some((admin_url, name)) = self.postgres.take() else {
            return;
        };
        // Drop runs outside async; a small runtime of its own does the cleanup.
        let _ = std::thread::spawn(move || {
            if let Ok(runtime) = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
            {
                let sql = format!("DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)");
                runtime.block_on(run_admin_sql(&admin_url, &sql));
            }
        })
        .join();
    }
}

/// Runs one statement on the admin connection; panics (failing the test) on error.
async fn run_admin_sql(admin_url: &str, sql: &str) {
    let connection = match sea_orm::Database::connect(admin_url).await {
        Ok(connection) => connection,
        Err(error) => panic!("TEST_DATABASE_URL does not connect: {error}"),
    };
    if let Err(error) = connection.execute_unprepared(sql).await {
        panic!("{sql}: {error}");
    }
    let _ = connection.close().await;
}
