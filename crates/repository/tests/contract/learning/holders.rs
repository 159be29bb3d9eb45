//! Claims of holders: workbooks and certificates the catalogue writer adds
//! reach every holder whose grant is not revoked (also racing new grants);
//! what goes with a deleted user, workbook or certificate; a course with
//! grants stays; `seed_grants`.

use super::{learning, months};
use crate::catalogue::setup;
use crate::users::now;
use bilim_domain::DomainError;
use bilim_domain::catalogue::Workbook;
use bilim_domain::ports::{AccessRepository, CatalogueWriter};
use bilim_repository::learning::SeaAccessRepository;
use bilim_repository::seed::{seed_catalogue, seed_grants, seed_users};
use chrono::Duration;
use std::collections::HashSet;
use std::sync::Arc;
use uuid::Uuid;

#[tokio::test]
async fn a_workbook_or_certificate_added_later_reaches_holders_but_not_revoked_ones() {
    let l = learning().await;
    let algebra = l.course("Algebra", false).await;
    let other = l.course("Geometriya", false).await;
    let holder = l.student("holder@example.uz").await;
    let expired = l.student("expired@example.uz").await;
    let revoked = l.student("revoked@example.uz").await;
    let stranger = l.student("stranger@example.uz").await;
    let t0 = now();
    for user in [holder, revoked] {
        l.grant(user, &[(algebra.course.id, t0 + months(6))], t0)
            .await
            .unwrap();
    }
    l.grant(
        expired,
        &[(algebra.course.id, t0 - Duration::days(1))],
        t0 - months(6),
    )
    .await
    .unwrap();
    l.grant(stranger, &[(other.course.id, t0 + months(6))], t0)
        .await
        .unwrap();
    l.revoke(revoked, algebra.course.id, t0).await.unwrap();

    let workbook = l
        .catalogue
        .workbook(algebra.course.id, None, "workbooks/new.pdf")
        .await;
    let certificate = l
        .catalogue
        .writer
        .put_certificate(
            algebra.course.id,
            &crate::catalogue::title("Algebra sertifikati"),
            &l.catalogue.entry(),
        )
        .await
        .unwrap();

    // Not revoked: the holder, and the expired grant (it may be renewed).
    for (user, reached) in [
        (holder, true),
        (expired, true),
        (revoked, false),
        (stranger, false),
    ] {
        assert_eq!(l.has_workbook(user, workbook.id).await, reached, "{user}");
        let claim = l
            .claims
            .certificate_claim(user, algebra.course.id)
            .await
            .unwrap();
        assert_eq!(claim.is_some(), reached, "{user}");
    }
    let claim = l
        .claims
        .workbook_claim(holder, workbook.id)
        .await
        .unwrap()
        .unwrap();
    assert!(claim.available);
    assert_eq!(claim.title, workbook.title);

    // Renaming the certificate keeps the claims as they are.
    let issued = l
        .claims
        .claim_certificate(
            holder,
            certificate.id,
            "BLM-1",
            "Aziza Karimova",
            "Algebra",
            t0,
        )
        .await
        .unwrap();
    assert!(issued.is_some());
    let renamed = l
        .catalogue
        .writer
        .put_certificate(
            algebra.course.id,
            &crate::catalogue::title("Algebra: yakuniy"),
            &l.catalogue.entry(),
        )
        .await
        .unwrap();
    assert_eq!(renamed.id, certificate.id);
    assert_eq!(l.count("certificate_open_user").await, 2);
    let claim = l
        .claims
        .certificate_claim(holder, algebra.course.id)
        .await
        .unwrap()
        .unwrap();
    assert!(!claim.available);
    assert_eq!(claim.title, "Algebra: yakuniy");

    // The revoked user, granted again, gets everything.
    l.grant(revoked, &[(algebra.course.id, t0 + months(6))], t0)
        .await
        .unwrap();
    assert!(l.has_workbook(revoked, workbook.id).await);
    assert!(
        l.claims
            .certificate_claim(revoked, algebra.course.id)
            .await
            .unwrap()
            .is_some()
    );
}

/// Grants and workbook creations on the same course at once: every holder
/// ends with every workbook (on PostgreSQL the course lock makes the later of
/// the two see the other).
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn concurrent_grants_and_new_workbooks_never_miss_each_other() {
    let l = Arc::new(learning().await);
    let algebra = l.course("Algebra", true).await;
    let mut users = Vec::new();
    for n in 0..8 {
        users.push(l.student(&format!("s{n}@example.uz")).await);
    }
    let t0 = now();
    let mut tasks = Vec::new();
    for (n, &user) in users.iter().enumerate() {
        let learning = Arc::clone(&l);
        let course_id = algebra.course.id;
        tasks.push(tokio::spawn(async move {
            learning
                .grant(user, &[(course_id, t0 + months(6))], t0)
                .await
                .map(|_| ())
        }));
        if n % 2 == 0 {
            let writer = Arc::clone(&l.catalogue.writer);
            let entry = l.catalogue.entry();
            tasks.push(tokio::spawn(async move {
                let workbook = Workbook {
                    id: Uuid::now_v7(),
                    course_id,
                    lesson_id: None,
                    title: format!("Daftar {n}"),
                    storage_key: format!("workbooks/race-{n}.pdf"),
                    size_bytes: 1,
                    sha256: "ab".repeat(32),
                };
                writer.create_workbook(&workbook, &entry).await
            }));
        }
    }
    for task in tasks {
        task.await.unwrap().unwrap();
    }
    let workbooks = l.count("workbooks").await;
    assert_eq!(workbooks, 2 + 4);
    assert_eq!(l.count("user_take_workbook").await, 8 * workbooks);
    assert_eq!(l.count("certificate_open_user").await, 8);
}

#[tokio::test]
async fn writer_changes_without_holders_open_nothing() {
    let l = learning().await;
    let algebra = l.course("Algebra", true).await;
    assert_eq!(l.count("user_take_workbook").await, 0);
    assert_eq!(l.count("certificate_open_user").await, 0);
    let writer: &Arc<dyn CatalogueWriter> = &l.catalogue.writer;
    writer
        .put_certificate(
            algebra.course.id,
            &crate::catalogue::title("Yangi nom"),
            &l.catalogue.entry(),
        )
        .await
        .unwrap();
    assert_eq!(l.count("certificate_open_user").await, 0);
}

#[tokio::test]
async fn a_course_with_grants_cannot_be_deleted() {
    let l = learning().await;
    let algebra = l.course("Algebra", true).await;
    let empty = l.course("Geometriya", true).await;
    let user = l.student("aziza@example.uz").await;
    let t0 = now();
    l.grant(user, &[(algebra.course.id, t0 + months(6))], t0)
        .await
        .unwrap();
    let has_students = Err(DomainError::Conflict {
        what: "course.has_students".to_owned(),
    });

    assert_eq!(
        l.catalogue
            .writer
            .delete_course(algebra.course.id, &l.catalogue.entry())
            .await,
        has_students
    );
    l.revoke(user, algebra.course.id, t0).await.unwrap();
    assert_eq!(
        l.catalogue
            .writer
            .delete_course(algebra.course.id, &l.catalogue.entry())
            .await,
        has_students,
        "a revoked grant still holds the course"
    );
    assert!(
        l.catalogue
            .reader
            .course(algebra.course.id)
            .await
            .unwrap()
            .is_some()
    );
    assert_eq!(l.count("user_take_workbook").await, 2);

    // Without grants the course goes, and so would claims (none here).
    assert!(
        l.catalogue
            .writer
            .delete_course(empty.course.id, &l.catalogue.entry())
            .await
            .is_ok()
    );
}

#[tokio::test]
async fn claims_and_grants_go_with_their_user_workbook_and_certificate() {
    let l = learning().await;
    let algebra = l.course("Algebra", true).await;
    let user = l.student("aziza@example.uz").await;
    let other = l.student("boshqa@example.uz").await;
    let t0 = now();
    for u in [user, other] {
        l.grant(u, &[(algebra.course.id, t0 + months(6))], t0)
            .await
            .unwrap();
    }
    assert_eq!(l.count("user_take_workbook").await, 4);

    l.catalogue
        .writer
        .delete_workbook(algebra.workbooks[0].id, &l.catalogue.entry())
        .await
        .unwrap();
    assert_eq!(l.count("user_take_workbook").await, 2);

    l.catalogue
        .execute("DELETE FROM users WHERE id = ?", vec![other.into()])
        .await
        .unwrap();
    assert_eq!(l.count("courses_open_users").await, 1);
    assert_eq!(l.count("user_take_workbook").await, 1);
    assert_eq!(l.count("certificate_open_user").await, 1);
    assert_eq!(l.access.holdings(other).await.unwrap(), Default::default());
}

#[tokio::test]
async fn seed_grants_opens_demo_courses_to_demo_students_once() {
    let setup = setup().await;
    let db = &setup.fixture.db;
    let hash = "$argon2id$v=19$m=19456,t=2,p=1$c2FsdA$aGFzaA";
    seed_users(db, 30, hash, now()).await.unwrap();
    seed_catalogue(db, 4, now()).await.unwrap();
    let t0 = now();

    assert_eq!(seed_grants(db, 12, 3, t0).await, Ok(36));

    assert_eq!(setup.count("courses_open_users").await, 36);
    // Two workbooks and a certificate per demo course.
    assert_eq!(setup.count("user_take_workbook").await, 72);
    assert_eq!(setup.count("certificate_open_user").await, 36);
    let access = SeaAccessRepository::new(db.clone());
    let due = access
        .due_reminders(t0, t0 + Duration::days(7), 100)
        .await
        .unwrap();
    assert_eq!(due.len(), 1, "the fourth student's first course");
    assert!(due[0].email.starts_with("demo"));
    assert_eq!(access.due_expiries(t0, 100).await.unwrap().len(), 1);

    // Again: nothing added, nothing reset; more users get theirs.
    assert_eq!(seed_grants(db, 12, 3, now()).await, Ok(0));
    assert_eq!(setup.count("user_take_workbook").await, 72);
    assert_eq!(seed_grants(db, 14, 3, now()).await, Ok(6));
    assert_eq!(setup.count("certificate_open_user").await, 42);

    // Each student holds three different courses.
    let users: HashSet<Uuid> = due.iter().map(|n| n.user_id).collect();
    for user in users {
        let holdings = access.holdings(user).await.unwrap();
        let courses: HashSet<Uuid> = holdings.courses.iter().map(|c| c.grant.course_id).collect();
        assert_eq!(courses.len(), 3);
        assert_eq!(holdings.workbooks.len(), 6);
    }
}
