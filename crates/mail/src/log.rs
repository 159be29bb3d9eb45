//! `LogMailer`: a `Mailer` that sends nothing and logs what it would have sent.
//! For local runs without an SMTP server; confirmation links show up in the log.

use crate::{MailError, Mailbox, build_message, parse_from};
use async_trait::async_trait;
use bilim_domain::DomainResult;
use bilim_domain::ports::{Mailer, OutgoingMail};

#[derive(Debug, Clone)]
pub struct LogMailer {
    from: Mailbox,
}

impl LogMailer {
    pub fn new(from: &str) -> Result<Self, MailError> {
        Ok(Self {
            from: parse_from(from)?,
        })
    }
}

#[async_trait]
impl Mailer for LogMailer {
    async fn send(&self, mail: &OutgoingMail) -> DomainResult<()> {
        // Built although discarded, so a message the real adapters would refuse
        // fails here too.
        build_message(&self.from, mail)?;
        tracing::info!(to = %mail.to, subject = %mail.subject, "mail not sent (log mailer)");
        // Bodies may carry one-time links; keep them out of the default level.
        tracing::debug!(to = %mail.to, text = %mail.text, "mail body");
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use bilim_domain::values::Email;

    #[tokio::test]
    async fn sends_nothing_and_succeeds() {
        let mailer = LogMailer::new("Bilim <no-reply@bilim.uz>").unwrap();
        let mail = OutgoingMail {
            to: Email::parse("a@example.uz").unwrap(),
            subject: "Salom".to_owned(),
            text: "oʻ gʻ".to_owned(),
            html: "<p>oʻ gʻ</p>".to_owned(),
        };
        assert_eq!(mailer.send(&mail).await, Ok(()));
    }

    #[test]
    fn refuses_bad_from() {
        assert!(matches!(
            LogMailer::new("<>"),
            Err(MailError::InvalidFrom { .. })
        ));
    }
}
