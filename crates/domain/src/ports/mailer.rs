//! Outgoing mail. The domain says what to tell whom; `bilim-mail` owns every
//! template (subject, plain text and HTML, in Uzbek) and the transport.

use crate::DomainResult;
use crate::values::{Code, Email};
use async_trait::async_trait;
use chrono::{DateTime, Utc};

/// Why a code was sent; each purpose has its own wording.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CodePurpose {
    Register,
    Login,
    PasswordReset,
    AdminLogin,
}

/// What a message says.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum MailMessage {
    /// A six-digit code, valid for `valid_minutes`.
    Code {
        purpose: CodePurpose,
        code: Code,
        valid_minutes: u32,
    },
    /// Someone tried to register with an address that already has an account.
    RegistrationAttempt { first_name: String },
    /// Access to a course ends in about a week.
    AccessEnding {
        first_name: String,
        course_title: String,
        expires_at: DateTime<Utc>,
    },
    /// Access to a course has ended.
    AccessEnded {
        first_name: String,
        course_title: String,
    },
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OutgoingMail {
    pub to: Email,
    pub message: MailMessage,
}

#[async_trait]
pub trait Mailer: Send + Sync {
    /// Delivers one message or reports why it could not.
    async fn send(&self, mail: &OutgoingMail) -> DomainResult<()>;
}
