//! The learning ports (`AccessRepository`, `ClaimRepository`) on a fresh
//! database per test: SQLite, or PostgreSQL when `TEST_DATABASE_URL` is set.
//! Grants and their claims, what the catalogue writer adds to holders, the
//! once-only races, the expiry job's notices and marks, and `seed_grants`.
//! Progress and `lessons_with_video` are in `learning_progress.rs`.

use crate::admins::new_admin;
use crate::catalogue::{Setup, audit_entry, setup, title};
use crate::users::now;
use bilim_domain::DomainError;
use bilim_domain::catalogue::{Course, Workbook};
use bilim_domain::learning::{AccessState, Grant, GrantTerm};
use bilim_domain::ports::{
    AccessRepository, AdminRepository, AuditLog, AuditQuery, CatalogueWriter, ClaimRepository,
    NoticeKind, UserRepository,
};
use bilim_domain::users::{NewUser, UserRole};
use bilim_domain::values::{Email, PersonName};
use bilim_repository::admins::SeaAdminRepository;
use bilim_repository::audit::SeaAuditLog;
use bilim_repository::learning::{SeaAccessRepository, SeaClaimRepository};
use bilim_repository::seed::{seed_catalogue, seed_grants, seed_users};
use bilim_repository::users::SeaUserRepository;
use chrono::{DateTime, Duration, Utc};
use std::collections::HashSet;
use std::sync::{Arc, Mutex};
use uuid::Uuid;

pub struct Learning {
    pub catalogue: Setup,
    pub access: Arc<dyn AccessRepository>,
    pub claims: Arc<dyn ClaimRepository>,
    pub admin: Uuid,
}

pub async fn learning() -> Learning {
    let catalogue = setup().await;
    let db = catalogue.fixture.db.clone();
    let admin = SeaAdminRepository::new(db.clone())
        .insert(new_admin("kamola", "kamola@bilim.uz"))
        .await
        .unwrap()
        .id;
    Learning {
        access: Arc::new(SeaAccessRepository::new(db.clone())),
        claims: Arc::new(SeaClaimRepository::new(db)),
        catalogue,
        admin,
    }
}

/// A course with two workbooks and, when asked, a certificate.
pub struct TestCourse {
    pub course: Course,
    pub workbooks: Vec<Workbook>,
    pub certificate: Option<Uuid>,
}

impl Learning {
    pub async fn student(&self, email: &str) -> Uuid {
        let user = NewUser {
            id: Uuid::now_v7(),
            first_name: PersonName::parse("first_name", "Aziza").unwrap(),
            last_name: PersonName::parse("last_name", "Karimova").unwrap(),
            email: Email::parse(email).unwrap(),
            phone: None,
            password_hash: "$argon2id$v=19$m=19456,t=2,p=1$c2FsdA$aGFzaA".to_owned(),
            role: UserRole::Student,
            email_verified_at: None,
            now: now(),
        };
        SeaUserRepository::new(self.catalogue.fixture.db.clone())
            .insert(user)
            .await
            .unwrap()
            .id
    }

    pub async fn course(&self, title: &str, certificate: bool) -> TestCourse {
        let direction = match self.catalogue.reader.directions().await.unwrap().first() {
            Some(direction) => direction.clone(),
            None => self.catalogue.direction("Matematika").await,
        };
        let course = self.catalogue.course(direction.id, title).await;
        let module = self.catalogue.module(course.id, "1-modul").await;
        let lesson = self.catalogue.lesson(module.id, "1-dars").await;
        let workbooks = vec![
            self.catalogue
                .workbook(course.id, None, &format!("workbooks/{}-1.pdf", course.id))
                .await,
            self.catalogue
                .workbook(
                    course.id,
                    Some(lesson.id),
                    &format!("workbooks/{}-2.pdf", course.id),
                )
                .await,
        ];
        let certificate = if certificate {
            let certificate = self
                .catalogue
                .writer
                .put_certificate(
                    course.id,
                    &self::title(&format!("{title} sertifikati")),
                    &self.catalogue.entry(),
                )
                .await
                .unwrap();
            Some(certificate.id)
        } else {
            None
        };
        TestCourse {
            course,
            workbooks,
            certificate,
        }
    }

    pub async fn grant(
        &self,
        user_id: Uuid,
        courses: &[(Uuid, DateTime<Utc>)],
        at: DateTime<Utc>,
    ) -> Result<Vec<Grant>, DomainError> {
        let terms: Vec<GrantTerm> = courses
            .iter()
            .map(|&(course_id, expires_at)| GrantTerm {
                course_id,
                expires_at,
            })
            .collect();
        self.access.grant(user_id, &terms, self.admin, at).await
    }

    pub async fn count(&self, table: &str) -> i64 {
        self.catalogue.count(table).await
    }

    /// Whether the user holds a claim on the workbook.
    async fn has_workbook(&self, user_id: Uuid, workbook_id: Uuid) -> bool {
        self.claims
            .workbook_claim(user_id, workbook_id)
            .await
            .unwrap()
            .is_some()
    }
}

fn months(n: i64) -> Duration {
    Duration::days(30 * n)
}

#[tokio::test]
async fn a_grant_opens_courses_with_their_claims_and_a_repeat_never_duplicates_or_resets() {
    let l = learning().await;
    let algebra = l.course("Algebra", true).await;
    let geometry = l.course("Geometriya", false).await;
    let user = l.student("aziza@example.uz").await;
    let t0 = now();

    let grants = l
        .grant(
            user,
            &[
                (geometry.course.id, t0 + months(3)),
                (algebra.course.id, t0 + months(6)),
            ],
            t0,
        )
        .await
        .unwrap();

    assert_eq!(grants.len(), 2);
    assert_eq!(grants[0].course_id, geometry.course.id, "terms order");
    assert_eq!(grants[1].course_id, algebra.course.id);
    for (grant, expires_at) in grants.iter().zip([t0 + months(3), t0 + months(6)]) {
        assert_eq!(grant.user_id, user);
        assert_eq!(grant.opened_at, t0);
        assert_eq!(grant.expires_at, expires_at);
        assert_eq!(grant.revoked_at, None);
        assert_eq!(grant.granted_by, Some(l.admin));
        assert_eq!(grant.state(t0), AccessState::Active);
        assert_eq!(
            l.access.grant_of(user, grant.course_id).await.unwrap(),
            Some(grant.clone())
        );
    }
    assert_eq!(l.count("user_take_workbook").await, 4);
    assert_eq!(l.count("certificate_open_user").await, 1);
    let claim = l
        .claims
        .workbook_claim(user, algebra.workbooks[0].id)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(
        (claim.course_id, claim.title.as_str(), claim.available),
        (algebra.course.id, algebra.workbooks[0].title.as_str(), true)
    );
    assert_eq!(claim.taken_at, None);
    let certificate = l
        .claims
        .certificate_claim(user, algebra.course.id)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(certificate.certificate_id, algebra.certificate.unwrap());
    assert_eq!(certificate.title, "Algebra sertifikati");
    assert!(certificate.available);
    assert_eq!(
        l.claims
            .certificate_claim(user, geometry.course.id)
            .await
            .unwrap(),
        None
    );

    // A taken workbook, a reminder sent; then a repeat grant while active.
    let taken_at = t0 + Duration::hours(1);
    assert!(
        l.claims
            .take_workbook(user, algebra.workbooks[0].id, taken_at)
            .await
            .unwrap()
    );
    assert!(
        l.access
            .mark_reminded(grants[1].id, grants[1].expires_at, taken_at)
            .await
            .unwrap()
    );
    let t1 = t0 + Duration::days(10);
    let again = l
        .grant(user, &[(algebra.course.id, t1 + months(12))], t1)
        .await
        .unwrap();
    assert_eq!(again.len(), 1);
    assert_eq!(again[0].id, grants[1].id, "the same row");
    assert_eq!(again[0].opened_at, t0, "an active grant keeps opened_at");
    assert_eq!(again[0].expires_at, t1 + months(12));
    assert_eq!(l.count("courses_open_users").await, 2);
    assert_eq!(l.count("user_take_workbook").await, 4, "no duplicates");
    assert_eq!(l.count("certificate_open_user").await, 1);
    let claim = l
        .claims
        .workbook_claim(user, algebra.workbooks[0].id)
        .await
        .unwrap()
        .unwrap();
    assert!(!claim.available, "a taken claim stays taken");
    assert_eq!(claim.taken_at, Some(taken_at));
    // The reminder mark was cleared: the new expiry can be reminded again.
    assert!(
        l.access
            .mark_reminded(again[0].id, again[0].expires_at, t1)
            .await
            .unwrap()
    );

    // Revoked, then granted again: reopened now.
    l.access
        .revoke(user, algebra.course.id, t1 + Duration::days(1))
        .await
        .unwrap();
    let t2 = t1 + Duration::days(2);
    let reopened = l
        .grant(user, &[(algebra.course.id, t2 + months(6))], t2)
        .await
        .unwrap();
    assert_eq!(reopened[0].id, grants[1].id);
    assert_eq!(reopened[0].opened_at, t2, "a revoked grant reopens");
    assert_eq!(reopened[0].revoked_at, None);
    assert_eq!(reopened[0].state(t2), AccessState::Active);

    // Expired (not revoked), then granted again: reopened too.
    let t3 = t0 + months(4);
    assert_eq!(grants[0].state(t3), AccessState::Expired);
    let renewed = l
        .grant(user, &[(geometry.course.id, t3 + months(3))], t3)
        .await
        .unwrap();
    assert_eq!(renewed[0].opened_at, t3, "an expired grant reopens");
    assert_eq!(renewed[0].expires_at, t3 + months(3));
    assert_eq!(l.count("courses_open_users").await, 2);
    assert_eq!(l.count("user_take_workbook").await, 4);
}

#[tokio::test]
async fn a_course_named_twice_is_granted_once_with_its_last_term() {
    let l = learning().await;
    let algebra = l.course("Algebra", true).await;
    let user = l.student("aziza@example.uz").await;
    let t0 = now();
    let grants = l
        .grant(
            user,
            &[
                (algebra.course.id, t0 + months(1)),
                (algebra.course.id, t0 + months(2)),
            ],
            t0,
        )
        .await
        .unwrap();
    assert_eq!(grants.len(), 2);
    assert_eq!(grants[0], grants[1]);
    assert_eq!(grants[0].expires_at, t0 + months(2));
    assert_eq!(l.count("courses_open_users").await, 1);
    assert_eq!(l.access.grant(user, &[], l.admin, t0).await, Ok(Vec::new()));
}

#[tokio::test]
async fn a_grant_naming_an_unknown_course_writes_nothing() {
    let l = learning().await;
    let algebra = l.course("Algebra", true).await;
    let user = l.student("aziza@example.uz").await;
    let t0 = now();

    let result = l
        .grant(
            user,
            &[
                (algebra.course.id, t0 + months(6)),
                (Uuid::now_v7(), t0 + months(6)),
            ],
            t0,
        )
        .await;

    assert_eq!(result, Err(DomainError::NotFound));
    assert_eq!(l.access.grant_of(user, algebra.course.id).await, Ok(None));
    for table in [
        "courses_open_users",
        "user_take_workbook",
        "certificate_open_user",
    ] {
        assert_eq!(l.count(table).await, 0, "{table}");
    }
    // An unknown user is not found either.
    assert_eq!(
        l.grant(Uuid::now_v7(), &[(algebra.course.id, t0 + months(6))], t0)
            .await,
        Err(DomainError::NotFound)
    );
    assert_eq!(l.count("courses_open_users").await, 0);
}

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
    l.access
        .revoke(revoked, algebra.course.id, t0)
        .await
        .unwrap();

    let workbook = l
        .catalogue
        .workbook(algebra.course.id, None, "workbooks/new.pdf")
        .await;
    let certificate = l
        .catalogue
        .writer
        .put_certificate(
            algebra.course.id,
            &title("Algebra sertifikati"),
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
            &title("Algebra: yakuniy"),
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
async fn revoke_sets_revoked_at_once() {
    let l = learning().await;
    let algebra = l.course("Algebra", true).await;
    let user = l.student("aziza@example.uz").await;
    let t0 = now();
    l.grant(user, &[(algebra.course.id, t0 + months(6))], t0)
        .await
        .unwrap();

    let at = t0 + Duration::days(1);
    l.access.revoke(user, algebra.course.id, at).await.unwrap();
    l.access
        .revoke(user, algebra.course.id, at + Duration::days(1))
        .await
        .unwrap();

    let grant = l
        .access
        .grant_of(user, algebra.course.id)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(grant.revoked_at, Some(at), "kept from the first revocation");
    assert_eq!(grant.state(at), AccessState::Revoked);
    assert_eq!(
        l.access.revoke(user, Uuid::now_v7(), at).await,
        Err(DomainError::NotFound)
    );
    assert_eq!(
        l.access.revoke(Uuid::now_v7(), algebra.course.id, at).await,
        Err(DomainError::NotFound)
    );
}

#[tokio::test]
async fn holdings_list_grants_newest_first_and_claims_with_titles_in_three_statements() {
    let l = learning().await;
    let algebra = l.course("Algebra", true).await;
    let geometry = l.course("Geometriya", false).await;
    let user = l.student("aziza@example.uz").await;
    let other = l.student("boshqa@example.uz").await;
    let t0 = now();
    l.grant(user, &[(algebra.course.id, t0 + months(6))], t0)
        .await
        .unwrap();
    l.grant(
        user,
        &[(geometry.course.id, t0 + months(6))],
        t0 + Duration::days(1),
    )
    .await
    .unwrap();
    l.grant(other, &[(algebra.course.id, t0 + months(6))], t0)
        .await
        .unwrap();
    l.claims
        .take_workbook(user, geometry.workbooks[1].id, t0 + Duration::days(2))
        .await
        .unwrap();

    let recorded = Arc::new(Mutex::new(Vec::<String>::new()));
    let mut db = l.catalogue.fixture.db.clone();
    let sink = Arc::clone(&recorded);
    db.set_metric_callback(move |info| {
        sink.lock().unwrap().push(info.statement.sql.clone());
    });
    let holdings = SeaAccessRepository::new(db).holdings(user).await.unwrap();
    assert_eq!(recorded.lock().unwrap().len(), 3);

    let titles: Vec<&str> = holdings
        .courses
        .iter()
        .map(|c| c.course_title.as_str())
        .collect();
    assert_eq!(titles, ["Geometriya", "Algebra"], "newest grant first");
    assert!(holdings.courses.iter().all(|c| c.grant.user_id == user));
    let workbooks: Vec<(&str, bool)> = holdings
        .workbooks
        .iter()
        .map(|w| (w.title.as_str(), w.available))
        .collect();
    assert_eq!(
        workbooks,
        [
            (algebra.workbooks[0].title.as_str(), true),
            (algebra.workbooks[1].title.as_str(), true),
            (geometry.workbooks[0].title.as_str(), true),
            (geometry.workbooks[1].title.as_str(), false),
        ]
    );
    assert_eq!(holdings.certificates.len(), 1);
    assert_eq!(holdings.certificates[0].title, "Algebra sertifikati");
    assert_eq!(holdings.certificates[0].course_id, algebra.course.id);

    let nobody = l.access.holdings(Uuid::now_v7()).await.unwrap();
    assert_eq!(nobody, Default::default());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn of_fifty_concurrent_takes_of_a_workbook_exactly_one_wins() {
    let l = learning().await;
    let algebra = l.course("Algebra", false).await;
    let user = l.student("aziza@example.uz").await;
    let t0 = now();
    l.grant(user, &[(algebra.course.id, t0 + months(6))], t0)
        .await
        .unwrap();
    let workbook_id = algebra.workbooks[0].id;

    let takes = |l: &Learning| {
        (0..50)
            .map(|_| {
                let claims = Arc::clone(&l.claims);
                tokio::spawn(async move { claims.take_workbook(user, workbook_id, now()).await })
            })
            .collect::<Vec<_>>()
    };
    let mut won = 0;
    for task in takes(&l) {
        if task.await.unwrap().unwrap() {
            won += 1;
        }
    }
    assert_eq!(won, 1);
    let claim = l
        .claims
        .workbook_claim(user, workbook_id)
        .await
        .unwrap()
        .unwrap();
    assert!(!claim.available);
    assert!(claim.taken_at.is_some());
    assert!(
        !l.claims
            .take_workbook(user, workbook_id, now())
            .await
            .unwrap()
    );
    // The other workbook is untouched.
    assert!(
        l.claims
            .workbook_claim(user, algebra.workbooks[1].id)
            .await
            .unwrap()
            .unwrap()
            .available
    );

    // Reset: one more download, once.
    l.claims.reset_workbook(user, workbook_id).await.unwrap();
    assert!(
        l.claims
            .workbook_claim(user, workbook_id)
            .await
            .unwrap()
            .unwrap()
            .available
    );
    let mut won = 0;
    for task in takes(&l) {
        if task.await.unwrap().unwrap() {
            won += 1;
        }
    }
    assert_eq!(won, 1);

    assert_eq!(
        l.claims.reset_workbook(user, Uuid::now_v7()).await,
        Err(DomainError::NotFound)
    );
    assert_eq!(
        l.claims.reset_workbook(Uuid::now_v7(), workbook_id).await,
        Err(DomainError::NotFound)
    );
    assert!(
        !l.claims
            .take_workbook(Uuid::now_v7(), workbook_id, now())
            .await
            .unwrap()
    );
    assert_eq!(
        l.claims.workbook_claim(Uuid::now_v7(), workbook_id).await,
        Ok(None)
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn of_fifty_concurrent_certificate_claims_exactly_one_wins_and_the_serial_is_kept() {
    let l = learning().await;
    let algebra = l.course("Algebra", true).await;
    let certificate_id = algebra.certificate.unwrap();
    let user = l.student("aziza@example.uz").await;
    let t0 = now();
    l.grant(user, &[(algebra.course.id, t0 + months(6))], t0)
        .await
        .unwrap();

    let tasks: Vec<_> = (0..50)
        .map(|n| {
            let claims = Arc::clone(&l.claims);
            tokio::spawn(async move {
                let serial = format!("BLM-{n:04}");
                let issued = claims
                    .claim_certificate(
                        user,
                        certificate_id,
                        &serial,
                        "Aziza Karimova",
                        "Algebra",
                        t0,
                    )
                    .await;
                (serial, issued)
            })
        })
        .collect();
    let mut winners = Vec::new();
    for task in tasks {
        let (serial, issued) = task.await.unwrap();
        if let Some(issued) = issued.unwrap() {
            winners.push((serial, issued));
        }
    }
    assert_eq!(winners.len(), 1);
    let (serial, issued) = winners.pop().unwrap();
    assert_eq!(issued.serial, serial);
    assert_eq!(issued.certificate_id, certificate_id);
    assert_eq!(issued.course_id, algebra.course.id);
    assert_eq!(issued.holder_name, "Aziza Karimova");
    assert_eq!(issued.course_title, "Algebra");
    assert_eq!(issued.issued_at, t0);
    assert_eq!(
        l.claims.issued_certificate(&serial).await,
        Ok(Some(issued.clone()))
    );
    let claim = l
        .claims
        .certificate_claim(user, algebra.course.id)
        .await
        .unwrap()
        .unwrap();
    assert!(!claim.available);
    assert_eq!(claim.serial.as_deref(), Some(serial.as_str()));
    assert_eq!(claim.claimed_at, Some(t0));
    assert_eq!(
        l.claims
            .claim_certificate(user, certificate_id, "BLM-X", "A", "B", t0)
            .await,
        Ok(None),
        "claimed already"
    );

    // Reset and claim again: a new serial is offered, the stored one is kept,
    // the names and the time are the new claim's.
    l.claims
        .reset_certificate(user, certificate_id)
        .await
        .unwrap();
    let claim = l
        .claims
        .certificate_claim(user, algebra.course.id)
        .await
        .unwrap()
        .unwrap();
    assert!(claim.available);
    assert_eq!(claim.serial.as_deref(), Some(serial.as_str()));
    let t1 = t0 + Duration::days(1);
    let again = l
        .claims
        .claim_certificate(
            user,
            certificate_id,
            "BLM-NEW",
            "Aziza Karimova-Aliyeva",
            "Algebra (yangi)",
            t1,
        )
        .await
        .unwrap()
        .unwrap();
    assert_eq!(again.serial, serial, "the serial survives a reset");
    assert_eq!(again.holder_name, "Aziza Karimova-Aliyeva");
    assert_eq!(again.course_title, "Algebra (yangi)");
    assert_eq!(again.issued_at, t1);
    assert_eq!(l.claims.issued_certificate(&serial).await, Ok(Some(again)));
    assert_eq!(l.claims.issued_certificate("BLM-NEW").await, Ok(None));

    assert_eq!(
        l.claims.reset_certificate(user, Uuid::now_v7()).await,
        Err(DomainError::NotFound)
    );
    assert_eq!(
        l.claims
            .claim_certificate(Uuid::now_v7(), certificate_id, "BLM-Y", "A", "B", t1)
            .await,
        Ok(None)
    );
}

#[tokio::test]
async fn a_serial_another_claim_holds_is_a_conflict() {
    let l = learning().await;
    let algebra = l.course("Algebra", true).await;
    let certificate_id = algebra.certificate.unwrap();
    let t0 = now();
    let first = l.student("first@example.uz").await;
    let second = l.student("second@example.uz").await;
    for user in [first, second] {
        l.grant(user, &[(algebra.course.id, t0 + months(6))], t0)
            .await
            .unwrap();
    }
    l.claims
        .claim_certificate(first, certificate_id, "BLM-1", "A", "B", t0)
        .await
        .unwrap()
        .unwrap();

    let result = l
        .claims
        .claim_certificate(second, certificate_id, "BLM-1", "A", "B", t0)
        .await;

    assert_eq!(
        result,
        Err(DomainError::Conflict {
            what: "certificate.serial".to_owned()
        })
    );
    assert!(
        l.claims
            .certificate_claim(second, algebra.course.id)
            .await
            .unwrap()
            .unwrap()
            .available,
        "nothing changed"
    );
}

#[tokio::test]
async fn due_reminders_and_expiries_are_the_grants_the_job_must_mail() {
    let l = learning().await;
    let t0 = now();
    let algebra = l.course("Algebra", false).await;
    let geometry = l.course("Geometriya", false).await;
    let physics = l.course("Fizika", false).await;
    let user = l.student("aziza@example.uz").await;
    let other = l.student("boshqa@example.uz").await;
    let at = |days: i64| t0 + Duration::days(days);
    // algebra ends in 3 days, geometry in 10, physics ended 2 days ago.
    let grants = l
        .grant(
            user,
            &[
                (algebra.course.id, at(3)),
                (geometry.course.id, at(10)),
                (physics.course.id, at(-2)),
            ],
            at(-60),
        )
        .await
        .unwrap();
    // The other user's algebra ends in 5 days but is revoked.
    l.grant(other, &[(algebra.course.id, at(5))], at(-60))
        .await
        .unwrap();
    l.access
        .revoke(other, algebra.course.id, at(-1))
        .await
        .unwrap();

    let reminders = l.access.due_reminders(t0, at(7), 100).await.unwrap();
    assert_eq!(reminders.len(), 1);
    let notice = &reminders[0];
    assert_eq!(notice.grant_id, grants[0].id);
    assert_eq!(notice.user_id, user);
    assert_eq!(notice.email, "aziza@example.uz");
    assert_eq!(notice.first_name, "Aziza");
    assert_eq!(notice.course_title, "Algebra");
    assert_eq!(notice.expires_at, at(3));
    let wider = l.access.due_reminders(t0, at(10), 100).await.unwrap();
    let ids: Vec<Uuid> = wider.iter().map(|n| n.grant_id).collect();
    assert_eq!(ids, [grants[0].id, grants[1].id], "soonest first");
    assert_eq!(
        l.access.due_reminders(t0, at(10), 1).await.unwrap().len(),
        1
    );

    let expiries = l.access.due_expiries(t0, 100).await.unwrap();
    assert_eq!(expiries.len(), 1);
    assert_eq!(expiries[0].grant_id, grants[2].id);
    assert_eq!(expiries[0].course_title, "Fizika");
    let later = l.access.due_expiries(at(4), 100).await.unwrap();
    let ids: Vec<Uuid> = later.iter().map(|n| n.grant_id).collect();
    assert_eq!(ids, [grants[2].id, grants[0].id]);

    // Marked grants are no longer due; a cleared mark is due again.
    assert!(
        l.access
            .mark_reminded(grants[0].id, at(3), t0)
            .await
            .unwrap()
    );
    assert!(
        l.access
            .due_reminders(t0, at(7), 100)
            .await
            .unwrap()
            .is_empty()
    );
    assert!(
        l.access
            .mark_expired(grants[2].id, at(-2), t0)
            .await
            .unwrap()
    );
    assert!(l.access.due_expiries(t0, 100).await.unwrap().is_empty());
    l.access
        .clear_notice_mark(grants[0].id, NoticeKind::Reminder)
        .await
        .unwrap();
    l.access
        .clear_notice_mark(grants[2].id, NoticeKind::Expiry)
        .await
        .unwrap();
    assert_eq!(
        l.access.due_reminders(t0, at(7), 100).await.unwrap().len(),
        1
    );
    assert_eq!(l.access.due_expiries(t0, 100).await.unwrap().len(), 1);
    l.access
        .clear_notice_mark(Uuid::now_v7(), NoticeKind::Expiry)
        .await
        .unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn of_ten_concurrent_marks_exactly_one_wins_and_a_changed_expiry_refuses() {
    let l = learning().await;
    let algebra = l.course("Algebra", false).await;
    let user = l.student("aziza@example.uz").await;
    let t0 = now();
    let ends = t0 + Duration::days(3);
    let grant = l
        .grant(user, &[(algebra.course.id, ends)], t0)
        .await
        .unwrap()
        .remove(0);
    let access = &l.access;

    for notice in [NoticeKind::Reminder, NoticeKind::Expiry] {
        let tasks: Vec<_> = (0..10)
            .map(|_| {
                let access = Arc::clone(access);
                tokio::spawn(async move {
                    match notice {
                        NoticeKind::Reminder => access.mark_reminded(grant.id, ends, now()).await,
                        NoticeKind::Expiry => access.mark_expired(grant.id, ends, now()).await,
                    }
                })
            })
            .collect();
        let mut won = 0;
        for task in tasks {
            if task.await.unwrap().unwrap() {
                won += 1;
            }
        }
        assert_eq!(won, 1, "{notice:?}");
    }

    // The grant was extended since the job read it: its notices are stale.
    l.access
        .clear_notice_mark(grant.id, NoticeKind::Reminder)
        .await
        .unwrap();
    l.access
        .clear_notice_mark(grant.id, NoticeKind::Expiry)
        .await
        .unwrap();
    let extended = t0 + months(6);
    l.grant(user, &[(algebra.course.id, extended)], t0)
        .await
        .unwrap();
    assert!(!access.mark_reminded(grant.id, ends, now()).await.unwrap());
    assert!(!access.mark_expired(grant.id, ends, now()).await.unwrap());
    assert!(
        access
            .mark_reminded(grant.id, extended, now())
            .await
            .unwrap()
    );

    // A revoked grant is never marked.
    l.access
        .revoke(user, algebra.course.id, now())
        .await
        .unwrap();
    assert!(
        !access
            .mark_expired(grant.id, extended, now())
            .await
            .unwrap()
    );
    assert!(
        !access
            .mark_reminded(Uuid::now_v7(), extended, now())
            .await
            .unwrap()
    );
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

    let target = algebra.course.id.to_string();
    let refused = audit_entry(l.catalogue.admin, "course.delete", &target);
    assert_eq!(
        l.catalogue
            .writer
            .delete_course(algebra.course.id, &refused)
            .await,
        has_students
    );
    l.access.revoke(user, algebra.course.id, t0).await.unwrap();
    assert_eq!(
        l.catalogue
            .writer
            .delete_course(algebra.course.id, &refused)
            .await,
        has_students,
        "a revoked grant still holds the course"
    );
    // The refused deletes wrote no audit entry.
    let of_course = AuditQuery {
        target_id: Some(target),
        limit: 10,
        ..AuditQuery::default()
    };
    let audit = SeaAuditLog::new(l.catalogue.fixture.db.clone());
    assert_eq!(audit.list(&of_course).await, Ok(vec![]));
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

#[tokio::test]
async fn writer_changes_without_holders_open_nothing() {
    let l = learning().await;
    let algebra = l.course("Algebra", true).await;
    assert_eq!(l.count("user_take_workbook").await, 0);
    assert_eq!(l.count("certificate_open_user").await, 0);
    let writer: &Arc<dyn CatalogueWriter> = &l.catalogue.writer;
    writer
        .put_certificate(algebra.course.id, &title("Yangi nom"), &l.catalogue.entry())
        .await
        .unwrap();
    assert_eq!(l.count("certificate_open_user").await, 0);
}
