//! `seed_users` on a fresh database per test: SQLite, or PostgreSQL when
//! `TEST_DATABASE_URL` is set.

use crate::users::{migrated_database, now};
use bilim_domain::ports::{UserDirectory, UserQuery, UserRepository, UserStatus, UserTotals};
use bilim_domain::values::Phone;
use bilim_repository::directory::SeaUserDirectory;
use bilim_repository::seed::seed_users;
use bilim_repository::users::SeaUserRepository;
use std::collections::HashSet;
use std::time::Instant;

const HASH: &str = "$argon2id$v=19$m=19456,t=2,p=1$c2FsdA$aGFzaA";

#[tokio::test]
async fn seeded_users_are_stored_counted_and_searchable() {
    let fixture = migrated_database().await;
    let directory = SeaUserDirectory::new(fixture.db.clone());
    let users = SeaUserRepository::new(fixture.db.clone());

    assert_eq!(
        seed_users(&fixture.db, 2500, HASH, now()).await.unwrap(),
        2500
    );

    assert_eq!(
        directory.totals().await.unwrap(),
        UserTotals {
            active: 2250,
            inactive: 250
        }
    );
    let mut listed = Vec::new();
    let mut query = UserQuery {
        status: UserStatus::All,
        search: None,
        after: None,
        limit: 1000,
    };
    loop {
        let page = directory.list(&query).await.unwrap();
        let Some(last) = page.last() else { break };
        query.after = Some(last.id);
        listed.extend(page);
    }
    assert_eq!(listed.len(), 2500);
    assert!(listed.windows(2).all(|pair| pair[0].id > pair[1].id));
    assert_eq!(listed[0].email, "demo2500@bilim.test", "newest first");
    assert_eq!(listed[2499].email, "demo1@bilim.test");
    let emails: HashSet<&str> = listed.iter().map(|user| user.email.as_str()).collect();
    assert_eq!(emails.len(), 2500);
    for user in &listed {
        let phone = user.phone.as_deref().unwrap();
        assert_eq!(Phone::parse(phone).unwrap().as_str(), phone);
        assert!(phone.starts_with("+99890"));
        assert_eq!(user.password_hash, HASH);
        let n: u64 = user.email["demo".len()..user.email.len() - "@bilim.test".len()]
            .parse()
            .unwrap();
        assert_eq!(
            user.active,
            !n.is_multiple_of(10),
            "one in ten inactive: {}",
            user.email
        );
    }
    assert_eq!(listed.iter().filter(|user| !user.active).count(), 250);
    let demo1234 = users
        .find_by_email("demo1234@bilim.test")
        .await
        .unwrap()
        .unwrap();
    assert!(demo1234.active);
    let found = directory
        .list(&UserQuery {
            search: Some("demo1234@".to_owned()),
            after: None,
            ..query.clone()
        })
        .await;
    assert_eq!(found.unwrap(), vec![demo1234.clone()]);
    let by_name = directory
        .list(&UserQuery {
            search: Some(demo1234.last_name.to_uppercase()),
            after: None,
            ..query
        })
        .await
        .unwrap();
    assert!(by_name.contains(&demo1234));

    // Seeding again continues after the highest demo number.
    assert_eq!(seed_users(&fixture.db, 10, HASH, now()).await.unwrap(), 10);
    assert_eq!(
        directory.totals().await.unwrap(),
        UserTotals {
            active: 2259,
            inactive: 251
        }
    );
    assert!(
        users
            .find_by_email("demo2510@bilim.test")
            .await
            .unwrap()
            .is_some()
    );
    assert_eq!(seed_users(&fixture.db, 0, HASH, now()).await.unwrap(), 0);
}

/// `cargo test --release -p bilim-repository --test contract -- --ignored
/// --nocapture seed_timing` (add `TEST_DATABASE_URL` for PostgreSQL).
#[tokio::test]
#[ignore = "a timing, not a check: run on demand in release mode"]
async fn seed_timing_of_100_000_users() {
    let fixture = migrated_database().await;
    let started = Instant::now();
    seed_users(&fixture.db, 100_000, HASH, now()).await.unwrap();
    let elapsed = started.elapsed();
    let totals = SeaUserDirectory::new(fixture.db.clone())
        .totals()
        .await
        .unwrap();
    println!(
        "seeded 100 000 users on {:?} in {elapsed:?}",
        fixture.db.backend()
    );
    assert_eq!(totals.active + totals.inactive, 100_000);
}
