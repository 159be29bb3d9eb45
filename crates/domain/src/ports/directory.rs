//! The admin's view of all users: filtered keyset pages and totals. Kept apart
//! from `UserRepository` because it serves lists, not one aggregate.

use crate::DomainResult;
use crate::users::User;
use async_trait::async_trait;
use uuid::Uuid;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum UserStatus {
    Active,
    Inactive,
    All,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UserQuery {
    pub status: UserStatus,
    /// Lower-cased text found in the name, email or phone.
    pub search: Option<String>,
    /// Keyset: the page starts after this id (ids are time-ordered, newest first).
    pub after: Option<Uuid>,
    pub limit: u64,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct UserTotals {
    pub active: u64,
    pub inactive: u64,
}

#[async_trait]
pub trait UserDirectory: Send + Sync {
    /// Newest first.
    async fn list(&self, query: &UserQuery) -> DomainResult<Vec<User>>;

    /// Kept up to date on every write, so reading them scans nothing.
    async fn totals(&self) -> DomainResult<UserTotals>;
}
