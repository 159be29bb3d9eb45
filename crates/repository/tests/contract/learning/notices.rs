//! The expiry job's side: the grants due a reminder or an end-of-access
//! mail, and marks of which one concurrent caller wins.

use super::{learning, months};
use crate::users::now;
use bilim_domain::ports::NoticeKind;
use chrono::Duration;
use std::sync::Arc;
use uuid::Uuid;

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
    l.revoke(other, algebra.course.id, at(-1)).await.unwrap();

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
    l.revoke(user, algebra.course.id, now()).await.unwrap();
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
