//! Granting: a grant opens the course with its workbooks and certificate for
//! the course's access months (calendar months), explicit months or an exact
//! expiry; a repeat sets the expiry again without duplicating anything; a later
//! change of `access_months` moves no granted expiry; a bad request grants
//! nothing.

use super::id;
use crate::helpers::start_time;
use crate::learning::helpers::{
    admin, admin_again, admin_view, at, course_with_videos, download, grant, granted, granted_with,
    keys, learning_app, list, me, names, patch_course, student, time, unauthorized, video, watch,
};
use crate::support::{certificate, json_of, pdf, problem, workbook};
use chrono::Duration;
use serde_json::{Value, json};

const GRANT_KEYS: [&str; 5] = ["course_id", "title", "opened_at", "expires_at", "active"];
const WORKBOOK_KEYS: [&str; 5] = ["workbook_id", "course_id", "title", "available", "taken_at"];
const CERTIFICATE_KEYS: [&str; 6] = [
    "certificate_id",
    "course_id",
    "title",
    "available",
    "claimed_at",
    "serial",
];

/// The one grant of `items` for `course`.
fn grant_for<'a>(items: &'a [Value], course: &str) -> &'a Value {
    let found: Vec<&Value> = items.iter().filter(|g| g["course_id"] == course).collect();
    assert_eq!(found.len(), 1, "one grant for {course}: {items:?}");
    found[0]
}

#[tokio::test]
async fn a_grant_opens_the_course_for_its_access_months_with_its_workbooks_and_certificate() {
    let app = learning_app().await;
    let token = admin(&app).await;
    let algebra = course_with_videos(&app, &token, "Algebra", &[60, 60], json!({})).await;
    let made = workbook(
        &app,
        &token,
        &algebra.id,
        "Mashqlar",
        Some(&algebra.lessons[0]),
        &pdf(1, 2_000),
    )
    .await;
    let cert = certificate(&app, &token, &algebra.id, "Algebra sertifikati").await;
    let mut aziz = student(&app, "aziz@example.uz").await;

    // Nothing is open before the grant.
    let before = me(&app, &aziz.token).await;
    for field in ["courses", "workbooks", "certificates"] {
        assert!(list(&before, field).is_empty(), "{before}");
    }
    problem(
        video(&app, &aziz.token, &algebra.lessons[0]).await,
        403,
        "access.none",
    )
    .await;

    let items = granted(&app, &token, &aziz.id, &[&algebra.id]).await;
    assert_eq!(items.len(), 1, "{items:?}");
    let item = &items[0];
    assert_eq!(keys(item), names(&GRANT_KEYS), "{item}");
    assert_eq!(item["course_id"], algebra.id.as_str());
    assert_eq!(item["title"], "Algebra");
    assert_eq!(item["active"], true);
    assert_eq!(at(&item["opened_at"]), start_time());
    // 2026-09-01 08:00 + 6 calendar months.
    assert_eq!(at(&item["expires_at"]), time("2027-03-01T08:00:00Z"));

    // The user sees the grant, the workbook and the certificate.
    let mine = me(&app, &aziz.token).await;
    assert_eq!(mine["id"], aziz.id.as_str());
    let courses = list(&mine, "courses");
    assert_eq!(courses.len(), 1, "{mine}");
    assert_eq!(&courses[0], item, "{mine}");
    let workbooks = list(&mine, "workbooks");
    assert_eq!(workbooks.len(), 1, "{mine}");
    assert_eq!(keys(&workbooks[0]), names(&WORKBOOK_KEYS), "{mine}");
    assert_eq!(workbooks[0]["workbook_id"], id(&made).as_str());
    assert_eq!(workbooks[0]["course_id"], algebra.id.as_str());
    assert_eq!(workbooks[0]["title"], "Mashqlar");
    assert_eq!(workbooks[0]["available"], true);
    assert_eq!(workbooks[0]["taken_at"], Value::Null);
    let certificates = list(&mine, "certificates");
    assert_eq!(certificates.len(), 1, "{mine}");
    assert_eq!(keys(&certificates[0]), names(&CERTIFICATE_KEYS), "{mine}");
    assert_eq!(certificates[0]["certificate_id"], id(&cert).as_str());
    assert_eq!(certificates[0]["course_id"], algebra.id.as_str());
    assert_eq!(certificates[0]["title"], "Algebra sertifikati");
    assert_eq!(certificates[0]["available"], true);
    assert_eq!(certificates[0]["claimed_at"], Value::Null);
    assert_eq!(certificates[0]["serial"], Value::Null);

    // The admin sees the same on the user.
    let seen = admin_view(&app, &token, &aziz.id).await;
    assert_eq!(seen["id"], aziz.id.as_str());
    for field in ["courses", "workbooks", "certificates"] {
        assert_eq!(seen[field], mine[field], "{field}: {seen}");
    }

    // And the course opens: its videos play.
    json_of(video(&app, &aziz.token, &algebra.lessons[0]).await, 200).await;

    // One second before the expiry it is still open; at the expiry it is not.
    app.clock
        .set(time("2027-03-01T08:00:00Z") - Duration::seconds(1));
    aziz.again(&app).await;
    json_of(video(&app, &aziz.token, &algebra.lessons[1]).await, 200).await;
    app.clock.advance(Duration::seconds(1));
    problem(
        video(&app, &aziz.token, &algebra.lessons[1]).await,
        403,
        "access.expired",
    )
    .await;
}

#[tokio::test]
async fn the_default_term_is_the_course_access_months_in_calendar_months() {
    let app = learning_app().await;
    // The last day of a 31-day month, before anyone signs in.
    app.clock.set(time("2026-10-31T12:00:00Z"));
    let token = admin(&app).await;
    let six = course_with_videos(&app, &token, "Olti oy", &[60], json!({})).await;
    let three =
        course_with_videos(&app, &token, "Uch oy", &[60], json!({"access_months": 3})).await;
    let four =
        course_with_videos(&app, &token, "Toʻrt oy", &[60], json!({"access_months": 4})).await;
    let aziz = student(&app, "aziz@example.uz").await;

    let items = granted(&app, &token, &aziz.id, &[&six.id, &three.id, &four.id]).await;
    assert_eq!(items.len(), 3, "{items:?}");
    // Days past the end of the target month fall back to its last day.
    assert_eq!(
        at(&grant_for(&items, &six.id)["expires_at"]),
        time("2027-04-30T12:00:00Z")
    );
    assert_eq!(
        at(&grant_for(&items, &three.id)["expires_at"]),
        time("2027-01-31T12:00:00Z")
    );
    assert_eq!(
        at(&grant_for(&items, &four.id)["expires_at"]),
        time("2027-02-28T12:00:00Z")
    );
    for item in &items {
        assert_eq!(at(&item["opened_at"]), time("2026-10-31T12:00:00Z"));
        assert_eq!(item["active"], true);
    }
    let mine = me(&app, &aziz.token).await;
    assert_eq!(list(&mine, "courses").len(), 3, "{mine}");
}

#[tokio::test]
async fn months_or_an_exact_expiry_replace_the_course_default() {
    let app = learning_app().await;
    let token = admin(&app).await;
    let algebra = course_with_videos(&app, &token, "Algebra", &[60], json!({})).await;
    let geometry = course_with_videos(&app, &token, "Geometriya", &[60], json!({})).await;
    let physics = course_with_videos(&app, &token, "Fizika", &[60], json!({})).await;
    let aziz = student(&app, "aziz@example.uz").await;

    let items = granted_with(
        &app,
        &token,
        &aziz.id,
        json!({"course_ids": [algebra.id], "months": 1}),
    )
    .await;
    assert_eq!(at(&items[0]["expires_at"]), time("2026-10-01T08:00:00Z"));

    let items = granted_with(
        &app,
        &token,
        &aziz.id,
        json!({"course_ids": [geometry.id], "expires_at": "2026-12-25T00:00:00Z"}),
    )
    .await;
    assert_eq!(at(&items[0]["expires_at"]), time("2026-12-25T00:00:00Z"));

    let items = granted_with(
        &app,
        &token,
        &aziz.id,
        json!({"course_ids": [physics.id], "months": 60}),
    )
    .await;
    assert_eq!(at(&items[0]["expires_at"]), time("2031-09-01T08:00:00Z"));

    let mine = me(&app, &aziz.token).await;
    let courses = list(&mine, "courses");
    assert_eq!(courses.len(), 3, "{mine}");
    assert_eq!(
        at(&grant_for(courses, &algebra.id)["expires_at"]),
        time("2026-10-01T08:00:00Z")
    );
    assert_eq!(
        at(&grant_for(courses, &geometry.id)["expires_at"]),
        time("2026-12-25T00:00:00Z")
    );
    assert_eq!(
        at(&grant_for(courses, &physics.id)["expires_at"]),
        time("2031-09-01T08:00:00Z")
    );
}

#[tokio::test]
async fn a_repeat_grant_sets_the_expiry_again_from_now_and_duplicates_nothing() {
    let app = learning_app().await;
    let mut token = admin(&app).await;
    let algebra = course_with_videos(&app, &token, "Algebra", &[60], json!({})).await;
    let made = workbook(&app, &token, &algebra.id, "Mashqlar", None, &pdf(1, 2_000)).await;
    certificate(&app, &token, &algebra.id, "Sertifikat").await;
    let mut aziz = student(&app, "aziz@example.uz").await;

    granted(&app, &token, &aziz.id, &[&algebra.id]).await;
    watch(&app, &aziz.token, &algebra.lessons).await;
    json_of(download(&app, &aziz.token, &id(&made)).await, 200).await;

    // A month later the same grant again: six months from now.
    app.clock.advance(Duration::days(30));
    token = admin_again(&app).await;
    aziz.again(&app).await;
    let items = granted(&app, &token, &aziz.id, &[&algebra.id, &algebra.id]).await;
    assert_eq!(
        items.len(),
        1,
        "repeats in one request count once: {items:?}"
    );
    assert_eq!(at(&items[0]["expires_at"]), time("2027-04-01T08:00:31Z"));
    assert_eq!(items[0]["active"], true);

    // A sooner end asked: a repeat never shortens access (grant_extend.rs).
    let items = granted_with(
        &app,
        &token,
        &aziz.id,
        json!({"course_ids": [algebra.id], "months": 1}),
    )
    .await;
    assert_eq!(at(&items[0]["expires_at"]), time("2027-04-01T08:00:31Z"));

    let mine = me(&app, &aziz.token).await;
    let courses = list(&mine, "courses");
    assert_eq!(courses.len(), 1, "{mine}");
    assert_eq!(at(&courses[0]["expires_at"]), time("2027-04-01T08:00:31Z"));
    assert_eq!(at(&courses[0]["opened_at"]), start_time(), "{mine}");
    let workbooks = list(&mine, "workbooks");
    assert_eq!(workbooks.len(), 1, "{mine}");
    assert_eq!(
        workbooks[0]["available"], false,
        "a taken workbook stays taken"
    );
    assert_eq!(
        at(&workbooks[0]["taken_at"]),
        start_time() + chrono::Duration::seconds(31),
        "taken after `watch` moved the clock"
    );
    assert_eq!(list(&mine, "certificates").len(), 1, "{mine}");
    problem(
        download(&app, &aziz.token, &id(&made)).await,
        409,
        "workbook.already_taken",
    )
    .await;
}

#[tokio::test]
async fn changing_the_course_access_months_does_not_move_a_granted_expiry() {
    let app = learning_app().await;
    let token = admin(&app).await;
    let algebra = course_with_videos(&app, &token, "Algebra", &[60], json!({})).await;
    let aziz = student(&app, "aziz@example.uz").await;
    let malika = student(&app, "malika@example.uz").await;

    granted(&app, &token, &aziz.id, &[&algebra.id]).await;
    patch_course(&app, &token, &algebra.id, &json!({"access_months": 24})).await;

    let mine = me(&app, &aziz.token).await;
    assert_eq!(
        at(&list(&mine, "courses")[0]["expires_at"]),
        time("2027-03-01T08:00:00Z"),
        "{mine}"
    );
    // A grant made after the change takes the new term.
    let items = granted(&app, &token, &malika.id, &[&algebra.id]).await;
    assert_eq!(at(&items[0]["expires_at"]), time("2028-09-01T08:00:00Z"));
}

#[tokio::test]
async fn a_bad_grant_request_is_refused_and_grants_nothing() {
    let app = learning_app().await;
    let token = admin(&app).await;
    let algebra = course_with_videos(&app, &token, "Algebra", &[60], json!({})).await;
    let aziz = student(&app, "aziz@example.uz").await;
    let unknown = uuid::Uuid::now_v7().to_string();
    let many: Vec<String> = (0..51).map(|_| uuid::Uuid::now_v7().to_string()).collect();

    let invalid = [
        json!({"course_ids": [algebra.id], "months": 3, "expires_at": "2027-01-01T00:00:00Z"}),
        json!({"course_ids": [algebra.id], "months": 0}),
        json!({"course_ids": [algebra.id], "months": 61}),
        json!({"course_ids": [algebra.id], "months": -1}),
        json!({"course_ids": [algebra.id], "months": "3"}),
        json!({"course_ids": [algebra.id], "expires_at": "2026-09-01T08:00:00Z"}),
        json!({"course_ids": [algebra.id], "expires_at": "2020-01-01T00:00:00Z"}),
        json!({"course_ids": [algebra.id], "expires_at": "tomorrow"}),
        json!({"course_ids": []}),
        json!({"course_ids": many}),
        json!({"course_ids": ["not-a-uuid"]}),
        json!({"course_ids": algebra.id}),
        json!({}),
        json!({"course_ids": [algebra.id], "days": 30}),
    ];
    for body in invalid {
        problem(
            grant(&app, &token, &aziz.id, &body).await,
            400,
            "validation",
        )
        .await;
    }

    problem(
        grant(&app, &token, &unknown, &json!({"course_ids": [algebra.id]})).await,
        404,
        "user.not_found",
    )
    .await;
    // One unknown course refuses the whole request.
    problem(
        grant(
            &app,
            &token,
            &aziz.id,
            &json!({"course_ids": [algebra.id, unknown]}),
        )
        .await,
        404,
        "course.not_found",
    )
    .await;
    // Only admins grant.
    let response = grant(
        &app,
        &aziz.token,
        &aziz.id,
        &json!({"course_ids": [algebra.id]}),
    )
    .await;
    unauthorized(response).await;

    let mine = me(&app, &aziz.token).await;
    for field in ["courses", "workbooks", "certificates"] {
        assert!(list(&mine, field).is_empty(), "{mine}");
    }
    problem(
        video(&app, &aziz.token, &algebra.lessons[0]).await,
        403,
        "access.none",
    )
    .await;
}
