//! `MailError`: what can be wrong with a mail adapter's configuration.
//!
//! Only construction fails with it, so a misconfigured server refuses to start
//! instead of failing on the first sign-up. Sending errors are
//! `DomainError::Unavailable { service: "mail", .. }`.

use std::path::PathBuf;
use thiserror::Error;

#[derive(Debug, Error)]
pub enum MailError {
    /// The sender is not a mailbox such as `Bilim <no-reply@bilim.uz>`.
    #[error("invalid mail sender {value:?}: expected `Name <address@domain>` or `address@domain`")]
    InvalidFrom { value: String },
    /// The SMTP URL cannot be used. The reason never quotes the URL, which may
    /// hold a password.
    #[error("invalid SMTP URL: {reason}")]
    InvalidSmtpUrl { reason: String },
    /// The file outbox directory could not be created.
    #[error("cannot create mail outbox directory {}: {source}", dir.display())]
    Outbox {
        dir: PathBuf,
        #[source]
        source: std::io::Error,
    },
}
