//! Resending a code (`Codes::resend`): only after `resend_at`, never past
//! `started_at` + 30 minutes, never for a locked challenge or another
//! audience's, and never giving back spent tries.

use crate::support::{CodeKit, IP, ROOMY, code_kit, err_code, minutes, retry_after, seconds};
use bilim_domain::values::{Code, Email};
use bilim_service::challenges::{ChallengeView, Payload, Purpose};
use bilim_service::limits::LimitSettings;
use std::time::Duration;
use uuid::Uuid;

const TO: &str = "aziz@example.uz";
const USER_FLOWS: [Purpose; 3] = [Purpose::Register, Purpose::Login, Purpose::PasswordReset];

async fn send(kit: &CodeKit, purpose: Purpose) -> (ChallengeView, Code) {
    let payload = Payload::Account { id: Uuid::now_v7() };
    let to = Email::parse(TO).unwrap();
    let view = kit.codes.send(purpose, &to, payload).await.unwrap();
    (view, kit.last_code(TO).await)
}

async fn resend(kit: &CodeKit, view: &ChallengeView) -> Result<ChallengeView, String> {
    let resent = kit.codes.resend(&view.challenge_id, &USER_FLOWS, IP).await;
    resent.map_err(|error| format!("{error:?}"))
}

async fn verify(kit: &CodeKit, view: &ChallengeView, code: &str) -> &'static str {
    let id = &view.challenge_id;
    match kit.codes.verify(Purpose::Login, id, code, IP).await {
        Ok(_) => "ok",
        Err(error) => crate::support::code(&error),
    }
}

fn wrong(code: &Code) -> String {
    let number: u32 = code.expose().parse().unwrap();
    format!("{:06}", (number + 1) % 1_000_000)
}

#[tokio::test]
async fn a_code_is_resent_only_once_resend_at_has_passed() {
    let kit = code_kit(ROOMY);
    let (view, first) = send(&kit, Purpose::Login).await;

    let early = kit.codes.resend(&view.challenge_id, &USER_FLOWS, IP).await;
    assert_eq!(retry_after(early), Duration::from_secs(60));
    kit.clock.advance(seconds(59));
    let still_early = kit.codes.resend(&view.challenge_id, &USER_FLOWS, IP).await;
    assert_eq!(retry_after(still_early), Duration::from_secs(1));
    assert_eq!(kit.sent().await.len(), 1);

    kit.clock.advance(seconds(1));
    let resent = resend(&kit, &view).await.unwrap();
    assert_eq!(resent.challenge_id, view.challenge_id);
    assert_eq!((resent.expires_in, resent.resend_in), (600, 60));
    assert_eq!(kit.sent().await.len(), 2);
    let second = kit.last_code(TO).await;
    // The next resend waits for the new `resend_at`.
    assert_eq!(
        err_code(kit.codes.resend(&view.challenge_id, &USER_FLOWS, IP).await),
        "rate_limited"
    );

    // The old code died with the resend (unless the new one is the same).
    if second != first {
        assert_eq!(
            verify(&kit, &view, first.expose()).await,
            "auth.code_invalid"
        );
    }
    assert_eq!(verify(&kit, &view, second.expose()).await, "ok");
}

#[tokio::test]
async fn resends_never_keep_a_challenge_past_thirty_minutes() {
    let kit = code_kit(ROOMY);
    let (view, _) = send(&kit, Purpose::Login).await;

    for (at, expires_in) in [(9, 600), (18, 600), (27, 180)] {
        kit.clock.set(crate::support::start() + minutes(at));
        let resent = resend(&kit, &view).await.unwrap();
        assert_eq!(resent.expires_in, expires_in, "resent at {at} min");
    }
    let last = kit.last_code(TO).await;

    kit.clock.advance(minutes(3) - seconds(1));
    assert_eq!(
        verify(&kit, &view, &wrong(&last)).await,
        "auth.code_invalid"
    );
    kit.clock.advance(seconds(1));
    assert_eq!(
        verify(&kit, &view, last.expose()).await,
        "auth.code_expired"
    );
    assert_eq!(
        err_code(kit.codes.resend(&view.challenge_id, &USER_FLOWS, IP).await),
        "auth.code_expired"
    );
}

#[tokio::test]
async fn a_resend_keeps_the_tries_already_spent() {
    let kit = code_kit(ROOMY);
    let (view, first) = send(&kit, Purpose::Login).await;
    for _ in 0..3 {
        assert_eq!(
            verify(&kit, &view, &wrong(&first)).await,
            "auth.code_invalid"
        );
    }

    kit.clock.advance(minutes(1));
    resend(&kit, &view).await.unwrap();
    let second = kit.last_code(TO).await;
    for _ in 0..2 {
        assert_eq!(
            verify(&kit, &view, &wrong(&second)).await,
            "auth.code_invalid"
        );
    }

    assert_eq!(
        verify(&kit, &view, second.expose()).await,
        "auth.challenge_locked"
    );
}

#[tokio::test]
async fn a_locked_challenge_is_not_resent() {
    let kit = code_kit(ROOMY);
    let (view, code) = send(&kit, Purpose::Login).await;
    for _ in 0..5 {
        assert_eq!(
            verify(&kit, &view, &wrong(&code)).await,
            "auth.code_invalid"
        );
    }

    kit.clock.advance(minutes(1));
    let refused = kit.codes.resend(&view.challenge_id, &USER_FLOWS, IP).await;
    assert_eq!(err_code(refused), "auth.challenge_locked");
    assert_eq!(kit.sent().await.len(), 1);
}

#[tokio::test]
async fn the_user_routes_never_resend_an_admin_code() {
    let kit = code_kit(ROOMY);
    let (view, _) = send(&kit, Purpose::AdminLogin).await;
    kit.clock.advance(minutes(1));

    let refused = kit.codes.resend(&view.challenge_id, &USER_FLOWS, IP).await;
    assert_eq!(err_code(refused), "auth.code_expired");
    assert_eq!(kit.sent().await.len(), 1);

    let admin = kit
        .codes
        .resend(&view.challenge_id, &[Purpose::AdminLogin], IP)
        .await;
    assert!(admin.is_ok(), "{admin:?}");
    assert_eq!(kit.sent().await.len(), 2);
}

#[tokio::test]
async fn a_refused_resend_counts_no_mail_against_the_address() {
    let kit = code_kit(LimitSettings {
        code_mails_per_address_per_hour: 2,
        ..ROOMY
    });
    let (view, _) = send(&kit, Purpose::Login).await;
    for _ in 0..5 {
        let early = kit.codes.resend(&view.challenge_id, &USER_FLOWS, IP).await;
        assert_eq!(err_code(early), "rate_limited");
    }

    kit.clock.advance(minutes(1));
    // The second mail of the hour is still allowed; a third is not.
    resend(&kit, &view).await.unwrap();
    kit.clock.advance(minutes(1));
    let third = kit.codes.resend(&view.challenge_id, &USER_FLOWS, IP).await;
    // Refused by the address's hourly limit, not by `resend_at`.
    assert!(retry_after(third) > Duration::from_secs(50 * 60));
    assert_eq!(kit.sent().await.len(), 2);
}
