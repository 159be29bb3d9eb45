//! The `AdminRepository` contract, run against `SeaAdminRepository` on a fresh
//! database per test: SQLite, or PostgreSQL when `TEST_DATABASE_URL` is set.

use crate::audit::{entry, logged};
use crate::users::{Fixture, migrated_database, now};
use bilim_domain::DomainError;
use bilim_domain::admins::{AdminRole, NewAdmin};
use bilim_domain::ports::{AdminRepository, AuditEntry};
use bilim_domain::values::{Email, Username};
use bilim_repository::admins::SeaAdminRepository;
use chrono::Duration;
use std::sync::Arc;
use uuid::Uuid;

async fn repository() -> (Fixture, Arc<dyn AdminRepository>) {
    let fixture = migrated_database().await;
    let repository = Arc::new(SeaAdminRepository::new(fixture.db.clone()));
    (fixture, repository)
}

pub fn new_admin(username: &str, email: &str) -> NewAdmin {
    NewAdmin {
        id: Uuid::now_v7(),
        username: Username::parse(username).unwrap(),
        email: Email::parse(email).unwrap(),
        password_hash: "$argon2id$v=19$m=19456,t=2,p=1$c2FsdA$aGFzaA".to_owned(),
        role: AdminRole::Admin,
        tg_id: None,
        now: now(),
    }
}

#[tokio::test]
async fn an_inserted_admin_is_found_by_id_username_and_email() {
    let (_fixture, admins) = repository().await;
    let new = NewAdmin {
        role: AdminRole::Super,
        tg_id: Some(5_123_456_789),
        ..new_admin("Dilnoza.Admin", "dilnoza@bilim.uz")
    };

    let admin = admins.insert(new.clone(), None).await.unwrap();

    assert_eq!(admin.id, new.id);
    assert_eq!(admin.username, "dilnoza.admin");
    assert_eq!(admin.email, "dilnoza@bilim.uz");
    assert_eq!(admin.password_hash, new.password_hash);
    assert_eq!(admin.role, AdminRole::Super);
    assert!(admin.active);
    assert_eq!(admin.tg_id, Some(5_123_456_789));
    assert_eq!(admin.token_version, 0);
    assert_eq!(admin.last_login_at, None);
    assert_eq!((admin.created_at, admin.updated_at), (new.now, new.now));
    assert_eq!(
        admins.find_by_id(new.id).await.unwrap(),
        Some(admin.clone())
    );
    assert_eq!(
        admins.find_by_login("dilnoza.admin").await.unwrap(),
        Some(admin.clone())
    );
    assert_eq!(
        admins.find_by_login("dilnoza@bilim.uz").await.unwrap(),
        Some(admin)
    );
    assert_eq!(admins.find_by_id(Uuid::now_v7()).await.unwrap(), None);
    assert_eq!(admins.find_by_login("nobody").await.unwrap(), None);
    assert_eq!(admins.find_by_login("nobody@bilim.uz").await.unwrap(), None);
}

#[tokio::test]
async fn a_login_matches_one_admin_even_when_names_look_alike() {
    let (_fixture, admins) = repository().await;
    let aziz = admins
        .insert(new_admin("aziz", "aziz.k@bilim.uz"), None)
        .await
        .unwrap();
    let other = admins
        .insert(new_admin("aziz.k", "aziz@bilim.uz"), None)
        .await
        .unwrap();

    assert_eq!(
        admins.find_by_login("aziz").await.unwrap(),
        Some(aziz.clone())
    );
    assert_eq!(
        admins.find_by_login("aziz.k@bilim.uz").await.unwrap(),
        Some(aziz)
    );
    assert_eq!(
        admins.find_by_login("aziz.k").await.unwrap(),
        Some(other.clone())
    );
    assert_eq!(
        admins.find_by_login("aziz@bilim.uz").await.unwrap(),
        Some(other)
    );
}

#[tokio::test]
async fn a_taken_username_or_email_is_a_conflict_naming_it() {
    let (_fixture, admins) = repository().await;
    admins
        .insert(new_admin("dilnoza", "dilnoza@bilim.uz"), None)
        .await
        .unwrap();

    let same_username = admins
        .insert(new_admin("dilnoza", "other@bilim.uz"), None)
        .await;
    let same_email = admins
        .insert(new_admin("other", "dilnoza@bilim.uz"), None)
        .await;

    assert_eq!(
        same_username,
        Err(DomainError::Conflict {
            what: "username".to_owned()
        })
    );
    assert_eq!(
        same_email,
        Err(DomainError::Conflict {
            what: "email".to_owned()
        })
    );
    assert_eq!(admins.count().await.unwrap(), 1);
}

#[tokio::test]
async fn keyset_pages_list_admins_newest_first_and_count_them_all() {
    let (_fixture, admins) = repository().await;
    assert_eq!(admins.count().await.unwrap(), 0);
    assert_eq!(admins.list(None, 10).await.unwrap(), vec![]);
    let mut inserted = Vec::new();
    for n in 0..7 {
        inserted.push(
            admins
                .insert(
                    new_admin(&format!("admin{n}"), &format!("admin{n}@bilim.uz")),
                    None,
                )
                .await
                .unwrap(),
        );
    }
    inserted.reverse();

    let mut pages = Vec::new();
    let mut after = None;
    loop {
        let page = admins.list(after, 3).await.unwrap();
        if page.is_empty() {
            break;
        }
        assert!(page.len() <= 3);
        after = page.last().map(|admin| admin.id);
        pages.push(page);
    }

    assert_eq!(pages.len(), 3);
    assert_eq!(pages.concat(), inserted);
    assert_eq!(admins.list(None, 0).await.unwrap(), vec![]);
    assert_eq!(admins.count().await.unwrap(), 7);
}

#[tokio::test]
async fn record_login_is_stored_and_leaves_updated_at() {
    let (_fixture, admins) = repository().await;
    let admin = admins
        .insert(new_admin("dilnoza", "dilnoza@bilim.uz"), None)
        .await
        .unwrap();
    let login = admin.created_at + Duration::hours(2);

    admins.record_login(admin.id, login).await.unwrap();

    let stored = admins.find_by_id(admin.id).await.unwrap().unwrap();
    assert_eq!(stored.last_login_at, Some(login));
    assert_eq!(stored.updated_at, admin.updated_at);
    assert_eq!(
        admins.record_login(Uuid::now_v7(), login).await,
        Err(DomainError::NotFound)
    );
}

/// The entry of `actor` creating `new`.
fn creation(actor: Uuid, new: &NewAdmin) -> AuditEntry {
    AuditEntry {
        target_type: "admin".to_owned(),
        details: r#"{"username":"new"}"#.to_owned(),
        ..entry(actor, "admin.create", &new.id.to_string())
    }
}

#[tokio::test]
async fn an_admin_made_by_another_is_committed_with_its_audit_entry() {
    let (fixture, admins) = repository().await;
    let root = admins
        .insert(new_admin("root", "root@bilim.uz"), None)
        .await
        .unwrap();
    assert_eq!(
        logged(&fixture.db).await,
        vec![],
        "no admin acted: no entry"
    );

    let new = new_admin("dilnoza", "dilnoza@bilim.uz");
    let recorded = creation(root.id, &new);
    let admin = admins.insert(new, Some(&recorded)).await.unwrap();

    assert_eq!(admins.find_by_id(admin.id).await.unwrap(), Some(admin));
    assert_eq!(logged(&fixture.db).await, vec![recorded]);
}

#[tokio::test]
async fn a_refused_admin_leaves_no_entry_and_a_refused_entry_no_admin() {
    let (fixture, admins) = repository().await;
    let root = admins
        .insert(new_admin("root", "root@bilim.uz"), None)
        .await
        .unwrap();

    let taken = new_admin("root", "other@bilim.uz");
    let refused = creation(root.id, &taken);
    assert_eq!(
        admins.insert(taken, Some(&refused)).await,
        Err(DomainError::Conflict {
            what: "username".to_owned()
        })
    );
    assert_eq!(logged(&fixture.db).await, vec![]);

    // An entry naming an unknown admin cannot be written: nor can the admin.
    let new = new_admin("sardor", "sardor@bilim.uz");
    let orphan = creation(Uuid::now_v7(), &new);
    let result = admins.insert(new, Some(&orphan)).await;
    assert!(
        matches!(result, Err(DomainError::Internal(_))),
        "{result:?}"
    );
    assert_eq!(admins.find_by_login("sardor").await.unwrap(), None);
    assert_eq!(admins.count().await.unwrap(), 1);
    assert_eq!(logged(&fixture.db).await, vec![]);
}
