//! Document 002's account fields and the Telegram bot's pre-registrations.
//!
//! `users` gains `username` (stored lower-cased, so its unique index is
//! case-insensitive on both backends), `sex`, `tg_id` (unique when set; NULLs
//! never collide) and `last_seen_at` (what `online` is judged from, written at
//! most once a minute per user). `telegram_pre_registrations` holds one live
//! token per Telegram id (unique), kept as its SHA-256 (unique): registering
//! deletes the row in the transaction that inserts the user, so a token makes
//! one account at most.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    fn use_transaction(&self) -> Option<bool> {
        Some(true)
    }

    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let connection = manager.get_connection();
        // One `ADD COLUMN` per statement (SQLite takes no more).
        for statement in [
            "ALTER TABLE users ADD COLUMN username VARCHAR(32) NULL",
            "ALTER TABLE users ADD COLUMN sex VARCHAR(8) NULL \
             CONSTRAINT users_sex_check CHECK (sex IN ('male', 'female'))",
            "ALTER TABLE users ADD COLUMN tg_id BIGINT NULL",
        ] {
            connection.execute_unprepared(statement).await?;
        }
        manager
            .alter_table(
                Table::alter()
                    .table(Users::Table)
                    .add_column(timestamp_with_time_zone_null(Users::LastSeenAt))
                    .to_owned(),
            )
            .await?;
        for (name, column) in [
            ("users_username_key", Users::Username),
            ("users_tg_id_key", Users::TgId),
        ] {
            manager
                .create_index(
                    Index::create()
                        .name(name)
                        .table(Users::Table)
                        .col(column)
                        .unique()
                        .to_owned(),
                )
                .await?;
        }
        manager
            .create_table(
                Table::create()
                    .table(TelegramPreRegistrations::Table)
                    .col(pk_uuid(TelegramPreRegistrations::Id))
                    .col(big_integer_uniq(TelegramPreRegistrations::TgId))
                    .col(string_len(TelegramPreRegistrations::Phone, 13))
                    .col(string_len_uniq(TelegramPreRegistrations::TokenHash, 64))
                    .col(timestamp_with_time_zone(
                        TelegramPreRegistrations::ExpiresAt,
                    ))
                    .col(timestamp_with_time_zone(
                        TelegramPreRegistrations::CreatedAt,
                    ))
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(
                Table::drop()
                    .table(TelegramPreRegistrations::Table)
                    .to_owned(),
            )
            .await?;
        for index in ["users_tg_id_key", "users_username_key"] {
            manager
                .drop_index(Index::drop().name(index).table(Users::Table).to_owned())
                .await?;
        }
        for column in [Users::LastSeenAt, Users::TgId, Users::Sex, Users::Username] {
            manager
                .alter_table(
                    Table::alter()
                        .table(Users::Table)
                        .drop_column(column)
                        .to_owned(),
                )
                .await?;
        }
        Ok(())
    }
}

#[derive(DeriveIden)]
enum Users {
    Table,
    Username,
    Sex,
    TgId,
    LastSeenAt,
}

#[derive(DeriveIden)]
enum TelegramPreRegistrations {
    Table,
    Id,
    TgId,
    Phone,
    TokenHash,
    ExpiresAt,
    CreatedAt,
}
