//! Sending codes (`Codes`): the per-IP and per-address limits, decoys that
//! mail nothing, and a code that leaves only in its mail.

use crate::support::{IP, OTHER_IP, ROOMY, code_kit, err_code, minutes, retry_after, seconds};
use bilim_domain::ports::{CodePurpose, MailMessage};
use bilim_domain::values::Email;
use bilim_service::challenges::{Payload, Purpose};
use bilim_service::limits::LimitSettings;
use std::time::Duration;
use uuid::Uuid;

fn email(raw: &str) -> Email {
    Email::parse(raw).unwrap()
}

fn account() -> Payload {
    Payload::Account { id: Uuid::now_v7() }
}

#[tokio::test]
async fn each_ip_has_its_own_limit_per_minute() {
    let kit = code_kit(LimitSettings {
        auth_requests_per_ip_per_minute: 3,
        ..ROOMY
    });
    for _ in 0..3 {
        kit.codes.count_request(IP).await.unwrap();
    }
    kit.clock.advance(seconds(20));

    let refused = kit.codes.count_request(IP).await;
    // The window began with the first request, 20 s ago.
    assert_eq!(retry_after(refused), Duration::from_secs(40));
    kit.codes.count_request(OTHER_IP).await.unwrap();

    kit.clock.advance(seconds(40));
    kit.codes.count_request(IP).await.unwrap();
}

#[tokio::test]
async fn verifying_counts_against_the_ip_before_any_try_is_spent() {
    let kit = code_kit(LimitSettings {
        auth_requests_per_ip_per_minute: 1,
        ..ROOMY
    });
    let to = "aziz@example.uz";
    let view = kit
        .codes
        .send(Purpose::Login, &email(to), account())
        .await
        .unwrap();
    let code = kit.last_code(to).await;
    kit.codes.count_request(IP).await.unwrap();

    let refused = kit
        .codes
        .verify(Purpose::Login, &view.challenge_id, code.expose(), IP)
        .await;
    assert_eq!(err_code(refused), "rate_limited");

    kit.clock.advance(minutes(1));
    let verified = kit
        .codes
        .verify(Purpose::Login, &view.challenge_id, code.expose(), IP)
        .await;
    assert!(verified.is_ok(), "{verified:?}");
}

#[tokio::test]
async fn each_address_gets_a_limited_number_of_code_mails_per_hour() {
    let kit = code_kit(LimitSettings {
        code_mails_per_address_per_hour: 2,
        ..ROOMY
    });
    let to = email("aziz@example.uz");
    kit.codes
        .send(Purpose::Login, &to, account())
        .await
        .unwrap();
    kit.clock.advance(minutes(15));
    // The same address however it is written.
    let shouting = email("  AZIZ@Example.UZ ");
    kit.codes
        .send(Purpose::Login, &shouting, account())
        .await
        .unwrap();

    let refused = kit.codes.send(Purpose::Login, &to, account()).await;
    assert_eq!(retry_after(refused), Duration::from_secs(45 * 60));
    assert_eq!(kit.sent().await.len(), 2);
    // Another flow of the same address has a budget of its own.
    kit.codes
        .send(Purpose::PasswordReset, &to, account())
        .await
        .unwrap();
    assert_eq!(kit.sent().await.len(), 3);

    let other = email("bobur@example.uz");
    kit.codes
        .send(Purpose::Login, &other, account())
        .await
        .unwrap();
    kit.clock.advance(minutes(45));
    kit.codes
        .send(Purpose::Login, &to, account())
        .await
        .unwrap();
    assert_eq!(kit.sent().await.len(), 5);
}

#[tokio::test]
async fn a_decoy_sends_no_mail_but_counts_against_the_address() {
    let kit = code_kit(LimitSettings {
        code_mails_per_address_per_hour: 2,
        ..ROOMY
    });
    let to = email("nobody@example.uz");
    for _ in 0..2 {
        let view = kit
            .codes
            .send(Purpose::PasswordReset, &to, Payload::Decoy)
            .await
            .unwrap();
        // It answers like a real challenge.
        assert_eq!((view.expires_in, view.resend_in), (600, 60));
    }
    assert!(kit.sent().await.is_empty());

    let refused = kit.codes.send(Purpose::PasswordReset, &to, account()).await;
    assert_eq!(err_code(refused), "rate_limited");
    assert!(kit.sent().await.is_empty());
}

#[tokio::test]
async fn the_code_is_in_the_mail_and_nowhere_else() {
    let kit = code_kit(ROOMY);
    let to = "aziz@example.uz";
    let payload = Payload::Register {
        first_name: "Aziz".into(),
        last_name: "Karimov".into(),
        phone: Some("+998901234567".into()),
        password_hash: "$argon2id$v=19$m=19456,t=2,p=1$c2FsdA$aGFzaA".into(),
    };
    let view = kit
        .codes
        .send(Purpose::Register, &email(to), payload)
        .await
        .unwrap();

    let sent = kit.sent().await;
    assert_eq!(sent.len(), 1);
    assert_eq!(sent[0].to.as_str(), to);
    let MailMessage::Code {
        purpose,
        code,
        valid_minutes,
    } = &sent[0].message
    else {
        panic!("not a code mail: {:?}", sent[0].message);
    };
    assert_eq!((*purpose, *valid_minutes), (CodePurpose::Register, 10));
    let code = code.expose();

    // Not in the answer to step one…
    assert!(!format!("{view:?}").contains(code));
    // …nor anywhere in the store, key or value, as text or as a number.
    let entries = kit.store.live_entries();
    assert!(!entries.is_empty());
    for (key, value) in &entries {
        assert!(!key.contains(code), "{key}");
        let value: serde_json::Value = serde_json::from_slice(value).unwrap();
        assert_nothing_holds(&value, code);
    }
    // And it is the challenge's code indeed.
    let verified = kit
        .codes
        .verify(Purpose::Register, &view.challenge_id, code, IP)
        .await;
    assert!(verified.is_ok(), "{verified:?}");
}

/// Neither a string in `value` contains `code` nor a number equals it.
fn assert_nothing_holds(value: &serde_json::Value, code: &str) {
    use serde_json::Value;
    match value {
        Value::String(text) => assert!(!text.contains(code), "{text}"),
        Value::Number(number) => {
            let code: u64 = code.parse().unwrap();
            assert_ne!(number.as_u64(), Some(code));
        }
        Value::Array(items) => items.iter().for_each(|v| assert_nothing_holds(v, code)),
        Value::Object(fields) => fields.values().for_each(|v| assert_nothing_holds(v, code)),
        Value::Null | Value::Bool(_) => {}
    }
}

#[tokio::test]
async fn a_code_is_mailed_with_the_wording_of_its_flow() {
    let kit = code_kit(ROOMY);
    let flows = [
        (Purpose::Register, CodePurpose::Register),
        (Purpose::Login, CodePurpose::Login),
        (Purpose::PasswordReset, CodePurpose::PasswordReset),
        (Purpose::AdminLogin, CodePurpose::AdminLogin),
    ];
    for (purpose, _) in flows {
        kit.codes
            .send(purpose, &email("aziz@example.uz"), account())
            .await
            .unwrap();
    }

    let purposes: Vec<CodePurpose> = kit
        .sent()
        .await
        .into_iter()
        .filter_map(|mail| match mail.message {
            MailMessage::Code { purpose, .. } => Some(purpose),
            _ => None,
        })
        .collect();
    // The outbox sends in the background: order is not promised.
    assert_eq!(purposes.len(), flows.len());
    for (_, mailed) in flows {
        assert!(purposes.contains(&mailed), "{mailed:?} in {purposes:?}");
    }
}

/// Issue 15: a challenge that does not read (garbage under its key in the
/// ephemeral store) is an unknown challenge, not an internal error.
#[tokio::test]
async fn an_unreadable_challenge_is_taken_as_absent() {
    use bilim_domain::ports::EphemeralStore;
    let kit = code_kit(ROOMY);
    let id = "x".repeat(43);
    kit.store
        .set(
            &format!("challenge:{id}"),
            b"\xffnot json",
            Duration::from_secs(60),
        )
        .await
        .unwrap();

    let refused = kit.codes.verify(Purpose::Login, &id, "123456", IP).await;
    assert_eq!(err_code(refused), "auth.code_expired");
}
