//! The `PreRegistrationRepository` contract and the users' `record_seen`,
//! on SQLite, or PostgreSQL when `TEST_DATABASE_URL` is set: one token per
//! Telegram id, a token spent by exactly one of 50 racing registrations, a
//! refused registration leaving the token, `last_seen_at` written once a
//! minute however many requests race.

use crate::users::{migrated_database, new_user, now};
use bilim_domain::DomainError;
use bilim_domain::ports::{PreRegistrationRepository, UserRepository};
use bilim_domain::telegram::{NewPreRegistration, TelegramId, TelegramSignup};
use bilim_domain::users::Sex;
use bilim_domain::values::{Handle, Phone};
use bilim_repository::telegram::SeaPreRegistrationRepository;
use bilim_repository::users::SeaUserRepository;
use chrono::{DateTime, Duration, Utc};
use futures_util::future::join_all;
use std::sync::Arc;
use uuid::Uuid;

fn pre(tg_id: i64, hash: &str, at: DateTime<Utc>) -> NewPreRegistration {
    NewPreRegistration {
        id: Uuid::now_v7(),
        tg_id: TelegramId::parse("tg_id", tg_id).unwrap(),
        phone: Phone::parse("+998 93 555 66 77").unwrap(),
        token_hash: hash.to_owned(),
        expires_at: at + Duration::minutes(30),
        now: at,
    }
}

fn signup(hash: &str, email: &str, username: &str, at: DateTime<Utc>) -> TelegramSignup {
    let mut user = new_user(email, at);
    user.phone = None;
    user.email_verified_at = None;
    TelegramSignup {
        token_hash: hash.to_owned(),
        username: Handle::parse(username).unwrap(),
        sex: Sex::Male,
        user,
    }
}

#[tokio::test]
async fn a_new_token_replaces_the_old_one_of_the_same_telegram_id() {
    let fixture = migrated_database().await;
    let repository = SeaPreRegistrationRepository::new(fixture.db.clone());
    let at = now();
    repository
        .replace(pre(7, &"a".repeat(64), at))
        .await
        .unwrap();
    repository
        .replace(pre(7, &"b".repeat(64), at))
        .await
        .unwrap();
    repository
        .replace(pre(8, &"c".repeat(64), at))
        .await
        .unwrap();
    assert!(!repository.is_live(&"a".repeat(64), at).await.unwrap());
    assert!(repository.is_live(&"b".repeat(64), at).await.unwrap());
    assert!(repository.is_live(&"c".repeat(64), at).await.unwrap());
    let later = at + Duration::minutes(30);
    assert!(!repository.is_live(&"b".repeat(64), later).await.unwrap());
}

#[tokio::test]
async fn fifty_registrations_with_one_token_make_one_account() {
    let fixture = migrated_database().await;
    let repository = Arc::new(SeaPreRegistrationRepository::new(fixture.db.clone()));
    let users = SeaUserRepository::new(fixture.db.clone());
    let at = now();
    let hash = "d".repeat(64);
    repository.replace(pre(111, &hash, at)).await.unwrap();
    let races = (0..50).map(|n| {
        let repository = Arc::clone(&repository);
        let signup = signup(
            &hash,
            &format!("r{n}@example.uz"),
            &format!("racer_{n}"),
            at,
        );
        tokio::spawn(async move { repository.register(signup, at).await })
    });
    let results: Vec<_> = join_all(races)
        .await
        .into_iter()
        .map(|r| r.unwrap())
        .collect();
    let made: Vec<_> = results.iter().filter_map(|r| r.as_ref().ok()).collect();
    assert_eq!(made.len(), 1);
    assert!(
        results
            .iter()
            .filter_map(|r| r.as_ref().err())
            .all(|e| matches!(e, DomainError::NotFound)),
        "{results:?}"
    );
    let user = made[0];
    assert_eq!(user.tg_id, Some(111));
    assert_eq!(user.phone.as_deref(), Some("+998935556677"));
    assert_eq!(user.sex, Some(Sex::Male));
    assert_eq!(user.email_verified_at, None);
    let found = users
        .find_by_username(user.username.as_deref().unwrap())
        .await
        .unwrap();
    assert_eq!(found.map(|u| u.id), Some(user.id));
    assert!(!repository.is_live(&hash, at).await.unwrap());
}

#[tokio::test]
async fn a_refused_registration_leaves_the_token_and_no_user() {
    let fixture = migrated_database().await;
    let repository = SeaPreRegistrationRepository::new(fixture.db.clone());
    let users = SeaUserRepository::new(fixture.db.clone());
    let at = now();
    users
        .insert(new_user("taken@example.uz", at))
        .await
        .unwrap();
    let hash = "e".repeat(64);
    repository.replace(pre(222, &hash, at)).await.unwrap();
    let refused = repository
        .register(signup(&hash, "taken@example.uz", "someone", at), at)
        .await
        .unwrap_err();
    assert_eq!(
        refused,
        DomainError::Conflict {
            what: "email".into()
        }
    );
    assert!(repository.is_live(&hash, at).await.unwrap());
    assert!(users.find_by_username("someone").await.unwrap().is_none());
    let expired = repository
        .register(
            signup(&hash, "late@example.uz", "late", at),
            at + Duration::minutes(31),
        )
        .await
        .unwrap_err();
    assert_eq!(expired, DomainError::NotFound);
}

#[tokio::test]
async fn last_seen_is_written_once_a_minute_however_many_race() {
    let fixture = migrated_database().await;
    let users: Arc<dyn UserRepository> = Arc::new(SeaUserRepository::new(fixture.db.clone()));
    let at = now();
    let user = users.insert(new_user("seen@example.uz", at)).await.unwrap();
    let seen = |user: Uuid| {
        let users = Arc::clone(&users);
        async move { users.find_by_id(user).await.unwrap().unwrap().last_seen_at }
    };
    let racing = |when: DateTime<Utc>| {
        join_all((0..20).map(|n| {
            let users = Arc::clone(&users);
            let when = when + Duration::milliseconds(n);
            async move { users.record_seen(user.id, when).await.unwrap() }
        }))
    };
    racing(at).await;
    let first = seen(user.id).await.unwrap();
    assert!(first >= at && first < at + Duration::milliseconds(20));
    racing(first + Duration::seconds(59)).await;
    assert_eq!(
        seen(user.id).await,
        Some(first),
        "within the minute: no write"
    );
    users
        .record_seen(user.id, first + Duration::seconds(60))
        .await
        .unwrap();
    assert_eq!(seen(user.id).await, Some(first + Duration::seconds(60)));
}
