//! Verifying a code (`Challenges`, docs/architecture.md "Challenges and
//! codes"): once only, five tries, ten minutes, its own purpose only.

use crate::support::{SECRET, clock, code, dyn_clock, err_code, minutes, seconds};
use bilim_domain::ports::ManualClock;
use bilim_domain::values::{Code, Email};
use bilim_service::challenges::{Challenges, Issued, Payload, Purpose};
use bilim_testkit::fakes::InMemoryEphemeralStore;
use std::sync::Arc;
use std::time::Duration;
use uuid::Uuid;

struct Kit {
    clock: Arc<ManualClock>,
    challenges: Challenges,
}

fn kit() -> Kit {
    let clock = clock();
    let store = Arc::new(InMemoryEphemeralStore::new(dyn_clock(&clock)));
    let challenges = Challenges::new(store, dyn_clock(&clock), SECRET, Duration::from_secs(60));
    Kit { clock, challenges }
}

fn email() -> Email {
    Email::parse("aziz@example.uz").unwrap()
}

async fn issue(kit: &Kit, purpose: Purpose, payload: Payload) -> Issued {
    kit.challenges
        .issue(purpose, &email(), payload)
        .await
        .unwrap()
}

/// Six digits that are not the code.
fn wrong(code: &Code) -> String {
    let number: u32 = code.expose().parse().unwrap();
    format!("{:06}", (number + 1) % 1_000_000)
}

fn account() -> Payload {
    Payload::Account { id: Uuid::now_v7() }
}

#[tokio::test]
async fn a_right_code_verifies_once() {
    let kit = kit();
    let payload = account();
    let issued = issue(&kit, Purpose::Login, payload.clone()).await;
    let id = &issued.view.challenge_id;

    let verified = kit
        .challenges
        .verify(Purpose::Login, id, issued.code.expose())
        .await;
    assert_eq!(verified.unwrap().payload, payload);

    let again = kit
        .challenges
        .verify(Purpose::Login, id, issued.code.expose())
        .await;
    assert_eq!(err_code(again), "auth.code_expired");
}

/// On one thread, with a store that yields on every call, the twenty tries
/// interleave the same way each run: every one reads the challenge before any
/// removes it, which is exactly the race the atomic take must decide.
#[tokio::test]
async fn of_concurrent_right_answers_exactly_one_wins() {
    let kit = kit();
    let issued = issue(&kit, Purpose::Login, account()).await;
    let tries: Vec<_> = (0..20)
        .map(|_| {
            let challenges = kit.challenges.clone();
            let id = issued.view.challenge_id.clone();
            let code = issued.code.expose().to_owned();
            tokio::spawn(async move { challenges.verify(Purpose::Login, &id, &code).await })
        })
        .collect();

    let mut winners = 0;
    for outcome in tries {
        match outcome.await.unwrap() {
            Ok(_) => winners += 1,
            // The losers find the challenge gone, or (past five tries) locked.
            Err(error) => assert!(
                ["auth.code_expired", "auth.challenge_locked"].contains(&code(&error)),
                "{error:?}"
            ),
        }
    }
    assert_eq!(winners, 1);
}

#[tokio::test]
async fn a_wrong_code_spends_a_try_and_the_sixth_try_is_locked_whatever_the_code() {
    let kit = kit();
    let issued = issue(&kit, Purpose::Login, account()).await;
    let id = &issued.view.challenge_id;

    for _ in 0..5 {
        let refused = kit
            .challenges
            .verify(Purpose::Login, id, &wrong(&issued.code))
            .await;
        assert_eq!(err_code(refused), "auth.code_invalid");
    }
    for code in [issued.code.expose().to_owned(), wrong(&issued.code)] {
        let locked = kit.challenges.verify(Purpose::Login, id, &code).await;
        assert_eq!(err_code(locked), "auth.challenge_locked");
    }
    // Locked, it stays in place until it ends: it cannot be resent either.
    kit.clock.advance(minutes(5));
    assert_eq!(
        err_code(kit.challenges.check_resend(id).await),
        "auth.challenge_locked"
    );
}

#[tokio::test]
async fn a_code_that_is_not_six_digits_spends_no_try() {
    let kit = kit();
    let issued = issue(&kit, Purpose::Login, account()).await;
    let id = &issued.view.challenge_id;

    for malformed in ["", "12345", "1234567", "12a456", "١٢٣٤٥٦", "123456789012"] {
        let refused = kit.challenges.verify(Purpose::Login, id, malformed).await;
        assert_eq!(err_code(refused), "auth.code_invalid");
    }
    for _ in 0..4 {
        let refused = kit
            .challenges
            .verify(Purpose::Login, id, &wrong(&issued.code))
            .await;
        assert_eq!(err_code(refused), "auth.code_invalid");
    }
    // Four tries spent, not ten: the fifth may still be the right code.
    let verified = kit
        .challenges
        .verify(Purpose::Login, id, issued.code.expose())
        .await;
    assert!(verified.is_ok(), "{verified:?}");
}

#[tokio::test]
async fn a_code_is_valid_ten_minutes_of_the_clock() {
    let kit = kit();
    let early = issue(&kit, Purpose::Login, account()).await;
    let late = issue(&kit, Purpose::Login, account()).await;
    assert_eq!(early.view.expires_in, 600);

    kit.clock.advance(minutes(10) - seconds(1));
    let id = &early.view.challenge_id;
    let in_time = kit
        .challenges
        .verify(Purpose::Login, id, early.code.expose())
        .await;
    assert!(in_time.is_ok(), "{in_time:?}");

    kit.clock.advance(seconds(1));
    let id = &late.view.challenge_id;
    let too_late = kit
        .challenges
        .verify(Purpose::Login, id, late.code.expose())
        .await;
    assert_eq!(err_code(too_late), "auth.code_expired");
}

#[tokio::test]
async fn a_code_verifies_only_for_its_own_purpose() {
    let kit = kit();
    let issued = issue(&kit, Purpose::PasswordReset, account()).await;
    let id = &issued.view.challenge_id;

    for other in [Purpose::Login, Purpose::Register, Purpose::AdminLogin] {
        let refused = kit.challenges.verify(other, id, issued.code.expose()).await;
        assert_eq!(err_code(refused), "auth.code_invalid", "{other:?}");
    }
    let own = kit
        .challenges
        .verify(Purpose::PasswordReset, id, issued.code.expose())
        .await;
    assert!(own.is_ok(), "{own:?}");
}

#[tokio::test]
async fn a_decoy_never_verifies_not_even_with_its_own_code() {
    let kit = kit();
    let issued = issue(&kit, Purpose::PasswordReset, Payload::Decoy).await;
    let id = &issued.view.challenge_id;

    let refused = kit
        .challenges
        .verify(Purpose::PasswordReset, id, issued.code.expose())
        .await;
    assert_eq!(err_code(refused), "auth.code_invalid");
}

#[tokio::test]
async fn an_unknown_challenge_is_expired() {
    let kit = kit();
    let issued = issue(&kit, Purpose::Login, account()).await;
    let code = issued.code.expose();
    let long = "a".repeat(65);

    for id in ["", "no-such-challenge", long.as_str()] {
        let refused = kit.challenges.verify(Purpose::Login, id, code).await;
        assert_eq!(err_code(refused), "auth.code_expired", "{id:?}");
    }
}

#[tokio::test]
async fn every_challenge_has_its_own_unguessable_id() {
    let kit = kit();
    let first = issue(&kit, Purpose::Login, account()).await;
    let second = issue(&kit, Purpose::Login, account()).await;

    assert_ne!(first.view.challenge_id, second.view.challenge_id);
    // 32 random bytes in base64url.
    assert_eq!(first.view.challenge_id.len(), 43);
    assert_eq!(first.view.resend_in, 60);
}
