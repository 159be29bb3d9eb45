//! The `users` table.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel, Eq)]
#[sea_orm(table_name = "users")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub first_name: String,
    pub last_name: String,
    #[sea_orm(unique)]
    pub email: String,
    pub phone: Option<String>,
    #[sea_orm(column_type = "Text")]
    pub password_hash: String,
    pub avatar_key: Option<String>,
    pub role: String,
    pub active: bool,
    pub email_verified_at: Option<DateTimeWithTimeZone>,
    pub last_login_at: Option<DateTimeWithTimeZone>,
    pub token_version: i32,
    pub created_at: DateTimeWithTimeZone,
    pub updated_at: DateTimeWithTimeZone,
    /// Names, email and phone, lower-cased in Rust: what the admin search matches.
    #[sea_orm(column_type = "Text")]
    pub search_text: String,
    /// So'm, never negative (CHECK); equals the sum of the user's ledger.
    pub balance: i64,
    pub school_region: Option<String>,
    pub school_district: Option<String>,
    pub school_number: Option<String>,
    /// Lower-case; unique.
    #[sea_orm(unique)]
    pub username: Option<String>,
    pub sex: Option<String>,
    #[sea_orm(unique)]
    pub tg_id: Option<i64>,
    pub last_seen_at: Option<DateTimeWithTimeZone>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
