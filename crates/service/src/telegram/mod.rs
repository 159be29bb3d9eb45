//! Document 002's Telegram side: the bot's pre-registrations (a one-time
//! token for a phone and a Telegram id), the token check, the registration
//! that spends the token, and the bot itself (`/start`, a shared contact,
//! `/help`) answering through the `BotApi` port.
//!
//! Secrets (the bot's `X-Bilim-Bot-Secret`, Telegram's webhook secret) are
//! compared as MACs under a per-process key, in constant time.

mod bot;
mod register;
mod texts;

pub use register::{Registered, TelegramRegistration};

use crate::accounts::Accounts;
use crate::crypto::{mac, mac_matches, random_token, sha256_hex};
use crate::input::Invalid;
use crate::limits::RateLimits;
use crate::{ServiceError, ServiceResult};
use bilim_domain::ports::{BotApi, Clock, PreRegistrationRepository};
use bilim_domain::telegram::{NewPreRegistration, TelegramId};
use bilim_domain::values::Phone;
use chrono::{DateTime, Utc};
use std::sync::Arc;
use uuid::Uuid;

/// Random bytes in a pre-registration token (256 bits).
const TOKEN_BYTES: usize = 32;
/// Longer presented tokens are not looked up.
const MAX_TOKEN_CHARS: usize = 128;

/// The bot's settings; each secret unset switches its routes off (404).
#[derive(Clone, Default)]
pub struct TelegramSettings {
    /// `X-Bilim-Bot-Secret` of `POST /telegram/pre-registrations`.
    pub bot_secret: Option<String>,
    /// `X-Telegram-Bot-Api-Secret-Token` of `POST /telegram/webhook`.
    pub webhook_secret: Option<String>,
    /// A channel (`@name` or id) the bot asks people to join first.
    pub required_channel: Option<String>,
    pub token_lifetime: chrono::Duration,
    /// The registration page; the token is appended as `?token=`.
    pub register_url: String,
}

/// A secret checked in constant time: only its MAC is kept.
#[derive(Clone)]
struct Secret {
    key: Vec<u8>,
    tag: Vec<u8>,
}

impl Secret {
    fn new(secret: &str) -> Self {
        let key = random_token(32).into_bytes();
        let tag = mac(&key, &[secret.as_bytes()]);
        Self { key, tag }
    }

    fn matches(&self, presented: &str) -> bool {
        mac_matches(&self.key, &[presented.as_bytes()], &self.tag)
    }
}

#[derive(Clone)]
pub struct Telegram {
    pub(crate) pre: Arc<dyn PreRegistrationRepository>,
    /// `None` without a bot token: the webhook is off.
    pub(crate) bot: Option<Arc<dyn BotApi>>,
    pub(crate) accounts: Accounts,
    pub(crate) limits: RateLimits,
    pub(crate) clock: Arc<dyn Clock>,
    bot_secret: Option<Secret>,
    webhook_secret: Option<Secret>,
    pub(crate) required_channel: Option<String>,
    token_lifetime: chrono::Duration,
    pub(crate) register_url: String,
}

impl Telegram {
    pub fn new(
        pre: Arc<dyn PreRegistrationRepository>,
        bot: Option<Arc<dyn BotApi>>,
        accounts: Accounts,
        limits: RateLimits,
        settings: TelegramSettings,
        clock: Arc<dyn Clock>,
    ) -> Self {
        Self {
            pre,
            bot,
            accounts,
            limits,
            clock,
            bot_secret: settings.bot_secret.as_deref().map(Secret::new),
            webhook_secret: settings.webhook_secret.as_deref().map(Secret::new),
            required_channel: settings.required_channel,
            token_lifetime: settings.token_lifetime,
            register_url: settings.register_url,
        }
    }

    /// Whether `POST /telegram/pre-registrations` is on (a bot secret is set).
    pub fn bot_routes_on(&self) -> bool {
        self.bot_secret.is_some()
    }

    /// Whether the webhook is on (a bot token and a webhook secret are set).
    pub fn webhook_on(&self) -> bool {
        self.bot.is_some() && self.webhook_secret.is_some()
    }

    /// The bot's `X-Bilim-Bot-Secret`: 401 `auth.bot_secret` when absent or wrong.
    pub fn check_bot_secret(&self, presented: Option<&str>) -> ServiceResult<()> {
        check(self.bot_secret.as_ref(), presented, "auth.bot_secret")
    }

    /// Telegram's `X-Telegram-Bot-Api-Secret-Token`: 401 `auth.webhook_secret`.
    pub fn check_webhook_secret(&self, presented: Option<&str>) -> ServiceResult<()> {
        check(
            self.webhook_secret.as_ref(),
            presented,
            "auth.webhook_secret",
        )
    }

    /// `POST /telegram/pre-registrations`: a new token for `tg_id`, replacing
    /// its earlier one. Returns the token (shown once) and when it dies.
    #[tracing::instrument(skip_all)]
    pub async fn pre_register(
        &self,
        phone: &str,
        tg_id: i64,
    ) -> ServiceResult<(String, DateTime<Utc>)> {
        let mut invalid = Invalid::default();
        let phone = invalid.check(Phone::parse(phone));
        let tg_id = invalid.check(TelegramId::parse("tg_id", tg_id));
        invalid.finish()?;
        let (Some(phone), Some(tg_id)) = (phone, tg_id) else {
            return Err(ServiceError::Internal("validated input is missing".into()));
        };
        self.issue(tg_id, phone).await
    }

    async fn issue(
        &self,
        tg_id: TelegramId,
        phone: Phone,
    ) -> ServiceResult<(String, DateTime<Utc>)> {
        let token = random_token(TOKEN_BYTES);
        let now = self.clock.now();
        let expires_at = now + self.token_lifetime;
        self.pre
            .replace(NewPreRegistration {
                id: Uuid::now_v7(),
                tg_id,
                phone,
                token_hash: sha256_hex(token.as_bytes()),
                expires_at,
                now,
            })
            .await?;
        Ok((token, expires_at))
    }

    /// `POST /telegram/pre-registrations/check`: whether the token is live,
    /// never why not. Rate-limited like the auth routes.
    #[tracing::instrument(skip_all)]
    pub async fn check_token(&self, token: &str, ip: std::net::IpAddr) -> ServiceResult<bool> {
        self.limits.auth_request(ip).await?;
        let token = token.trim();
        if token.is_empty() || token.len() > MAX_TOKEN_CHARS {
            return Ok(false);
        }
        Ok(self
            .pre
            .is_live(&sha256_hex(token.as_bytes()), self.clock.now())
            .await?)
    }

    pub(crate) fn token_lifetime_minutes(&self) -> i64 {
        self.token_lifetime.num_minutes()
    }

    /// `bilim telegram set-webhook`: points Telegram at `url`, with the
    /// webhook secret. Needs the bot token and the webhook secret.
    pub async fn set_webhook(&self, url: &str, secret: &str) -> ServiceResult<()> {
        let bot = self.bot.as_ref().ok_or(ServiceError::NotFound {
            code: "route.not_found",
        })?;
        Ok(bot.set_webhook(url, secret).await?)
    }
}

fn check(
    secret: Option<&Secret>,
    presented: Option<&str>,
    code: &'static str,
) -> ServiceResult<()> {
    match (secret, presented) {
        (Some(secret), Some(presented)) if secret.matches(presented) => Ok(()),
        (None, _) => Err(ServiceError::NotFound {
            code: "route.not_found",
        }),
        _ => Err(ServiceError::Unauthorized { code }),
    }
}
