//! Storage of refresh-token sessions.

use crate::DomainResult;
use crate::sessions::{Audience, Session};
use async_trait::async_trait;
use chrono::{DateTime, Utc};
use uuid::Uuid;

#[async_trait]
pub trait SessionRepository: Send + Sync {
    async fn insert(&self, session: &Session) -> DomainResult<()>;

    async fn find_by_token_hash(&self, token_hash: &[u8]) -> DomainResult<Option<Session>>;

    /// Marks a live session rotated in one conditional update. Returns false when
    /// it was already rotated or revoked: of concurrent refreshes, one wins.
    async fn mark_rotated(&self, id: Uuid, at: DateTime<Utc>) -> DomainResult<bool>;

    /// Revokes every session of the family.
    async fn revoke_family(&self, family_id: Uuid, at: DateTime<Utc>) -> DomainResult<()>;

    /// Revokes every session of a user or admin, except one family if given.
    async fn revoke_all(
        &self,
        audience: Audience,
        subject_id: Uuid,
        except_family: Option<Uuid>,
        at: DateTime<Utc>,
    ) -> DomainResult<()>;
}
