//! Every mail Bilim sends, in Uzbek (Latin script): subject, plain text and
//! HTML, all three rendered here from one [`MailMessage`].
//!
//! Spelling: `oʻ` and `gʻ` use U+02BB (ʻ), the tutuq belgisi U+02BC (ʼ); never
//! ASCII apostrophes or typographic quotes.
//!
//! The plain text and the HTML say the same thing: both are drawn from one list
//! of blocks. In the text body a code stands alone on its own line, so mail
//! clients and tests can find it; it never appears in the subject, which shows
//! up in notifications and on lock screens. The HTML is a single inline-styled
//! document without images, links or scripts, and every piece of text in it
//! goes through [`escape_html`](letter::escape_html).
//!
//! Times are shown in Tashkent time (UTC+5) with Uzbek month names:
//! "2026-yil 1-dekabr, soat 14:30 (Toshkent vaqti)".
//!
//! One file per mail family: the code mails (`codes`), the registration
//! attempt notice (`registration`) and the access mails (`access`); the shared
//! letter, its HTML and the cleaning and escaping of interpolated text are in
//! `letter`.

mod access;
mod codes;
mod letter;
mod registration;

use bilim_domain::ports::MailMessage;

/// A message ready for the transport.
#[derive(Clone, PartialEq, Eq)]
pub struct Rendered {
    pub subject: String,
    pub text: String,
    pub html: String,
}

/// Hand-written so that a stray `{:?}` cannot log a code.
impl std::fmt::Debug for Rendered {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Rendered")
            .field("subject", &self.subject)
            .finish_non_exhaustive()
    }
}

/// Renders `message` into its subject, plain text and HTML.
pub fn render(message: &MailMessage) -> Rendered {
    match message {
        MailMessage::Code {
            purpose,
            code,
            valid_minutes,
        } => codes::code(*purpose, code, *valid_minutes),
        MailMessage::RegistrationAttempt { first_name } => registration::attempt(first_name),
        MailMessage::AccessEnding {
            first_name,
            course_title,
            expires_at,
        } => access::ending(first_name, course_title, *expires_at),
        MailMessage::AccessEnded {
            first_name,
            course_title,
        } => access::ended(first_name, course_title),
    }
}

#[cfg(test)]
mod tests;
