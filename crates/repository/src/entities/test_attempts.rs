//! The `test_attempts` table: users' attempts, answers as JSON.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel, Eq)]
#[sea_orm(table_name = "test_attempts")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub test_id: Uuid,
    pub user_id: Uuid,
    pub number: i32,
    pub started_at: DateTimeWithTimeZone,
    pub deadline: Option<DateTimeWithTimeZone>,
    #[sea_orm(column_type = "Text")]
    pub answers: String,
    pub submitted_at: Option<DateTimeWithTimeZone>,
    pub score: Option<i32>,
    pub max_score: Option<i32>,
    pub passed: Option<bool>,
    pub olympiad_id: Option<Uuid>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
