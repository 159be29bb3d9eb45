//! The Telegram bot (document 002). Each part is off until its settings are
//! set, never on with defaults: the bot secret turns on pre-registrations,
//! the bot token with the webhook secret the webhook.

use super::reader::Reader;
use secrecy::SecretString;
use url::Url;

const MIN_BOT_SECRET_CHARS: usize = 16;

#[derive(Debug, Clone)]
pub struct TelegramConfig {
    /// `BILIM_TELEGRAM_BOT_SECRET`: the bot's `X-Bilim-Bot-Secret`.
    pub bot_secret: Option<SecretString>,
    /// `BILIM_TELEGRAM_BOT_TOKEN`: from @BotFather.
    pub bot_token: Option<SecretString>,
    /// `BILIM_TELEGRAM_WEBHOOK_SECRET`: Telegram sends it back with each update.
    pub webhook_secret: Option<SecretString>,
    /// `BILIM_TELEGRAM_API_URL`, without a trailing slash.
    pub api_url: String,
    /// `BILIM_TELEGRAM_TOKEN_MINUTES`: a pre-registration token's life.
    pub token_minutes: u32,
    /// `BILIM_TELEGRAM_REQUIRED_CHANNEL`: `@name` or a numeric id.
    pub required_channel: Option<String>,
    /// `BILIM_TELEGRAM_REGISTER_URL`: the page the bot's link opens
    /// (`?token=` is appended); default `{public_url}/register/telegram`.
    pub register_url: Option<String>,
}

impl TelegramConfig {
    /// Whether any Telegram route is on.
    pub fn enabled(&self) -> bool {
        self.bot_secret.is_some() || self.bot_token.is_some()
    }
}

/// Telegram's rule for `secret_token`: 1 to 256 of `A-Z a-z 0-9 _ -`.
fn webhook_secret_ok(secret: &str) -> bool {
    (1..=256).contains(&secret.len())
        && secret
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
}

impl Reader {
    pub(super) fn telegram(&mut self) -> TelegramConfig {
        let bot_secret = self.raw("BILIM_TELEGRAM_BOT_SECRET").map(str::to_owned);
        if bot_secret
            .as_ref()
            .is_some_and(|s| s.chars().count() < MIN_BOT_SECRET_CHARS)
        {
            self.fail(
                "BILIM_TELEGRAM_BOT_SECRET",
                format!("too short: at least {MIN_BOT_SECRET_CHARS} characters"),
            );
        }
        let bot_token = self.raw("BILIM_TELEGRAM_BOT_TOKEN").map(str::to_owned);
        if bot_token
            .as_ref()
            .is_some_and(|t| !t.contains(':') || t.contains('/') || t.contains(char::is_whitespace))
        {
            self.fail(
                "BILIM_TELEGRAM_BOT_TOKEN",
                "expected the token @BotFather gave, like 123456:ABC-DEF…",
            );
        }
        let webhook_secret = self.raw("BILIM_TELEGRAM_WEBHOOK_SECRET").map(str::to_owned);
        if webhook_secret
            .as_deref()
            .is_some_and(|s| !webhook_secret_ok(s))
        {
            self.fail(
                "BILIM_TELEGRAM_WEBHOOK_SECRET",
                "expected 1 to 256 of A-Z, a-z, 0-9, '_' and '-' (Telegram's rule)",
            );
        }
        if bot_token.is_some() != webhook_secret.is_some() {
            self.fail(
                "BILIM_TELEGRAM_WEBHOOK_SECRET",
                "set together with BILIM_TELEGRAM_BOT_TOKEN: the webhook needs both",
            );
        }
        let api_url = self
            .raw("BILIM_TELEGRAM_API_URL")
            .unwrap_or(bilim_telegram::PUBLIC_API_URL)
            .trim_end_matches('/')
            .to_owned();
        if !Url::parse(&api_url).is_ok_and(|u| matches!(u.scheme(), "http" | "https")) {
            self.fail("BILIM_TELEGRAM_API_URL", "expected an http(s) URL");
        }
        let token_minutes = self.positive("BILIM_TELEGRAM_TOKEN_MINUTES", 30);
        if token_minutes > 24 * 60 {
            self.fail("BILIM_TELEGRAM_TOKEN_MINUTES", "at most 1440 (a day)");
        }
        let required_channel = self
            .raw("BILIM_TELEGRAM_REQUIRED_CHANNEL")
            .map(str::to_owned);
        if required_channel.as_deref().is_some_and(|c| {
            let name_ok = c.strip_prefix('@').is_some_and(|n| {
                (5..=32).contains(&n.len())
                    && n.chars().all(|ch| ch.is_ascii_alphanumeric() || ch == '_')
            });
            !name_ok && c.parse::<i64>().is_err()
        }) {
            self.fail(
                "BILIM_TELEGRAM_REQUIRED_CHANNEL",
                "expected @channelname or a numeric chat id",
            );
        }
        let register_url = self.raw("BILIM_TELEGRAM_REGISTER_URL").map(str::to_owned);
        if register_url
            .as_deref()
            .is_some_and(|u| !Url::parse(u).is_ok_and(|u| matches!(u.scheme(), "http" | "https")))
        {
            self.fail("BILIM_TELEGRAM_REGISTER_URL", "expected an http(s) URL");
        }
        TelegramConfig {
            bot_secret: bot_secret.map(SecretString::from),
            bot_token: bot_token.map(SecretString::from),
            webhook_secret: webhook_secret.map(SecretString::from),
            api_url,
            token_minutes,
            required_channel,
            register_url,
        }
    }
}
