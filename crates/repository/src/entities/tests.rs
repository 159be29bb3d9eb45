//! The `tests` table: a lesson's tests.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel, Eq)]
#[sea_orm(table_name = "tests")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub lesson_id: Uuid,
    pub title: String,
    pub time_limit_seconds: Option<i32>,
    pub max_attempts: i32,
    pub pass_percent: i32,
    pub shuffle: bool,
    pub partial_credit: bool,
    pub created_at: DateTimeWithTimeZone,
    pub updated_at: DateTimeWithTimeZone,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
