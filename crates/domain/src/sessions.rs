//! Refresh-token sessions. Each login starts a family; every refresh rotates the
//! token within it; presenting a rotated token revokes the whole family.

use chrono::{DateTime, Utc};
use uuid::Uuid;

/// Who a session belongs to: users and admins have separate token audiences.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Audience {
    User,
    Admin,
}

impl Audience {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::User => "user",
            Self::Admin => "admin",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Session {
    pub id: Uuid,
    pub family_id: Uuid,
    pub audience: Audience,
    pub subject_id: Uuid,
    /// SHA-256 of the refresh token; the token itself is never stored.
    pub token_hash: Vec<u8>,
    pub created_at: DateTime<Utc>,
    pub expires_at: DateTime<Utc>,
    /// Set when this token was exchanged for the next one in its family.
    pub rotated_at: Option<DateTime<Utc>>,
    pub revoked_at: Option<DateTime<Utc>>,
}

impl Session {
    /// Usable to refresh: not rotated, not revoked, not expired at `now`.
    pub fn is_live(&self, now: DateTime<Utc>) -> bool {
        self.rotated_at.is_none() && self.revoked_at.is_none() && now < self.expires_at
    }
}
