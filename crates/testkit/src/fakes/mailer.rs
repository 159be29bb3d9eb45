//! A `Mailer` that delivers nothing: it records every message it was asked to
//! send, and can be told to refuse them, as a dead SMTP server would.

use async_trait::async_trait;
use bilim_domain::ports::{Mailer, OutgoingMail};
use bilim_domain::{DomainError, DomainResult};
use std::sync::{Mutex, MutexGuard, PoisonError};

#[derive(Default)]
struct State {
    sent: Vec<OutgoingMail>,
    refusing: bool,
}

#[derive(Default)]
pub struct FakeMailer {
    state: Mutex<State>,
}

impl FakeMailer {
    pub fn new() -> Self {
        Self::default()
    }

    /// Every message delivered so far, in order.
    pub fn sent(&self) -> Vec<OutgoingMail> {
        self.lock().sent.clone()
    }

    /// Refuse (`true`) or deliver (`false`) every later message. A refused
    /// message is not recorded: it was never delivered.
    pub fn refuse(&self, refusing: bool) {
        self.lock().refusing = refusing;
    }

    fn lock(&self) -> MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

#[async_trait]
impl Mailer for FakeMailer {
    async fn send(&self, mail: &OutgoingMail) -> DomainResult<()> {
        let mut state = self.lock();
        if state.refusing {
            return Err(DomainError::unavailable("smtp", "the fake mailer refuses"));
        }
        state.sent.push(mail.clone());
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use bilim_domain::ports::MailMessage;
    use bilim_domain::values::Email;

    #[tokio::test]
    async fn records_what_it_delivers_and_nothing_it_refuses() -> DomainResult<()> {
        let mailer = FakeMailer::new();
        let mail = OutgoingMail {
            to: Email::parse("a@b.uz")?,
            message: MailMessage::RegistrationAttempt {
                first_name: "Aziz".into(),
            },
        };
        mailer.send(&mail).await?;
        mailer.refuse(true);
        assert!(mailer.send(&mail).await.is_err());
        assert_eq!(mailer.sent(), vec![mail]);
        Ok(())
    }
}
