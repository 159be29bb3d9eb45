//! The `courses` table.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel, Eq)]
#[sea_orm(table_name = "courses")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub direction_id: Uuid,
    pub title: String,
    /// The title lower-cased in Rust: what the catalogue search matches.
    pub title_search: String,
    #[sea_orm(column_type = "Text")]
    pub description: String,
    /// Title and description folded for search (`bilim_domain::search`).
    #[sea_orm(column_type = "Text")]
    pub search_text: String,
    pub level: String,
    pub status: String,
    pub teacher_id: Option<Uuid>,
    pub access_months: i32,
    pub created_at: DateTimeWithTimeZone,
    pub updated_at: DateTimeWithTimeZone,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {
    #[sea_orm(has_one = "super::certificates::Entity")]
    Certificates,
    #[sea_orm(
        belongs_to = "super::directions::Entity",
        from = "Column::DirectionId",
        to = "super::directions::Column::Id",
        on_update = "Restrict",
        on_delete = "Restrict"
    )]
    Directions,
    #[sea_orm(has_many = "super::modules::Entity")]
    Modules,
    #[sea_orm(
        belongs_to = "super::users::Entity",
        from = "Column::TeacherId",
        to = "super::users::Column::Id",
        on_update = "Restrict",
        on_delete = "SetNull"
    )]
    Users,
    #[sea_orm(has_many = "super::workbooks::Entity")]
    Workbooks,
}

impl Related<super::certificates::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Certificates.def()
    }
}

impl Related<super::directions::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Directions.def()
    }
}

impl Related<super::modules::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Modules.def()
    }
}

impl Related<super::users::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Users.def()
    }
}

impl Related<super::workbooks::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Workbooks.def()
    }
}

impl ActiveModelBehavior for ActiveModel {}
