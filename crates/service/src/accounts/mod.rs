//! User accounts: the email-code flows (register, login, password reset), token
//! refresh and logout, and authenticating a request's access token.

mod input;
mod login;
mod password_reset;
mod register;

pub use input::RegistrationInput;
pub use password_reset::ResetToken;

use crate::challenges::{ChallengeView, Purpose};
use crate::codes::Codes;
use crate::outbox::Outbox;
use crate::passwords::Passwords;
use crate::sessions::{Sessions, Subject, TokenPair};
use crate::{ServiceError, ServiceResult};
use bilim_domain::ports::{Clock, EphemeralStore, UserRepository};
use bilim_domain::sessions::Audience;
use bilim_domain::users::User;
use std::sync::Arc;
use uuid::Uuid;

/// A user who just logged in or registered.
#[derive(Debug, Clone)]
pub struct Authenticated {
    pub tokens: TokenPair,
    pub user: User,
}

/// The caller of a `[user, token]` route.
#[derive(Debug, Clone)]
pub struct AuthUser {
    pub user: User,
    /// The session family of the access token.
    pub family_id: Uuid,
}

#[derive(Clone)]
pub struct Accounts {
    pub(crate) users: Arc<dyn UserRepository>,
    pub(crate) passwords: Passwords,
    pub(crate) codes: Codes,
    pub(crate) sessions: Sessions,
    pub(crate) outbox: Outbox,
    pub(crate) store: Arc<dyn EphemeralStore>,
    pub(crate) clock: Arc<dyn Clock>,
}

fn subject(user: &User) -> Subject<'_> {
    Subject {
        audience: Audience::User,
        id: user.id,
        email: &user.email,
        token_version: user.token_version,
    }
}

impl Accounts {
    pub fn new(
        users: Arc<dyn UserRepository>,
        passwords: Passwords,
        codes: Codes,
        sessions: Sessions,
        outbox: Outbox,
        store: Arc<dyn EphemeralStore>,
        clock: Arc<dyn Clock>,
    ) -> Self {
        Self {
            users,
            passwords,
            codes,
            sessions,
            outbox,
            store,
            clock,
        }
    }

    /// `POST /auth/code/resend`: a new code for a live challenge.
    #[tracing::instrument(skip_all)]
    pub async fn resend(
        &self,
        challenge_id: &str,
        ip: std::net::IpAddr,
    ) -> ServiceResult<ChallengeView> {
        self.codes
            .resend(
                challenge_id,
                &[Purpose::Register, Purpose::Login, Purpose::PasswordReset],
                ip,
            )
            .await
    }

    /// `POST /auth/refresh`: rotates the refresh token.
    #[tracing::instrument(skip_all)]
    pub async fn refresh(&self, refresh_token: &str) -> ServiceResult<TokenPair> {
        let session = self.sessions.redeem(Audience::User, refresh_token).await?;
        let user = self
            .users
            .find_by_id(session.subject_id)
            .await?
            .filter(|u| u.active);
        let Some(user) = user else {
            self.sessions.revoke_family(session.family_id).await?;
            return Err(ServiceError::Unauthorized {
                code: "auth.refresh_invalid",
            });
        };
        self.sessions
            .continue_family(&subject(&user), &session)
            .await
    }

    /// `POST /auth/logout`: ends the session of a refresh token.
    pub async fn logout(&self, refresh_token: &str) -> ServiceResult<()> {
        self.sessions.end(Audience::User, refresh_token).await
    }

    /// `POST /auth/logout-all`: every session and access token of the user ends.
    #[tracing::instrument(skip_all, fields(user = %user_id))]
    pub async fn logout_all(&self, user_id: Uuid) -> ServiceResult<()> {
        let now = self.clock.now();
        self.users.bump_token_version(user_id, now).await?;
        self.sessions.end_all(Audience::User, user_id, None).await
    }

    /// Checks an access token, then loads its user by id **and** email: an
    /// inactive user or a raised token version ends the token at once.
    pub async fn authenticate(&self, access_token: &str) -> ServiceResult<AuthUser> {
        let claims = self
            .sessions
            .access()
            .verify(access_token, Audience::User)?;
        let mut user = self
            .users
            .find_by_id(claims.sub)
            .await?
            .filter(|u| u.email == claims.email && u.active && u.token_version == claims.ver)
            .ok_or(ServiceError::Unauthorized {
                code: "auth.token_invalid",
            })?;
        self.record_seen(&mut user).await;
        Ok(AuthUser {
            user,
            family_id: claims.sid,
        })
    }

    /// `online`: a request at most once a minute per user writes
    /// `last_seen_at` (a conditional `UPDATE`, so other instances' requests
    /// in the same minute write nothing); the other requests write nothing.
    /// A failed write is logged, never the request's failure.
    async fn record_seen(&self, user: &mut User) {
        let now = self.clock.now();
        if !user.seen_is_stale(now) {
            return;
        }
        match self.users.record_seen(user.id, now).await {
            Ok(()) => user.last_seen_at = Some(now),
            Err(error) => tracing::warn!(user = %user.id, %error, "last_seen_at not recorded"),
        }
    }

    /// Signs `user` in; the request counts as seen (`online`).
    pub(crate) async fn start_session(&self, mut user: User) -> ServiceResult<Authenticated> {
        self.record_seen(&mut user).await;
        let tokens = self.sessions.start(&subject(&user)).await?;
        Ok(Authenticated { tokens, user })
    }
}
