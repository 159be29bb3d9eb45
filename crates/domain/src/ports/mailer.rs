//! Outgoing mail. Templates live in `bilim-mail`; this is the message as sent.

use crate::DomainResult;
use crate::values::Email;
use async_trait::async_trait;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OutgoingMail {
    pub to: Email,
    pub subject: String,
    /// Plain-text body; every message has one.
    pub text: String,
    /// HTML alternative of the same content.
    pub html: String,
}

#[async_trait]
pub trait Mailer: Send + Sync {
    /// Delivers one message or reports why it could not.
    async fn send(&self, mail: &OutgoingMail) -> DomainResult<()>;
}
