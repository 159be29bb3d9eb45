//! Admin login: username or email and password, then a code to the admin's
//! email, then tokens of the `admin` audience. Reuses the users' code, session
//! and rate-limit machinery.

use crate::challenges::{ChallengeView, Payload, Purpose};
use crate::codes::Codes;
use crate::passwords::Passwords;
use crate::sessions::{Sessions, Subject, TokenPair};
use crate::{ServiceError, ServiceResult};
use bilim_domain::admins::Admin;
use bilim_domain::ports::{AdminRepository, Clock};
use bilim_domain::sessions::Audience;
use bilim_domain::values::Email;
use std::net::IpAddr;
use std::sync::Arc;
use uuid::Uuid;

#[derive(Debug, Clone)]
pub struct AdminAuthenticated {
    pub tokens: TokenPair,
    pub admin: Admin,
}

/// The caller of an `[admin, token]` route.
#[derive(Debug, Clone)]
pub struct AuthAdmin {
    pub admin: Admin,
    pub family_id: Uuid,
}

#[derive(Clone)]
pub struct AdminAuth {
    pub(crate) admins: Arc<dyn AdminRepository>,
    pub(crate) passwords: Passwords,
    pub(crate) codes: Codes,
    pub(crate) sessions: Sessions,
    pub(crate) clock: Arc<dyn Clock>,
}

fn invalid_credentials() -> ServiceError {
    ServiceError::Unauthorized {
        code: "auth.invalid_credentials",
    }
}

fn subject(admin: &Admin) -> Subject<'_> {
    Subject {
        audience: Audience::Admin,
        id: admin.id,
        email: &admin.email,
        token_version: admin.token_version,
    }
}

impl AdminAuth {
    pub fn new(
        admins: Arc<dyn AdminRepository>,
        passwords: Passwords,
        codes: Codes,
        sessions: Sessions,
        clock: Arc<dyn Clock>,
    ) -> Self {
        Self {
            admins,
            passwords,
            codes,
            sessions,
            clock,
        }
    }

    #[tracing::instrument(skip_all)]
    pub async fn login(
        &self,
        login: &str,
        password: &str,
        ip: IpAddr,
    ) -> ServiceResult<ChallengeView> {
        self.codes.count_request(ip).await?;
        let login = login.trim().to_lowercase();
        let admin = if login.is_empty() || login.len() > 254 {
            None
        } else {
            self.admins
                .find_by_login(&login)
                .await?
                .filter(|a| a.active)
        };
        let hash = admin.as_ref().map(|a| a.password_hash.as_str());
        if !self.passwords.verify(password, hash).await? {
            return Err(invalid_credentials());
        }
        let admin = admin.ok_or_else(invalid_credentials)?;
        let email = Email::parse(&admin.email)?;
        self.codes
            .send(
                Purpose::AdminLogin,
                &email,
                Payload::Account { id: admin.id },
            )
            .await
    }

    #[tracing::instrument(skip_all)]
    pub async fn verify_login(
        &self,
        challenge_id: &str,
        code: &str,
        ip: IpAddr,
    ) -> ServiceResult<AdminAuthenticated> {
        let id = self
            .codes
            .verify_account(Purpose::AdminLogin, challenge_id, code, ip)
            .await?;
        let mut admin = self
            .admins
            .find_by_id(id)
            .await?
            .filter(|a| a.active)
            .ok_or_else(invalid_credentials)?;
        let now = self.clock.now();
        self.admins.record_login(admin.id, now).await?;
        admin.last_login_at = Some(now);
        tracing::info!(admin = %admin.id, "admin logged in");
        let tokens = self.sessions.start(&subject(&admin)).await?;
        Ok(AdminAuthenticated { tokens, admin })
    }

    pub async fn resend(&self, challenge_id: &str, ip: IpAddr) -> ServiceResult<ChallengeView> {
        self.codes
            .resend(challenge_id, &[Purpose::AdminLogin], ip)
            .await
    }

    pub async fn refresh(&self, refresh_token: &str) -> ServiceResult<TokenPair> {
        let session = self.sessions.redeem(Audience::Admin, refresh_token).await?;
        let admin = self
            .admins
            .find_by_id(session.subject_id)
            .await?
            .filter(|a| a.active);
        let Some(admin) = admin else {
            self.sessions.revoke_family(session.family_id).await?;
            return Err(ServiceError::Unauthorized {
                code: "auth.refresh_invalid",
            });
        };
        self.sessions
            .continue_family(&subject(&admin), &session)
            .await
    }

    pub async fn logout(&self, refresh_token: &str) -> ServiceResult<()> {
        self.sessions.end(Audience::Admin, refresh_token).await
    }

    /// Checks an admin access token and loads the admin by id and email.
    pub async fn authenticate(&self, access_token: &str) -> ServiceResult<AuthAdmin> {
        let claims = self
            .sessions
            .access()
            .verify(access_token, Audience::Admin)?;
        let admin = self
            .admins
            .find_by_id(claims.sub)
            .await?
            .filter(|a| a.email == claims.email && a.active && a.token_version == claims.ver)
            .ok_or(ServiceError::Unauthorized {
                code: "auth.token_invalid",
            })?;
        Ok(AuthAdmin {
            admin,
            family_id: claims.sid,
        })
    }
}
