//! The `payme_transactions` table: Payme Merchant API transactions.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel, Eq)]
#[sea_orm(table_name = "payme_transactions")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    #[sea_orm(unique)]
    pub payme_id: String,
    pub order_id: Uuid,
    pub amount: i64,
    pub state: i16,
    pub reason: Option<i16>,
    pub payme_time: i64,
    pub create_time: i64,
    pub perform_time: i64,
    pub cancel_time: i64,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
