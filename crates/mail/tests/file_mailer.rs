//! `FileMailer` end to end: what lands in the outbox is a complete, parseable
//! message, one file per send, in send order.

// Helpers outside `#[test]` functions are not covered by clippy.toml's
// allow-unwrap-in-tests; a failed unwrap is a failed test here too.
#![allow(clippy::unwrap_used)]

use bilim_domain::ports::{Mailer, OutgoingMail};
use bilim_domain::values::Email;
use bilim_mail::{FileMailer, MailError};
use mail_parser::{Address, MessageParser};
use std::path::PathBuf;

fn mail(to: &str, subject: &str, n: usize) -> OutgoingMail {
    OutgoingMail {
        to: Email::parse(to).unwrap(),
        subject: subject.to_owned(),
        text: format!("Salom! Xat {n}: oʻ gʻ Oʻ Gʻ, taʼlim.\nHavola: https://bilim.uz/t/{n}"),
        html: format!("<p>Salom! Xat {n}: <b>oʻ gʻ Oʻ Gʻ</b>, taʼlim.</p>"),
    }
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

    let sent: Vec<OutgoingMail> = (0..5)
        .map(|n| {
            mail(
                &format!("talaba{n}@example.uz"),
                &format!("Roʻyxatdan oʻtish №{n}"),
                n,
            )
        })
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
        assert_eq!(parsed.subject(), Some(expected.subject.as_str()));
        // Mail line breaks are CRLF (RFC 5322); everything else is byte-exact.
        assert_eq!(
            parsed.body_text(0).map(|t| t.replace("\r\n", "\n")),
            Some(expected.text.clone())
        );
        assert_eq!(parsed.body_html(0).as_deref(), Some(expected.html.as_str()));
    }
}

#[tokio::test]
async fn concurrent_sends_each_get_their_own_file() {
    let tmp = tempfile::tempdir().unwrap();
    let mailer = std::sync::Arc::new(FileMailer::new(tmp.path(), "no-reply@bilim.uz").unwrap());
    let tasks: Vec<_> = (0..20)
        .map(|n| {
            let mailer = mailer.clone();
            tokio::spawn(async move { mailer.send(&mail("a@example.uz", "Salom", n)).await })
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
