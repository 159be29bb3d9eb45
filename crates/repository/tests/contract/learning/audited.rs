//! The admin changes of access (grant, revoke, the two resets) write their
//! audit entry in their own transaction: a change is committed with its entry,
//! and a change that fails, or whose entry cannot be written, leaves neither.

use super::{learning, months};
use crate::users::now;
use bilim_domain::DomainError;
use bilim_domain::learning::{AccessState, GrantTerm};
use bilim_domain::ports::{AuditEntry, AuditLog};
use bilim_repository::audit::SeaAuditLog;
use chrono::Duration;
use uuid::Uuid;

fn id_taken() -> Result<(), DomainError> {
    Err(DomainError::Conflict {
        what: "audit_entry".to_owned(),
    })
}

/// Records `entry` beforehand, so that a change passing it again cannot
/// write it: its id is taken.
async fn taken(l: &super::Learning, entry: AuditEntry) -> AuditEntry {
    SeaAuditLog::new(l.catalogue.fixture.db.clone())
        .record(&entry)
        .await
        .unwrap();
    entry
}

#[tokio::test]
async fn a_grant_and_a_revocation_are_committed_with_their_entries() {
    let l = learning().await;
    let algebra = l.course("Algebra", true).await;
    let user = l.student("aziza@example.uz").await;
    let t0 = now();
    let term = [GrantTerm {
        course_id: algebra.course.id,
        expires_at: t0 + months(6),
    }];

    let granted = l.entry("user.grant", user);
    l.access
        .grant(user, &term, l.admin, t0, &granted)
        .await
        .unwrap();
    assert_eq!(l.logged().await, vec![granted.clone()]);

    let revoked = l.entry("user.revoke", user);
    l.access
        .revoke(user, algebra.course.id, t0, &revoked)
        .await
        .unwrap();
    assert_eq!(l.logged().await, vec![revoked.clone(), granted.clone()]);

    // A repeat changes nothing but is what the admin asked: recorded.
    let again = l.entry("user.revoke", user);
    l.access
        .revoke(user, algebra.course.id, t0 + Duration::hours(1), &again)
        .await
        .unwrap();
    assert_eq!(l.logged().await, vec![again, revoked, granted]);
}

#[tokio::test]
async fn a_failed_grant_or_revocation_leaves_no_entry() {
    let l = learning().await;
    let algebra = l.course("Algebra", true).await;
    let user = l.student("aziza@example.uz").await;
    let t0 = now();

    // A course that does not exist.
    let unknown = [GrantTerm {
        course_id: Uuid::now_v7(),
        expires_at: t0 + months(6),
    }];
    let result = l
        .access
        .grant(user, &unknown, l.admin, t0, &l.entry("user.grant", user))
        .await;
    assert_eq!(result, Err(DomainError::NotFound));
    // A grant that does not exist.
    let result = l
        .access
        .revoke(user, algebra.course.id, t0, &l.entry("user.revoke", user))
        .await;
    assert_eq!(result, Err(DomainError::NotFound));
    assert_eq!(l.logged().await, vec![]);
    for table in [
        "courses_open_users",
        "user_take_workbook",
        "certificate_open_user",
    ] {
        assert_eq!(l.count(table).await, 0, "{table}");
    }
}

#[tokio::test]
async fn a_grant_or_revocation_whose_entry_cannot_be_written_is_not_made() {
    let l = learning().await;
    let algebra = l.course("Algebra", true).await;
    let user = l.student("aziza@example.uz").await;
    let t0 = now();
    let term = [GrantTerm {
        course_id: algebra.course.id,
        expires_at: t0 + months(6),
    }];

    let entry = taken(&l, l.entry("user.grant", user)).await;
    let result = l.access.grant(user, &term, l.admin, t0, &entry).await;
    assert_eq!(result.map(drop), id_taken());
    for table in [
        "courses_open_users",
        "user_take_workbook",
        "certificate_open_user",
    ] {
        assert_eq!(l.count(table).await, 0, "{table}");
    }

    l.grant(user, &[(algebra.course.id, t0 + months(6))], t0)
        .await
        .unwrap();
    let entry = taken(&l, l.entry("user.revoke", user)).await;
    let result = l.access.revoke(user, algebra.course.id, t0, &entry).await;
    assert_eq!(result, id_taken());
    let grant = l
        .access
        .grant_of(user, algebra.course.id)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(grant.state(t0), AccessState::Active, "not revoked");
}

#[tokio::test]
async fn resets_are_committed_with_their_entries_or_not_at_all() {
    let l = learning().await;
    let algebra = l.course("Algebra", true).await;
    let certificate_id = algebra.certificate.unwrap();
    let workbook_id = algebra.workbooks[0].id;
    let user = l.student("aziza@example.uz").await;
    let t0 = now();
    l.grant(user, &[(algebra.course.id, t0 + months(6))], t0)
        .await
        .unwrap();
    assert!(l.claims.take_workbook(user, workbook_id, t0).await.unwrap());
    l.claims
        .claim_certificate(user, certificate_id, "BLM-1", "A", "B", t0)
        .await
        .unwrap()
        .unwrap();
    let before = l.logged().await.len();
    let workbook_available = async || {
        l.claims
            .workbook_claim(user, workbook_id)
            .await
            .unwrap()
            .unwrap()
            .available
    };
    let certificate_available = async || {
        l.claims
            .certificate_claim(user, algebra.course.id)
            .await
            .unwrap()
            .unwrap()
            .available
    };

    // Without a claim: `NotFound`, no entry.
    let unknown = Uuid::now_v7();
    let nowhere = l.entry("user.workbook_reset", user);
    assert_eq!(
        l.claims.reset_workbook(user, unknown, &nowhere).await,
        Err(DomainError::NotFound)
    );
    let nowhere = l.entry("user.certificate_reset", user);
    assert_eq!(
        l.claims.reset_certificate(user, unknown, &nowhere).await,
        Err(DomainError::NotFound)
    );
    assert_eq!(l.logged().await.len(), before);

    // An entry that cannot be written: the claims stay taken.
    let entry = taken(&l, l.entry("user.workbook_reset", user)).await;
    assert_eq!(
        l.claims.reset_workbook(user, workbook_id, &entry).await,
        id_taken()
    );
    assert!(!workbook_available().await);
    let entry = taken(&l, l.entry("user.certificate_reset", user)).await;
    assert_eq!(
        l.claims
            .reset_certificate(user, certificate_id, &entry)
            .await,
        id_taken()
    );
    assert!(!certificate_available().await);
    let before = l.logged().await;

    // Both reset, each with its entry.
    let workbook_reset = l.entry("user.workbook_reset", user);
    l.claims
        .reset_workbook(user, workbook_id, &workbook_reset)
        .await
        .unwrap();
    let certificate_reset = l.entry("user.certificate_reset", user);
    l.claims
        .reset_certificate(user, certificate_id, &certificate_reset)
        .await
        .unwrap();
    assert!(workbook_available().await);
    assert!(certificate_available().await);
    let logged = l.logged().await;
    assert_eq!(logged[..2], [certificate_reset, workbook_reset]);
    assert_eq!(logged[2..], before[..]);
}
