//! Admins: a separate aggregate with its own table, login and token audience.

use crate::values::{Email, Username};
use chrono::{DateTime, Utc};
use uuid::Uuid;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AdminRole {
    /// May also manage admins.
    Super,
    Admin,
}

impl AdminRole {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Super => "super",
            Self::Admin => "admin",
        }
    }

    pub fn parse(raw: &str) -> Option<Self> {
        match raw {
            "super" => Some(Self::Super),
            "admin" => Some(Self::Admin),
            _ => None,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Admin {
    pub id: Uuid,
    pub username: String,
    pub email: String,
    pub password_hash: String,
    pub role: AdminRole,
    pub active: bool,
    /// Telegram user id, for the sales bot.
    pub tg_id: Option<i64>,
    pub token_version: i32,
    pub last_login_at: Option<DateTime<Utc>>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

#[derive(Debug, Clone)]
pub struct NewAdmin {
    pub id: Uuid,
    pub username: Username,
    pub email: Email,
    pub password_hash: String,
    pub role: AdminRole,
    pub tg_id: Option<i64>,
    pub now: DateTime<Utc>,
}

/// What a super admin changes on an admin (`PATCH /admin/admins/{id}`);
/// `None` leaves a field as it is.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct AdminChanges {
    pub role: Option<AdminRole>,
    pub active: Option<bool>,
    /// `Some(None)` removes the Telegram id.
    pub tg_id: Option<Option<i64>>,
}
