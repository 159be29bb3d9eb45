//! Storage of admins.

use super::AuditEntry;
use crate::DomainResult;
use crate::admins::{Admin, AdminChanges, NewAdmin};
use async_trait::async_trait;
use chrono::{DateTime, Utc};
use uuid::Uuid;

#[async_trait]
pub trait AdminRepository: Send + Sync {
    /// `Conflict { what: "username" | "email" }` when taken. With `audit` (an
    /// admin creating another), the entry is written in the same transaction;
    /// `None` only when no admin acts (the first admin, from the command line).
    async fn insert(&self, admin: NewAdmin, audit: Option<&AuditEntry>) -> DomainResult<Admin>;

    async fn find_by_id(&self, id: Uuid) -> DomainResult<Option<Admin>>;

    /// By username or email (already lower-cased).
    async fn find_by_login(&self, login: &str) -> DomainResult<Option<Admin>>;

    /// Newest first, after the admin `after` (keyset).
    async fn list(&self, after: Option<Uuid>, limit: u64) -> DomainResult<Vec<Admin>>;

    async fn count(&self) -> DomainResult<u64>;

    async fn record_login(&self, id: Uuid, at: DateTime<Utc>) -> DomainResult<()>;

    /// A super admin's change, in one transaction with `audit`: role,
    /// `active` (deactivating raises the token version), Telegram id. When
    /// no active super admin would be left: `Conflict { what: "last_super" }`
    /// with nothing written (the active super admins are locked first, so two
    /// concurrent demotions cannot both pass). `NotFound` when absent.
    async fn update(
        &self,
        id: Uuid,
        changes: AdminChanges,
        now: DateTime<Utc>,
        audit: &AuditEntry,
    ) -> DomainResult<Admin>;
}
