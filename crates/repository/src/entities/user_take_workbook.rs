//! The `user_take_workbook` table: a workbook a user may download once.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel, Eq)]
#[sea_orm(table_name = "user_take_workbook")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub user_id: Uuid,
    #[sea_orm(primary_key, auto_increment = false)]
    pub workbook_id: Uuid,
    pub course_id: Uuid,
    pub available: bool,
    pub taken_at: Option<DateTimeWithTimeZone>,
    pub created_at: DateTimeWithTimeZone,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {
    #[sea_orm(
        belongs_to = "super::courses::Entity",
        from = "Column::CourseId",
        to = "super::courses::Column::Id",
        on_update = "Restrict",
        on_delete = "Cascade"
    )]
    Courses,
    #[sea_orm(
        belongs_to = "super::users::Entity",
        from = "Column::UserId",
        to = "super::users::Column::Id",
        on_update = "Restrict",
        on_delete = "Cascade"
    )]
    Users,
    #[sea_orm(
        belongs_to = "super::workbooks::Entity",
        from = "Column::WorkbookId",
        to = "super::workbooks::Column::Id",
        on_update = "Restrict",
        on_delete = "Cascade"
    )]
    Workbooks,
}

impl Related<super::courses::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Courses.def()
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
