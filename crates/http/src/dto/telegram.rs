//! Bodies of the Telegram routes (document 002), and Telegram's `Update`
//! (frankenstein's type) read into what the bot cares about.

use super::auth::{ChallengeResponse, TokensResponse};
use super::users::UserResponse;
use bilim_domain::telegram::{BotLanguage, BotMessage, BotUpdate};
use bilim_service::telegram::TelegramRegistration;
use chrono::{DateTime, Utc};
use frankenstein::updates::{Update, UpdateContent};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use validator::Validate;

/// `POST /telegram/pre-registrations`, from the bot.
#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PreRegistrationRequest {
    /// An Uzbek number (`+998` and nine digits, in any usual spelling); else
    /// 400 `phone.invalid`.
    #[validate(length(max = 32))]
    #[schema(
        max_length = 32,
        pattern = r#"^[\t\n\r \u0085\u00A0\u1680\u2000-\u200A\u2028\u2029\u202F\u205F\u3000]*(\+?[ ().-]*9[ ().-]*9[ ().-]*8|[ ().-]*8)?[ ().-]*[1-9]([ ().-]*[0-9]){8}[ ().-]*[\t\n\r \u0085\u00A0\u1680\u2000-\u200A\u2028\u2029\u202F\u205F\u3000]*$"#,
        example = "+998901234567"
    )]
    pub phone: String,
    /// The person's Telegram user id; else 400 `telegram.id_invalid`.
    #[schema(minimum = 1, maximum = 9007199254740992_i64, example = 123456789)]
    pub tg_id: i64,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct PreRegistrationResponse {
    /// 43 characters (256 random bits); works once, until `expires_at`. A
    /// newer token for the same `tg_id` replaces it.
    #[schema(example = "q3V8yXk2Jb9nR4tW6mZ1aC5dF7gH0jL2pS8uE3iO9xY")]
    pub token: String,
    pub expires_at: DateTime<Utc>,
}

/// `POST /telegram/pre-registrations/check`.
#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct TokenCheckRequest {
    #[validate(length(max = 128))]
    #[schema(
        max_length = 128,
        example = "q3V8yXk2Jb9nR4tW6mZ1aC5dF7gH0jL2pS8uE3iO9xY"
    )]
    pub token: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct TokenCheckResponse {
    /// `false` for an unknown, expired or used token alike.
    pub valid: bool,
}

/// `POST /auth/register/telegram`.
#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct TelegramRegisterRequest {
    /// From the bot's link; else 400 `telegram.token_invalid`.
    #[validate(length(max = 128))]
    #[schema(
        max_length = 128,
        example = "q3V8yXk2Jb9nR4tW6mZ1aC5dF7gH0jL2pS8uE3iO9xY"
    )]
    pub token: String,
    /// The first name, then the family name (and any more): two names at
    /// least (`name.full_required`), each as a registration's names.
    #[validate(length(max = 201))]
    #[schema(min_length = 3, max_length = 201, example = "Dilnoza Karimova")]
    pub full_name: String,
    #[schema(value_type = super::enums::Sex, example = "female")]
    pub sex: String,
    /// As at registration; verified afterwards by a code.
    #[validate(length(max = 254))]
    #[schema(
        max_length = 254,
        pattern = r#"^[\t\n\r \u0085\u00A0\u1680\u2000-\u200A\u2028\u2029\u202F\u205F\u3000]*[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*@[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?(\.[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?)+[\t\n\r \u0085\u00A0\u1680\u2000-\u200A\u2028\u2029\u202F\u205F\u3000]*$"#,
        example = "dilnoza@example.uz"
    )]
    pub email: String,
    /// 3 to 32 of `a-z 0-9 _`, lower-cased; must be free.
    #[validate(length(max = 64))]
    #[schema(
        max_length = 64,
        pattern = r#"^[\t\n\r \u0085\u00A0\u1680\u2000-\u200A\u2028\u2029\u202F\u205F\u3000]*[A-Za-z0-9_]{3,32}[\t\n\r \u0085\u00A0\u1680\u2000-\u200A\u2028\u2029\u202F\u205F\u3000]*$"#,
        example = "dilnoza_01"
    )]
    pub username: String,
    /// 8 to 128 characters and not guessable (400 `password.weak`).
    #[validate(length(max = 128))]
    #[schema(format = Password, min_length = 8, max_length = 128, example = "Qalam-Daftar-2026!")]
    pub password: String,
}

impl From<TelegramRegisterRequest> for TelegramRegistration {
    fn from(body: TelegramRegisterRequest) -> Self {
        Self {
            token: body.token,
            full_name: body.full_name,
            sex: body.sex,
            email: body.email,
            username: body.username,
            password: body.password,
        }
    }
}

/// Tokens, the new user, and the challenge of the code mailed to the email.
#[derive(Debug, Serialize, ToSchema)]
pub struct TelegramRegisterResponse {
    #[serde(flatten)]
    pub tokens: TokensResponse,
    pub user: UserResponse,
    /// Send its code to `POST /auth/register/verify` to verify the email;
    /// `null` when no code could be mailed now (the address's mail limit).
    #[schema(required = true)]
    pub email_challenge: Option<ChallengeResponse>,
}

/// A Telegram `Update`, as Telegram sends it to the webhook.
#[derive(Debug, ToSchema)]
#[schema(example = json!({"update_id": 1, "message": {"message_id": 7, "date": 1796112000, "chat": {"id": 123456789, "type": "private"}, "from": {"id": 123456789, "is_bot": false, "first_name": "Dilnoza", "language_code": "uz"}, "text": "/start"}}))]
#[allow(dead_code)]
pub struct TelegramUpdate {
    pub update_id: u32,
    /// A message; other kinds of update are accepted and ignored.
    #[schema(value_type = Object)]
    pub message: Option<serde_json::Value>,
}

/// The update as the bot needs it; `None` for what it ignores (not a
/// message, or a message from no user).
pub fn bot_update(update: Update) -> Option<BotUpdate> {
    let UpdateContent::Message(message) = update.content else {
        return None;
    };
    let from = message.from.as_ref()?;
    let from_id = i64::try_from(from.id).ok()?;
    let text = message.text.as_deref().map(str::trim).unwrap_or_default();
    let command = text.split_whitespace().next().unwrap_or_default();
    // `/start@BilimBot` in groups.
    let command = command.split('@').next().unwrap_or_default();
    let body = if let Some(contact) = &message.contact {
        BotMessage::Contact {
            user_id: contact.user_id.and_then(|id| i64::try_from(id).ok()),
            phone: contact.phone_number.clone(),
        }
    } else {
        match command {
            "/start" => BotMessage::Start,
            "/help" => BotMessage::Help,
            _ => BotMessage::Other,
        }
    };
    Some(BotUpdate {
        chat_id: message.chat.id,
        from_id,
        language: BotLanguage::of(from.language_code.as_deref()),
        message: body,
    })
}
