//! `SmtpMailer` against a real SMTP conversation with an in-test sink.

// Helpers outside `#[test]` functions are not covered by clippy.toml's
// allow-unwrap-in-tests; a failed unwrap is a failed test here too.
#![allow(clippy::unwrap_used)]

use bilim_domain::DomainError;
use bilim_domain::ports::{CodePurpose, MailMessage, Mailer, OutgoingMail};
use bilim_domain::values::{Code, Email};
use bilim_mail::SmtpMailer;
use bilim_mail::templates::render;
use mail_parser::MessageParser;
use std::time::{Duration, Instant};
use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};
use tokio::net::TcpListener;
use tokio::sync::oneshot;

/// What the sink saw of one message.
#[derive(Debug)]
struct Captured {
    mail_from: String,
    rcpt_to: Vec<String>,
    data: Vec<u8>,
}

/// A minimal SMTP server for one connection: 220 greeting, 250 to everything
/// (or 550 to RCPT if `reject_rcpt`), 354 for DATA, 221 for QUIT. Hands over
/// the first message it accepts.
async fn sink(reject_rcpt: bool) -> (u16, oneshot::Receiver<Captured>) {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let port = listener.local_addr().unwrap().port();
    let (tx, rx) = oneshot::channel();
    tokio::spawn(async move {
        let (stream, _) = listener.accept().await.unwrap();
        let (read, mut write) = stream.into_split();
        let mut lines = BufReader::new(read);
        let mut tx = Some(tx);
        let mut mail_from = String::new();
        let mut rcpt_to = Vec::new();
        write.write_all(b"220 sink ESMTP\r\n").await.unwrap();
        loop {
            let mut line = String::new();
            if lines.read_line(&mut line).await.unwrap() == 0 {
                break;
            }
            let command = line.trim_end().to_owned();
            let verb = command
                .split([' ', ':'])
                .next()
                .unwrap_or("")
                .to_ascii_uppercase();
            let reply: &[u8] = match verb.as_str() {
                "EHLO" | "HELO" => b"250-sink\r\n250 8BITMIME\r\n",
                "MAIL" => {
                    mail_from = command;
                    b"250 OK\r\n"
                }
                "RCPT" if reject_rcpt => b"550 5.1.1 no such user\r\n",
                "RCPT" => {
                    rcpt_to.push(command);
                    b"250 OK\r\n"
                }
                "DATA" => {
                    write
                        .write_all(b"354 end with <CRLF>.<CRLF>\r\n")
                        .await
                        .unwrap();
                    let mut data = Vec::new();
                    loop {
                        let mut line = Vec::new();
                        lines.read_until(b'\n', &mut line).await.unwrap();
                        if line == b".\r\n" || line.is_empty() {
                            break;
                        }
                        // Undo dot-stuffing (RFC 5321 §4.5.2).
                        let line = line.strip_prefix(b".").unwrap_or(&line);
                        data.extend_from_slice(line);
                    }
                    if let Some(tx) = tx.take() {
                        let captured = Captured {
                            mail_from: std::mem::take(&mut mail_from),
                            rcpt_to: std::mem::take(&mut rcpt_to),
                            data,
                        };
                        let _ = tx.send(captured);
                    }
                    b"250 OK queued\r\n"
                }
                "QUIT" => {
                    write.write_all(b"221 bye\r\n").await.unwrap();
                    break;
                }
                _ => b"250 OK\r\n",
            };
            write.write_all(reply).await.unwrap();
        }
    });
    (port, rx)
}

fn mail() -> OutgoingMail {
    OutgoingMail {
        to: Email::parse("talaba@example.uz").unwrap(),
        message: MailMessage::Code {
            purpose: CodePurpose::PasswordReset,
            code: Code::parse("004217").unwrap(),
            valid_minutes: 10,
        },
    }
}

#[tokio::test]
async fn delivers_through_a_real_smtp_conversation() {
    let (port, captured) = sink(false).await;
    let mailer = SmtpMailer::from_url(
        &format!("smtp://127.0.0.1:{port}"),
        "Bilim <no-reply@bilim.uz>",
    )
    .unwrap();
    let sent = mail();
    mailer.send(&sent).await.unwrap();

    let captured = tokio::time::timeout(Duration::from_secs(5), captured)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(captured.mail_from, "MAIL FROM:<no-reply@bilim.uz>");
    assert_eq!(captured.rcpt_to, ["RCPT TO:<talaba@example.uz>"]);

    let raw = String::from_utf8_lossy(&captured.data);
    assert!(
        raw.contains("Subject: Bilim: parolni tiklash kodi\r\n"),
        "{raw}"
    );
    let expected = render(&sent.message);
    let parsed = MessageParser::default().parse(&captured.data).unwrap();
    assert_eq!(parsed.subject(), Some("Bilim: parolni tiklash kodi"));
    // Mail line breaks are CRLF (RFC 5322); everything else is byte-exact.
    let text = parsed.body_text(0).map(|t| t.replace("\r\n", "\n"));
    assert_eq!(text, Some(expected.text));
    assert!(
        text.unwrap().lines().any(|l| l == "004217"),
        "the code is alone on its line"
    );
    assert_eq!(
        parsed.body_html(0).map(|t| t.replace("\r\n", "\n")),
        Some(expected.html)
    );
}

#[tokio::test]
async fn a_registration_attempt_arrives_intact() {
    let (port, captured) = sink(false).await;
    let mailer =
        SmtpMailer::from_url(&format!("smtp://127.0.0.1:{port}"), "no-reply@bilim.uz").unwrap();
    let sent = OutgoingMail {
        to: Email::parse("talaba@example.uz").unwrap(),
        message: MailMessage::RegistrationAttempt {
            first_name: "Oʻktam Gʻofurov".to_owned(),
        },
    };
    mailer.send(&sent).await.unwrap();
    let captured = tokio::time::timeout(Duration::from_secs(5), captured)
        .await
        .unwrap()
        .unwrap();
    let parsed = MessageParser::default().parse(&captured.data).unwrap();
    let expected = render(&sent.message);
    assert_eq!(parsed.subject(), Some(expected.subject.as_str()));
    assert_eq!(
        parsed.body_text(0).map(|t| t.replace("\r\n", "\n")),
        Some(expected.text)
    );
}

#[tokio::test]
async fn a_rejected_recipient_is_unavailable() {
    let (port, _captured) = sink(true).await;
    let mailer =
        SmtpMailer::from_url(&format!("smtp://127.0.0.1:{port}"), "no-reply@bilim.uz").unwrap();
    let err = mailer.send(&mail()).await.unwrap_err();
    assert!(
        matches!(&err, DomainError::Unavailable { service: "mail", reason } if reason.contains("550")),
        "{err:?}"
    );
}

#[tokio::test]
async fn a_dead_port_is_unavailable_quickly_and_does_not_leak_the_password() {
    // Bind then drop: the port is free and nobody listens, so connecting is
    // refused at once.
    let port = {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        listener.local_addr().unwrap().port()
    };
    let mailer = SmtpMailer::from_url(
        &format!("smtp://aziz:hunter2@127.0.0.1:{port}"),
        "no-reply@bilim.uz",
    )
    .unwrap();

    let started = Instant::now();
    let err = mailer.send(&mail()).await.unwrap_err();
    assert!(
        started.elapsed() < Duration::from_secs(3),
        "{:?}",
        started.elapsed()
    );
    assert!(
        matches!(
            &err,
            DomainError::Unavailable {
                service: "mail",
                ..
            }
        ),
        "{err:?}"
    );
    assert!(!format!("{err} {err:?}").contains("hunter2"), "{err:?}");
}
