//! The harness itself: what later tests rely on must really work.

use crate::helpers::{spawn_app, start_time};
use bilim_domain::ports::{CodePurpose, MailMessage, OutgoingMail};
use bilim_domain::values::{Code, Email};

#[tokio::test]
async fn the_last_code_sent_to_an_address_is_read_from_the_outbox() {
    let app = spawn_app().await;
    for (to, code) in [
        ("aziz@example.uz", "111111"),
        ("malika@example.uz", "222222"),
        ("aziz@example.uz", "333333"),
    ] {
        let mail = OutgoingMail {
            to: Email::parse(to).unwrap(),
            message: MailMessage::Code {
                purpose: CodePurpose::Login,
                code: Code::parse(code).unwrap(),
                valid_minutes: 10,
            },
        };
        app.ports.mailer.send(&mail).await.unwrap();
    }
    assert_eq!(app.last_code_for("aziz@example.uz").await, "333333");
    assert_eq!(app.last_code_for("Malika@Example.uz").await, "222222");
    let sent = app.sent_mail().await;
    assert_eq!(sent.len(), 3);
    assert!(!sent[0].subject.is_empty());
    assert!(sent[0].html.contains("111111"));
}

#[tokio::test]
async fn the_clock_is_shared_with_the_app_and_moves_on_demand() {
    let app = spawn_app().await;
    assert_eq!(app.ports.clock.now(), start_time());
    app.clock.advance(chrono::Duration::days(183));
    assert_eq!(
        app.ports.clock.now(),
        start_time() + chrono::Duration::days(183)
    );
}

#[tokio::test]
async fn each_test_app_has_its_own_storage_and_outbox() {
    let first = spawn_app().await;
    let second = spawn_app().await;
    assert_ne!(first.address, second.address);
    assert_ne!(first.outbox, second.outbox);
    first
        .stored_file(
            "only/in-first.pdf",
            b"%PDF-1.7",
            chrono::Duration::minutes(5),
        )
        .await;
    assert!(first.storage.join("only/in-first.pdf").exists());
    assert!(!second.storage.join("only/in-first.pdf").exists());
}
