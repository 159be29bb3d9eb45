//! Document 003's tests: a lesson's `tests`, their `questions` (options kept as
//! JSON beside the question, answers never leave the server before a submit),
//! the users' `test_attempts`, the `olympiads` with a test as their paper and
//! their `olympiad_registrations`, and the `point_entries` / `point_totals` of
//! the leaderboard.
//!
//! The database holds the once-only rules:
//! - one open attempt per user and test: a partial unique index on
//!   `(test_id, user_id) WHERE submitted_at IS NULL`;
//! - never more attempts than `max_attempts`: an attempt's `number` is
//!   `1..=max_attempts` (checked by the adapter inside the transaction) and
//!   unique per user and test, so a second start racing the first breaks a
//!   key instead of making an extra attempt;
//! - an olympiad's places: `registered <= capacity` (a CHECK behind the
//!   adapter's conditional `UPDATE`); one registration and one attempt per
//!   user and olympiad (a primary key, a partial unique index);
//! - points once: `point_entries` is unique per `(user_id, source)`.
//!
//! A test changes the course page (its summaries are listed), so `tests` bumps
//! `catalogue_revision` like the tables of migration 5.

use sea_orm_migration::prelude::*;
use sea_orm_migration::sea_orm::DbBackend;

#[derive(DeriveMigrationName)]
pub struct Migration;

const KINDS: [&str; 4] = ["single", "multiple", "number", "text"];

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    fn use_transaction(&self) -> Option<bool> {
        Some(true)
    }

    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let postgres = manager.get_database_backend() == DbBackend::Postgres;
        let connection = manager.get_connection();
        for statement in up_statements(postgres) {
            connection.execute_unprepared(&statement).await?;
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let postgres = manager.get_database_backend() == DbBackend::Postgres;
        let connection = manager.get_connection();
        let mut statements = Vec::new();
        if postgres {
            statements.push("DROP TRIGGER IF EXISTS tests_bump_catalogue_revision ON tests".into());
            statements.push(
                "DROP TRIGGER IF EXISTS tests_truncate_bumps_catalogue_revision ON tests".into(),
            );
        } else {
            for event in ["insert", "update", "delete"] {
                statements.push(format!(
                    "DROP TRIGGER IF EXISTS tests_{event}_bumps_catalogue_revision"
                ));
            }
        }
        for table in [
            "point_totals",
            "point_entries",
            "test_attempts",
            "olympiad_registrations",
            "olympiads",
            "questions",
            "tests",
        ] {
            statements.push(format!("DROP TABLE {table}"));
        }
        for statement in statements {
            connection.execute_unprepared(&statement).await?;
        }
        Ok(())
    }
}

fn up_statements(postgres: bool) -> Vec<String> {
    let (uuid, time, double, boolean) = if postgres {
        ("UUID", "TIMESTAMPTZ", "DOUBLE PRECISION", "BOOLEAN")
    } else {
        (
            "uuid_text",
            "timestamp_with_timezone_text",
            "REAL",
            "BOOLEAN",
        )
    };
    let kinds = KINDS
        .iter()
        .map(|k| format!("'{k}'"))
        .collect::<Vec<_>>()
        .join(", ");
    let mut statements = vec![
        format!(
            "CREATE TABLE tests (\
             id {uuid} NOT NULL PRIMARY KEY, \
             lesson_id {uuid} NOT NULL \
               CONSTRAINT tests_lesson_id_fkey REFERENCES lessons (id) ON DELETE CASCADE, \
             title VARCHAR(200) NOT NULL, \
             time_limit_seconds INTEGER NULL \
               CONSTRAINT tests_time_limit_check CHECK (time_limit_seconds BETWEEN 10 AND 86400), \
             max_attempts INTEGER NOT NULL \
               CONSTRAINT tests_max_attempts_check CHECK (max_attempts BETWEEN 1 AND 100), \
             pass_percent INTEGER NOT NULL \
               CONSTRAINT tests_pass_percent_check CHECK (pass_percent BETWEEN 1 AND 100), \
             shuffle {boolean} NOT NULL, \
             partial_credit {boolean} NOT NULL, \
             created_at {time} NOT NULL, \
             updated_at {time} NOT NULL)"
        ),
        "CREATE INDEX tests_lesson_id_idx ON tests (lesson_id)".to_owned(),
        format!(
            "CREATE TABLE questions (\
             id {uuid} NOT NULL PRIMARY KEY, \
             test_id {uuid} NOT NULL \
               CONSTRAINT questions_test_id_fkey REFERENCES tests (id) ON DELETE CASCADE, \
             kind VARCHAR(16) NOT NULL CONSTRAINT questions_kind_check CHECK (kind IN ({kinds})), \
             text TEXT NOT NULL, \
             points INTEGER NOT NULL CONSTRAINT questions_points_check CHECK (points BETWEEN 1 AND 100), \
             position INTEGER NOT NULL, \
             options TEXT NOT NULL, \
             answer TEXT NULL, \
             tolerance {double} NULL, \
             created_at {time} NOT NULL)"
        ),
        "CREATE INDEX questions_test_id_position_idx ON questions (test_id, position)".to_owned(),
        // An olympiad goes with its paper or its direction, as a course's parts go
        // with it. `registered` is the places taken, kept by one conditional UPDATE per
        // registration and never above `capacity`.
        format!(
            "CREATE TABLE olympiads (\
             id {uuid} NOT NULL PRIMARY KEY, \
             title VARCHAR(200) NOT NULL, \
             description TEXT NOT NULL, \
             direction_id {uuid} NOT NULL \
               CONSTRAINT olympiads_direction_id_fkey REFERENCES directions (id) ON DELETE CASCADE, \
             level VARCHAR(16) NOT NULL CONSTRAINT olympiads_level_check \
               CHECK (level IN ('regional', 'national', 'international')), \
             registration_ends_at {time} NOT NULL, \
             starts_at {time} NOT NULL, \
             ends_at {time} NOT NULL, \
             capacity INTEGER NOT NULL CONSTRAINT olympiads_capacity_check CHECK (capacity BETWEEN 1 AND 100000), \
             registered INTEGER NOT NULL DEFAULT 0, \
             test_id {uuid} NOT NULL \
               CONSTRAINT olympiads_test_id_fkey REFERENCES tests (id) ON DELETE CASCADE, \
             created_at {time} NOT NULL, \
             updated_at {time} NOT NULL, \
             CONSTRAINT olympiads_registered_check CHECK (registered >= 0 AND registered <= capacity), \
             CONSTRAINT olympiads_schedule_check \
               CHECK (registration_ends_at <= starts_at AND starts_at < ends_at))"
        ),
        format!(
            "CREATE TABLE olympiad_registrations (\
             olympiad_id {uuid} NOT NULL \
               CONSTRAINT olympiad_registrations_olympiad_id_fkey REFERENCES olympiads (id) ON DELETE CASCADE, \
             user_id {uuid} NOT NULL \
               CONSTRAINT olympiad_registrations_user_id_fkey REFERENCES users (id) ON DELETE CASCADE, \
             registered_at {time} NOT NULL, \
             PRIMARY KEY (olympiad_id, user_id))"
        ),
        format!(
            "CREATE TABLE test_attempts (\
             id {uuid} NOT NULL PRIMARY KEY, \
             test_id {uuid} NOT NULL \
               CONSTRAINT test_attempts_test_id_fkey REFERENCES tests (id) ON DELETE CASCADE, \
             user_id {uuid} NOT NULL \
               CONSTRAINT test_attempts_user_id_fkey REFERENCES users (id) ON DELETE CASCADE, \
             number INTEGER NOT NULL CONSTRAINT test_attempts_number_check CHECK (number >= 1), \
             started_at {time} NOT NULL, \
             deadline {time} NULL, \
             answers TEXT NOT NULL, \
             submitted_at {time} NULL, \
             score INTEGER NULL, \
             max_score INTEGER NULL, \
             passed {boolean} NULL, \
             olympiad_id {uuid} NULL \
               CONSTRAINT test_attempts_olympiad_id_fkey REFERENCES olympiads (id) ON DELETE CASCADE)"
        ),
        "CREATE UNIQUE INDEX test_attempts_test_id_user_id_number_key \
         ON test_attempts (test_id, user_id, number) WHERE olympiad_id IS NULL"
            .to_owned(),
        "CREATE UNIQUE INDEX test_attempts_one_open_key \
         ON test_attempts (test_id, user_id) WHERE submitted_at IS NULL AND olympiad_id IS NULL"
            .to_owned(),
        // An olympiad is written once.
        "CREATE UNIQUE INDEX test_attempts_olympiad_id_user_id_key \
         ON test_attempts (olympiad_id, user_id) WHERE olympiad_id IS NOT NULL"
            .to_owned(),
        "CREATE INDEX test_attempts_user_id_idx ON test_attempts (user_id)".to_owned(),
        format!(
            "CREATE TABLE point_entries (\
             id {uuid} NOT NULL PRIMARY KEY, \
             user_id {uuid} NOT NULL \
               CONSTRAINT point_entries_user_id_fkey REFERENCES users (id) ON DELETE CASCADE, \
             source VARCHAR(100) NOT NULL, \
             points INTEGER NOT NULL CONSTRAINT point_entries_points_check CHECK (points > 0), \
             direction_id {uuid} NULL, \
             created_at {time} NOT NULL)"
        ),
        "CREATE UNIQUE INDEX point_entries_user_id_source_key ON point_entries (user_id, source)"
            .to_owned(),
        // `scope` is `all` or a direction's id: the leaderboards kept summed.
        format!(
            "CREATE TABLE point_totals (\
             user_id {uuid} NOT NULL \
               CONSTRAINT point_totals_user_id_fkey REFERENCES users (id) ON DELETE CASCADE, \
             scope VARCHAR(36) NOT NULL, \
             points BIGINT NOT NULL CONSTRAINT point_totals_points_check CHECK (points >= 0), \
             PRIMARY KEY (user_id, scope))"
        ),
        "CREATE INDEX point_totals_scope_points_user_id_idx \
         ON point_totals (scope, points, user_id)"
            .to_owned(),
    ];
    if postgres {
        statements.push(
            "CREATE CONSTRAINT TRIGGER tests_bump_catalogue_revision \
             AFTER INSERT OR UPDATE OR DELETE ON tests \
             DEFERRABLE INITIALLY DEFERRED FOR EACH ROW \
             EXECUTE FUNCTION bilim_catalogue_row_changed()"
                .to_owned(),
        );
        statements.push(
            "CREATE TRIGGER tests_truncate_bumps_catalogue_revision \
             AFTER TRUNCATE ON tests FOR EACH STATEMENT \
             EXECUTE FUNCTION bilim_catalogue_row_changed()"
                .to_owned(),
        );
    } else {
        for event in ["INSERT", "UPDATE", "DELETE"] {
            statements.push(format!(
                "CREATE TRIGGER tests_{}_bumps_catalogue_revision AFTER {event} ON tests \
                 BEGIN UPDATE catalogue_revision SET revision = revision + 1 WHERE id = 1; END",
                event.to_lowercase()
            ));
        }
    }
    statements
}
