//! `cargo run -p migration -- status|up|down|fresh` against `BILIM_DATABASE_URL`
//! (or `DATABASE_URL`), defaulting to the SQLite file the server uses.

use sea_orm_migration::prelude::*;
use sea_orm_migration::sea_orm::{Database, DbErr};

const DEFAULT_DATABASE_URL: &str = "sqlite://./data/bilim.db?mode=rwc";

#[tokio::main]
async fn main() {
    cli::run_cli_with_custom_connection(migration::Migrator, async || {
        let url = std::env::var("BILIM_DATABASE_URL")
            .or_else(|_| std::env::var("DATABASE_URL"))
            .unwrap_or_else(|_| DEFAULT_DATABASE_URL.to_owned());
        if url == DEFAULT_DATABASE_URL {
            std::fs::create_dir_all("./data").map_err(|e| DbErr::Custom(e.to_string()))?;
        }
        Database::connect(url).await
    })
    .await;
}
