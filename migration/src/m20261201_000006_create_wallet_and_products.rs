//! Document 002: the wallet (`users.balance`, `wallet_entries`), the
//! idempotency keys of requests that move money (`idempotency_keys`), the
//! products sold by the month (`products`, the four of the document inserted
//! here) and the device-bound subscriptions (`subscriptions`), and the user's
//! school (`users.school_*`).
//!
//! The database holds the money rules: `users.balance >= 0` and every ledger
//! row's `balance_after >= 0` are CHECK constraints, a ledger row is never 0,
//! and the adapters change a balance only with one conditional `UPDATE` in
//! the transaction that writes its ledger row, so the ledger sums to the
//! balance. Idempotency keys are unique per caller; a subscription is unique
//! per user, product and device; a licence key's hash is unique.

use sea_orm_migration::sea_orm::prelude::{ChronoDateTimeWithTimeZone, Uuid};
use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

/// One of the four products of document 002.
struct Seeded {
    id: &'static str,
    code: &'static str,
    name: &'static str,
    description: &'static str,
    /// So'm a month.
    monthly_price: i64,
    /// Months one purchase may buy at most.
    max_months: i32,
    needs_subjects: bool,
    has_licence: bool,
}

const PRODUCTS: [Seeded; 4] = [
    Seeded {
        id: "0193a000-0000-7000-8000-000000000001",
        code: "kundalik-pc",
        name: "Kundalikcom (kompyuter)",
        description: "Kundalik.com uchun kompyuter dasturi: bir qurilmaga bogʻlangan litsenziya kaliti bilan.",
        monthly_price: 25_000,
        max_months: 12,
        needs_subjects: false,
        has_licence: true,
    },
    Seeded {
        id: "0193a000-0000-7000-8000-000000000002",
        code: "kundalik-mobile",
        name: "Kundalikcom (mobil)",
        description: "Kundalik.com uchun mobil ilova: bir qurilmaga bogʻlangan obuna.",
        monthly_price: 15_000,
        max_months: 12,
        needs_subjects: false,
        has_licence: false,
    },
    Seeded {
        id: "0193a000-0000-7000-8000-000000000003",
        code: "testmax-teacher",
        name: "TestMax (oʻqituvchi)",
        description: "Oʻqituvchilar uchun TestMax: fanlarni tanlab, test va savollar tuzish.",
        monthly_price: 30_000,
        max_months: 12,
        needs_subjects: true,
        has_licence: false,
    },
    Seeded {
        id: "0193a000-0000-7000-8000-000000000004",
        code: "testmax-center",
        name: "TestMax (oʻquv markazi)",
        description: "Oʻquv markazlari uchun TestMax: guruhlar va oʻquvchilar uchun testlar.",
        monthly_price: 150_000,
        max_months: 12,
        needs_subjects: false,
        has_licence: false,
    },
];

const ENTRY_KINDS: [&str; 6] = [
    "top_up",
    "adjustment",
    "purchase",
    "order",
    "refund",
    "payment",
];

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    fn use_transaction(&self) -> Option<bool> {
        Some(true)
    }

    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        add_user_columns(manager).await?;
        create_wallet_entries(manager).await?;
        create_idempotency_keys(manager).await?;
        create_products(manager).await?;
        create_subscriptions(manager).await?;
        insert_products(manager).await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for table in [
            Subscriptions::Table.into_iden(),
            Products::Table.into_iden(),
            IdempotencyKeys::Table.into_iden(),
            WalletEntries::Table.into_iden(),
        ] {
            manager
                .drop_table(Table::drop().table(table).to_owned())
                .await?;
        }
        for column in [
            Users::SchoolNumber,
            Users::SchoolDistrict,
            Users::SchoolRegion,
            Users::Balance,
        ] {
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

/// One `ADD COLUMN` per statement (SQLite takes no more). The CHECK is the
/// column's own, so SQLite keeps it too.
async fn add_user_columns(manager: &SchemaManager<'_>) -> Result<(), DbErr> {
    let connection = manager.get_connection();
    for statement in [
        "ALTER TABLE users ADD COLUMN balance BIGINT NOT NULL DEFAULT 0 \
         CONSTRAINT users_balance_check CHECK (balance >= 0)",
        "ALTER TABLE users ADD COLUMN school_region VARCHAR(32) NULL",
        "ALTER TABLE users ADD COLUMN school_district VARCHAR(100) NULL",
        "ALTER TABLE users ADD COLUMN school_number VARCHAR(20) NULL",
    ] {
        connection.execute_unprepared(statement).await?;
    }
    Ok(())
}

async fn create_wallet_entries(manager: &SchemaManager<'_>) -> Result<(), DbErr> {
    let kinds: Vec<Expr> = ENTRY_KINDS.iter().map(|k| Expr::val(*k)).collect();
    manager
        .create_table(
            Table::create()
                .table(WalletEntries::Table)
                .col(pk_uuid(WalletEntries::Id))
                .col(uuid(WalletEntries::UserId))
                .col(big_integer(WalletEntries::Amount))
                .col(big_integer(WalletEntries::BalanceAfter))
                .col(string_len(WalletEntries::Kind, 16))
                .col(text_null(WalletEntries::Note))
                .col(uuid_null(WalletEntries::AdminId))
                .col(string_len_null(WalletEntries::Reference, 100))
                .col(timestamp_with_time_zone(WalletEntries::CreatedAt))
                .check((
                    Alias::new("wallet_entries_amount_check"),
                    Expr::col(WalletEntries::Amount).ne(0),
                ))
                .check((
                    Alias::new("wallet_entries_balance_after_check"),
                    Expr::col(WalletEntries::BalanceAfter).gte(0),
                ))
                .check((
                    Alias::new("wallet_entries_kind_check"),
                    Expr::col(WalletEntries::Kind).is_in(kinds),
                ))
                .foreign_key(&mut foreign_key(
                    "wallet_entries_user_id_fkey",
                    (WalletEntries::Table, WalletEntries::UserId),
                    (Users::Table, Users::Id),
                    ForeignKeyAction::Cascade,
                ))
                .foreign_key(&mut foreign_key(
                    "wallet_entries_admin_id_fkey",
                    (WalletEntries::Table, WalletEntries::AdminId),
                    (Admins::Table, Admins::Id),
                    ForeignKeyAction::SetNull,
                ))
                .to_owned(),
        )
        .await?;
    // A user's ledger, newest first (ids are UUID v7), by keyset.
    manager
        .create_index(
            Index::create()
                .name("wallet_entries_user_id_id_idx")
                .table(WalletEntries::Table)
                .col(WalletEntries::UserId)
                .col(WalletEntries::Id)
                .to_owned(),
        )
        .await
}

async fn create_idempotency_keys(manager: &SchemaManager<'_>) -> Result<(), DbErr> {
    manager
        .create_table(
            Table::create()
                .table(IdempotencyKeys::Table)
                .col(string_len(IdempotencyKeys::Caller, 64))
                .col(string_len(IdempotencyKeys::Key, 64))
                .col(string_len(IdempotencyKeys::Fingerprint, 64))
                // NULL while the first request is being answered.
                .col(small_integer_null(IdempotencyKeys::Status))
                .col(text_null(IdempotencyKeys::Response))
                .col(timestamp_with_time_zone(IdempotencyKeys::CreatedAt))
                .col(timestamp_with_time_zone(IdempotencyKeys::ExpiresAt))
                .primary_key(
                    Index::create()
                        .col(IdempotencyKeys::Caller)
                        .col(IdempotencyKeys::Key),
                )
                .to_owned(),
        )
        .await?;
    manager
        .create_index(
            Index::create()
                .name("idempotency_keys_expires_at_idx")
                .table(IdempotencyKeys::Table)
                .col(IdempotencyKeys::ExpiresAt)
                .to_owned(),
        )
        .await
}

async fn create_products(manager: &SchemaManager<'_>) -> Result<(), DbErr> {
    manager
        .create_table(
            Table::create()
                .table(Products::Table)
                .col(pk_uuid(Products::Id))
                .col(string_len_uniq(Products::Code, 64))
                .col(string_len(Products::Name, 200))
                .col(text(Products::Description))
                .col(big_integer(Products::MonthlyPrice))
                .col(integer(Products::MaxMonths))
                .col(boolean(Products::NeedsSubjects))
                .col(boolean(Products::HasLicence))
                .col(boolean(Products::Active))
                .col(timestamp_with_time_zone(Products::CreatedAt))
                .col(timestamp_with_time_zone(Products::UpdatedAt))
                .check((
                    Alias::new("products_monthly_price_check"),
                    Expr::col(Products::MonthlyPrice).between(1, 100_000_000),
                ))
                .check((
                    Alias::new("products_max_months_check"),
                    Expr::col(Products::MaxMonths).between(1, 60),
                ))
                .to_owned(),
        )
        .await
}

async fn create_subscriptions(manager: &SchemaManager<'_>) -> Result<(), DbErr> {
    manager
        .create_table(
            Table::create()
                .table(Subscriptions::Table)
                .col(pk_uuid(Subscriptions::Id))
                .col(uuid(Subscriptions::UserId))
                .col(uuid(Subscriptions::ProductId))
                .col(string_len(Subscriptions::DeviceId, 128))
                // A JSON array of subject codes, for products that need them.
                .col(text_null(Subscriptions::Subjects))
                .col(timestamp_with_time_zone(Subscriptions::StartsAt))
                .col(timestamp_with_time_zone(Subscriptions::EndsAt))
                .col(string_len_null(Subscriptions::LicenceKeyHash, 64))
                .col(timestamp_with_time_zone_null(
                    Subscriptions::DeviceChangedAt,
                ))
                .col(timestamp_with_time_zone(Subscriptions::CreatedAt))
                .col(timestamp_with_time_zone(Subscriptions::UpdatedAt))
                .foreign_key(&mut foreign_key(
                    "subscriptions_user_id_fkey",
                    (Subscriptions::Table, Subscriptions::UserId),
                    (Users::Table, Users::Id),
                    ForeignKeyAction::Cascade,
                ))
                .foreign_key(&mut foreign_key(
                    "subscriptions_product_id_fkey",
                    (Subscriptions::Table, Subscriptions::ProductId),
                    (Products::Table, Products::Id),
                    ForeignKeyAction::Restrict,
                ))
                .to_owned(),
        )
        .await?;
    // A purchase for the same product and device extends the one row.
    manager
        .create_index(
            Index::create()
                .name("subscriptions_user_id_product_id_device_id_key")
                .table(Subscriptions::Table)
                .col(Subscriptions::UserId)
                .col(Subscriptions::ProductId)
                .col(Subscriptions::DeviceId)
                .unique()
                .to_owned(),
        )
        .await?;
    manager
        .create_index(
            Index::create()
                .name("subscriptions_licence_key_hash_key")
                .table(Subscriptions::Table)
                .col(Subscriptions::LicenceKeyHash)
                .unique()
                .to_owned(),
        )
        .await
}

async fn insert_products(manager: &SchemaManager<'_>) -> Result<(), DbErr> {
    let at = ChronoDateTimeWithTimeZone::parse_from_rfc3339("2026-12-01T00:00:00+00:00")
        .map_err(|error| DbErr::Migration(error.to_string()))?;
    let mut insert = Query::insert();
    insert.into_table(Products::Table).columns([
        Products::Id,
        Products::Code,
        Products::Name,
        Products::Description,
        Products::MonthlyPrice,
        Products::MaxMonths,
        Products::NeedsSubjects,
        Products::HasLicence,
        Products::Active,
        Products::CreatedAt,
        Products::UpdatedAt,
    ]);
    for p in PRODUCTS {
        let id = Uuid::parse_str(p.id).map_err(|error| DbErr::Migration(error.to_string()))?;
        insert
            .values([
                id.into(),
                p.code.into(),
                p.name.into(),
                p.description.into(),
                p.monthly_price.into(),
                p.max_months.into(),
                p.needs_subjects.into(),
                p.has_licence.into(),
                true.into(),
                at.into(),
                at.into(),
            ])
            .map_err(|error| DbErr::Migration(error.to_string()))?;
    }
    manager.exec_stmt(insert).await
}

#[derive(DeriveIden)]
enum Users {
    Table,
    Id,
    Balance,
    SchoolRegion,
    SchoolDistrict,
    SchoolNumber,
}

#[derive(DeriveIden)]
enum Admins {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum WalletEntries {
    Table,
    Id,
    UserId,
    Amount,
    BalanceAfter,
    Kind,
    Note,
    AdminId,
    Reference,
    CreatedAt,
}

#[derive(DeriveIden)]
enum IdempotencyKeys {
    Table,
    Caller,
    Key,
    Fingerprint,
    Status,
    Response,
    CreatedAt,
    ExpiresAt,
}

#[derive(DeriveIden)]
enum Products {
    Table,
    Id,
    Code,
    Name,
    Description,
    MonthlyPrice,
    MaxMonths,
    NeedsSubjects,
    HasLicence,
    Active,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum Subscriptions {
    Table,
    Id,
    UserId,
    ProductId,
    DeviceId,
    Subjects,
    StartsAt,
    EndsAt,
    LicenceKeyHash,
    DeviceChangedAt,
    CreatedAt,
    UpdatedAt,
}
