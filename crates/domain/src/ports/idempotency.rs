//! Storage of idempotency keys, shared by every instance (the database).

use crate::DomainResult;
use crate::idempotency::{KeyClaim, StoredAnswer};
use async_trait::async_trait;
use chrono::{DateTime, Utc};

#[async_trait]
pub trait IdempotencyStore: Send + Sync {
    /// Claims `key` for `caller` with the request's `fingerprint` (a hash of
    /// what was asked), until `expires_at`. A key whose claim expired (at or
    /// before `now`) is claimed afresh. Of concurrent claims of one key,
    /// exactly one is `Claimed` (a unique key decides).
    async fn claim(
        &self,
        caller: &str,
        key: &str,
        fingerprint: &str,
        now: DateTime<Utc>,
        expires_at: DateTime<Utc>,
    ) -> DomainResult<KeyClaim>;

    /// Stores the answer of a claimed key.
    async fn answer(&self, caller: &str, key: &str, answer: &StoredAnswer) -> DomainResult<()>;

    /// Gives up a claim whose request failed without doing anything, so the
    /// same key may be tried again.
    async fn release(&self, caller: &str, key: &str) -> DomainResult<()>;
}
