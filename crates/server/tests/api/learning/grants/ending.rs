//! Ending a grant: revocation closes the course at once (a new grant reopens
//! it), and an expired grant closes everything until it is extended.

use super::id;
use crate::learning::helpers::{
    admin, at, claim, course_with_videos, download, granted, granted_with, learning_app, list, me,
    progress, revoke, student, time, unauthorized, video, watch,
};
use crate::support::{certificate, json_of, pdf, problem, workbook};
use chrono::Duration;
use serde_json::json;

#[tokio::test]
async fn a_revoked_grant_closes_the_course_at_once_and_a_new_grant_reopens_it() {
    let app = learning_app().await;
    let token = admin(&app).await;
    let algebra = course_with_videos(&app, &token, "Algebra", &[60], json!({})).await;
    let other = course_with_videos(&app, &token, "Geometriya", &[60], json!({})).await;
    let made = workbook(&app, &token, &algebra.id, "Mashqlar", None, &pdf(1, 2_000)).await;
    certificate(&app, &token, &algebra.id, "Sertifikat").await;
    let aziz = student(&app, "aziz@example.uz").await;
    let lesson = &algebra.lessons[0];

    granted(&app, &token, &aziz.id, &[&algebra.id]).await;
    watch(&app, &aziz.token, &algebra.lessons).await;
    json_of(video(&app, &aziz.token, lesson).await, 200).await;

    assert_eq!(
        revoke(&app, &token, &aziz.id, &algebra.id).await.status(),
        204
    );
    problem(video(&app, &aziz.token, lesson).await, 403, "access.none").await;
    problem(
        progress(&app, &aziz.token, lesson, &json!({"position_seconds": 5})).await,
        403,
        "access.none",
    )
    .await;
    problem(
        download(&app, &aziz.token, &id(&made)).await,
        403,
        "workbook.locked",
    )
    .await;
    problem(
        claim(&app, &aziz.token, &algebra.id).await,
        403,
        "certificate.locked",
    )
    .await;
    let mine = me(&app, &aziz.token).await;
    for course in list(&mine, "courses") {
        assert_eq!(
            course["active"], false,
            "a revoked grant is not active: {mine}"
        );
    }

    // Revoking again is still 204; a course never granted is 404.
    assert_eq!(
        revoke(&app, &token, &aziz.id, &algebra.id).await.status(),
        204
    );
    problem(
        revoke(&app, &token, &aziz.id, &other.id).await,
        404,
        "access.not_found",
    )
    .await;
    unauthorized(revoke(&app, &aziz.token, &aziz.id, &algebra.id).await).await;

    // A new grant opens it again, the workbook ready for download.
    let items = granted(&app, &token, &aziz.id, &[&algebra.id]).await;
    assert_eq!(items[0]["active"], true);
    json_of(video(&app, &aziz.token, lesson).await, 200).await;
    json_of(download(&app, &aziz.token, &id(&made)).await, 200).await;
    let mine = me(&app, &aziz.token).await;
    let courses = list(&mine, "courses");
    assert_eq!(courses.len(), 1, "{mine}");
    assert_eq!(courses[0]["active"], true, "{mine}");
}

#[tokio::test]
async fn an_expired_grant_closes_everything_until_it_is_extended() {
    let app = learning_app().await;
    let token = admin(&app).await;
    let algebra = course_with_videos(&app, &token, "Algebra", &[60], json!({})).await;
    let made = workbook(&app, &token, &algebra.id, "Mashqlar", None, &pdf(1, 2_000)).await;
    certificate(&app, &token, &algebra.id, "Sertifikat").await;
    let mut aziz = student(&app, "aziz@example.uz").await;
    let lesson = &algebra.lessons[0];

    // Ten minutes of access: the tokens outlive it.
    granted_with(
        &app,
        &token,
        &aziz.id,
        json!({"course_ids": [algebra.id], "expires_at": "2026-09-01T08:10:00Z"}),
    )
    .await;
    watch(&app, &aziz.token, &algebra.lessons).await;
    app.clock.advance(Duration::minutes(10));

    problem(
        video(&app, &aziz.token, lesson).await,
        403,
        "access.expired",
    )
    .await;
    problem(
        progress(&app, &aziz.token, lesson, &json!({"position_seconds": 5})).await,
        403,
        "access.expired",
    )
    .await;
    problem(
        download(&app, &aziz.token, &id(&made)).await,
        403,
        "workbook.locked",
    )
    .await;
    problem(
        claim(&app, &aziz.token, &algebra.id).await,
        403,
        "certificate.locked",
    )
    .await;
    let mine = me(&app, &aziz.token).await;
    let courses = list(&mine, "courses");
    assert_eq!(courses.len(), 1, "an expired grant is still listed: {mine}");
    assert_eq!(courses[0]["active"], false, "{mine}");

    // An extension opens it again, progress kept.
    let items = granted(&app, &token, &aziz.id, &[&algebra.id]).await;
    assert_eq!(at(&items[0]["expires_at"]), time("2027-03-01T08:10:31Z"));
    assert_eq!(items[0]["active"], true);
    aziz.again(&app).await;
    json_of(video(&app, &aziz.token, lesson).await, 200).await;
    json_of(download(&app, &aziz.token, &id(&made)).await, 200).await;
    json_of(claim(&app, &aziz.token, &algebra.id).await, 200).await;
}
