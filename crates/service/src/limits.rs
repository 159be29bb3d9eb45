//! Rate limits kept in the ephemeral store, so they hold across instances. When
//! the store is down the limited routes answer 503: a limit is never skipped.
//!
//! Code mails are counted per address and per flow (register, login, password
//! reset, admin login), each flow with its own budget: a stranger who asks for
//! reset codes for someone's address spends only the reset budget, and the
//! login budget is spent only by logins that got the password right, so the
//! owner's login is never refused for mail others triggered.

use crate::{ServiceError, ServiceResult};
use bilim_domain::ports::EphemeralStore;
use bilim_domain::values::Email;
use std::net::IpAddr;
use std::sync::Arc;
use std::time::Duration;
use uuid::Uuid;

/// Tries of the current password per user (`PUT /users/me/password`) within
/// `PASSWORD_TRY_WINDOW`, like the five tries of an email code.
const PASSWORD_TRIES: u32 = 5;
const PASSWORD_TRY_WINDOW: Duration = Duration::from_secs(15 * 60);

#[derive(Debug, Clone, Copy)]
pub struct LimitSettings {
    /// Step-one and verify requests per client address per minute.
    pub auth_requests_per_ip_per_minute: u32,
    /// Code mails per email address per hour, for each flow on its own.
    pub code_mails_per_address_per_hour: u32,
}

#[derive(Clone)]
pub struct RateLimits {
    store: Arc<dyn EphemeralStore>,
    settings: LimitSettings,
}

impl RateLimits {
    pub fn new(store: Arc<dyn EphemeralStore>, settings: LimitSettings) -> Self {
        Self { store, settings }
    }

    /// Counts one auth request from `ip`.
    pub async fn auth_request(&self, ip: IpAddr) -> ServiceResult<()> {
        let key = format!("rate:auth-ip:{ip}");
        self.count(
            &key,
            Duration::from_secs(60),
            self.settings.auth_requests_per_ip_per_minute,
        )
        .await
    }

    /// Counts one licence check from `ip`: the auth routes' limit, its own count.
    pub async fn licence_check(&self, ip: IpAddr) -> ServiceResult<()> {
        let key = format!("rate:licence-ip:{ip}");
        self.count(
            &key,
            Duration::from_secs(60),
            self.settings.auth_requests_per_ip_per_minute,
        )
        .await
    }

    /// Counts one code mail of `flow` to `email` (a decoy too: the answer must
    /// look the same for addresses with and without an account).
    pub async fn code_mail(&self, flow: &str, email: &Email) -> ServiceResult<()> {
        let key = format!("rate:code-mail:{flow}:{email}");
        self.count(
            &key,
            Duration::from_secs(3600),
            self.settings.code_mails_per_address_per_hour,
        )
        .await
    }

    /// Counts one try of `user`'s current password before it is checked, so
    /// concurrent guesses are counted too: the sixth within 15 minutes is
    /// refused unchecked. A right password clears the count
    /// ([`Self::password_right`]).
    pub async fn password_try(&self, user: Uuid) -> ServiceResult<()> {
        self.count(&password_key(user), PASSWORD_TRY_WINDOW, PASSWORD_TRIES)
            .await
    }

    /// The current password was right: its earlier wrong tries are forgotten.
    pub async fn password_right(&self, user: Uuid) -> ServiceResult<()> {
        Ok(self.store.delete(&password_key(user)).await?)
    }

    async fn count(&self, key: &str, window: Duration, limit: u32) -> ServiceResult<()> {
        let counter = self.store.increment(key, window).await?;
        if counter.count > u64::from(limit) {
            return Err(ServiceError::RateLimited {
                retry_after: counter.resets_in,
            });
        }
        Ok(())
    }
}

fn password_key(user: Uuid) -> String {
    format!("rate:password-try:{user}")
}
