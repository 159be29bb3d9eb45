//! Learning: admin-granted course access (`courses_open_users`), once-only
//! workbook downloads (`user_take_workbook`) and certificates
//! (`certificate_open_user`), and lesson progress (`lesson_progress`).
//!
//! A grant references its course `ON DELETE RESTRICT`: a course that students
//! hold (or held) cannot be deleted; the catalogue writer maps the violation to
//! `course.has_students`. Everything else cascades with the user, course,
//! workbook, certificate or lesson it belongs to.
//!
//! Times are compared in SQL (`expires_at <= ?`, the expiry job). On SQLite
//! they are RFC 3339 text, always written with the `+00:00` offset by the
//! adapters, so text order is time order there too.

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
        create_courses_open_users(manager).await?;
        create_user_take_workbook(manager).await?;
        create_certificate_open_user(manager).await?;
        create_lesson_progress(manager).await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for table in [
            LessonProgress::Table.into_iden(),
            CertificateOpenUser::Table.into_iden(),
            UserTakeWorkbook::Table.into_iden(),
            CoursesOpenUsers::Table.into_iden(),
        ] {
            manager
                .drop_table(Table::drop().table(table).to_owned())
                .await?;
        }
        Ok(())
    }
}

fn index(name: &str, table: impl IntoIden, columns: &[DynIden]) -> IndexCreateStatement {
    let mut index = Index::create();
    index.name(name).table(table);
    for column in columns {
        index.col(column.clone());
    }
    index
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

async fn create_courses_open_users(manager: &SchemaManager<'_>) -> Result<(), DbErr> {
    manager
        .create_table(
            Table::create()
                .table(CoursesOpenUsers::Table)
                .col(pk_uuid(CoursesOpenUsers::Id))
                .col(uuid(CoursesOpenUsers::UserId))
                .col(uuid(CoursesOpenUsers::CourseId))
                .col(timestamp_with_time_zone(CoursesOpenUsers::OpenedAt))
                .col(timestamp_with_time_zone(CoursesOpenUsers::ExpiresAt))
                .col(timestamp_with_time_zone_null(CoursesOpenUsers::RevokedAt))
                .col(uuid_null(CoursesOpenUsers::GrantedBy))
                .col(timestamp_with_time_zone_null(CoursesOpenUsers::RemindedAt))
                .col(timestamp_with_time_zone_null(
                    CoursesOpenUsers::ExpiredNotifiedAt,
                ))
                .col(timestamp_with_time_zone(CoursesOpenUsers::CreatedAt))
                .col(timestamp_with_time_zone(CoursesOpenUsers::UpdatedAt))
                .foreign_key(&mut foreign_key(
                    "courses_open_users_user_id_fkey",
                    (CoursesOpenUsers::Table, CoursesOpenUsers::UserId),
                    (Users::Table, Users::Id),
                    ForeignKeyAction::Cascade,
                ))
                // A course with students cannot be deleted (`course.has_students`).
                .foreign_key(&mut foreign_key(
                    "courses_open_users_course_id_fkey",
                    (CoursesOpenUsers::Table, CoursesOpenUsers::CourseId),
                    (Courses::Table, Courses::Id),
                    ForeignKeyAction::Restrict,
                ))
                .foreign_key(&mut foreign_key(
                    "courses_open_users_granted_by_fkey",
                    (CoursesOpenUsers::Table, CoursesOpenUsers::GrantedBy),
                    (Admins::Table, Admins::Id),
                    ForeignKeyAction::SetNull,
                ))
                .to_owned(),
        )
        .await?;
    // One grant per user and course: a repeat grant upserts on it. It also
    // serves a user's grants (`/users/me`, access checks).
    manager
        .create_index(
            index(
                "courses_open_users_user_id_course_id_key",
                CoursesOpenUsers::Table,
                &[
                    CoursesOpenUsers::UserId.into_iden(),
                    CoursesOpenUsers::CourseId.into_iden(),
                ],
            )
            .unique()
            .to_owned(),
        )
        .await?;
    // The holders of a course (a new workbook or certificate reaches them) and
    // the RESTRICT check when a course is deleted.
    manager
        .create_index(index(
            "courses_open_users_course_id_idx",
            CoursesOpenUsers::Table,
            &[CoursesOpenUsers::CourseId.into_iden()],
        ))
        .await?;
    // The expiry job: `WHERE revoked_at IS NULL AND <mark> IS NULL AND
    // expires_at … ORDER BY expires_at, id LIMIT n`, read in index order and
    // stopped at the limit. Partial, so grants already handled (or revoked)
    // drop out of the index; both backends use a partial index when the query
    // repeats its condition.
    for (name, mark) in [
        (
            "courses_open_users_due_reminder_idx",
            CoursesOpenUsers::RemindedAt,
        ),
        (
            "courses_open_users_due_expiry_idx",
            CoursesOpenUsers::ExpiredNotifiedAt,
        ),
    ] {
        manager
            .create_index(
                index(
                    name,
                    CoursesOpenUsers::Table,
                    &[
                        CoursesOpenUsers::ExpiresAt.into_iden(),
                        CoursesOpenUsers::Id.into_iden(),
                    ],
                )
                .and_where(Expr::col(CoursesOpenUsers::RevokedAt).is_null())
                .and_where(Expr::col(mark).is_null())
                .to_owned(),
            )
            .await?;
    }
    Ok(())
}

async fn create_user_take_workbook(manager: &SchemaManager<'_>) -> Result<(), DbErr> {
    manager
        .create_table(
            Table::create()
                .table(UserTakeWorkbook::Table)
                .col(uuid(UserTakeWorkbook::UserId))
                .col(uuid(UserTakeWorkbook::WorkbookId))
                .col(uuid(UserTakeWorkbook::CourseId))
                .col(boolean(UserTakeWorkbook::Available).default(true))
                .col(timestamp_with_time_zone_null(UserTakeWorkbook::TakenAt))
                .col(timestamp_with_time_zone(UserTakeWorkbook::CreatedAt))
                .primary_key(
                    Index::create()
                        .col(UserTakeWorkbook::UserId)
                        .col(UserTakeWorkbook::WorkbookId),
                )
                .foreign_key(&mut foreign_key(
                    "user_take_workbook_user_id_fkey",
                    (UserTakeWorkbook::Table, UserTakeWorkbook::UserId),
                    (Users::Table, Users::Id),
                    ForeignKeyAction::Cascade,
                ))
                .foreign_key(&mut foreign_key(
                    "user_take_workbook_workbook_id_fkey",
                    (UserTakeWorkbook::Table, UserTakeWorkbook::WorkbookId),
                    (Workbooks::Table, Workbooks::Id),
                    ForeignKeyAction::Cascade,
                ))
                .foreign_key(&mut foreign_key(
                    "user_take_workbook_course_id_fkey",
                    (UserTakeWorkbook::Table, UserTakeWorkbook::CourseId),
                    (Courses::Table, Courses::Id),
                    ForeignKeyAction::Cascade,
                ))
                .to_owned(),
        )
        .await?;
    // The primary key serves a user's claims; these serve the cascades when a
    // workbook or a course is deleted.
    manager
        .create_index(index(
            "user_take_workbook_workbook_id_idx",
            UserTakeWorkbook::Table,
            &[UserTakeWorkbook::WorkbookId.into_iden()],
        ))
        .await?;
    manager
        .create_index(index(
            "user_take_workbook_course_id_idx",
            UserTakeWorkbook::Table,
            &[UserTakeWorkbook::CourseId.into_iden()],
        ))
        .await
}

async fn create_certificate_open_user(manager: &SchemaManager<'_>) -> Result<(), DbErr> {
    manager
        .create_table(
            Table::create()
                .table(CertificateOpenUser::Table)
                .col(uuid(CertificateOpenUser::UserId))
                .col(uuid(CertificateOpenUser::CertificateId))
                .col(uuid(CertificateOpenUser::CourseId))
                .col(boolean(CertificateOpenUser::Available).default(true))
                .col(timestamp_with_time_zone_null(
                    CertificateOpenUser::ClaimedAt,
                ))
                // Given at the first claim, kept across resets.
                .col(text_null(CertificateOpenUser::Serial))
                // Copied at claim time: the printed document does not change.
                .col(string_len_null(CertificateOpenUser::HolderName, 255))
                .col(string_len_null(CertificateOpenUser::CourseTitle, 200))
                .col(timestamp_with_time_zone(CertificateOpenUser::CreatedAt))
                .primary_key(
                    Index::create()
                        .col(CertificateOpenUser::UserId)
                        .col(CertificateOpenUser::CertificateId),
                )
                .foreign_key(&mut foreign_key(
                    "certificate_open_user_user_id_fkey",
                    (CertificateOpenUser::Table, CertificateOpenUser::UserId),
                    (Users::Table, Users::Id),
                    ForeignKeyAction::Cascade,
                ))
                .foreign_key(&mut foreign_key(
                    "certificate_open_user_certificate_id_fkey",
                    (
                        CertificateOpenUser::Table,
                        CertificateOpenUser::CertificateId,
                    ),
                    (Certificates::Table, Certificates::Id),
                    ForeignKeyAction::Cascade,
                ))
                .foreign_key(&mut foreign_key(
                    "certificate_open_user_course_id_fkey",
                    (CertificateOpenUser::Table, CertificateOpenUser::CourseId),
                    (Courses::Table, Courses::Id),
                    ForeignKeyAction::Cascade,
                ))
                .to_owned(),
        )
        .await?;
    // The public check finds a certificate by serial; NULLs (never claimed)
    // do not collide on either backend.
    manager
        .create_index(
            index(
                "certificate_open_user_serial_key",
                CertificateOpenUser::Table,
                &[CertificateOpenUser::Serial.into_iden()],
            )
            .unique()
            .to_owned(),
        )
        .await?;
    manager
        .create_index(index(
            "certificate_open_user_certificate_id_idx",
            CertificateOpenUser::Table,
            &[CertificateOpenUser::CertificateId.into_iden()],
        ))
        .await?;
    manager
        .create_index(index(
            "certificate_open_user_course_id_idx",
            CertificateOpenUser::Table,
            &[CertificateOpenUser::CourseId.into_iden()],
        ))
        .await
}

async fn create_lesson_progress(manager: &SchemaManager<'_>) -> Result<(), DbErr> {
    manager
        .create_table(
            Table::create()
                .table(LessonProgress::Table)
                .col(uuid(LessonProgress::UserId))
                .col(uuid(LessonProgress::LessonId))
                .col(integer(LessonProgress::PositionSeconds))
                .col(timestamp_with_time_zone_null(LessonProgress::CompletedAt))
                .col(timestamp_with_time_zone(LessonProgress::UpdatedAt))
                .primary_key(
                    Index::create()
                        .col(LessonProgress::UserId)
                        .col(LessonProgress::LessonId),
                )
                .foreign_key(&mut foreign_key(
                    "lesson_progress_user_id_fkey",
                    (LessonProgress::Table, LessonProgress::UserId),
                    (Users::Table, Users::Id),
                    ForeignKeyAction::Cascade,
                ))
                .foreign_key(&mut foreign_key(
                    "lesson_progress_lesson_id_fkey",
                    (LessonProgress::Table, LessonProgress::LessonId),
                    (Lessons::Table, Lessons::Id),
                    ForeignKeyAction::Cascade,
                ))
                .to_owned(),
        )
        .await?;
    // A user's completed lessons of a course: only completed rows, by user,
    // each joined to `lessons` and `modules` by primary key to keep those of
    // the course.
    manager
        .create_index(
            index(
                "lesson_progress_completed_idx",
                LessonProgress::Table,
                &[
                    LessonProgress::UserId.into_iden(),
                    LessonProgress::LessonId.into_iden(),
                ],
            )
            .and_where(Expr::col(LessonProgress::CompletedAt).is_not_null())
            .to_owned(),
        )
        .await?;
    // The cascade when a lesson is deleted.
    manager
        .create_index(index(
            "lesson_progress_lesson_id_idx",
            LessonProgress::Table,
            &[LessonProgress::LessonId.into_iden()],
        ))
        .await
}

#[derive(DeriveIden)]
enum CoursesOpenUsers {
    Table,
    Id,
    UserId,
    CourseId,
    OpenedAt,
    ExpiresAt,
    RevokedAt,
    GrantedBy,
    RemindedAt,
    ExpiredNotifiedAt,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum UserTakeWorkbook {
    Table,
    UserId,
    WorkbookId,
    CourseId,
    Available,
    TakenAt,
    CreatedAt,
}

#[derive(DeriveIden)]
enum CertificateOpenUser {
    Table,
    UserId,
    CertificateId,
    CourseId,
    Available,
    ClaimedAt,
    Serial,
    HolderName,
    CourseTitle,
    CreatedAt,
}

#[derive(DeriveIden)]
enum LessonProgress {
    Table,
    UserId,
    LessonId,
    PositionSeconds,
    CompletedAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum Users {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum Admins {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum Courses {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum Lessons {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum Workbooks {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum Certificates {
    Table,
    Id,
}
