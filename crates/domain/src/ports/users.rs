//! Storage of users.

use super::AuditEntry;
use crate::DomainResult;
use crate::users::{AccountChanges, NewUser, ProfileChanges, School, User};
use async_trait::async_trait;
use chrono::{DateTime, Utc};
use uuid::Uuid;

#[async_trait]
pub trait UserRepository: Send + Sync {
    /// `Conflict` when the email is taken (enforced by a unique index).
    async fn insert(&self, user: NewUser) -> DomainResult<User>;

    async fn find_by_id(&self, id: Uuid) -> DomainResult<Option<User>>;

    /// `email` is already normalised (trimmed, lower-case).
    async fn find_by_email(&self, email: &str) -> DomainResult<Option<User>>;

    /// Applies the changes and returns the updated user; `NotFound` when absent.
    async fn update_profile(
        &self,
        id: Uuid,
        changes: ProfileChanges,
        now: DateTime<Utc>,
    ) -> DomainResult<User>;

    /// Replaces the password hash and raises the token version, so every access
    /// token issued before stops working.
    async fn set_password(
        &self,
        id: Uuid,
        password_hash: &str,
        now: DateTime<Utc>,
    ) -> DomainResult<()>;

    /// Sets the avatar and returns the key it replaced.
    async fn set_avatar(
        &self,
        id: Uuid,
        avatar_key: &str,
        now: DateTime<Utc>,
    ) -> DomainResult<Option<String>>;

    /// Raises the token version: every access token issued before stops working.
    async fn bump_token_version(&self, id: Uuid, now: DateTime<Utc>) -> DomainResult<()>;

    /// Sets `active` (and raises the token version when deactivating). The
    /// user's own deactivation: not audited.
    async fn set_active(&self, id: Uuid, active: bool, now: DateTime<Utc>) -> DomainResult<()>;

    /// An admin's change, in one transaction with its audit entry: sets the
    /// role and `active` (as `set_active` does) and writes `audit`; returns
    /// the user as changed. `NotFound`, with nothing written, when absent.
    async fn update_account(
        &self,
        id: Uuid,
        changes: AccountChanges,
        now: DateTime<Utc>,
        audit: &AuditEntry,
    ) -> DomainResult<User>;

    /// Sets the user's school; returns the user as changed. `NotFound` when absent.
    async fn set_school(&self, id: Uuid, school: &School, now: DateTime<Utc>)
    -> DomainResult<User>;

    async fn record_login(&self, id: Uuid, at: DateTime<Utc>) -> DomainResult<()>;

    /// `username` is already normalised (lower-case).
    async fn find_by_username(&self, username: &str) -> DomainResult<Option<User>>;

    /// Records a request seen at `now`, with one conditional `UPDATE` that
    /// writes only when `last_seen_at` is older than
    /// `SEEN_WRITE_INTERVAL_SECONDS` (or unset): at most one write per user
    /// per interval, however many requests and instances.
    async fn record_seen(&self, id: Uuid, now: DateTime<Utc>) -> DomainResult<()>;

    /// Marks the email proven (by a code) at `at`, unless it already was.
    async fn mark_email_verified(&self, id: Uuid, at: DateTime<Utc>) -> DomainResult<()>;
}
