//! Grants: what a grant opens, repeats that never duplicate or reset, a
//! grant naming an unknown course, revocation, and a user's holdings.

use super::{learning, months};
use crate::users::now;
use bilim_domain::DomainError;
use bilim_domain::learning::AccessState;
use bilim_domain::ports::AccessRepository;
use bilim_repository::learning::SeaAccessRepository;
use chrono::Duration;
use std::sync::{Arc, Mutex};
use uuid::Uuid;

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
    l.revoke(user, algebra.course.id, t1 + Duration::days(1))
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
    assert_eq!(
        l.access
            .grant(user, &[], l.admin, t0, &l.entry("user.grant", user))
            .await,
        Ok(Vec::new())
    );
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
async fn revoke_sets_revoked_at_once() {
    let l = learning().await;
    let algebra = l.course("Algebra", true).await;
    let user = l.student("aziza@example.uz").await;
    let t0 = now();
    l.grant(user, &[(algebra.course.id, t0 + months(6))], t0)
        .await
        .unwrap();

    let at = t0 + Duration::days(1);
    l.revoke(user, algebra.course.id, at).await.unwrap();
    l.revoke(user, algebra.course.id, at + Duration::days(1))
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
        l.revoke(user, Uuid::now_v7(), at).await,
        Err(DomainError::NotFound)
    );
    assert_eq!(
        l.revoke(Uuid::now_v7(), algebra.course.id, at).await,
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
