//! The `lessons` table.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel, Eq)]
#[sea_orm(table_name = "lessons")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub module_id: Uuid,
    pub title: String,
    #[sea_orm(column_type = "Text")]
    pub description: String,
    /// Title and description folded for search (`bilim_domain::search`).
    #[sea_orm(column_type = "Text")]
    pub search_text: String,
    pub position: i32,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {
    #[sea_orm(
        belongs_to = "super::modules::Entity",
        from = "Column::ModuleId",
        to = "super::modules::Column::Id",
        on_update = "Restrict",
        on_delete = "Cascade"
    )]
    Modules,
    #[sea_orm(has_one = "super::videos::Entity")]
    Videos,
    #[sea_orm(has_many = "super::workbooks::Entity")]
    Workbooks,
}

impl Related<super::modules::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Modules.def()
    }
}

impl Related<super::videos::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Videos.def()
    }
}

impl Related<super::workbooks::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Workbooks.def()
    }
}

impl ActiveModelBehavior for ActiveModel {}
