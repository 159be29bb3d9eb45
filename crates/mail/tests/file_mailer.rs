//! `FileMailer` end to end: what lands in the outbox is a complete, parseable
//! message, one file per send, in send order.

// Helpers outside `#[test]` functions are not covered by clippy.toml's
// allow-unwrap-in-tests; a failed unwrap is a failed test here too.
#![allow(clippy::unwrap_used)]

use bilim_domain::ports::{CodePurpose, MailMessage, Mailer, OutgoingMail};
use bilim_domain::values::{Code, Email};
use bilim_mail::templates::render;
use bilim_mail::{FileMailer, MailError};
use mail_parser::{Address, MessageParser};
use std::path::PathBuf;

const PURPOSES: [CodePurpose; 4] = [
    CodePurpose::Register,
    CodePurpose::Login,
    CodePurpose::PasswordReset,
    CodePurpose::AdminLogin,
];

/// Message `n`: a code mail (cycling through the purposes, code `00421n`) or,
/// every fifth, a registration attempt.
fn message(n: usize) -> MailMessage {
    if n % 5 == 4 {
        MailMessage::RegistrationAttempt {
            first_name: format!("Oʻktam <b>{n}</b> & Gʻ"),
        }
    } else {
        MailMessage::Code {
            purpose: PURPOSES[n % 4],
            code: Code::parse(&format!("{:06}", 4210 + n)).unwrap(),
            valid_minutes: 10,
        }
    }
}

fn mail(to: &str, n: usize) -> OutgoingMail {
    OutgoingMail {
        to: Email::parse(to).unwrap(),
        message: message(n),
    }
}

/// Mail line breaks are CRLF (RFC 5322); everything else is byte-exact.
fn lf(body: &str) -> String {
    body.replace("\r\n", "\n")
}

fn outbox(dir: &std::path::Path) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    files.sort();
    files
}

fn address(addr: Option<&Address<'_>>) -> (Option<String>, Option<String>) {
    let first = addr.and_then(Address::first).unwrap();
    (
        first.name().map(str::to_owned),
        first.address().map(str::to_owned),
    )
}

#[tokio::test]
async fn writes_one_parseable_eml_per_message_in_send_order() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("outbox/nested");
    let mailer = FileMailer::new(&dir, "Bilim <no-reply@bilim.uz>").unwrap();
    assert_eq!(mailer.dir(), dir);

    let sent: Vec<OutgoingMail> = (0..10)
        .map(|n| mail(&format!("talaba{n}@example.uz"), n))
        .collect();
    for m in &sent {
        mailer.send(m).await.unwrap();
    }

    let files = outbox(&dir);
    assert_eq!(files.len(), sent.len(), "{files:?}");
    for (file, expected) in files.iter().zip(&sent) {
        let name = file.file_name().unwrap().to_str().unwrap();
        assert!(name.ends_with(".eml") && !name.starts_with('.'), "{name}");

        let raw = std::fs::read(file).unwrap();
        let parsed = MessageParser::default().parse(&raw).unwrap();
        assert_eq!(
            address(parsed.from()),
            (
                Some("Bilim".to_owned()),
                Some("no-reply@bilim.uz".to_owned())
            )
        );
        assert_eq!(
            address(parsed.to()),
            (None, Some(expected.to.as_str().to_owned()))
        );
        let rendered = render(&expected.message);
        assert_eq!(parsed.subject(), Some(rendered.subject.as_str()));
        assert_eq!(parsed.body_text(0).as_deref().map(lf), Some(rendered.text));
        assert_eq!(parsed.body_html(0).as_deref().map(lf), Some(rendered.html));
    }
}

#[tokio::test]
async fn uzbek_letters_and_the_code_survive_the_eml() {
    let tmp = tempfile::tempdir().unwrap();
    let mailer = FileMailer::new(tmp.path(), "Bilim <no-reply@bilim.uz>").unwrap();
    mailer
        .send(&OutgoingMail {
            to: Email::parse("talaba@example.uz").unwrap(),
            message: MailMessage::Code {
                purpose: CodePurpose::Register,
                code: Code::parse("004217").unwrap(),
                valid_minutes: 15,
            },
        })
        .await
        .unwrap();

    let files = outbox(tmp.path());
    assert_eq!(files.len(), 1, "{files:?}");
    let raw = std::fs::read(&files[0]).unwrap();
    let parsed = MessageParser::default().parse(&raw).unwrap();

    // U+02BB in oʻ, gʻ and U+02BC in eʼtibor, decoded exactly as written.
    assert_eq!(
        parsed.subject(),
        Some("Bilim: ro\u{2bb}yxatdan o\u{2bb}tish kodi")
    );
    let text = parsed.body_text(0).as_deref().map(lf).unwrap();
    assert!(
        text.contains("ro\u{2bb}yxatdan o\u{2bb}tish uchun"),
        "{text}"
    );
    assert!(text.contains("so\u{2bb}ramagan bo\u{2bb}lsangiz"), "{text}");
    assert!(text.contains("e\u{2bc}tiborsiz"), "{text}");
    assert!(text.contains("Kod 15 daqiqa"), "{text}");
    let html = parsed.body_html(0).unwrap();
    assert!(html.contains("e\u{2bc}tiborsiz"), "{html}");

    // The code: the one line that is exactly six digits, leading zeros kept.
    let code_lines: Vec<&str> = text
        .lines()
        .filter(|l| l.len() == 6 && l.chars().all(|c| c.is_ascii_digit()))
        .collect();
    assert_eq!(code_lines, ["004217"], "{text}");
    assert!(!parsed.subject().unwrap().contains("004217"));
    // Not even in the raw headers.
    let raw_text = String::from_utf8_lossy(&raw);
    let headers = raw_text.split("\r\n\r\n").next().unwrap();
    assert!(!headers.contains("004217"), "{headers}");
}

#[tokio::test]
async fn a_hostile_first_name_is_escaped_in_the_eml() {
    let tmp = tempfile::tempdir().unwrap();
    let mailer = FileMailer::new(tmp.path(), "no-reply@bilim.uz").unwrap();
    mailer
        .send(&OutgoingMail {
            to: Email::parse("talaba@example.uz").unwrap(),
            message: MailMessage::RegistrationAttempt {
                first_name: "<script>alert('x')</script>".to_owned(),
            },
        })
        .await
        .unwrap();
    let raw = std::fs::read(&outbox(tmp.path())[0]).unwrap();
    let parsed = MessageParser::default().parse(&raw).unwrap();
    let html = parsed.body_html(0).unwrap();
    assert!(!html.contains("<script"), "{html}");
    assert!(
        html.contains("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;"),
        "{html}"
    );
    // Plain text shows the name as typed; it cannot run there.
    let text = parsed.body_text(0).unwrap();
    assert!(text.contains("<script>alert('x')</script>"), "{text}");
}

#[tokio::test]
async fn concurrent_sends_each_get_their_own_file() {
    let tmp = tempfile::tempdir().unwrap();
    let mailer = std::sync::Arc::new(FileMailer::new(tmp.path(), "no-reply@bilim.uz").unwrap());
    let tasks: Vec<_> = (0..20)
        .map(|n| {
            let mailer = mailer.clone();
            tokio::spawn(async move { mailer.send(&mail("a@example.uz", n)).await })
        })
        .collect();
    for task in tasks {
        task.await.unwrap().unwrap();
    }
    // 20 complete files and no temporary leftovers.
    let files = outbox(tmp.path());
    assert_eq!(files.len(), 20, "{files:?}");
    for file in files {
        assert_eq!(file.extension().unwrap(), "eml");
        let raw = std::fs::read(&file).unwrap();
        assert!(
            MessageParser::default()
                .parse(&raw)
                .unwrap()
                .body_text(0)
                .is_some()
        );
    }
}

#[test]
fn uncreatable_outbox_is_a_configuration_error() {
    let tmp = tempfile::NamedTempFile::new().unwrap();
    // A directory cannot be created under a regular file.
    let err = FileMailer::new(tmp.path().join("outbox"), "no-reply@bilim.uz").unwrap_err();
    assert!(matches!(err, MailError::Outbox { .. }), "{err:?}");
    assert!(
        err.to_string()
            .starts_with("cannot create mail outbox directory"),
        "{err}"
    );
}

#[test]
fn bad_from_is_a_configuration_error() {
    let tmp = tempfile::tempdir().unwrap();
    let err = FileMailer::new(tmp.path(), "Bilim no-reply").unwrap_err();
    assert!(matches!(err, MailError::InvalidFrom { .. }), "{err:?}");
    assert!(err.to_string().contains("invalid mail sender"), "{err}");
}
