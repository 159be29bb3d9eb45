//! A `SessionRepository` in memory, with the adapters' conditions: a token
//! hash is stored once, `mark_rotated` changes only a session neither rotated
//! nor revoked (so of concurrent callers exactly one wins), and revoking keeps
//! an earlier `revoked_at`.

use async_trait::async_trait;
use bilim_domain::ports::SessionRepository;
use bilim_domain::sessions::{Audience, Session};
use bilim_domain::{DomainError, DomainResult};
use chrono::{DateTime, Utc};
use std::sync::{Mutex, MutexGuard, PoisonError};
use uuid::Uuid;

#[derive(Default)]
pub struct InMemorySessionRepository {
    sessions: Mutex<Vec<Session>>,
}

impl InMemorySessionRepository {
    pub fn new() -> Self {
        Self::default()
    }

    /// Every stored session, in insertion order.
    pub fn all(&self) -> Vec<Session> {
        self.lock().clone()
    }

    /// The sessions of one family, in insertion order.
    pub fn family(&self, family_id: Uuid) -> Vec<Session> {
        self.lock()
            .iter()
            .filter(|session| session.family_id == family_id)
            .cloned()
            .collect()
    }

    fn lock(&self) -> MutexGuard<'_, Vec<Session>> {
        self.sessions.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

/// Sets `revoked_at` on every session chosen that has none yet.
fn revoke(sessions: &mut [Session], at: DateTime<Utc>, chosen: impl Fn(&Session) -> bool) {
    for session in sessions.iter_mut().filter(|s| chosen(s)) {
        session.revoked_at.get_or_insert(at);
    }
}

#[async_trait]
impl SessionRepository for InMemorySessionRepository {
    async fn insert(&self, session: &Session) -> DomainResult<()> {
        let mut sessions = self.lock();
        if sessions
            .iter()
            .any(|s| s.id == session.id || s.token_hash == session.token_hash)
        {
            return Err(DomainError::Conflict {
                what: "session".into(),
            });
        }
        sessions.push(session.clone());
        Ok(())
    }

    async fn find_by_token_hash(&self, token_hash: &[u8]) -> DomainResult<Option<Session>> {
        Ok(self
            .lock()
            .iter()
            .find(|session| session.token_hash == token_hash)
            .cloned())
    }

    async fn mark_rotated(&self, id: Uuid, at: DateTime<Utc>) -> DomainResult<bool> {
        tokio::task::yield_now().await;
        let mut sessions = self.lock();
        let live = sessions
            .iter_mut()
            .find(|s| s.id == id && s.rotated_at.is_none() && s.revoked_at.is_none());
        Ok(live.map(|session| session.rotated_at = Some(at)).is_some())
    }

    async fn revoke_family(&self, family_id: Uuid, at: DateTime<Utc>) -> DomainResult<()> {
        revoke(&mut self.lock(), at, |s| s.family_id == family_id);
        Ok(())
    }

    async fn revoke_all(
        &self,
        audience: Audience,
        subject_id: Uuid,
        except_family: Option<Uuid>,
        at: DateTime<Utc>,
    ) -> DomainResult<()> {
        revoke(&mut self.lock(), at, |s| {
            s.audience == audience
                && s.subject_id == subject_id
                && Some(s.family_id) != except_family
        });
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::Arc;

    fn session(family_id: Uuid) -> Session {
        let now = Utc::now();
        let id = Uuid::now_v7();
        Session {
            id,
            family_id,
            audience: Audience::User,
            subject_id: Uuid::nil(),
            token_hash: id.as_bytes().to_vec(),
            created_at: now,
            expires_at: now + chrono::Duration::days(30),
            rotated_at: None,
            revoked_at: None,
        }
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 4)]
    async fn of_concurrent_rotations_exactly_one_wins() -> DomainResult<()> {
        let repository = Arc::new(InMemorySessionRepository::new());
        let live = session(Uuid::now_v7());
        repository.insert(&live).await?;
        let racers: Vec<_> = (0..16)
            .map(|_| {
                let repository = Arc::clone(&repository);
                tokio::spawn(async move { repository.mark_rotated(live.id, Utc::now()).await })
            })
            .collect();
        let mut winners = 0;
        for racer in racers {
            if let Ok(Ok(true)) = racer.await {
                winners += 1;
            }
        }
        assert_eq!(winners, 1);
        Ok(())
    }

    #[tokio::test]
    async fn a_revoked_session_is_never_rotated_and_keeps_its_revocation() -> DomainResult<()> {
        let repository = InMemorySessionRepository::new();
        let family = Uuid::now_v7();
        let (first, other) = (session(family), session(Uuid::now_v7()));
        repository.insert(&first).await?;
        repository.insert(&other).await?;
        assert!(repository.insert(&first).await.is_err());
        let at = Utc::now();
        repository.revoke_family(family, at).await?;
        repository
            .revoke_family(family, at + chrono::Duration::hours(1))
            .await?;
        assert!(!repository.mark_rotated(first.id, at).await?);
        assert_eq!(repository.family(family)[0].revoked_at, Some(at));
        assert!(repository.mark_rotated(other.id, at).await?);
        Ok(())
    }
}
