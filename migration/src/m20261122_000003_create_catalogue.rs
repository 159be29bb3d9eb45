//! The catalogue: directions → courses → modules → lessons, one video per lesson
//! (its own table, read by one adapter only), workbooks, and one certificate per
//! course.
//!
//! Positions of directions, modules and lessons are kept `1..=n` among siblings
//! by the writer, in one transaction per change; they carry no unique constraint
//! because a renumbering shifts many rows at once (`position = position + 1`),
//! which a non-deferred unique index would reject half-way on PostgreSQL.
//!
//! `courses.title_search` is the title lower-cased **in Rust**, for the reason
//! given in migration 000002 (`users.search_text`): SQLite's `lower()` folds
//! ASCII only, so `Алгебра` must be stored as `алгебра` to be found by `алг`.

use sea_orm_migration::sea_orm::DbBackend;
use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    /// All or nothing on SQLite too.
    fn use_transaction(&self) -> Option<bool> {
        Some(true)
    }

    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        create_directions(manager).await?;
        create_courses(manager).await?;
        create_modules(manager).await?;
        create_lessons(manager).await?;
        create_videos(manager).await?;
        create_workbooks(manager).await?;
        create_certificates(manager).await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        if manager.get_database_backend() == DbBackend::Postgres {
            manager
                .get_connection()
                .execute_unprepared("DROP INDEX IF EXISTS courses_title_search_trgm_idx")
                .await?;
        }
        for table in [
            Certificates::Table.into_iden(),
            Workbooks::Table.into_iden(),
            Videos::Table.into_iden(),
            Lessons::Table.into_iden(),
            Modules::Table.into_iden(),
            Courses::Table.into_iden(),
            Directions::Table.into_iden(),
        ] {
            manager
                .drop_table(Table::drop().table(table).to_owned())
                .await?;
        }
        Ok(())
    }
}

async fn index(
    manager: &SchemaManager<'_>,
    name: &str,
    table: impl IntoIden,
    columns: &[DynIden],
    unique: bool,
) -> Result<(), DbErr> {
    let mut index = Index::create();
    index.name(name).table(table);
    for column in columns {
        index.col(column.clone());
    }
    if unique {
        index.unique();
    }
    manager.create_index(index.to_owned()).await
}

fn foreign_key(
    name: &str,
    from: (impl IntoIden, impl IntoIden),
    to: (impl IntoIden, impl IntoIden),
    on_delete: ForeignKeyAction,
) -> ForeignKeyCreateStatement {
    ForeignKey::create()
        .name(name)
        .from(from.0, from.1)
        .to(to.0, to.1)
        .on_delete(on_delete)
        .on_update(ForeignKeyAction::Restrict)
        .to_owned()
}

async fn create_directions(manager: &SchemaManager<'_>) -> Result<(), DbErr> {
    manager
        .create_table(
            Table::create()
                .table(Directions::Table)
                .col(pk_uuid(Directions::Id))
                .col(string_len(Directions::Name, 100))
                .col(text_null(Directions::Description))
                .col(integer(Directions::Position))
                .col(timestamp_with_time_zone(Directions::CreatedAt))
                .col(timestamp_with_time_zone(Directions::UpdatedAt))
                .to_owned(),
        )
        .await?;
    // The adapter recognises "directions_name_key" (PostgreSQL) and
    // "directions.name" (SQLite's message).
    index(
        manager,
        "directions_name_key",
        Directions::Table,
        &[Directions::Name.into_iden()],
        true,
    )
    .await
}

async fn create_courses(manager: &SchemaManager<'_>) -> Result<(), DbErr> {
    manager
        .create_table(
            Table::create()
                .table(Courses::Table)
                // UUID v7: time-ordered, so `ORDER BY id DESC` is newest first.
                .col(pk_uuid(Courses::Id))
                .col(uuid(Courses::DirectionId))
                .col(string_len(Courses::Title, 200))
                .col(string_len(Courses::TitleSearch, 200))
                .col(text(Courses::Description))
                .col(string_len(Courses::Level, 16))
                .col(string_len(Courses::Status, 16))
                .col(uuid_null(Courses::TeacherId))
                .col(integer(Courses::AccessMonths).default(6))
                .col(timestamp_with_time_zone(Courses::CreatedAt))
                .col(timestamp_with_time_zone(Courses::UpdatedAt))
                // A direction with courses cannot be deleted.
                .foreign_key(&mut foreign_key(
                    "courses_direction_id_fkey",
                    (Courses::Table, Courses::DirectionId),
                    (Directions::Table, Directions::Id),
                    ForeignKeyAction::Restrict,
                ))
                .foreign_key(&mut foreign_key(
                    "courses_teacher_id_fkey",
                    (Courses::Table, Courses::TeacherId),
                    (Users::Table, Users::Id),
                    ForeignKeyAction::SetNull,
                ))
                .to_owned(),
        )
        .await?;
    // Each serves its filters with the keyset order `id < ? ORDER BY id DESC`:
    // the public catalogue (`status = 'published'`, optionally one direction).
    index(
        manager,
        "courses_status_id_idx",
        Courses::Table,
        &[Courses::Status.into_iden(), Courses::Id.into_iden()],
        false,
    )
    .await?;
    index(
        manager,
        "courses_direction_id_status_id_idx",
        Courses::Table,
        &[
            Courses::DirectionId.into_iden(),
            Courses::Status.into_iden(),
            Courses::Id.into_iden(),
        ],
        false,
    )
    .await?;
    // `title_search LIKE '%…%'` can use a trigram GIN index (three characters or
    // more). pg_trgm was created by migration 000002. Nothing on SQLite: see
    // 000002 for why, and a catalogue is thousands of rows, not millions.
    if manager.get_database_backend() == DbBackend::Postgres {
        manager
            .get_connection()
            .execute_unprepared(
                "CREATE INDEX courses_title_search_trgm_idx ON courses \
                 USING gin (title_search gin_trgm_ops)",
            )
            .await?;
    }
    Ok(())
}

async fn create_modules(manager: &SchemaManager<'_>) -> Result<(), DbErr> {
    manager
        .create_table(
            Table::create()
                .table(Modules::Table)
                .col(pk_uuid(Modules::Id))
                .col(uuid(Modules::CourseId))
                .col(string_len(Modules::Title, 200))
                .col(integer(Modules::Position))
                .foreign_key(&mut foreign_key(
                    "modules_course_id_fkey",
                    (Modules::Table, Modules::CourseId),
                    (Courses::Table, Courses::Id),
                    ForeignKeyAction::Cascade,
                ))
                .to_owned(),
        )
        .await?;
    index(
        manager,
        "modules_course_id_position_idx",
        Modules::Table,
        &[Modules::CourseId.into_iden(), Modules::Position.into_iden()],
        false,
    )
    .await
}

async fn create_lessons(manager: &SchemaManager<'_>) -> Result<(), DbErr> {
    manager
        .create_table(
            Table::create()
                .table(Lessons::Table)
                .col(pk_uuid(Lessons::Id))
                .col(uuid(Lessons::ModuleId))
                .col(string_len(Lessons::Title, 200))
                .col(text(Lessons::Description))
                .col(integer(Lessons::Position))
                .foreign_key(&mut foreign_key(
                    "lessons_module_id_fkey",
                    (Lessons::Table, Lessons::ModuleId),
                    (Modules::Table, Modules::Id),
                    ForeignKeyAction::Cascade,
                ))
                .to_owned(),
        )
        .await?;
    index(
        manager,
        "lessons_module_id_position_idx",
        Lessons::Table,
        &[Lessons::ModuleId.into_iden(), Lessons::Position.into_iden()],
        false,
    )
    .await
}

/// Kept apart from `lessons` so that nothing reading the outline can reach a
/// video by accident: only the video adapter queries this table.
async fn create_videos(manager: &SchemaManager<'_>) -> Result<(), DbErr> {
    manager
        .create_table(
            Table::create()
                .table(Videos::Table)
                .col(uuid(Videos::LessonId).primary_key())
                .col(text_null(Videos::Url))
                .col(string_len_null(Videos::StorageKey, 255))
                .col(integer(Videos::DurationSeconds))
                // Exactly one source: an external URL or a stored file.
                .check((
                    Alias::new("videos_one_source_check"),
                    Expr::col(Videos::Url)
                        .is_null()
                        .ne(Expr::col(Videos::StorageKey).is_null()),
                ))
                .foreign_key(&mut foreign_key(
                    "videos_lesson_id_fkey",
                    (Videos::Table, Videos::LessonId),
                    (Lessons::Table, Lessons::Id),
                    ForeignKeyAction::Cascade,
                ))
                .to_owned(),
        )
        .await
}

async fn create_workbooks(manager: &SchemaManager<'_>) -> Result<(), DbErr> {
    manager
        .create_table(
            Table::create()
                .table(Workbooks::Table)
                .col(pk_uuid(Workbooks::Id))
                .col(uuid(Workbooks::CourseId))
                .col(uuid_null(Workbooks::LessonId))
                .col(string_len(Workbooks::Title, 200))
                .col(string_len(Workbooks::StorageKey, 255))
                .col(big_integer(Workbooks::SizeBytes))
                .col(string_len(Workbooks::Sha256, 64))
                .col(timestamp_with_time_zone(Workbooks::CreatedAt))
                .foreign_key(&mut foreign_key(
                    "workbooks_course_id_fkey",
                    (Workbooks::Table, Workbooks::CourseId),
                    (Courses::Table, Courses::Id),
                    ForeignKeyAction::Cascade,
                ))
                // A removed lesson's workbook stays, as a workbook of the course.
                .foreign_key(&mut foreign_key(
                    "workbooks_lesson_id_fkey",
                    (Workbooks::Table, Workbooks::LessonId),
                    (Lessons::Table, Lessons::Id),
                    ForeignKeyAction::SetNull,
                ))
                .to_owned(),
        )
        .await?;
    index(
        manager,
        "workbooks_course_id_idx",
        Workbooks::Table,
        &[Workbooks::CourseId.into_iden()],
        false,
    )
    .await?;
    index(
        manager,
        "workbooks_lesson_id_idx",
        Workbooks::Table,
        &[Workbooks::LessonId.into_iden()],
        false,
    )
    .await
}

async fn create_certificates(manager: &SchemaManager<'_>) -> Result<(), DbErr> {
    manager
        .create_table(
            Table::create()
                .table(Certificates::Table)
                .col(pk_uuid(Certificates::Id))
                .col(uuid(Certificates::CourseId))
                .col(string_len(Certificates::Title, 200))
                .foreign_key(&mut foreign_key(
                    "certificates_course_id_fkey",
                    (Certificates::Table, Certificates::CourseId),
                    (Courses::Table, Courses::Id),
                    ForeignKeyAction::Cascade,
                ))
                .to_owned(),
        )
        .await?;
    // One certificate per course: the writer upserts on it.
    index(
        manager,
        "certificates_course_id_key",
        Certificates::Table,
        &[Certificates::CourseId.into_iden()],
        true,
    )
    .await
}

#[derive(DeriveIden)]
enum Directions {
    Table,
    Id,
    Name,
    Description,
    Position,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum Courses {
    Table,
    Id,
    DirectionId,
    Title,
    TitleSearch,
    Description,
    Level,
    Status,
    TeacherId,
    AccessMonths,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum Modules {
    Table,
    Id,
    CourseId,
    Title,
    Position,
}

#[derive(DeriveIden)]
enum Lessons {
    Table,
    Id,
    ModuleId,
    Title,
    Description,
    Position,
}

#[derive(DeriveIden)]
enum Videos {
    Table,
    LessonId,
    Url,
    StorageKey,
    DurationSeconds,
}

#[derive(DeriveIden)]
enum Workbooks {
    Table,
    Id,
    CourseId,
    LessonId,
    Title,
    StorageKey,
    SizeBytes,
    Sha256,
    CreatedAt,
}

#[derive(DeriveIden)]
enum Certificates {
    Table,
    Id,
    CourseId,
    Title,
}

#[derive(DeriveIden)]
enum Users {
    Table,
    Id,
}
