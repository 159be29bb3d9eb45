//! A repeat grant never shortens access (API.md, "Conventions added in
//! v1.1"): the new end of an active grant is the later of its current end and
//! the asked one, whether asked in months or as an exact `expires_at`. A
//! revoked or expired grant granted again starts over with the asked end.
//! Every grant is in the audit log.

use super::helpers::{
    admin, admin_again, admin_view, at, course_with_videos, granted, granted_with, learning_app,
    list, me, revoke, student, time,
};
use crate::support::{AUDIT, get, json_of};
use chrono::{DateTime, Duration, Utc};
use serde_json::{Value, json};

/// The end of the one grant of `course` in `courses` (a list of grants).
fn end_of(courses: &[Value], course: &str) -> DateTime<Utc> {
    let found: Vec<&Value> = courses
        .iter()
        .filter(|g| g["course_id"] == course)
        .collect();
    assert_eq!(found.len(), 1, "one grant of {course}: {courses:?}");
    at(&found[0]["expires_at"])
}

#[tokio::test]
async fn a_repeat_grant_extends_but_never_shortens_access() {
    let app = learning_app().await;
    let token = admin(&app).await;
    let algebra = course_with_videos(&app, &token, "Algebra", &[60], json!({})).await;
    let aziz = student(&app, "aziz@example.uz").await;
    let six_months = time("2027-03-01T08:00:00Z");
    let body = |extra: Value| {
        let mut body = json!({"course_ids": [algebra.id]});
        body.as_object_mut()
            .unwrap()
            .extend(extra.as_object().unwrap().clone());
        body
    };

    let items = granted_with(&app, &token, &aziz.id, body(json!({"months": 6}))).await;
    assert_eq!(end_of(&items, &algebra.id), six_months);

    // One month asked of a six-month grant: the six months stay.
    let items = granted_with(&app, &token, &aziz.id, body(json!({"months": 1}))).await;
    assert_eq!(end_of(&items, &algebra.id), six_months);
    assert_eq!(items[0]["active"], true);
    let mine = me(&app, &aziz.token).await;
    assert_eq!(end_of(list(&mine, "courses"), &algebra.id), six_months);

    // Twelve months asked: extended to them.
    let twelve_months = time("2027-09-01T08:00:00Z");
    let items = granted_with(&app, &token, &aziz.id, body(json!({"months": 12}))).await;
    assert_eq!(end_of(&items, &algebra.id), twelve_months);

    // An exact end earlier than the current one never shortens it either.
    let earlier = json!({"expires_at": "2027-01-01T00:00:00Z"});
    let items = granted_with(&app, &token, &aziz.id, body(earlier)).await;
    assert_eq!(end_of(&items, &algebra.id), twelve_months);
    let seen = admin_view(&app, &token, &aziz.id).await;
    assert_eq!(end_of(list(&seen, "courses"), &algebra.id), twelve_months);
    let mine = me(&app, &aziz.token).await;
    assert_eq!(end_of(list(&mine, "courses"), &algebra.id), twelve_months);
    assert_eq!(list(&mine, "courses").len(), 1, "{mine}");

    // Each of the four grants is recorded, with the end it asked for.
    let path = format!("{AUDIT}?target_id={}", aziz.id);
    let log = json_of(get(&app, &path, &token).await, 200).await;
    let entries = list(&log, "items");
    let actions: Vec<&str> = entries
        .iter()
        .map(|e| e["action"].as_str().unwrap())
        .collect();
    assert_eq!(actions, ["user.grant"; 4], "{log}");
    let asked = &entries[0]["details"]["courses"][0];
    assert_eq!(asked["course_id"], algebra.id.as_str(), "{log}");
    assert_eq!(at(&asked["expires_at"]), time("2027-01-01T00:00:00Z"));
}

#[tokio::test]
async fn a_revoked_or_expired_grant_granted_again_starts_over_from_the_asked_end() {
    let app = learning_app().await;
    let token = admin(&app).await;
    let algebra = course_with_videos(&app, &token, "Algebra", &[60], json!({})).await;
    let geometry = course_with_videos(&app, &token, "Geometriya", &[60], json!({})).await;
    let aziz = student(&app, "aziz@example.uz").await;

    granted_with(
        &app,
        &token,
        &aziz.id,
        json!({"course_ids": [algebra.id], "months": 12}),
    )
    .await;
    granted_with(
        &app,
        &token,
        &aziz.id,
        json!({"course_ids": [geometry.id], "expires_at": "2026-09-01T08:10:00Z"}),
    )
    .await;
    assert_eq!(
        revoke(&app, &token, &aziz.id, &algebra.id).await.status(),
        204
    );

    // A day later algebra is revoked (eleven months and more left) and
    // geometry expired: one month asked is one month from now for both.
    app.clock.advance(Duration::days(1));
    let token = admin_again(&app).await;
    let items = granted_with(
        &app,
        &token,
        &aziz.id,
        json!({"course_ids": [algebra.id, geometry.id], "months": 1}),
    )
    .await;
    let month_from_now = time("2026-10-02T08:00:00Z");
    for course in [&algebra.id, &geometry.id] {
        assert_eq!(end_of(&items, course), month_from_now, "{items:?}");
    }
    assert!(items.iter().all(|g| g["active"] == true), "{items:?}");
    let seen = admin_view(&app, &token, &aziz.id).await;
    for course in [&algebra.id, &geometry.id] {
        assert_eq!(end_of(list(&seen, "courses"), course), month_from_now);
    }

    // Now active again, a shorter term leaves them as they are.
    let items = granted(&app, &token, &aziz.id, &[&algebra.id]).await;
    assert_eq!(
        end_of(&items, &algebra.id),
        time("2027-03-02T08:00:00Z"),
        "the course's six months are later: extended"
    );
    let items = granted_with(
        &app,
        &token,
        &aziz.id,
        json!({"course_ids": [geometry.id], "expires_at": "2026-09-15T00:00:00Z"}),
    )
    .await;
    assert_eq!(end_of(&items, &geometry.id), month_from_now);
}
