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

pub struct SmtpMailer {
    from: Mailbox,
    builder: AsyncSmtpTransportBuilder,
    /// Built on first send: building starts the pool's clean-up task with
    /// `tokio::spawn`, which panics outside a runtime, and construction may
    /// happen before one exists.
    transport: OnceLock<AsyncSmtpTransport<Tokio1Executor>>,
    /// The URL with its password replaced, for `Debug`.
    shown_url: String,
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
        })
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
            .field("timeout", &TIMEOUT)
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
        transport
            .send(message)
            .await
            .map_err(|e| DomainError::unavailable("mail", e))?;
        tracing::debug!(to = %mail.to, "mail sent over SMTP");
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

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

    #[test]
    fn bad_from_is_refused() {
        let err = SmtpMailer::from_url("smtp://127.0.0.1:2525", "no-reply at bilim").unwrap_err();
        assert!(matches!(err, MailError::InvalidFrom { .. }), "{err:?}");
    }
}
