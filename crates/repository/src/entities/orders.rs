//! The `orders` table: a user's order of an offering, with what was ordered.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel, Eq)]
#[sea_orm(table_name = "orders")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub user_id: Uuid,
    pub offering_id: Uuid,
    pub name: String,
    pub amount: i64,
    pub kind: String,
    pub course_id: Option<Uuid>,
    pub product_id: Option<Uuid>,
    pub months: Option<i32>,
    pub device_id: Option<String>,
    pub status: String,
    pub paid_via: Option<String>,
    pub subscription_id: Option<Uuid>,
    pub completed_at: Option<DateTimeWithTimeZone>,
    pub cancelled_at: Option<DateTimeWithTimeZone>,
    pub refunded_at: Option<DateTimeWithTimeZone>,
    pub created_at: DateTimeWithTimeZone,
    pub updated_at: DateTimeWithTimeZone,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
