//! The `videos` table: one row per lesson that has a video. Read only by
//! `catalogue::videos`.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel, Eq)]
#[sea_orm(table_name = "videos")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub lesson_id: Uuid,
    #[sea_orm(column_type = "Text", nullable)]
    pub url: Option<String>,
    pub storage_key: Option<String>,
    pub duration_seconds: i32,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {
    #[sea_orm(
        belongs_to = "super::lessons::Entity",
        from = "Column::LessonId",
        to = "super::lessons::Column::Id",
        on_update = "Restrict",
        on_delete = "Cascade"
    )]
    Lessons,
}

impl Related<super::lessons::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Lessons.def()
    }
}

impl ActiveModelBehavior for ActiveModel {}
