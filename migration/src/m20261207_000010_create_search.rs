//! Search: `courses.search_text` and `lessons.search_text` hold the title and
//! description folded by `bilim_domain::search::document_text` (one script, `[a-z0-9]`
//! words), written by the repository with every change to them; existing rows
//! are folded here.
//!
//! - **PostgreSQL:** a stored `tsvector` of the folded text (`simple`
//!   configuration: the words as they are) with a GIN index on each table, and
//!   `search_words`, every indexed word once, with a trigram index (pg_trgm) to
//!   find the words one typo away. A trigger fills it, in word order so that
//!   two writers adding the same new words cannot deadlock.
//! - **SQLite:** one FTS5 table `search_fts` (`kind`, `ref`, the folded text)
//!   kept by triggers, and `search_vocab`, its list of words.

use bilim_domain::search::document_text;
use sea_orm_migration::prelude::*;
use sea_orm_migration::sea_orm::prelude::Uuid;
use sea_orm_migration::sea_orm::{DbBackend, Statement};

#[derive(DeriveMigrationName)]
pub struct Migration;

/// The tables searched and their kind.
const TABLES: [(&str, &str); 2] = [("courses", "course"), ("lessons", "lesson")];

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    fn use_transaction(&self) -> Option<bool> {
        Some(true)
    }

    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let common = match manager.get_database_backend() {
            DbBackend::Postgres => postgres_up(),
            _ => sqlite_up(),
        };
        run(manager, &common).await?;
        index_tables(manager, &TABLES).await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        unindex_tables(manager, &TABLES).await?;
        let common = match manager.get_database_backend() {
            DbBackend::Postgres => postgres_down(),
            _ => sqlite_down(),
        };
        run(manager, &common).await
    }
}

async fn run(manager: &SchemaManager<'_>, statements: &[String]) -> Result<(), DbErr> {
    for statement in statements {
        manager
            .get_connection()
            .execute_unprepared(statement)
            .await?;
    }
    Ok(())
}

/// Makes `tables` (`(table, kind)`, each with `title` and `description`)
/// searchable: their `search_text`, its index and triggers, and the folded text
/// of the rows they hold. Migration 000012 adds olympiads with it.
pub(crate) async fn index_tables(
    manager: &SchemaManager<'_>,
    tables: &[(&str, &str)],
) -> Result<(), DbErr> {
    for (table, kind) in tables {
        let mut statements = vec![format!(
            "ALTER TABLE {table} ADD COLUMN search_text TEXT NOT NULL DEFAULT ''"
        )];
        statements.extend(match manager.get_database_backend() {
            DbBackend::Postgres => postgres_table(table),
            _ => sqlite_table(table, kind),
        });
        run(manager, &statements).await?;
        fold_existing(manager, table).await?;
    }
    Ok(())
}

pub(crate) async fn unindex_tables(
    manager: &SchemaManager<'_>,
    tables: &[(&str, &str)],
) -> Result<(), DbErr> {
    for (table, _) in tables {
        let mut statements = match manager.get_database_backend() {
            DbBackend::Postgres => vec![
                format!("DROP TRIGGER IF EXISTS {table}_search_words ON {table}"),
                format!("ALTER TABLE {table} DROP COLUMN search_vector"),
            ],
            _ => ["insert", "update", "delete"]
                .iter()
                .map(|event| format!("DROP TRIGGER IF EXISTS {table}_search_{event}"))
                .collect(),
        };
        statements.push(format!("ALTER TABLE {table} DROP COLUMN search_text"));
        run(manager, &statements).await?;
    }
    Ok(())
}

/// Writes `search_text` of every row of `table`: its title and description folded.
async fn fold_existing(manager: &SchemaManager<'_>, table: &str) -> Result<(), DbErr> {
    let connection = manager.get_connection();
    let backend = manager.get_database_backend();
    let rows = connection
        .query_all_raw(Statement::from_string(
            backend,
            format!("SELECT id, title, description FROM {table}"),
        ))
        .await?;
    let placeholder = |n: usize| match backend {
        DbBackend::Postgres => format!("${n}"),
        _ => "?".to_owned(),
    };
    let update = format!(
        "UPDATE {table} SET search_text = {} WHERE id = {}",
        placeholder(1),
        placeholder(2)
    );
    for row in rows {
        let id: Uuid = row.try_get("", "id")?;
        let title: String = row.try_get("", "title")?;
        let description: String = row.try_get("", "description")?;
        let text = document_text(&title, &description);
        connection
            .execute_raw(Statement::from_sql_and_values(
                backend,
                &update,
                [text.into(), id.into()],
            ))
            .await?;
    }
    Ok(())
}

fn postgres_up() -> Vec<String> {
    vec![
        "CREATE EXTENSION IF NOT EXISTS pg_trgm".to_owned(),
        "CREATE TABLE search_words (word TEXT PRIMARY KEY)".to_owned(),
        "CREATE INDEX search_words_trgm_idx ON search_words USING gin (word gin_trgm_ops)"
            .to_owned(),
        "CREATE FUNCTION bilim_search_words() RETURNS trigger LANGUAGE plpgsql AS $$
         BEGIN
             INSERT INTO search_words (word)
             SELECT DISTINCT word FROM unnest(tsvector_to_array(NEW.search_vector)) AS word
             ORDER BY word
             ON CONFLICT DO NOTHING;
             RETURN NULL;
         END $$"
            .to_owned(),
    ]
}

fn postgres_table(table: &str) -> Vec<String> {
    vec![
        format!(
            "ALTER TABLE {table} ADD COLUMN search_vector tsvector \
             GENERATED ALWAYS AS (to_tsvector('simple', search_text)) STORED"
        ),
        format!("CREATE INDEX {table}_search_vector_idx ON {table} USING gin (search_vector)"),
        format!(
            "CREATE TRIGGER {table}_search_words AFTER INSERT OR UPDATE OF search_text ON {table} \
             FOR EACH ROW EXECUTE FUNCTION bilim_search_words()"
        ),
    ]
}

fn postgres_down() -> Vec<String> {
    vec![
        "DROP FUNCTION IF EXISTS bilim_search_words()".to_owned(),
        "DROP TABLE search_words".to_owned(),
    ]
}

fn sqlite_up() -> Vec<String> {
    vec![
        "CREATE VIRTUAL TABLE search_fts USING fts5(search_text, kind UNINDEXED, ref UNINDEXED)"
            .to_owned(),
        "CREATE VIRTUAL TABLE search_vocab USING fts5vocab(search_fts, row)".to_owned(),
    ]
}

fn sqlite_table(table: &str, kind: &str) -> Vec<String> {
    vec![
        format!(
            "CREATE TRIGGER {table}_search_insert AFTER INSERT ON {table} BEGIN \
             INSERT INTO search_fts (search_text, kind, ref) VALUES (NEW.search_text, '{kind}', NEW.id); \
             END"
        ),
        format!(
            "CREATE TRIGGER {table}_search_update AFTER UPDATE OF search_text ON {table} BEGIN \
             DELETE FROM search_fts WHERE kind = '{kind}' AND ref = OLD.id; \
             INSERT INTO search_fts (search_text, kind, ref) VALUES (NEW.search_text, '{kind}', NEW.id); \
             END"
        ),
        format!(
            "CREATE TRIGGER {table}_search_delete AFTER DELETE ON {table} BEGIN \
             DELETE FROM search_fts WHERE kind = '{kind}' AND ref = OLD.id; \
             END"
        ),
    ]
}

fn sqlite_down() -> Vec<String> {
    vec![
        "DROP TABLE search_vocab".to_owned(),
        "DROP TABLE search_fts".to_owned(),
    ]
}
