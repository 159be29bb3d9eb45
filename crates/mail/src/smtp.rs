//! `SmtpMailer`: the production `Mailer`, delivering through an SMTP relay
//! configured by one URL.
//!
//! | URL                                      | transport                 |
//! | ---------------------------------------- | ------------------------- |
//! | `smtp://user:pass@host:port`             | plain (local relays only) |
//! | `smtp://user:pass@host:587?tls=required` | STARTTLS, required        |
//! | `smtps://user:pass@host:465`             | implicit TLS              |
//!
//! The password is never logged, shown by `Debug` or put in an error.

use crate::{MailError, Mailbox, build_message, parse_from};
use async_trait::async_trait;
use bilim_domain::ports::{Mailer, OutgoingMail};
use bilim_domain::{DomainError, DomainResult};
use lettre::transport::smtp::AsyncSmtpTransportBuilder;
use lettre::{AsyncSmtpTransport, AsyncTransport, Tokio1Executor};
use std::fmt;
use std::sync::OnceLock;
use std::time::Duration;
use url::Url;

/// Bound on connecting and on each SMTP exchange, so a stuck relay fails a
/// request instead of holding it for lettre's default minute.
const TIMEOUT: Duration = Duration::from_secs(10);

/// Bound on one whole send: a relay that answers a byte at a time never trips
/// the per-exchange limit, and must not hold the outbox for ever.
const SEND_DEADLINE: Duration = Duration::from_secs(30);

pub struct SmtpMailer {
    from: Mailbox,
    builder: AsyncSmtpTransportBuilder,
    /// Built on first send: building starts the pool's clean-up task with
    /// `tokio::spawn`, which panics outside a runtime, and construction may
    /// happen before one exists.
    transport: OnceLock<AsyncSmtpTransport<Tokio1Executor>>,
    /// The URL with its password replaced, for `Debug`.
    shown_url: String,
    send_deadline: Duration,
}

impl SmtpMailer {
    /// Checks the URL and the sender; connects only when the first mail is sent.
    pub fn from_url(url: &str, from: &str) -> Result<Self, MailError> {
        let from = parse_from(from)?;
        let invalid = |reason: String| MailError::InvalidSmtpUrl { reason };
        // Checked here first because lettre's messages for these cases are vague.
        let parsed = Url::parse(url).map_err(|e| invalid(e.to_string()))?;
        if !matches!(parsed.scheme(), "smtp" | "smtps") {
            return Err(invalid(format!(
                "scheme must be smtp or smtps, not {:?}",
                parsed.scheme()
            )));
        }
        if parsed.host_str().is_none_or(str::is_empty) {
            return Err(invalid("no host".to_owned()));
        }
        let tls = parsed
            .query_pairs()
            .find(|(k, _)| k == "tls")
            .map(|(_, v)| v.into_owned());
        if let Some(tls) = &tls
            && !matches!(tls.as_str(), "required" | "opportunistic")
        {
            return Err(invalid(format!(
                "tls must be \"required\" or \"opportunistic\", not {tls:?}"
            )));
        }
        let builder = AsyncSmtpTransport::<Tokio1Executor>::from_url(url)
            .map_err(|e| invalid(e.to_string()))?
            .timeout(Some(TIMEOUT));

        let host = parsed.host_str().unwrap_or_default();
        let loopback = host == "localhost"
            || host
                .parse::<std::net::IpAddr>()
                .is_ok_and(|ip| ip.is_loopback())
            || host == "[::1]";
        if parsed.scheme() == "smtp" && tls.is_none() && parsed.password().is_some() && !loopback {
            tracing::warn!(
                host,
                "SMTP credentials will be sent unencrypted; use smtps:// or ?tls=required"
            );
        }

        Ok(Self {
            from,
            builder,
            transport: OnceLock::new(),
            shown_url: redact(&parsed),
            send_deadline: SEND_DEADLINE,
        })
    }

    /// Other limits than the defaults (10 s per exchange, 30 s per send).
    pub fn with_timeouts(mut self, exchange: Duration, send: Duration) -> Self {
        self.builder = self.builder.timeout(Some(exchange));
        self.send_deadline = send;
        self
    }
}

/// The URL without its password; if that cannot be done, without its userinfo
/// and path too.
fn redact(url: &Url) -> String {
    let mut shown = url.clone();
    if shown.password().is_none() || shown.set_password(Some("***")).is_ok() {
        shown.to_string()
    } else {
        format!("{}://***", url.scheme())
    }
}

impl fmt::Debug for SmtpMailer {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SmtpMailer")
            .field("url", &self.shown_url)
            .field("from", &self.from.to_string())
            .field("send_deadline", &self.send_deadline)
            .finish_non_exhaustive()
    }
}

#[async_trait]
impl Mailer for SmtpMailer {
    async fn send(&self, mail: &OutgoingMail) -> DomainResult<()> {
        let message = build_message(&self.from, mail)?;
        let transport = self.transport.get_or_init(|| self.builder.clone().build());
        // lettre's errors name the failure and the server's reply, never the
        // credentials.
        tokio::time::timeout(self.send_deadline, transport.send(message))
            .await
            .map_err(|_| {
                DomainError::unavailable(
                    "mail",
                    format!("no complete send within {:?}", self.send_deadline),
                )
            })?
            .map_err(|e| DomainError::unavailable("mail", e))?;
        tracing::debug!(to = %mail.to, "mail sent over SMTP");
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use bilim_domain::ports::{CodePurpose, MailMessage};
    use bilim_domain::values::{Code, Email};

    const FROM: &str = "Bilim <no-reply@bilim.uz>";

    #[test]
    fn accepts_the_three_documented_forms() {
        for url in [
            "smtp://127.0.0.1:2525",
            "smtp://user:pass@mail.example.uz:587?tls=required",
            "smtps://user:pass@mail.example.uz",
        ] {
            assert!(SmtpMailer::from_url(url, FROM).is_ok(), "{url}");
        }
    }

    #[test]
    fn debug_redacts_the_password() {
        let mailer =
            SmtpMailer::from_url("smtps://aziz:s3cr%23t-Pa55@mail.example.uz:465", FROM).unwrap();
        let shown = format!("{mailer:?}");
        assert!(!shown.contains("s3cr"), "{shown}");
        assert!(!shown.contains("Pa55"), "{shown}");
        assert!(
            shown.contains("smtps://aziz:***@mail.example.uz:465"),
            "{shown}"
        );
    }

    #[test]
    fn bad_urls_are_clear_errors_without_the_password() {
        for (url, expected) in [
            ("not a url", "invalid SMTP URL: relative URL without a base"),
            (
                "http://u:hunter2@mail.example.uz",
                "scheme must be smtp or smtps, not \"http\"",
            ),
            ("smtp://u:hunter2@mail.example.uz?tls=maybe", "tls must be"),
            ("smtp://u:hunter2@", "invalid SMTP URL"),
        ] {
            let err = SmtpMailer::from_url(url, FROM).unwrap_err();
            assert!(
                matches!(err, MailError::InvalidSmtpUrl { .. }),
                "{url}: {err:?}"
            );
            let text = format!("{err} {err:?}");
            assert!(text.contains(expected), "{url}: {text}");
            assert!(!text.contains("hunter2"), "{url}: {text}");
        }
    }

    /// A relay that greets one byte every 100 ms never trips the per-exchange
    /// limit; the send still ends at its deadline.
    #[tokio::test]
    async fn a_relay_that_dribbles_fails_the_send_at_its_deadline() {
        use tokio::io::AsyncWriteExt;
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let address = listener.local_addr().unwrap();
        tokio::spawn(async move {
            while let Ok((mut socket, _)) = listener.accept().await {
                tokio::spawn(async move {
                    // "220-" continuation lines, for ever.
                    for byte in b"220-bilim.test\r\n".iter().cycle() {
                        if socket.write_all(&[*byte]).await.is_err() {
                            return;
                        }
                        tokio::time::sleep(Duration::from_millis(100)).await;
                    }
                });
            }
        });
        let mailer = SmtpMailer::from_url(&format!("smtp://{address}"), FROM)
            .unwrap()
            .with_timeouts(Duration::from_secs(1), Duration::from_millis(800));
        let mail = OutgoingMail {
            to: Email::parse("aziz@example.uz").unwrap(),
            message: MailMessage::Code {
                purpose: CodePurpose::Login,
                code: Code::parse("004217").unwrap(),
                valid_minutes: 10,
            },
        };
        let started = std::time::Instant::now();
        let sent = tokio::time::timeout(Duration::from_secs(10), mailer.send(&mail))
            .await
            .expect("the send hung past its deadline");
        assert!(
            matches!(sent, Err(DomainError::Unavailable { .. })),
            "{sent:?}"
        );
        assert!(
            started.elapsed() < Duration::from_secs(3),
            "{:?}",
            started.elapsed()
        );
    }

    #[test]
    fn bad_from_is_refused() {
        let err = SmtpMailer::from_url("smtp://127.0.0.1:2525", "no-reply at bilim").unwrap_err();
        assert!(matches!(err, MailError::InvalidFrom { .. }), "{err:?}");
    }
}
