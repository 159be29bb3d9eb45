//! The bot: `/start` asks for the phone with a contact button, the person's
//! own contact gets the registration link with a fresh token, `/help` (and
//! anything else) the help text. With a required channel, a person who has
//! not joined it is asked to join first.

use super::Telegram;
use super::texts::{Texts, texts};
use crate::{ServiceError, ServiceResult};
use bilim_domain::ports::{BotApi, BotReply};
use bilim_domain::telegram::{BotMessage, BotUpdate, TelegramId};
use bilim_domain::values::Phone;

impl Telegram {
    /// `POST /telegram/webhook`, once the secret is checked: answers one
    /// update through the Bot API. A Bot API failure is 503, so Telegram
    /// delivers the update again (a new token replaces the one it made).
    #[tracing::instrument(skip_all, fields(from = update.from_id))]
    pub async fn handle_update(&self, update: BotUpdate) -> ServiceResult<()> {
        let bot = self.bot.as_ref().ok_or(ServiceError::NotFound {
            code: "route.not_found",
        })?;
        let words = texts(update.language);
        let reply = |text: String| BotReply {
            chat_id: update.chat_id,
            text,
            contact_button: None,
            remove_keyboard: false,
        };
        let answer = match &update.message {
            BotMessage::Start => match self.join_first(bot.as_ref(), &update, words).await? {
                Some(join) => join,
                None => BotReply {
                    contact_button: Some(words.contact_button.to_owned()),
                    ..reply(words.ask_contact.to_owned())
                },
            },
            BotMessage::Contact { user_id, phone } => {
                if *user_id != Some(update.from_id) {
                    reply(words.not_own_contact.to_owned())
                } else if let Some(join) = self.join_first(bot.as_ref(), &update, words).await? {
                    join
                } else {
                    self.link_reply(&update, phone, words).await?
                }
            }
            BotMessage::Help | BotMessage::Other => reply(words.help.to_owned()),
        };
        Ok(bot.send(&answer).await?)
    }

    /// The ask to join the required channel, when there is one and the
    /// sender is not in it.
    async fn join_first(
        &self,
        bot: &dyn BotApi,
        update: &BotUpdate,
        words: &Texts,
    ) -> ServiceResult<Option<BotReply>> {
        let Some(channel) = &self.required_channel else {
            return Ok(None);
        };
        if bot.is_member(channel, update.from_id).await? {
            return Ok(None);
        }
        Ok(Some(BotReply {
            chat_id: update.chat_id,
            text: format!("{}\n{}", words.join_channel, channel_link(channel)),
            contact_button: None,
            remove_keyboard: false,
        }))
    }

    async fn link_reply(
        &self,
        update: &BotUpdate,
        phone: &str,
        words: &Texts,
    ) -> ServiceResult<BotReply> {
        let (Ok(phone), Ok(tg_id)) = (
            Phone::parse(phone),
            TelegramId::parse("tg_id", update.from_id),
        ) else {
            return Ok(BotReply {
                chat_id: update.chat_id,
                text: words.phone_not_uzbek.to_owned(),
                contact_button: None,
                remove_keyboard: true,
            });
        };
        let (token, _) = self.issue(tg_id, phone).await?;
        let minutes = self.token_lifetime_minutes().to_string();
        Ok(BotReply {
            chat_id: update.chat_id,
            text: format!(
                "{}\n{}?token={token}\n{}",
                words.link,
                self.register_url,
                words.minutes.replace("{minutes}", &minutes)
            ),
            contact_button: None,
            remove_keyboard: true,
        })
    }
}

/// `@name` as a link; a numeric id as it is.
fn channel_link(channel: &str) -> String {
    match channel.strip_prefix('@') {
        Some(name) => format!("https://t.me/{name}"),
        None => channel.to_owned(),
    }
}
