//! Grants and later changes to the course: a course with grants cannot be
//! deleted, and workbooks and a certificate added after a grant reach its
//! holders.

use super::id;
use crate::learning::helpers::{
    admin, bare_lesson, claim, course_with_videos, download, granted, learning_app, list, me,
    student, video, watch,
};
use crate::support::{ADMIN_COURSES, certificate, delete, get, json_of, pdf, problem, workbook};
use serde_json::json;

#[tokio::test]
async fn a_course_with_grants_cannot_be_deleted() {
    let app = learning_app().await;
    let token = admin(&app).await;
    let algebra = course_with_videos(&app, &token, "Algebra", &[60], json!({})).await;
    let unsold = course_with_videos(&app, &token, "Geometriya", &[60], json!({})).await;
    let aziz = student(&app, "aziz@example.uz").await;
    granted(&app, &token, &aziz.id, &[&algebra.id]).await;

    problem(
        delete(&app, &format!("{ADMIN_COURSES}/{}", algebra.id), &token).await,
        409,
        "course.has_students",
    )
    .await;
    json_of(
        get(&app, &format!("{ADMIN_COURSES}/{}", algebra.id), &token).await,
        200,
    )
    .await;
    json_of(video(&app, &aziz.token, &algebra.lessons[0]).await, 200).await;

    // A course nobody holds still goes.
    assert_eq!(
        delete(&app, &format!("{ADMIN_COURSES}/{}", unsold.id), &token)
            .await
            .status(),
        204
    );
}

#[tokio::test]
async fn workbooks_and_a_certificate_added_after_a_grant_reach_its_holders() {
    let app = learning_app().await;
    let token = admin(&app).await;
    let algebra = course_with_videos(&app, &token, "Algebra", &[60], json!({})).await;
    let aziz = student(&app, "aziz@example.uz").await;
    let malika = student(&app, "malika@example.uz").await;
    granted(&app, &token, &aziz.id, &[&algebra.id]).await;

    // A lesson and its workbook, a course workbook and the certificate, later.
    let late_lesson = bare_lesson(&app, &token, &algebra.module, "Yangi dars").await;
    let response = crate::support::put_video_url(
        &app,
        &token,
        &late_lesson,
        "https://cdn.example.uz/yangi.mp4",
        30,
    )
    .await;
    assert_eq!(response.status(), 204);
    let by_lesson = workbook(
        &app,
        &token,
        &algebra.id,
        "Dars daftari",
        Some(&late_lesson),
        &pdf(2, 2_000),
    )
    .await;
    let whole = workbook(
        &app,
        &token,
        &algebra.id,
        "Kurs daftari",
        None,
        &pdf(3, 2_000),
    )
    .await;
    let cert = certificate(&app, &token, &algebra.id, "Algebra sertifikati").await;

    let mine = me(&app, &aziz.token).await;
    let workbooks = list(&mine, "workbooks");
    assert_eq!(workbooks.len(), 2, "{mine}");
    for made in [&by_lesson, &whole] {
        let claim = workbooks
            .iter()
            .find(|w| w["workbook_id"] == id(made).as_str())
            .unwrap_or_else(|| panic!("{} missing: {mine}", id(made)));
        assert_eq!(claim["available"], true);
    }
    let certificates = list(&mine, "certificates");
    assert_eq!(certificates.len(), 1, "{mine}");
    assert_eq!(certificates[0]["certificate_id"], id(&cert).as_str());
    // Someone without a grant gets nothing.
    let theirs = me(&app, &malika.token).await;
    assert!(list(&theirs, "workbooks").is_empty(), "{theirs}");
    assert!(list(&theirs, "certificates").is_empty(), "{theirs}");

    // The new lesson's video counts: watched, it unlocks its workbook; with
    // every video watched, the course workbook and the certificate.
    problem(
        download(&app, &aziz.token, &id(&by_lesson)).await,
        403,
        "workbook.locked",
    )
    .await;
    watch(&app, &aziz.token, std::slice::from_ref(&late_lesson)).await;
    json_of(download(&app, &aziz.token, &id(&by_lesson)).await, 200).await;
    problem(
        download(&app, &aziz.token, &id(&whole)).await,
        403,
        "workbook.locked",
    )
    .await;
    watch(&app, &aziz.token, &algebra.lessons).await;
    json_of(download(&app, &aziz.token, &id(&whole)).await, 200).await;
    json_of(claim(&app, &aziz.token, &algebra.id).await, 200).await;
}
