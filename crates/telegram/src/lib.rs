//! `HttpBotApi`: the `BotApi` port over Telegram's Bot API. Requests and
//! answers are frankenstein's types (kept up to date with the Bot API);
//! the calls are this crate's own reqwest client, with a timeout on each.
//! The bot token is part of every URL, so no error here carries a URL.

use async_trait::async_trait;
use bilim_domain::ports::{BotApi, BotReply};
use bilim_domain::{DomainError, DomainResult};
use frankenstein::methods::{GetChatMemberParams, SendMessageParams, SetWebhookParams};
use frankenstein::types::{
    AllowedUpdate, ChatMember, KeyboardButton, ReplyKeyboardMarkup, ReplyKeyboardRemove,
    ReplyMarkup,
};
use serde::Serialize;
use serde::de::DeserializeOwned;
use std::time::Duration;

/// Telegram's public Bot API.
pub const PUBLIC_API_URL: &str = "https://api.telegram.org";

/// No Bot API call may take longer: within the request deadline (5 s by
/// default), so a slow Telegram is a clean 503 rather than a cut request.
const CALL_TIMEOUT: Duration = Duration::from_secs(4);
const CONNECT_TIMEOUT: Duration = Duration::from_secs(2);

pub struct HttpBotApi {
    client: reqwest::Client,
    /// `{api_url}/bot{token}/`: a secret, never logged.
    base: String,
}

impl HttpBotApi {
    /// `api_url` without a trailing slash (`https://api.telegram.org`, or a
    /// fake in tests).
    pub fn new(api_url: &str, token: &str) -> DomainResult<Self> {
        let client = reqwest::Client::builder()
            .timeout(CALL_TIMEOUT)
            .connect_timeout(CONNECT_TIMEOUT)
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .map_err(|error| DomainError::internal(error.without_url()))?;
        Ok(Self {
            client,
            base: format!("{}/bot{token}/", api_url.trim_end_matches('/')),
        })
    }

    /// POSTs `params` as JSON to `method`; the `result` of an `ok` answer.
    async fn call<P: Serialize + Sync, R: DeserializeOwned>(
        &self,
        method: &str,
        params: &P,
    ) -> DomainResult<R> {
        let unavailable = |reason: String| {
            tracing::warn!(method, %reason, "Bot API call failed");
            DomainError::unavailable("telegram", reason)
        };
        let body = serde_json::to_vec(params).map_err(DomainError::internal)?;
        let response = self
            .client
            .post(format!("{}{method}", self.base))
            .header("content-type", "application/json")
            .body(body)
            .send()
            .await
            .map_err(|error| unavailable(error.without_url().to_string()))?;
        let status = response.status();
        let bytes = response
            .bytes()
            .await
            .map_err(|error| unavailable(error.without_url().to_string()))?;
        let answer: Answer<R> = serde_json::from_slice(&bytes)
            .map_err(|error| unavailable(format!("{method}: HTTP {status}, {error}")))?;
        match answer {
            Answer {
                ok: true,
                result: Some(result),
                ..
            } => Ok(result),
            Answer { description, .. } => Err(unavailable(format!(
                "{method}: HTTP {status}, {}",
                description.unwrap_or_default()
            ))),
        }
    }
}

/// The Bot API's envelope: `{"ok", "result"}` or `{"ok": false, "description"}`.
#[derive(serde::Deserialize)]
struct Answer<R> {
    ok: bool,
    result: Option<R>,
    description: Option<String>,
}

fn markup(reply: &BotReply) -> Option<ReplyMarkup> {
    if let Some(text) = &reply.contact_button {
        let button = KeyboardButton::builder()
            .text(text.clone())
            .request_contact(true)
            .build();
        return Some(ReplyMarkup::ReplyKeyboardMarkup(
            ReplyKeyboardMarkup::builder()
                .keyboard(vec![vec![button]])
                .resize_keyboard(true)
                .one_time_keyboard(true)
                .build(),
        ));
    }
    reply.remove_keyboard.then(|| {
        ReplyMarkup::ReplyKeyboardRemove(
            ReplyKeyboardRemove::builder().remove_keyboard(true).build(),
        )
    })
}

#[async_trait]
impl BotApi for HttpBotApi {
    async fn send(&self, reply: &BotReply) -> DomainResult<()> {
        let params = SendMessageParams::builder()
            .chat_id(reply.chat_id)
            .text(reply.text.clone())
            .maybe_reply_markup(markup(reply))
            .build();
        self.call::<_, serde_json::Value>("sendMessage", &params)
            .await
            .map(|_| ())
    }

    async fn is_member(&self, channel: &str, user_id: i64) -> DomainResult<bool> {
        let user_id = u64::try_from(user_id)
            .map_err(|_| DomainError::invalid("tg_id", "telegram.id_invalid", "negative"))?;
        let params = GetChatMemberParams::builder()
            .chat_id(channel.to_owned())
            .user_id(user_id)
            .build();
        let member: ChatMember = self.call("getChatMember", &params).await?;
        Ok(match member {
            ChatMember::Creator(_) | ChatMember::Administrator(_) | ChatMember::Member(_) => true,
            ChatMember::Restricted(restricted) => restricted.is_member,
            ChatMember::Left(_) | ChatMember::Kicked(_) => false,
        })
    }

    async fn set_webhook(&self, url: &str, secret: &str) -> DomainResult<()> {
        let params = SetWebhookParams::builder()
            .url(url.to_owned())
            .secret_token(secret.to_owned())
            .allowed_updates(vec![AllowedUpdate::Message])
            .build();
        self.call::<_, bool>("setWebhook", &params)
            .await
            .map(|_| ())
    }
}
