//! Users: students and teachers. Admins are a separate aggregate.

use crate::values::{District, Email, Handle, PersonName, Phone, Region, SchoolNumber};
use chrono::{DateTime, Utc};
use uuid::Uuid;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum UserRole {
    Student,
    Teacher,
}

impl UserRole {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Student => "student",
            Self::Teacher => "teacher",
        }
    }

    pub fn parse(raw: &str) -> Option<Self> {
        match raw {
            "student" => Some(Self::Student),
            "teacher" => Some(Self::Teacher),
            _ => None,
        }
    }
}

/// Document 002's `sex`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Sex {
    Male,
    Female,
}

impl Sex {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Male => "male",
            Self::Female => "female",
        }
    }

    pub fn parse(raw: &str) -> Option<Self> {
        match raw {
            "male" => Some(Self::Male),
            "female" => Some(Self::Female),
            _ => None,
        }
    }
}

/// A user is `online` when a request of theirs was seen this recently.
pub const ONLINE_WINDOW_SECONDS: i64 = 5 * 60;
/// `last_seen_at` is written at most once per this many seconds per user.
pub const SEEN_WRITE_INTERVAL_SECONDS: i64 = 60;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct User {
    pub id: Uuid,
    pub first_name: String,
    pub last_name: String,
    pub email: String,
    pub phone: Option<String>,
    /// Argon2id PHC string.
    pub password_hash: String,
    /// Storage key of the avatar image.
    pub avatar_key: Option<String>,
    pub role: UserRole,
    pub active: bool,
    pub email_verified_at: Option<DateTime<Utc>>,
    pub last_login_at: Option<DateTime<Utc>>,
    /// Raised to end every access token issued before (logout-all, password change).
    pub token_version: i32,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    /// So'm, never negative; the sum of the user's ledger.
    pub balance: i64,
    /// Where the user studies or teaches (document 002's `SchoolData`).
    pub school: Option<School>,
    /// Lower-case, unique; `None` for accounts made before usernames.
    pub username: Option<String>,
    pub sex: Option<Sex>,
    /// The Telegram user id the account is linked to (unique).
    pub tg_id: Option<i64>,
    /// The last request seen, to within `SEEN_WRITE_INTERVAL_SECONDS`.
    pub last_seen_at: Option<DateTime<Utc>>,
}

impl User {
    /// Seen within the last `ONLINE_WINDOW_SECONDS` before `now`.
    pub fn online(&self, now: DateTime<Utc>) -> bool {
        self.last_seen_at
            .is_some_and(|seen| now - seen < chrono::Duration::seconds(ONLINE_WINDOW_SECONDS))
    }

    /// Whether a request at `now` should record itself in `last_seen_at`.
    pub fn seen_is_stale(&self, now: DateTime<Utc>) -> bool {
        self.last_seen_at
            .is_none_or(|seen| now - seen >= chrono::Duration::seconds(SEEN_WRITE_INTERVAL_SECONDS))
    }
}

/// A user's school: `PUT /users/me/school`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct School {
    pub region: Region,
    pub district: District,
    pub number: SchoolNumber,
}

/// A verified registration, ready to be stored.
#[derive(Debug, Clone)]
pub struct NewUser {
    pub id: Uuid,
    pub first_name: PersonName,
    pub last_name: PersonName,
    pub email: Email,
    pub phone: Option<Phone>,
    pub password_hash: String,
    pub role: UserRole,
    /// When the email was proven (by a code); `None` for accounts made otherwise.
    pub email_verified_at: Option<DateTime<Utc>>,
    pub now: DateTime<Utc>,
}

/// Profile fields a user may change; `None` leaves a field as it is.
#[derive(Debug, Clone, Default)]
pub struct ProfileChanges {
    pub first_name: Option<PersonName>,
    pub last_name: Option<PersonName>,
    /// `Some(None)` removes the phone number.
    pub phone: Option<Option<Phone>>,
    /// A username that must be free (`Conflict { what: "username" }`).
    pub username: Option<Handle>,
}

/// What an admin changes on a user (`PATCH /admin/users/{id}`); `None` leaves
/// it as it is.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct AccountChanges {
    pub role: Option<UserRole>,
    pub active: Option<bool>,
}
