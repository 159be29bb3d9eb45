//! Rate limits kept in the ephemeral store, so they hold across instances. When
//! the store is down the limited routes answer 503: a limit is never skipped.

use crate::{ServiceError, ServiceResult};
use bilim_domain::ports::EphemeralStore;
use bilim_domain::values::Email;
use std::net::IpAddr;
use std::sync::Arc;
use std::time::Duration;

#[derive(Debug, Clone, Copy)]
pub struct LimitSettings {
    /// Step-one and verify requests per client address per minute.
    pub auth_requests_per_ip_per_minute: u32,
    /// Code mails per email address per hour.
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

    /// Counts one code mail to `email` (sent or not: the answer must look the
    /// same for addresses with and without an account).
    pub async fn code_mail(&self, email: &Email) -> ServiceResult<()> {
        let key = format!("rate:code-mail:{email}");
        self.count(
            &key,
            Duration::from_secs(3600),
            self.settings.code_mails_per_address_per_hour,
        )
        .await
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
