//! Bilim's schema history. Append-only: a released migration is never edited;
//! a change is a new file listed last in `Migrator::migrations`.

pub use sea_orm_migration::prelude::*;

mod m20261122_000001_create_users_and_sessions;
mod m20261122_000002_create_admins_audit_and_user_directory;
mod m20261122_000003_create_catalogue;
mod m20261122_000004_create_learning;
mod m20261122_000005_create_catalogue_revision;
mod m20261201_000006_create_wallet_and_products;
mod m20261207_000007_telegram_and_account_fields;
mod m20261207_000008_offerings_orders_payments;
mod m20261207_000009_tests_and_olympiads;
mod m20261207_000010_create_search;
mod m20261207_000011_stats_indexes;
mod m20261207_000012_search_olympiads;

pub struct Migrator;

#[async_trait::async_trait]
impl MigratorTrait for Migrator {
    fn migrations() -> Vec<Box<dyn MigrationTrait>> {
        vec![
            Box::new(m20261122_000001_create_users_and_sessions::Migration),
            Box::new(m20261122_000002_create_admins_audit_and_user_directory::Migration),
            Box::new(m20261122_000003_create_catalogue::Migration),
            Box::new(m20261122_000004_create_learning::Migration),
            Box::new(m20261122_000005_create_catalogue_revision::Migration),
            Box::new(m20261201_000006_create_wallet_and_products::Migration),
            Box::new(m20261207_000007_telegram_and_account_fields::Migration),
            Box::new(m20261207_000008_offerings_orders_payments::Migration),
            Box::new(m20261207_000009_tests_and_olympiads::Migration),
            Box::new(m20261207_000010_create_search::Migration),
            Box::new(m20261207_000011_stats_indexes::Migration),
            Box::new(m20261207_000012_search_olympiads::Migration),
        ]
    }
}
