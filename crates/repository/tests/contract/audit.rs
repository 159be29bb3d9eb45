//! The `AuditLog` contract, run against `SeaAuditLog` on a fresh database per
//! test: SQLite, or PostgreSQL when `TEST_DATABASE_URL` is set.

use crate::admins::new_admin;
use crate::users::{Fixture, migrated_database, now};
use bilim_domain::DomainError;
use bilim_domain::ports::{AdminRepository, AuditEntry, AuditLog, AuditQuery};
use bilim_repository::admins::SeaAdminRepository;
use bilim_repository::audit::SeaAuditLog;
use bilim_repository::database::Database;
use std::sync::Arc;
use uuid::Uuid;

struct Setup {
    _fixture: Fixture,
    audit: Arc<dyn AuditLog>,
    admins: [Uuid; 2],
}

async fn setup() -> Setup {
    let fixture = migrated_database().await;
    let repository = SeaAdminRepository::new(fixture.db.clone());
    let first = repository
        .insert(new_admin("dilnoza", "dilnoza@bilim.uz"), None)
        .await
        .unwrap();
    let second = repository
        .insert(new_admin("sardor", "sardor@bilim.uz"), None)
        .await
        .unwrap();
    Setup {
        audit: Arc::new(SeaAuditLog::new(fixture.db.clone())),
        admins: [first.id, second.id],
        _fixture: fixture,
    }
}

/// An entry by `admin_id` of `action` on the user `target_id`; also used by
/// the suites of the ports that write an entry with their change.
pub fn entry(admin_id: Uuid, action: &str, target_id: &str) -> AuditEntry {
    AuditEntry {
        id: Uuid::now_v7(),
        admin_id,
        action: action.to_owned(),
        target_type: "user".to_owned(),
        target_id: target_id.to_owned(),
        details: r#"{"active":{"from":true,"to":false}}"#.to_owned(),
        ip: Some("2001:db8::1".to_owned()),
        at: now(),
    }
}

fn query(admin_id: Option<Uuid>, target_id: Option<&str>) -> AuditQuery {
    AuditQuery {
        admin_id,
        target_id: target_id.map(str::to_owned),
        after: None,
        limit: 100,
    }
}

/// Every entry of the log, newest first (up to 100).
pub async fn logged(db: &Database) -> Vec<AuditEntry> {
    SeaAuditLog::new(db.clone())
        .list(&query(None, None))
        .await
        .unwrap()
}

impl Setup {
    async fn ids(&self, query: &AuditQuery) -> Vec<Uuid> {
        let entries = self.audit.list(query).await.unwrap();
        entries.into_iter().map(|entry| entry.id).collect()
    }
}

#[tokio::test]
async fn recorded_entries_are_listed_newest_first_as_recorded() {
    let setup = setup().await;
    let first = entry(setup.admins[0], "user.update", "u-1");
    let second = AuditEntry {
        ip: None,
        target_type: "admin".to_owned(),
        details: "{}".to_owned(),
        ..entry(setup.admins[1], "admin.create", "a-1")
    };

    setup.audit.record(&first).await.unwrap();
    setup.audit.record(&second).await.unwrap();

    assert_eq!(
        setup.audit.list(&query(None, None)).await.unwrap(),
        vec![second, first]
    );
}

#[tokio::test]
async fn filters_by_admin_and_target_combine() {
    let setup = setup().await;
    let [dilnoza, sardor] = setup.admins;
    let entries = [
        entry(dilnoza, "user.update", "u-1"),
        entry(sardor, "user.update", "u-1"),
        entry(dilnoza, "user.deactivate", "u-2"),
        entry(sardor, "user.update", "u-3"),
        entry(dilnoza, "user.update", "u-1"),
    ];
    for entry in &entries {
        setup.audit.record(entry).await.unwrap();
    }
    let ids = |indexes: &[usize]| -> Vec<Uuid> { indexes.iter().map(|&i| entries[i].id).collect() };

    assert_eq!(setup.ids(&query(None, None)).await, ids(&[4, 3, 2, 1, 0]));
    assert_eq!(
        setup.ids(&query(Some(dilnoza), None)).await,
        ids(&[4, 2, 0])
    );
    assert_eq!(setup.ids(&query(Some(sardor), None)).await, ids(&[3, 1]));
    assert_eq!(setup.ids(&query(None, Some("u-1"))).await, ids(&[4, 1, 0]));
    assert_eq!(
        setup.ids(&query(Some(sardor), Some("u-1"))).await,
        ids(&[1])
    );
    assert_eq!(setup.ids(&query(None, Some("u-9"))).await, ids(&[]));
    assert_eq!(
        setup.ids(&query(Some(Uuid::now_v7()), None)).await,
        ids(&[])
    );
}

#[tokio::test]
async fn keyset_pages_cover_every_entry_exactly_once_in_order() {
    let setup = setup().await;
    let mut recorded = Vec::new();
    for n in 0..17 {
        let entry = entry(setup.admins[n % 2], "user.update", &format!("u-{}", n % 3));
        setup.audit.record(&entry).await.unwrap();
        recorded.push(entry);
    }
    recorded.reverse();

    for (admin_id, target_id) in [
        (None, None),
        (Some(setup.admins[0]), None),
        (None, Some("u-1")),
        (Some(setup.admins[1]), Some("u-2")),
    ] {
        let expected: Vec<Uuid> = recorded
            .iter()
            .filter(|entry| admin_id.is_none_or(|id| entry.admin_id == id))
            .filter(|entry| target_id.is_none_or(|id| entry.target_id == id))
            .map(|entry| entry.id)
            .collect();
        for limit in [1, 4, 100] {
            let mut query = AuditQuery {
                limit,
                ..query(admin_id, target_id)
            };
            let mut listed = Vec::new();
            loop {
                let page = setup.ids(&query).await;
                if page.is_empty() {
                    break;
                }
                assert!(page.len() as u64 <= limit);
                query.after = page.last().copied();
                listed.extend(page);
            }
            assert_eq!(listed, expected, "{admin_id:?} {target_id:?} by {limit}");
        }
    }
    let nothing = AuditQuery {
        limit: 0,
        ..query(None, None)
    };
    assert_eq!(setup.ids(&nothing).await, Vec::<Uuid>::new());
}

#[tokio::test]
async fn an_entry_of_an_unknown_admin_or_a_reused_id_is_refused() {
    let setup = setup().await;
    let recorded = entry(setup.admins[0], "user.update", "u-1");
    setup.audit.record(&recorded).await.unwrap();

    let unknown_admin = setup
        .audit
        .record(&entry(Uuid::now_v7(), "user.update", "u-1"))
        .await;
    let reused_id = setup.audit.record(&recorded).await;

    assert!(
        matches!(unknown_admin, Err(DomainError::Internal(_))),
        "{unknown_admin:?}"
    );
    assert_eq!(
        reused_id,
        Err(DomainError::Conflict {
            what: "audit_entry".to_owned()
        })
    );
    assert_eq!(setup.ids(&query(None, None)).await, vec![recorded.id]);
}
