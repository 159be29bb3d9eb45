//! Short-lived shared state: email-code challenges and rate-limit counters.
//! Redis in production, an in-process map on a single instance.

use crate::DomainResult;
use async_trait::async_trait;
use std::time::Duration;

/// The state of a rate-limit counter after an increment.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Counter {
    /// Increments in the current window, this one included.
    pub count: u64,
    /// Time until the window ends and the counter starts again from zero.
    pub resets_in: Duration,
}

/// Every method is atomic with respect to concurrent callers, on every instance
/// that shares the store. Keys are plain strings; the adapter adds its own prefix.
#[async_trait]
pub trait EphemeralStore: Send + Sync {
    /// Stores `value` under `key` for `ttl`, replacing any earlier value and TTL.
    async fn set(&self, key: &str, value: &[u8], ttl: Duration) -> DomainResult<()>;

    /// Reads a live value without removing it.
    async fn get(&self, key: &str) -> DomainResult<Option<Vec<u8>>>;

    /// Removes a live value and returns it. Of any number of concurrent takers of
    /// one key, exactly one receives the value.
    async fn take(&self, key: &str) -> DomainResult<Option<Vec<u8>>>;

    /// Removes `key`; removing a missing key is not an error.
    async fn delete(&self, key: &str) -> DomainResult<()>;

    /// Adds one to the counter under `key`. The first increment starts a window of
    /// length `window`; when it ends the key disappears and counting restarts.
    async fn increment(&self, key: &str, window: Duration) -> DomainResult<Counter>;
}
