//! The `wallet_entries` table: the ledger, one signed row per balance change.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel, Eq)]
#[sea_orm(table_name = "wallet_entries")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub user_id: Uuid,
    pub amount: i64,
    pub balance_after: i64,
    pub kind: String,
    #[sea_orm(column_type = "Text", nullable)]
    pub note: Option<String>,
    pub admin_id: Option<Uuid>,
    pub reference: Option<String>,
    pub created_at: DateTimeWithTimeZone,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
