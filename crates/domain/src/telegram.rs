//! Document 002's Telegram bot: pre-registrations (`ForRegister`: phone,
//! Telegram id, a one-time token with a lifetime), the account made with one,
//! and what the bot receives and says.

use crate::users::{NewUser, Sex};
use crate::values::{Handle, Phone};
use crate::{DomainError, DomainResult};
use chrono::{DateTime, Utc};
use uuid::Uuid;

/// A Telegram user id: positive (Telegram's ids fit in 52 bits).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct TelegramId(i64);

impl TelegramId {
    pub fn parse(field: &'static str, raw: i64) -> DomainResult<Self> {
        if (1..=(1_i64 << 53)).contains(&raw) {
            Ok(Self(raw))
        } else {
            Err(DomainError::invalid(
                field,
                "telegram.id_invalid",
                "must be a Telegram user id (a positive whole number)",
            ))
        }
    }

    pub fn get(self) -> i64 {
        self.0
    }
}

/// A pre-registration to store: it replaces any earlier one of `tg_id`.
#[derive(Debug, Clone)]
pub struct NewPreRegistration {
    pub id: Uuid,
    pub tg_id: TelegramId,
    pub phone: Phone,
    /// SHA-256 (hex) of the token; the token itself is never stored.
    pub token_hash: String,
    pub expires_at: DateTime<Utc>,
    pub now: DateTime<Utc>,
}

/// An account made with a pre-registration token: `user.phone` is ignored,
/// the phone and Telegram id come from the token's row.
#[derive(Debug, Clone)]
pub struct TelegramSignup {
    pub token_hash: String,
    pub username: Handle,
    pub sex: Sex,
    pub user: NewUser,
}

/// The language the bot answers in: Uzbek unless Telegram says `ru`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BotLanguage {
    Uzbek,
    Russian,
}

impl BotLanguage {
    /// From Telegram's `language_code` (`ru`, `ru-RU`, …).
    pub fn of(code: Option<&str>) -> Self {
        match code {
            Some(code) if code == "ru" || code.starts_with("ru-") => Self::Russian,
            _ => Self::Uzbek,
        }
    }
}

/// One message the bot received, as far as the bot cares.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BotUpdate {
    pub chat_id: i64,
    /// The sender's Telegram id.
    pub from_id: i64,
    pub language: BotLanguage,
    pub message: BotMessage,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum BotMessage {
    /// `/start` (with or without a deep-link parameter).
    Start,
    /// `/help`.
    Help,
    /// A shared contact: `user_id` is the contact's own Telegram id, when
    /// the contact is a Telegram user.
    Contact { user_id: Option<i64>, phone: String },
    /// Any other text.
    Other,
}
