//! Refresh tokens: 256 random bits, stored only as SHA-256, 30 days, rotated on
//! every use. Presenting a token that was already rotated (a stolen copy, or the
//! loser of a race) revokes its whole family.

use crate::crypto::{random_token, sha256};
use crate::tokens::AccessTokens;
use crate::{ServiceError, ServiceResult};
use bilim_domain::ports::{Clock, SessionRepository};
use bilim_domain::sessions::{Audience, Session};
use chrono::Duration;
use std::sync::Arc;
use uuid::Uuid;

pub const REFRESH_TTL: Duration = Duration::days(30);

/// What a client keeps after logging in or refreshing.
#[derive(Debug, Clone)]
pub struct TokenPair {
    pub access_token: String,
    pub expires_in: i64,
    pub refresh_token: String,
    pub refresh_expires_in: i64,
}

/// The subject a token belongs to, as the session layer needs it.
#[derive(Debug, Clone)]
pub struct Subject<'a> {
    pub audience: Audience,
    pub id: Uuid,
    pub email: &'a str,
    pub token_version: i32,
}

#[derive(Clone)]
pub struct Sessions {
    repository: Arc<dyn SessionRepository>,
    access: AccessTokens,
    clock: Arc<dyn Clock>,
}

fn refresh_invalid() -> ServiceError {
    ServiceError::Unauthorized {
        code: "auth.refresh_invalid",
    }
}

impl Sessions {
    pub fn new(
        repository: Arc<dyn SessionRepository>,
        access: AccessTokens,
        clock: Arc<dyn Clock>,
    ) -> Self {
        Self {
            repository,
            access,
            clock,
        }
    }

    pub fn access(&self) -> &AccessTokens {
        &self.access
    }

    /// Starts a new family (a login) and returns its first tokens.
    pub async fn start(&self, subject: &Subject<'_>) -> ServiceResult<TokenPair> {
        self.issue(subject, Uuid::now_v7()).await
    }

    async fn issue(&self, subject: &Subject<'_>, family_id: Uuid) -> ServiceResult<TokenPair> {
        let now = self.clock.now();
        let refresh_token = random_token(32);
        let session = Session {
            id: Uuid::now_v7(),
            family_id,
            audience: subject.audience,
            subject_id: subject.id,
            token_hash: sha256(refresh_token.as_bytes()),
            created_at: now,
            expires_at: now + REFRESH_TTL,
            rotated_at: None,
            revoked_at: None,
        };
        self.repository.insert(&session).await?;
        let (access_token, expires_in) = self.access.issue(
            subject.audience,
            subject.id,
            subject.email,
            subject.token_version,
            family_id,
        )?;
        Ok(TokenPair {
            access_token,
            expires_in,
            refresh_token,
            refresh_expires_in: REFRESH_TTL.num_seconds(),
        })
    }

    /// Exchanges a live refresh token of `audience` for the session it names,
    /// marking it rotated. A rotated or revoked token revokes its family.
    pub async fn redeem(&self, audience: Audience, refresh_token: &str) -> ServiceResult<Session> {
        let now = self.clock.now();
        let session = self
            .repository
            .find_by_token_hash(&sha256(refresh_token.as_bytes()))
            .await?
            .filter(|session| session.audience == audience)
            .ok_or_else(refresh_invalid)?;
        if session.rotated_at.is_some() || session.revoked_at.is_some() {
            tracing::warn!(family = %session.family_id, "refresh token reused: revoking its family");
            self.repository
                .revoke_family(session.family_id, now)
                .await?;
            return Err(refresh_invalid());
        }
        if !session.is_live(now) {
            return Err(refresh_invalid());
        }
        if !self.repository.mark_rotated(session.id, now).await? {
            // Another request rotated it first: the same token used twice.
            self.repository
                .revoke_family(session.family_id, now)
                .await?;
            return Err(refresh_invalid());
        }
        Ok(session)
    }

    /// The next tokens of a family whose previous token was just redeemed.
    pub async fn continue_family(
        &self,
        subject: &Subject<'_>,
        redeemed: &Session,
    ) -> ServiceResult<TokenPair> {
        let tokens = self.issue(subject, redeemed.family_id).await?;
        // A concurrent reuse of the redeemed token may have revoked the family
        // just before the new token was stored: then the family stays dead.
        let revoked = self
            .repository
            .find_by_token_hash(&redeemed.token_hash)
            .await?
            .is_none_or(|session| session.revoked_at.is_some());
        if revoked {
            self.repository
                .revoke_family(redeemed.family_id, self.clock.now())
                .await?;
            return Err(refresh_invalid());
        }
        Ok(tokens)
    }

    pub async fn revoke_family(&self, family_id: Uuid) -> ServiceResult<()> {
        Ok(self
            .repository
            .revoke_family(family_id, self.clock.now())
            .await?)
    }

    /// Ends the family of a refresh token; unknown tokens are ignored (logout is
    /// idempotent).
    pub async fn end(&self, audience: Audience, refresh_token: &str) -> ServiceResult<()> {
        let hash = sha256(refresh_token.as_bytes());
        if let Some(session) = self.repository.find_by_token_hash(&hash).await?
            && session.audience == audience
        {
            self.repository
                .revoke_family(session.family_id, self.clock.now())
                .await?;
        }
        Ok(())
    }

    /// Ends every session of a subject, except one family if given.
    pub async fn end_all(
        &self,
        audience: Audience,
        subject_id: Uuid,
        except_family: Option<Uuid>,
    ) -> ServiceResult<()> {
        Ok(self
            .repository
            .revoke_all(audience, subject_id, except_family, self.clock.now())
            .await?)
    }
}
