//! `catalogue_revision`: one row whose number grows with every committed change
//! to what a course page shows: directions, courses, modules, lessons, workbooks,
//! certificates, and the name of a user who teaches a course.
//!
//! The repository keeps published course trees in memory and serves one only
//! while this number is the one it was read with, so a change committed by any
//! instance is seen by every instance at its next request. Triggers, not the
//! writers' code, bump it: a writer added later (or a hand-written `UPDATE`)
//! cannot forget to.
//!
//! - **PostgreSQL:** deferred constraint triggers. The bump runs at commit, after
//!   every lock the transaction takes for its own rows, so the revision row is
//!   always the last lock taken and two catalogue writers cannot deadlock on it.
//!   A transaction-local setting makes it one `UPDATE` per transaction however
//!   many rows changed. `TRUNCATE` fires no row trigger (and constraint
//!   triggers cannot watch it), so a statement trigger bumps it then, at once.
//!   A teacher's rename bumps only if the user teaches a course when it
//!   commits; so that a course given that teacher at the same moment cannot
//!   slip past the check, writing a course's `teacher_id` locks the user row
//!   (`FOR SHARE`) until the writer commits: the rename waits, or is waited for.
//! - **SQLite:** plain row triggers (one writer at a time, nothing to order).
//!
//! `videos` has no trigger: a course page does not show them.

use sea_orm_migration::prelude::*;
use sea_orm_migration::sea_orm::DbBackend;

#[derive(DeriveMigrationName)]
pub struct Migration;

/// Tables whose every change alters some course page.
const WATCHED: [&str; 6] = [
    "directions",
    "courses",
    "modules",
    "lessons",
    "workbooks",
    "certificates",
];

const EVENTS: [&str; 3] = ["INSERT", "UPDATE", "DELETE"];

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    fn use_transaction(&self) -> Option<bool> {
        Some(true)
    }

    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let statements = match manager.get_database_backend() {
            DbBackend::Postgres => postgres_up(),
            _ => sqlite_up(),
        };
        run(manager, &statements).await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let statements = match manager.get_database_backend() {
            DbBackend::Postgres => postgres_down(),
            _ => sqlite_down(),
        };
        run(manager, &statements).await
    }
}

async fn run(manager: &SchemaManager<'_>, statements: &[String]) -> Result<(), DbErr> {
    let connection = manager.get_connection();
    for statement in statements {
        connection.execute_unprepared(statement).await?;
    }
    Ok(())
}

fn create_table(id_type: &str) -> Vec<String> {
    vec![
        format!(
            "CREATE TABLE catalogue_revision (\
             id {id_type} PRIMARY KEY CHECK (id = 1), \
             revision BIGINT NOT NULL)"
        ),
        "INSERT INTO catalogue_revision (id, revision) VALUES (1, 1)".to_owned(),
    ]
}

fn postgres_up() -> Vec<String> {
    let mut statements = create_table("SMALLINT");
    statements.push(
        "CREATE FUNCTION bilim_catalogue_changed() RETURNS void LANGUAGE plpgsql AS $$
         BEGIN
             IF current_setting('bilim.catalogue_revision_bumped', true) = 'on' THEN
                 RETURN;
             END IF;
             UPDATE catalogue_revision SET revision = revision + 1 WHERE id = 1;
             PERFORM set_config('bilim.catalogue_revision_bumped', 'on', true);
         END $$"
            .to_owned(),
    );
    statements.push(
        "CREATE FUNCTION bilim_catalogue_row_changed() RETURNS trigger LANGUAGE plpgsql AS $$
         BEGIN
             PERFORM bilim_catalogue_changed();
             RETURN NULL;
         END $$"
            .to_owned(),
    );
    statements.push(
        "CREATE FUNCTION bilim_catalogue_teacher_renamed() RETURNS trigger LANGUAGE plpgsql AS $$
         BEGIN
             IF EXISTS (SELECT 1 FROM courses WHERE teacher_id = NEW.id) THEN
                 PERFORM bilim_catalogue_changed();
             END IF;
             RETURN NULL;
         END $$"
            .to_owned(),
    );
    statements.push(
        "CREATE FUNCTION bilim_catalogue_hold_teacher() RETURNS trigger LANGUAGE plpgsql AS $$
         BEGIN
             PERFORM 1 FROM users WHERE id = NEW.teacher_id FOR SHARE;
             RETURN NULL;
         END $$"
            .to_owned(),
    );
    statements.push(
        "CREATE TRIGGER courses_hold_teacher \
         AFTER INSERT OR UPDATE OF teacher_id ON courses FOR EACH ROW \
         WHEN (NEW.teacher_id IS NOT NULL) \
         EXECUTE FUNCTION bilim_catalogue_hold_teacher()"
            .to_owned(),
    );
    for table in WATCHED {
        statements.push(format!(
            "CREATE CONSTRAINT TRIGGER {table}_bump_catalogue_revision \
             AFTER INSERT OR UPDATE OR DELETE ON {table} \
             DEFERRABLE INITIALLY DEFERRED FOR EACH ROW \
             EXECUTE FUNCTION bilim_catalogue_row_changed()"
        ));
        statements.push(format!(
            "CREATE TRIGGER {table}_truncate_bumps_catalogue_revision \
             AFTER TRUNCATE ON {table} FOR EACH STATEMENT \
             EXECUTE FUNCTION bilim_catalogue_row_changed()"
        ));
    }
    statements.push(
        "CREATE CONSTRAINT TRIGGER users_bump_catalogue_revision \
         AFTER UPDATE OF first_name, last_name ON users \
         DEFERRABLE INITIALLY DEFERRED FOR EACH ROW \
         WHEN (OLD.first_name IS DISTINCT FROM NEW.first_name \
               OR OLD.last_name IS DISTINCT FROM NEW.last_name) \
         EXECUTE FUNCTION bilim_catalogue_teacher_renamed()"
            .to_owned(),
    );
    statements
}

fn postgres_down() -> Vec<String> {
    let mut statements: Vec<String> = WATCHED
        .iter()
        .chain(&["users"])
        .map(|table| format!("DROP TRIGGER IF EXISTS {table}_bump_catalogue_revision ON {table}"))
        .collect();
    for table in WATCHED {
        statements.push(format!(
            "DROP TRIGGER IF EXISTS {table}_truncate_bumps_catalogue_revision ON {table}"
        ));
    }
    statements.push("DROP TRIGGER IF EXISTS courses_hold_teacher ON courses".to_owned());
    for function in [
        "bilim_catalogue_hold_teacher()",
        "bilim_catalogue_teacher_renamed()",
        "bilim_catalogue_row_changed()",
        "bilim_catalogue_changed()",
    ] {
        statements.push(format!("DROP FUNCTION IF EXISTS {function}"));
    }
    statements.push("DROP TABLE catalogue_revision".to_owned());
    statements
}

const SQLITE_BUMP: &str = "UPDATE catalogue_revision SET revision = revision + 1 WHERE id = 1;";

fn sqlite_up() -> Vec<String> {
    let mut statements = create_table("INTEGER");
    for table in WATCHED {
        for event in EVENTS {
            let name = format!("{table}_{}_bumps_catalogue_revision", event.to_lowercase());
            statements.push(format!(
                "CREATE TRIGGER {name} AFTER {event} ON {table} BEGIN {SQLITE_BUMP} END"
            ));
        }
    }
    statements.push(format!(
        "CREATE TRIGGER users_rename_bumps_catalogue_revision \
         AFTER UPDATE OF first_name, last_name ON users \
         WHEN (OLD.first_name IS NOT NEW.first_name OR OLD.last_name IS NOT NEW.last_name) \
              AND EXISTS (SELECT 1 FROM courses WHERE teacher_id = NEW.id) \
         BEGIN {SQLITE_BUMP} END"
    ));
    statements
}

fn sqlite_down() -> Vec<String> {
    let mut statements: Vec<String> = WATCHED
        .iter()
        .flat_map(|table| {
            EVENTS.iter().map(move |event| {
                format!(
                    "DROP TRIGGER IF EXISTS {table}_{}_bumps_catalogue_revision",
                    event.to_lowercase()
                )
            })
        })
        .collect();
    statements.push("DROP TRIGGER IF EXISTS users_rename_bumps_catalogue_revision".to_owned());
    statements.push("DROP TABLE catalogue_revision".to_owned());
    statements
}
