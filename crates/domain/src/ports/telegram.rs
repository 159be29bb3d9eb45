//! Pre-registration tokens and the Telegram Bot API.

use crate::DomainResult;
use crate::telegram::{NewPreRegistration, TelegramSignup};
use crate::users::User;
use async_trait::async_trait;
use chrono::{DateTime, Utc};

#[async_trait]
pub trait PreRegistrationRepository: Send + Sync {
    /// Stores the pre-registration, replacing the one `tg_id` had (so one
    /// token per Telegram id at a time).
    async fn replace(&self, pre: NewPreRegistration) -> DomainResult<()>;

    /// Whether a token with this hash exists and lives at `now`.
    async fn is_live(&self, token_hash: &str, now: DateTime<Utc>) -> DomainResult<bool>;

    /// In one transaction: deletes the live token (`NotFound` when there is
    /// none: unknown, expired, or used by another request first) and inserts
    /// the user with the token's phone and Telegram id. `Conflict { what }`
    /// (`email`, `username`, `tg_id`) leaves the token alive and nothing
    /// written.
    async fn register(&self, signup: TelegramSignup, now: DateTime<Utc>) -> DomainResult<User>;
}

/// A message the bot sends.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BotReply {
    pub chat_id: i64,
    pub text: String,
    /// A one-button reply keyboard asking for the user's own contact.
    pub contact_button: Option<String>,
    /// Removes an earlier reply keyboard.
    pub remove_keyboard: bool,
}

/// Telegram's Bot API; every call has a timeout (`Unavailable` after it).
#[async_trait]
pub trait BotApi: Send + Sync {
    /// `sendMessage`.
    async fn send(&self, reply: &BotReply) -> DomainResult<()>;

    /// `getChatMember`: whether `user_id` is a member (creator, administrator,
    /// member, or restricted but still in) of `channel`.
    async fn is_member(&self, channel: &str, user_id: i64) -> DomainResult<bool>;

    /// `setWebhook` with the secret Telegram will send back in
    /// `X-Telegram-Bot-Api-Secret-Token`.
    async fn set_webhook(&self, url: &str, secret: &str) -> DomainResult<()>;
}
