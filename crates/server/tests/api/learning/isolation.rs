//! Grants, progress and claims belong to one user: another user neither sees
//! nor uses them, and cannot reach the admin routes that change them.

use super::helpers::{
    ADMIN_USERS, admin, claim, course_with_videos, download, grant, granted, learning_app, list,
    me, progress, reset_certificate, reset_workbook, revoke, student, unauthorized, video, watch,
};
use crate::support::{certificate, get, json_of, pdf, problem, workbook};
use serde_json::{Value, json};

fn id(value: &Value) -> String {
    value["id"].as_str().unwrap().to_owned()
}

#[tokio::test]
async fn one_user_neither_sees_nor_uses_another_users_grants_and_claims() {
    let app = learning_app().await;
    let token = admin(&app).await;
    let algebra = course_with_videos(&app, &token, "Algebra", &[60, 60], json!({})).await;
    let lesson_book = workbook(
        &app,
        &token,
        &algebra.id,
        "Dars daftari",
        Some(&algebra.lessons[0]),
        &pdf(1, 2_000),
    )
    .await;
    let course_book = workbook(
        &app,
        &token,
        &algebra.id,
        "Kurs daftari",
        None,
        &pdf(2, 2_000),
    )
    .await;
    let cert = certificate(&app, &token, &algebra.id, "Sertifikat").await;
    let aziz = student(&app, "aziz@example.uz").await;
    let bobur = student(&app, "bobur@example.uz").await;

    granted(&app, &token, &aziz.id, &[&algebra.id]).await;
    watch(&app, &aziz.token, &algebra.lessons).await;
    json_of(download(&app, &aziz.token, &id(&lesson_book)).await, 200).await;
    let issued = json_of(claim(&app, &aziz.token, &algebra.id).await, 200).await;
    let aziz_before = me(&app, &aziz.token).await;

    // B sees nothing of A's.
    let theirs = me(&app, &bobur.token).await;
    assert_eq!(theirs["id"], bobur.id.as_str());
    for field in ["courses", "workbooks", "certificates"] {
        assert!(list(&theirs, field).is_empty(), "{field}: {theirs}");
    }
    // B uses nothing of A's.
    let lesson = &algebra.lessons[0];
    problem(video(&app, &bobur.token, lesson).await, 403, "access.none").await;
    problem(
        progress(
            &app,
            &bobur.token,
            lesson,
            &json!({"position_seconds": 60, "completed": true}),
        )
        .await,
        403,
        "access.none",
    )
    .await;
    for book in [&lesson_book, &course_book] {
        problem(
            download(&app, &bobur.token, &id(book)).await,
            403,
            "workbook.locked",
        )
        .await;
    }
    problem(
        claim(&app, &bobur.token, &algebra.id).await,
        403,
        "certificate.locked",
    )
    .await;

    // B's user token opens no admin route, for A or for B.
    for user in [&aziz.id, &bobur.id] {
        unauthorized(
            grant(
                &app,
                &bobur.token,
                user,
                &json!({"course_ids": [algebra.id]}),
            )
            .await,
        )
        .await;
        unauthorized(revoke(&app, &bobur.token, user, &algebra.id).await).await;
        unauthorized(reset_workbook(&app, &bobur.token, user, &id(&lesson_book)).await).await;
        unauthorized(reset_certificate(&app, &bobur.token, user, &id(&cert)).await).await;
        unauthorized(get(&app, &format!("{ADMIN_USERS}/{user}"), &bobur.token).await).await;
    }
    problem(video(&app, &bobur.token, lesson).await, 403, "access.none").await;

    // Granted too, B starts from nothing: A's progress does not count for B.
    granted(&app, &token, &bobur.id, &[&algebra.id]).await;
    let theirs = me(&app, &bobur.token).await;
    assert_eq!(list(&theirs, "courses").len(), 1, "{theirs}");
    for claim in list(&theirs, "workbooks")
        .iter()
        .chain(list(&theirs, "certificates"))
    {
        assert_eq!(claim["available"], true, "{theirs}");
    }
    assert_eq!(list(&theirs, "certificates")[0]["serial"], Value::Null);
    problem(
        download(&app, &bobur.token, &id(&lesson_book)).await,
        403,
        "workbook.locked",
    )
    .await;
    problem(
        claim(&app, &bobur.token, &algebra.id).await,
        403,
        "certificate.locked",
    )
    .await;
    // Once B has watched, B gets B's own certificate, with another serial.
    watch(&app, &bobur.token, &algebra.lessons).await;
    let own = json_of(claim(&app, &bobur.token, &algebra.id).await, 200).await;
    assert_ne!(own["serial"], issued["serial"]);

    // Nothing B did changed A.
    assert_eq!(me(&app, &aziz.token).await, aziz_before);
}
