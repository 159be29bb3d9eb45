//! A repeat grant never shortens access: an active grant ends at the later of
//! its end and the asked one, decided by the upsert itself; a revoked or
//! expired grant granted again starts over with the asked end.

use super::{learning, months};
use crate::users::now;
use bilim_domain::learning::AccessState;
use chrono::Duration;

#[tokio::test]
async fn a_repeat_grant_extends_an_active_grant_but_never_shortens_it() {
    let l = learning().await;
    let algebra = l.course("Algebra", false).await;
    let user = l.student("aziza@example.uz").await;
    let t0 = now();
    let six_months = t0 + months(6);
    let first = l
        .grant(user, &[(algebra.course.id, six_months)], t0)
        .await
        .unwrap()
        .remove(0);

    // A month later, one month asked: the six months stay.
    let t1 = t0 + Duration::days(30);
    let shorter = l
        .grant(user, &[(algebra.course.id, t1 + months(1))], t1)
        .await
        .unwrap()
        .remove(0);
    assert_eq!(shorter.id, first.id, "the same row");
    assert_eq!(shorter.expires_at, six_months);
    assert_eq!(shorter.opened_at, t0);
    let stored = l
        .access
        .grant_of(user, algebra.course.id)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(stored.expires_at, six_months);

    // Twelve months asked: extended to them.
    let longer = l
        .grant(user, &[(algebra.course.id, t1 + months(12))], t1)
        .await
        .unwrap()
        .remove(0);
    assert_eq!(longer.expires_at, t1 + months(12));
    assert_eq!(longer.opened_at, t0, "an active grant keeps opened_at");

    // An exact end, earlier than the current one: nothing moves.
    let t2 = t1 + Duration::days(1);
    let earlier = l
        .grant(user, &[(algebra.course.id, t2 + Duration::days(3))], t2)
        .await
        .unwrap()
        .remove(0);
    assert_eq!(earlier.expires_at, t1 + months(12));
    assert_eq!(earlier.state(t2), AccessState::Active);
    assert_eq!(l.count("courses_open_users").await, 1);
}

#[tokio::test]
async fn one_request_extends_some_courses_and_keeps_the_later_end_of_others() {
    let l = learning().await;
    let algebra = l.course("Algebra", false).await;
    let geometry = l.course("Geometriya", false).await;
    let user = l.student("aziza@example.uz").await;
    let t0 = now();
    l.grant(
        user,
        &[
            (algebra.course.id, t0 + months(1)),
            (geometry.course.id, t0 + months(12)),
        ],
        t0,
    )
    .await
    .unwrap();

    let grants = l
        .grant(
            user,
            &[
                (algebra.course.id, t0 + months(6)),
                (geometry.course.id, t0 + months(6)),
            ],
            t0 + Duration::hours(1),
        )
        .await
        .unwrap();

    assert_eq!(grants[0].expires_at, t0 + months(6), "extended");
    assert_eq!(grants[1].expires_at, t0 + months(12), "kept");
}

#[tokio::test]
async fn a_repeat_that_leaves_the_end_keeps_its_marks_and_one_that_moves_it_clears_them() {
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
    assert!(l.access.mark_reminded(grant.id, ends, t0).await.unwrap());

    // The same end or an earlier one: the reminder was sent for this end.
    for asked in [ends, t0 + Duration::days(1)] {
        l.grant(user, &[(algebra.course.id, asked)], t0)
            .await
            .unwrap();
        assert!(
            l.access
                .due_reminders(t0, t0 + Duration::days(7), 100)
                .await
                .unwrap()
                .is_empty(),
            "{asked}"
        );
    }

    // A later end gets its own reminder.
    let later = t0 + Duration::days(5);
    l.grant(user, &[(algebra.course.id, later)], t0)
        .await
        .unwrap();
    let due = l
        .access
        .due_reminders(t0, t0 + Duration::days(7), 100)
        .await
        .unwrap();
    assert_eq!(due.len(), 1);
    assert_eq!(due[0].expires_at, later);
}

#[tokio::test]
async fn a_revoked_or_expired_grant_granted_again_ends_at_the_asked_end() {
    let l = learning().await;
    let algebra = l.course("Algebra", false).await;
    let geometry = l.course("Geometriya", false).await;
    let user = l.student("aziza@example.uz").await;
    let t0 = now();
    l.grant(
        user,
        &[
            (algebra.course.id, t0 + months(12)),
            (geometry.course.id, t0 + Duration::days(1)),
        ],
        t0,
    )
    .await
    .unwrap();
    l.revoke(user, algebra.course.id, t0 + Duration::hours(1))
        .await
        .unwrap();

    // Revoked with eleven months left: a new grant of one month is one month.
    let t1 = t0 + Duration::days(2);
    let reopened = l
        .grant(user, &[(algebra.course.id, t1 + months(1))], t1)
        .await
        .unwrap()
        .remove(0);
    assert_eq!(reopened.expires_at, t1 + months(1));
    assert_eq!(reopened.opened_at, t1);
    assert_eq!(reopened.revoked_at, None);

    // Expired a day ago: starts over too.
    let renewed = l
        .grant(user, &[(geometry.course.id, t1 + months(1))], t1)
        .await
        .unwrap()
        .remove(0);
    assert_eq!(renewed.expires_at, t1 + months(1));
    assert_eq!(renewed.opened_at, t1);
    assert_eq!(renewed.state(t1), AccessState::Active);
}
