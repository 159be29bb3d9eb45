//! The `questions` table: a test's questions, options as JSON.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "questions")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub test_id: Uuid,
    pub kind: String,
    #[sea_orm(column_type = "Text")]
    pub text: String,
    pub points: i32,
    pub position: i32,
    #[sea_orm(column_type = "Text")]
    pub options: String,
    #[sea_orm(column_type = "Text", nullable)]
    pub answer: Option<String>,
    #[sea_orm(column_type = "Double", nullable)]
    pub tolerance: Option<f64>,
    pub created_at: DateTimeWithTimeZone,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
