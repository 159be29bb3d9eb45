//! Olympiads join the search of migration 000010 (`kind` `olympiad`): the same
//! folded `search_text`, index and triggers, and their rows folded.

use crate::m20261207_000010_create_search::{index_tables, unindex_tables};
use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

const TABLES: [(&str, &str); 1] = [("olympiads", "olympiad")];

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    fn use_transaction(&self) -> Option<bool> {
        Some(true)
    }

    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        index_tables(manager, &TABLES).await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        unindex_tables(manager, &TABLES).await
    }
}
