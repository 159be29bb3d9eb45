//! The `click_transactions` table: Click SHOP API prepares and completes.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel, Eq)]
#[sea_orm(table_name = "click_transactions")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub prepare_id: i32,
    #[sea_orm(unique)]
    pub click_trans_id: i64,
    pub click_paydoc_id: i64,
    pub order_id: Uuid,
    pub amount: i64,
    pub state: i16,
    pub created_at: DateTimeWithTimeZone,
    pub updated_at: DateTimeWithTimeZone,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
