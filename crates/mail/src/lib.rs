//! The `Mailer` port over lettre, in three adapters: [`SmtpMailer`] for real
//! delivery, [`FileMailer`] (an outbox of `.eml` files) for development and
//! end-to-end tests, and [`LogMailer`] that only logs.
//!
//! All three build the message with [`build_message`], so what lands in the
//! outbox is byte-for-byte what SMTP would have carried. The words are in
//! [`templates`], the only place that turns a `MailMessage` into text.

mod error;
mod file;
mod log;
mod smtp;
pub mod templates;

pub use error::MailError;
pub use file::FileMailer;
pub use lettre::message::Mailbox;
pub use log::LogMailer;
pub use smtp::SmtpMailer;

use bilim_domain::ports::OutgoingMail;
use bilim_domain::values::Email;
use bilim_domain::{DomainError, DomainResult};
use lettre::Address;
use lettre::message::MultiPart;
use templates::Rendered;

/// Builds the RFC 5322 message for `mail`, worded by [`templates::render`]: a
/// multipart/alternative with a UTF-8 text/plain part and a UTF-8 text/html
/// part (in that order, so clients that can show HTML prefer it). Line breaks
/// in the bodies go out as CRLF, as RFC 5322 requires; all other characters
/// arrive unchanged.
pub fn build_message(from: &Mailbox, mail: &OutgoingMail) -> DomainResult<lettre::Message> {
    assemble(from, &mail.to, &templates::render(&mail.message))
}

/// [`build_message`] for an already rendered message.
fn assemble(from: &Mailbox, to: &Email, rendered: &Rendered) -> DomainResult<lettre::Message> {
    // `Email` is already validated, but lettre has its own rules; a mismatch is
    // reported on the field rather than as an outage.
    let to: Address = to
        .as_str()
        .parse()
        .map_err(|_| DomainError::invalid("to", "email.invalid", "is not a valid email address"))?;
    lettre::Message::builder()
        .from(from.clone())
        .to(Mailbox::new(None, to))
        .subject(rendered.subject.as_str())
        // Relays add one when missing, but some spam filters score its absence.
        .message_id(None)
        .multipart(MultiPart::alternative_plain_html(
            rendered.text.clone(),
            rendered.html.clone(),
        ))
        .map_err(DomainError::internal)
}

/// Parses the configured sender, shared by all adapter constructors.
fn parse_from(from: &str) -> Result<Mailbox, MailError> {
    from.trim().parse().map_err(|_| MailError::InvalidFrom {
        value: from.to_owned(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use bilim_domain::ports::{CodePurpose, MailMessage};
    use bilim_domain::values::Code;
    use mail_parser::MessageParser;

    fn to() -> Email {
        Email::parse("talaba@example.uz").unwrap()
    }

    fn rendered(subject: &str) -> Rendered {
        Rendered {
            subject: subject.to_owned(),
            text: "Salom, oʻquvchi! Bugun gʻalaba.".to_owned(),
            html: "<p>Salom, <b>oʻquvchi</b>! Bugun gʻalaba.</p>".to_owned(),
        }
    }

    #[test]
    fn builds_alternative_with_utf8_parts() {
        let from = parse_from("Bilim <no-reply@bilim.uz>").unwrap();
        let raw = assemble(&from, &to(), &rendered("Roʻyxatdan oʻtish"))
            .unwrap()
            .formatted();
        let parsed = MessageParser::default().parse(&raw).unwrap();
        assert_eq!(parsed.subject(), Some("Roʻyxatdan oʻtish"));
        assert_eq!(
            parsed.body_text(0).as_deref(),
            Some("Salom, oʻquvchi! Bugun gʻalaba.")
        );
        assert_eq!(
            parsed.body_html(0).as_deref(),
            Some("<p>Salom, <b>oʻquvchi</b>! Bugun gʻalaba.</p>")
        );
        assert!(parsed.message_id().is_some());
        let text = String::from_utf8_lossy(&raw);
        assert!(text.contains("multipart/alternative"), "{text}");
        assert!(text.contains("text/plain; charset=utf-8"), "{text}");
        assert!(text.contains("text/html; charset=utf-8"), "{text}");
    }

    #[test]
    fn build_message_uses_the_templates() {
        let from = parse_from("Bilim <no-reply@bilim.uz>").unwrap();
        let mail = OutgoingMail {
            to: to(),
            message: MailMessage::Code {
                purpose: CodePurpose::PasswordReset,
                code: Code::parse("004217").unwrap(),
                valid_minutes: 10,
            },
        };
        let expected = templates::render(&mail.message);
        let raw = build_message(&from, &mail).unwrap().formatted();
        let parsed = MessageParser::default().parse(&raw).unwrap();
        assert_eq!(parsed.subject(), Some(expected.subject.as_str()));
        assert_eq!(
            parsed.body_text(0).map(|t| t.replace("\r\n", "\n")),
            Some(expected.text)
        );
        assert_eq!(
            parsed.body_html(0).map(|t| t.replace("\r\n", "\n")),
            Some(expected.html)
        );
    }

    #[test]
    fn subject_cannot_inject_headers() {
        let from = parse_from("no-reply@bilim.uz").unwrap();
        let raw = assemble(&from, &to(), &rendered("Hi\r\nBcc: evil@example.com"))
            .unwrap()
            .formatted();
        let parsed = MessageParser::default().parse(&raw).unwrap();
        assert!(parsed.bcc().is_none());
        let text = String::from_utf8_lossy(&raw);
        assert!(!text.contains("\r\nBcc:"), "{text}");
    }

    #[test]
    fn bad_from_is_a_clear_error() {
        let err = parse_from("not an address").unwrap_err();
        assert!(matches!(err, MailError::InvalidFrom { .. }));
        assert!(
            err.to_string()
                .contains("invalid mail sender \"not an address\""),
            "{err}"
        );
    }
}
