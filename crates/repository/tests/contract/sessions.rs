//! The `SessionRepository` contract, run against `SeaSessionRepository` on a
//! fresh database per test: SQLite, or PostgreSQL when `TEST_DATABASE_URL` is set.

use crate::users::{Fixture, migrated_database, now};
use bilim_domain::DomainError;
use bilim_domain::ports::SessionRepository;
use bilim_domain::sessions::{Audience, Session};
use bilim_repository::sessions::SeaSessionRepository;
use chrono::Duration;
use std::sync::Arc;
use uuid::Uuid;

async fn repository() -> (Fixture, Arc<dyn SessionRepository>) {
    let fixture = migrated_database().await;
    let repository = Arc::new(SeaSessionRepository::new(fixture.db.clone()));
    (fixture, repository)
}

fn session(audience: Audience, subject_id: Uuid, family_id: Uuid) -> Session {
    let created_at = now();
    let id = Uuid::now_v7();
    Session {
        id,
        family_id,
        audience,
        subject_id,
        // Stands in for a SHA-256: 32 bytes, unique per session.
        token_hash: [id.as_bytes().as_slice(), &[0xff; 16]].concat(),
        created_at,
        expires_at: created_at + Duration::days(30),
        rotated_at: None,
        revoked_at: None,
    }
}

async fn stored(sessions: &Arc<dyn SessionRepository>, session: &Session) -> Session {
    sessions
        .find_by_token_hash(&session.token_hash)
        .await
        .unwrap()
        .unwrap()
}

#[tokio::test]
async fn an_inserted_session_is_found_by_its_token_hash() {
    let (_fixture, sessions) = repository().await;
    let admin = session(Audience::Admin, Uuid::now_v7(), Uuid::now_v7());
    let user = session(Audience::User, Uuid::now_v7(), Uuid::now_v7());

    sessions.insert(&admin).await.unwrap();
    sessions.insert(&user).await.unwrap();

    assert_eq!(stored(&sessions, &admin).await, admin);
    assert_eq!(stored(&sessions, &user).await, user);
    assert_eq!(sessions.find_by_token_hash(&[0; 32]).await.unwrap(), None);
}

#[tokio::test]
async fn a_token_hash_is_stored_once() {
    let (_fixture, sessions) = repository().await;
    let first = session(Audience::User, Uuid::now_v7(), Uuid::now_v7());
    sessions.insert(&first).await.unwrap();
    let copy = Session {
        id: Uuid::now_v7(),
        ..first.clone()
    };

    let result = sessions.insert(&copy).await;

    assert!(
        matches!(result, Err(DomainError::Conflict { .. })),
        "{result:?}"
    );
}

#[tokio::test]
async fn a_session_is_rotated_once_and_never_after_revocation() {
    let (_fixture, sessions) = repository().await;
    let live = session(Audience::User, Uuid::now_v7(), Uuid::now_v7());
    let revoked = session(Audience::User, live.subject_id, Uuid::now_v7());
    sessions.insert(&live).await.unwrap();
    sessions.insert(&revoked).await.unwrap();
    let at = now();

    assert!(sessions.mark_rotated(live.id, at).await.unwrap());
    assert!(!sessions.mark_rotated(live.id, now()).await.unwrap());
    assert_eq!(stored(&sessions, &live).await.rotated_at, Some(at));

    sessions
        .revoke_family(revoked.family_id, now())
        .await
        .unwrap();
    assert!(!sessions.mark_rotated(revoked.id, now()).await.unwrap());
    assert!(!sessions.mark_rotated(Uuid::now_v7(), now()).await.unwrap());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn of_twenty_concurrent_rotations_exactly_one_wins() {
    let (_fixture, sessions) = repository().await;
    let target = session(Audience::User, Uuid::now_v7(), Uuid::now_v7());
    sessions.insert(&target).await.unwrap();

    let tasks: Vec<_> = (0..20)
        .map(|_| {
            let sessions = Arc::clone(&sessions);
            tokio::spawn(async move { sessions.mark_rotated(target.id, now()).await })
        })
        .collect();
    let mut won = 0;
    for task in tasks {
        if task.await.unwrap().unwrap() {
            won += 1;
        }
    }

    assert_eq!(won, 1);
}

#[tokio::test]
async fn revoke_family_revokes_every_session_of_that_family_only() {
    let (_fixture, sessions) = repository().await;
    let subject = Uuid::now_v7();
    let family = Uuid::now_v7();
    let older = session(Audience::User, subject, family);
    let newer = session(Audience::User, subject, family);
    let other = session(Audience::User, subject, Uuid::now_v7());
    for s in [&older, &newer, &other] {
        sessions.insert(s).await.unwrap();
    }
    sessions.mark_rotated(older.id, now()).await.unwrap();
    let at = now() + Duration::seconds(1);

    sessions.revoke_family(family, at).await.unwrap();

    assert_eq!(stored(&sessions, &older).await.revoked_at, Some(at));
    assert_eq!(stored(&sessions, &newer).await.revoked_at, Some(at));
    assert_eq!(stored(&sessions, &other).await.revoked_at, None);

    sessions
        .revoke_family(family, at + Duration::hours(1))
        .await
        .unwrap();
    assert_eq!(
        stored(&sessions, &newer).await.revoked_at,
        Some(at),
        "a revoked session keeps its first revocation time"
    );
}

#[tokio::test]
async fn revoke_all_touches_one_audience_and_subject_and_can_spare_a_family() {
    let (_fixture, sessions) = repository().await;
    let subject = Uuid::now_v7();
    let first = session(Audience::User, subject, Uuid::now_v7());
    let current = session(Audience::User, subject, Uuid::now_v7());
    // The same id under the admin audience is someone else.
    let admin = session(Audience::Admin, subject, Uuid::now_v7());
    let stranger = session(Audience::User, Uuid::now_v7(), Uuid::now_v7());
    for s in [&first, &current, &admin, &stranger] {
        sessions.insert(s).await.unwrap();
    }
    let at = now() + Duration::seconds(1);

    sessions
        .revoke_all(Audience::User, subject, Some(current.family_id), at)
        .await
        .unwrap();

    assert_eq!(stored(&sessions, &first).await.revoked_at, Some(at));
    assert_eq!(stored(&sessions, &current).await.revoked_at, None);
    assert_eq!(stored(&sessions, &admin).await.revoked_at, None);
    assert_eq!(stored(&sessions, &stranger).await.revoked_at, None);

    let later = at + Duration::minutes(1);
    sessions
        .revoke_all(Audience::User, subject, None, later)
        .await
        .unwrap();

    assert_eq!(stored(&sessions, &first).await.revoked_at, Some(at));
    assert_eq!(stored(&sessions, &current).await.revoked_at, Some(later));
    assert_eq!(stored(&sessions, &admin).await.revoked_at, None);
    assert_eq!(stored(&sessions, &stranger).await.revoked_at, None);
}
