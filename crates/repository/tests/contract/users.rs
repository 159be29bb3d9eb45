//! The `UserRepository` contract, run against `SeaUserRepository` on a fresh
//! database per test: SQLite, or PostgreSQL when `TEST_DATABASE_URL` is set.

use crate::admins::new_admin;
use crate::audit::{entry, logged};
use bilim_domain::DomainError;
use bilim_domain::ports::{AdminRepository, AuditLog, UserDirectory, UserRepository, UserTotals};
use bilim_domain::users::{AccountChanges, NewUser, ProfileChanges, UserRole};
use bilim_domain::values::{Email, PersonName, Phone};
use bilim_repository::admins::SeaAdminRepository;
use bilim_repository::audit::SeaAuditLog;
use bilim_repository::database::{Database, DatabaseOptions};
use bilim_repository::directory::SeaUserDirectory;
use bilim_repository::users::SeaUserRepository;
use bilim_testkit::TestDatabase;
use chrono::{DateTime, Duration, SubsecRound, Utc};
use std::sync::Arc;
use uuid::Uuid;

/// A migrated database of the test's own; dropped with it.
pub struct Fixture {
    pub db: Database,
    test_db: TestDatabase,
    _dir: tempfile::TempDir,
}

pub async fn migrated_database() -> Fixture {
    let dir = tempfile::tempdir().unwrap();
    let test_db = TestDatabase::create(dir.path()).await;
    let db = Database::connect(&DatabaseOptions::new(test_db.url()))
        .await
        .unwrap();
    db.migrate().await.unwrap();
    Fixture {
        db,
        test_db,
        _dir: dir,
    }
}

impl Fixture {
    /// A second pool on the same database, as another server instance has.
    pub async fn another_instance(&self) -> Database {
        Database::connect(&DatabaseOptions::new(self.test_db.url()))
            .await
            .unwrap()
    }

    pub fn is_postgres(&self) -> bool {
        self.test_db.is_postgres()
    }
}

/// Now, to the microsecond PostgreSQL keeps.
pub fn now() -> DateTime<Utc> {
    Utc::now().trunc_subsecs(6)
}

async fn repository() -> (Fixture, Arc<dyn UserRepository>) {
    let fixture = migrated_database().await;
    let repository = Arc::new(SeaUserRepository::new(fixture.db.clone()));
    (fixture, repository)
}

/// An admin to act in audited changes.
async fn acting_admin(fixture: &Fixture) -> Uuid {
    SeaAdminRepository::new(fixture.db.clone())
        .insert(new_admin("kamola", "kamola@bilim.uz"), None)
        .await
        .unwrap()
        .id
}

pub fn new_user(email: &str, at: DateTime<Utc>) -> NewUser {
    NewUser {
        id: Uuid::now_v7(),
        first_name: PersonName::parse("first_name", "Oʻktam").unwrap(),
        last_name: PersonName::parse("last_name", "Karimov").unwrap(),
        email: Email::parse(email).unwrap(),
        phone: Some(Phone::parse("+998 90 123 45 67").unwrap()),
        password_hash: "$argon2id$v=19$m=19456,t=2,p=1$c2FsdA$aGFzaA".to_owned(),
        role: UserRole::Student,
        email_verified_at: Some(at),
        now: at,
    }
}

#[tokio::test]
async fn an_inserted_user_is_found_by_id_and_email() {
    let (_fixture, users) = repository().await;
    let at = now();
    let new = new_user("aziz@example.uz", at);

    let user = users.insert(new.clone()).await.unwrap();

    assert_eq!(user.id, new.id);
    assert_eq!(
        (user.first_name.as_str(), user.last_name.as_str()),
        ("Oʻktam", "Karimov")
    );
    assert_eq!(user.email, "aziz@example.uz");
    assert_eq!(user.phone.as_deref(), Some("+998901234567"));
    assert_eq!(user.password_hash, new.password_hash);
    assert_eq!(user.role, UserRole::Student);
    assert!(user.active);
    assert_eq!(user.email_verified_at, Some(at));
    assert_eq!(user.token_version, 0);
    assert_eq!((user.avatar_key.as_ref(), user.last_login_at), (None, None));
    assert_eq!((user.created_at, user.updated_at), (at, at));
    assert_eq!(users.find_by_id(new.id).await.unwrap(), Some(user.clone()));
    assert_eq!(
        users.find_by_email("aziz@example.uz").await.unwrap(),
        Some(user)
    );
    assert_eq!(users.find_by_id(Uuid::now_v7()).await.unwrap(), None);
    assert_eq!(
        users.find_by_email("nobody@example.uz").await.unwrap(),
        None
    );
}

#[tokio::test]
async fn a_taken_email_is_a_conflict_on_email() {
    let (_fixture, users) = repository().await;
    users
        .insert(new_user("aziz@example.uz", now()))
        .await
        .unwrap();

    let result = users.insert(new_user("aziz@example.uz", now())).await;

    assert_eq!(
        result,
        Err(DomainError::Conflict {
            what: "email".to_owned()
        })
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn of_ten_concurrent_registrations_of_one_email_exactly_one_wins() {
    let (_fixture, users) = repository().await;
    let tasks: Vec<_> = (0..10)
        .map(|_| {
            let users = Arc::clone(&users);
            tokio::spawn(async move { users.insert(new_user("race@example.uz", now())).await })
        })
        .collect();

    let mut won = 0;
    for task in tasks {
        match task.await.unwrap() {
            Ok(_) => won += 1,
            Err(error) => assert_eq!(
                error,
                DomainError::Conflict {
                    what: "email".to_owned()
                }
            ),
        }
    }
    assert_eq!(won, 1);
}

#[tokio::test]
async fn update_profile_changes_only_the_given_fields_and_can_remove_the_phone() {
    let (_fixture, users) = repository().await;
    let user = users
        .insert(new_user("aziz@example.uz", now()))
        .await
        .unwrap();
    let later = user.created_at + Duration::minutes(5);

    let renamed = users
        .update_profile(
            user.id,
            ProfileChanges {
                first_name: Some(PersonName::parse("first_name", "Gʻulom").unwrap()),
                ..ProfileChanges::default()
            },
            later,
        )
        .await
        .unwrap();
    assert_eq!(renamed.first_name, "Gʻulom");
    assert_eq!(renamed.last_name, "Karimov");
    assert_eq!(renamed.phone.as_deref(), Some("+998901234567"));
    assert_eq!(renamed.updated_at, later);

    let without_phone = users
        .update_profile(
            user.id,
            ProfileChanges {
                phone: Some(None),
                ..ProfileChanges::default()
            },
            later,
        )
        .await
        .unwrap();
    assert_eq!(without_phone.phone, None);
    assert_eq!(without_phone.first_name, "Gʻulom");
    assert_eq!(
        users.find_by_id(user.id).await.unwrap(),
        Some(without_phone)
    );
}

#[tokio::test]
async fn password_changes_logouts_and_deactivation_raise_the_token_version() {
    let (_fixture, users) = repository().await;
    let user = users
        .insert(new_user("aziz@example.uz", now()))
        .await
        .unwrap();
    let version = async |users: &Arc<dyn UserRepository>| {
        users
            .find_by_id(user.id)
            .await
            .unwrap()
            .unwrap()
            .token_version
    };

    users
        .set_password(user.id, "$argon2id$new", now())
        .await
        .unwrap();
    let changed = users.find_by_id(user.id).await.unwrap().unwrap();
    assert_eq!(changed.password_hash, "$argon2id$new");
    assert_eq!(changed.token_version, 1);

    users.bump_token_version(user.id, now()).await.unwrap();
    assert_eq!(version(&users).await, 2);

    users.set_active(user.id, false, now()).await.unwrap();
    assert!(!users.find_by_id(user.id).await.unwrap().unwrap().active);
    assert_eq!(version(&users).await, 3);

    users.set_active(user.id, true, now()).await.unwrap();
    assert!(users.find_by_id(user.id).await.unwrap().unwrap().active);
    assert_eq!(version(&users).await, 3, "reactivating ends no tokens");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn concurrent_token_version_raises_are_not_lost() {
    let (_fixture, users) = repository().await;
    let user = users
        .insert(new_user("aziz@example.uz", now()))
        .await
        .unwrap();
    let tasks: Vec<_> = (0..10)
        .map(|_| {
            let users = Arc::clone(&users);
            tokio::spawn(async move { users.bump_token_version(user.id, now()).await })
        })
        .collect();
    for task in tasks {
        task.await.unwrap().unwrap();
    }
    let stored = users.find_by_id(user.id).await.unwrap().unwrap();
    assert_eq!(stored.token_version, 10);
}

#[tokio::test]
async fn set_avatar_returns_the_key_it_replaced() {
    let (_fixture, users) = repository().await;
    let user = users
        .insert(new_user("aziz@example.uz", now()))
        .await
        .unwrap();

    let first = users
        .set_avatar(user.id, "avatars/a.webp", now())
        .await
        .unwrap();
    let second = users
        .set_avatar(user.id, "avatars/b.webp", now())
        .await
        .unwrap();

    assert_eq!(first, None);
    assert_eq!(second.as_deref(), Some("avatars/a.webp"));
    let stored = users.find_by_id(user.id).await.unwrap().unwrap();
    assert_eq!(stored.avatar_key.as_deref(), Some("avatars/b.webp"));
}

#[tokio::test]
async fn record_login_is_stored_and_ends_no_tokens() {
    let (_fixture, users) = repository().await;
    let user = users
        .insert(new_user("aziz@example.uz", now()))
        .await
        .unwrap();
    let login = user.created_at + Duration::hours(1);

    users.record_login(user.id, login).await.unwrap();

    let stored = users.find_by_id(user.id).await.unwrap().unwrap();
    assert_eq!(stored.last_login_at, Some(login));
    assert_eq!(stored.updated_at, user.updated_at);
    assert_eq!(stored.token_version, 0);
}

#[tokio::test]
async fn an_account_change_is_committed_with_its_audit_entry() {
    let (fixture, users) = repository().await;
    let admin = acting_admin(&fixture).await;
    let directory = SeaUserDirectory::new(fixture.db.clone());
    let user = users
        .insert(new_user("aziz@example.uz", now()))
        .await
        .unwrap();
    let at = user.created_at + Duration::minutes(5);
    let recorded = entry(admin, "user.update", &user.id.to_string());

    let changed = users
        .update_account(
            user.id,
            AccountChanges {
                role: Some(UserRole::Teacher),
                active: Some(false),
            },
            at,
            &recorded,
        )
        .await
        .unwrap();

    assert_eq!(changed.role, UserRole::Teacher);
    assert!(!changed.active);
    assert_eq!(changed.token_version, 1, "deactivation ends every token");
    assert_eq!(changed.updated_at, at);
    assert_eq!(users.find_by_id(user.id).await.unwrap(), Some(changed));
    assert_eq!(logged(&fixture.db).await, vec![recorded]);
    assert_eq!(
        directory.totals().await.unwrap(),
        UserTotals {
            active: 0,
            inactive: 1
        }
    );

    // The role alone; `active` as it is already changes nothing but the entry.
    let again = entry(admin, "user.update", &user.id.to_string());
    let changed = users
        .update_account(
            user.id,
            AccountChanges {
                role: Some(UserRole::Student),
                active: Some(false),
            },
            at,
            &again,
        )
        .await
        .unwrap();
    assert_eq!(changed.role, UserRole::Student);
    assert_eq!(changed.token_version, 1);
    assert_eq!(logged(&fixture.db).await.len(), 2);
    assert_eq!(directory.totals().await.unwrap().inactive, 1);
}

#[tokio::test]
async fn a_failed_account_change_writes_neither_the_change_nor_its_entry() {
    let (fixture, users) = repository().await;
    let admin = acting_admin(&fixture).await;
    let directory = SeaUserDirectory::new(fixture.db.clone());
    let user = users
        .insert(new_user("aziz@example.uz", now()))
        .await
        .unwrap();
    let demote = AccountChanges {
        role: Some(UserRole::Teacher),
        active: Some(false),
    };

    // An unknown user: nothing to change, no entry.
    let unknown = Uuid::now_v7();
    let result = users
        .update_account(
            unknown,
            demote,
            now(),
            &entry(admin, "user.update", &unknown.to_string()),
        )
        .await;
    assert_eq!(result, Err(DomainError::NotFound));
    assert_eq!(logged(&fixture.db).await, vec![]);

    // An entry that cannot be written (its id is taken): the change is undone.
    let taken = entry(admin, "user.update", &user.id.to_string());
    SeaAuditLog::new(fixture.db.clone())
        .record(&taken)
        .await
        .unwrap();
    let result = users.update_account(user.id, demote, now(), &taken).await;
    assert_eq!(
        result,
        Err(DomainError::Conflict {
            what: "audit_entry".to_owned()
        })
    );
    assert_eq!(users.find_by_id(user.id).await.unwrap(), Some(user));
    assert_eq!(logged(&fixture.db).await, vec![taken]);
    assert_eq!(
        directory.totals().await.unwrap(),
        UserTotals {
            active: 1,
            inactive: 0
        }
    );
}

#[tokio::test]
async fn changes_to_an_unknown_user_are_not_found() {
    let (fixture, users) = repository().await;
    let admin = acting_admin(&fixture).await;
    users
        .insert(new_user("aziz@example.uz", now()))
        .await
        .unwrap();
    let id = Uuid::now_v7();
    let at = now();

    let results = [
        users
            .update_profile(id, ProfileChanges::default(), at)
            .await
            .map(drop),
        users.set_password(id, "$argon2id$x", at).await,
        users.set_avatar(id, "avatars/x.webp", at).await.map(drop),
        users.bump_token_version(id, at).await,
        users.set_active(id, false, at).await,
        users
            .update_account(
                id,
                AccountChanges::default(),
                at,
                &entry(admin, "user.update", &id.to_string()),
            )
            .await
            .map(drop),
        users.record_login(id, at).await,
    ];

    for (index, result) in results.into_iter().enumerate() {
        assert_eq!(result, Err(DomainError::NotFound), "call {index}");
    }
}
