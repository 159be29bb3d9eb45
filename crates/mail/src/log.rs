//! `LogMailer`: a `Mailer` that sends nothing and logs what it would have sent.
//! For local runs without an SMTP server.
//!
//! Codes never reach the log: recipient and subject go out at info level, the
//! body only at debug level and only for messages without a code. To read codes
//! in development, use the `FileMailer` outbox.

use crate::templates::{self, Rendered};
use crate::{MailError, Mailbox, assemble, parse_from};
use async_trait::async_trait;
use bilim_domain::DomainResult;
use bilim_domain::ports::{MailMessage, Mailer, OutgoingMail};

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

/// What the debug log may show of a message's body.
fn loggable_body<'a>(message: &MailMessage, rendered: &'a Rendered) -> &'a str {
    match message {
        MailMessage::Code { .. } => "(code withheld)",
        MailMessage::RegistrationAttempt { .. }
        | MailMessage::AccessEnding { .. }
        | MailMessage::AccessEnded { .. } => &rendered.text,
    }
}

#[async_trait]
impl Mailer for LogMailer {
    async fn send(&self, mail: &OutgoingMail) -> DomainResult<()> {
        let rendered = templates::render(&mail.message);
        // Built although discarded, so a message the real adapters would refuse
        // fails here too.
        assemble(&self.from, &mail.to, &rendered)?;
        tracing::info!(to = %mail.to, subject = %rendered.subject, "mail not sent (log mailer)");
        tracing::debug!(to = %mail.to, text = %loggable_body(&mail.message, &rendered), "mail body");
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use bilim_domain::ports::CodePurpose;
    use bilim_domain::values::{Code, Email};
    use std::sync::{Arc, Mutex};
    use tracing::field::{Field, Visit};

    fn code_mail() -> OutgoingMail {
        OutgoingMail {
            to: Email::parse("a@example.uz").unwrap(),
            message: MailMessage::Code {
                purpose: CodePurpose::Login,
                code: Code::parse("004217").unwrap(),
                valid_minutes: 10,
            },
        }
    }

    #[tokio::test]
    async fn sends_nothing_and_succeeds() {
        let mailer = LogMailer::new("Bilim <no-reply@bilim.uz>").unwrap();
        let attempt = OutgoingMail {
            to: Email::parse("a@example.uz").unwrap(),
            message: MailMessage::RegistrationAttempt {
                first_name: "Oʻktam".to_owned(),
            },
        };
        assert_eq!(mailer.send(&attempt).await, Ok(()));
        assert_eq!(mailer.send(&code_mail()).await, Ok(()));
    }

    #[test]
    fn code_bodies_are_withheld() {
        let mail = code_mail();
        let rendered = templates::render(&mail.message);
        assert_eq!(loggable_body(&mail.message, &rendered), "(code withheld)");
        assert!(!rendered.subject.contains("004217"));

        let attempt = MailMessage::RegistrationAttempt {
            first_name: "Aziz".to_owned(),
        };
        let rendered = templates::render(&attempt);
        assert_eq!(loggable_body(&attempt, &rendered), rendered.text);
    }

    /// Records every event's fields, whatever its level.
    #[derive(Clone, Default)]
    struct Capture(Arc<Mutex<Vec<String>>>);

    struct Fields<'a>(&'a mut String);

    impl Visit for Fields<'_> {
        fn record_debug(&mut self, field: &Field, value: &dyn std::fmt::Debug) {
            self.0.push_str(&format!("{}={value:?} ", field.name()));
        }
    }

    impl tracing::Subscriber for Capture {
        fn enabled(&self, _: &tracing::Metadata<'_>) -> bool {
            true
        }
        fn new_span(&self, _: &tracing::span::Attributes<'_>) -> tracing::span::Id {
            tracing::span::Id::from_u64(1)
        }
        fn record(&self, _: &tracing::span::Id, _: &tracing::span::Record<'_>) {}
        fn record_follows_from(&self, _: &tracing::span::Id, _: &tracing::span::Id) {}
        fn event(&self, event: &tracing::Event<'_>) {
            let mut line = format!("{} ", event.metadata().level());
            event.record(&mut Fields(&mut line));
            self.0.lock().unwrap().push(line);
        }
        fn enter(&self, _: &tracing::span::Id) {}
        fn exit(&self, _: &tracing::span::Id) {}
    }

    #[tokio::test(flavor = "current_thread")]
    async fn logs_never_hold_the_code() {
        let capture = Capture::default();
        let _guard = tracing::subscriber::set_default(capture.clone());
        let mailer = LogMailer::new("Bilim <no-reply@bilim.uz>").unwrap();
        mailer.send(&code_mail()).await.unwrap();

        let lines = capture.0.lock().unwrap().clone();
        assert_eq!(lines.len(), 2, "{lines:?}");
        assert!(lines[0].starts_with("INFO "), "{lines:?}");
        assert!(lines[0].contains("a@example.uz"), "{lines:?}");
        assert!(lines[0].contains("Bilim: kirish kodi"), "{lines:?}");
        assert!(lines[1].starts_with("DEBUG "), "{lines:?}");
        assert!(lines[1].contains("(code withheld)"), "{lines:?}");
        assert!(lines.iter().all(|l| !l.contains("004217")), "{lines:?}");
    }

    #[tokio::test(flavor = "current_thread")]
    async fn other_bodies_are_logged_at_debug_only() {
        let capture = Capture::default();
        let _guard = tracing::subscriber::set_default(capture.clone());
        let mailer = LogMailer::new("Bilim <no-reply@bilim.uz>").unwrap();
        let attempt = OutgoingMail {
            to: Email::parse("a@example.uz").unwrap(),
            message: MailMessage::RegistrationAttempt {
                first_name: "Aziz".to_owned(),
            },
        };
        mailer.send(&attempt).await.unwrap();

        let lines = capture.0.lock().unwrap().clone();
        assert_eq!(lines.len(), 2, "{lines:?}");
        assert!(!lines[0].contains("Aziz"), "{lines:?}");
        assert!(
            lines[1].starts_with("DEBUG ") && lines[1].contains("Aziz"),
            "{lines:?}"
        );
    }

    #[test]
    fn refuses_bad_from() {
        assert!(matches!(
            LogMailer::new("<>"),
            Err(MailError::InvalidFrom { .. })
        ));
    }
}
