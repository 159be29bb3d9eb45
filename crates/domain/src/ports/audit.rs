//! The audit log: who changed what, when, from where.

use crate::DomainResult;
use async_trait::async_trait;
use chrono::{DateTime, Utc};
use uuid::Uuid;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuditEntry {
    pub id: Uuid,
    pub admin_id: Uuid,
    /// `user.update`, `admin.create`, …
    pub action: String,
    /// `user`, `admin`, `course`, …
    pub target_type: String,
    pub target_id: String,
    /// What changed, as a small JSON object.
    pub details: String,
    pub ip: Option<String>,
    pub at: DateTime<Utc>,
}

#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct AuditQuery {
    pub admin_id: Option<Uuid>,
    pub target_id: Option<String>,
    /// Keyset: entries older than this id.
    pub after: Option<Uuid>,
    pub limit: u64,
}

#[async_trait]
pub trait AuditLog: Send + Sync {
    async fn record(&self, entry: &AuditEntry) -> DomainResult<()>;

    /// Newest first.
    async fn list(&self, query: &AuditQuery) -> DomainResult<Vec<AuditEntry>>;
}
