//! `POST /courses/{id}/certificate/claim` and `GET /certificates/{serial}`:
//! locked until every video of the course is watched, claimed once (a serial
//! and a PDF), exactly one winner among concurrent claims, the public check,
//! and an admin reset that keeps the serial.

use super::helpers::{
    ADMIN_USERS, admin, at, bare_lesson, check, claim, claim_path, course_with_videos, granted,
    keys, learning_app, list, me, names, reset_certificate, signed_path, student, unauthorized,
    watch,
};
use crate::helpers::start_time;
use crate::support::{certificate, json_of, problem};
use chrono::Duration;
use futures_util::future::join_all;
use reqwest::Method;
use serde_json::{Value, json};

/// How far `watch` moved the clock (half the longest video, and a second).
const WATCHED: Duration = Duration::seconds(62);

fn id(value: &Value) -> String {
    value["id"].as_str().unwrap().to_owned()
}

/// The one certificate claim in a `/users/me` answer.
fn only_certificate(mine: &Value) -> &Value {
    let certificates = list(mine, "certificates");
    assert_eq!(certificates.len(), 1, "{mine}");
    &certificates[0]
}

#[tokio::test]
async fn the_certificate_unlocks_with_every_video_and_is_claimed_once() {
    let app = learning_app().await;
    let token = admin(&app).await;
    let algebra = course_with_videos(&app, &token, "Algebra", &[60, 60], json!({})).await;
    bare_lesson(&app, &token, &algebra.module, "Videosiz dars").await;
    let cert = certificate(&app, &token, &algebra.id, "Algebra sertifikati").await;
    let aziz = student(&app, "aziz@example.uz").await;
    granted(&app, &token, &aziz.id, &[&algebra.id]).await;

    problem(
        claim(&app, &aziz.token, &algebra.id).await,
        403,
        "certificate.locked",
    )
    .await;
    watch(&app, &aziz.token, &algebra.lessons[..1]).await;
    problem(
        claim(&app, &aziz.token, &algebra.id).await,
        403,
        "certificate.locked",
    )
    .await;
    watch(&app, &aziz.token, &algebra.lessons[1..]).await;

    app.clock.advance(Duration::minutes(2));
    let issued = json_of(claim(&app, &aziz.token, &algebra.id).await, 200).await;
    assert_eq!(
        keys(&issued),
        names(&["serial", "url", "issued_at"]),
        "{issued}"
    );
    let serial = issued["serial"].as_str().unwrap().to_owned();
    assert!(serial.len() >= 8, "{serial}");
    assert_eq!(
        at(&issued["issued_at"]),
        start_time() + Duration::minutes(2) + WATCHED
    );
    let response = app
        .get(signed_path(&app, issued["url"].as_str().unwrap()))
        .await;
    assert_eq!(response.status(), 200);
    assert_eq!(response.headers()["content-type"], "application/pdf");
    let document = response.bytes().await.unwrap();
    assert!(document.starts_with(b"%PDF-"), "not a PDF");

    problem(
        claim(&app, &aziz.token, &algebra.id).await,
        409,
        "certificate.already_claimed",
    )
    .await;
    let mine = me(&app, &aziz.token).await;
    let held = only_certificate(&mine);
    assert_eq!(held["certificate_id"], id(&cert).as_str());
    assert_eq!(held["available"], false, "{mine}");
    assert_eq!(
        at(&held["claimed_at"]),
        start_time() + Duration::minutes(2) + WATCHED
    );
    assert_eq!(held["serial"], serial.as_str());

    // Anyone can check the serial, without a token.
    let checked = json_of(check(&app, &serial).await, 200).await;
    assert_eq!(
        keys(&checked),
        names(&["serial", "holder_name", "course_title", "issued_at"]),
        "{checked}"
    );
    assert_eq!(checked["serial"], serial.as_str());
    let holder = checked["holder_name"].as_str().unwrap();
    assert!(
        holder.contains("Oʻktam") && holder.contains("Karimov"),
        "{holder}"
    );
    assert_eq!(checked["course_title"], "Algebra");
    assert_eq!(
        at(&checked["issued_at"]),
        start_time() + Duration::minutes(2) + WATCHED
    );

    for unknown in ["BLM-00000-00000-00000-00000", "nope"] {
        problem(check(&app, unknown).await, 404, "certificate.not_found").await;
    }
}

#[tokio::test]
async fn a_certificate_needs_access_a_course_and_a_certificate() {
    let app = learning_app().await;
    let token = admin(&app).await;
    let algebra = course_with_videos(&app, &token, "Algebra", &[60], json!({})).await;
    certificate(&app, &token, &algebra.id, "Sertifikat").await;
    let plain = course_with_videos(&app, &token, "Geometriya", &[60], json!({})).await;
    let aziz = student(&app, "aziz@example.uz").await;

    problem(
        claim(&app, &aziz.token, &algebra.id).await,
        403,
        "certificate.locked",
    )
    .await;
    granted(&app, &token, &aziz.id, &[&plain.id]).await;
    watch(&app, &aziz.token, &plain.lessons).await;
    problem(
        claim(&app, &aziz.token, &plain.id).await,
        404,
        "certificate.not_found",
    )
    .await;
    problem(
        claim(&app, &aziz.token, &uuid::Uuid::now_v7().to_string()).await,
        404,
        "course.not_found",
    )
    .await;
    // Access to another course does not open this one.
    problem(
        claim(&app, &aziz.token, &algebra.id).await,
        403,
        "certificate.locked",
    )
    .await;
    unauthorized(
        app.client
            .post(app.url(&claim_path(&algebra.id)))
            .send()
            .await
            .unwrap(),
    )
    .await;
    let mine = me(&app, &aziz.token).await;
    assert!(list(&mine, "certificates").is_empty(), "{mine}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn fifty_concurrent_claims_give_exactly_one_certificate() {
    let app = learning_app().await;
    let token = admin(&app).await;
    let algebra = course_with_videos(&app, &token, "Algebra", &[60], json!({})).await;
    certificate(&app, &token, &algebra.id, "Sertifikat").await;
    let aziz = student(&app, "aziz@example.uz").await;
    granted(&app, &token, &aziz.id, &[&algebra.id]).await;
    watch(&app, &aziz.token, &algebra.lessons).await;

    let path = claim_path(&algebra.id);
    let requests = (0..50).map(|_| app.authed(Method::POST, &path, &aziz.token).send());
    let mut serials = Vec::new();
    let mut claimed = 0;
    for response in join_all(requests).await {
        let response = response.unwrap();
        let status = response.status().as_u16();
        let body: Value = serde_json::from_str(&response.text().await.unwrap()).unwrap();
        match status {
            200 => serials.push(body["serial"].as_str().unwrap().to_owned()),
            409 => {
                assert_eq!(body["code"], "certificate.already_claimed", "{body}");
                claimed += 1;
            }
            other => panic!("{other}: {body}"),
        }
    }
    assert_eq!((serials.len(), claimed), (1, 49), "{serials:?}");
    let mine = me(&app, &aziz.token).await;
    assert_eq!(only_certificate(&mine)["serial"], serials[0].as_str());
    json_of(check(&app, &serials[0]).await, 200).await;
}

#[tokio::test]
async fn an_admin_reset_allows_one_more_claim_with_the_same_serial() {
    let app = learning_app().await;
    let token = admin(&app).await;
    let algebra = course_with_videos(&app, &token, "Algebra", &[60], json!({})).await;
    let cert = certificate(&app, &token, &algebra.id, "Sertifikat").await;
    let geometry = course_with_videos(&app, &token, "Geometriya", &[60], json!({})).await;
    let other_cert = certificate(&app, &token, &geometry.id, "Boshqa").await;
    let aziz = student(&app, "aziz@example.uz").await;
    granted(&app, &token, &aziz.id, &[&algebra.id]).await;
    watch(&app, &aziz.token, &algebra.lessons).await;

    let first = json_of(claim(&app, &aziz.token, &algebra.id).await, 200).await;
    assert_eq!(
        reset_certificate(&app, &token, &aziz.id, &id(&cert))
            .await
            .status(),
        204
    );
    let mine = me(&app, &aziz.token).await;
    assert_eq!(only_certificate(&mine)["available"], true, "{mine}");

    let second = json_of(claim(&app, &aziz.token, &algebra.id).await, 200).await;
    assert_eq!(second["serial"], first["serial"], "the serial stays");
    let response = app
        .get(signed_path(&app, second["url"].as_str().unwrap()))
        .await;
    assert!(response.bytes().await.unwrap().starts_with(b"%PDF-"));
    problem(
        claim(&app, &aziz.token, &algebra.id).await,
        409,
        "certificate.already_claimed",
    )
    .await;
    let serial = first["serial"].as_str().unwrap();
    let checked = json_of(check(&app, serial).await, 200).await;
    assert_eq!(checked["serial"], serial);

    // Nothing to reset: a certificate the user does not hold, or none at all.
    for certificate in [id(&other_cert), uuid::Uuid::now_v7().to_string()] {
        problem(
            reset_certificate(&app, &token, &aziz.id, &certificate).await,
            404,
            "certificate.not_found",
        )
        .await;
    }
    // A user cannot reset their own claim.
    unauthorized(reset_certificate(&app, &aziz.token, &aziz.id, &id(&cert)).await).await;
    let path = format!("{ADMIN_USERS}/{}/certificates/{}/reset", aziz.id, id(&cert));
    unauthorized(app.client.post(app.url(&path)).send().await.unwrap()).await;
    problem(
        claim(&app, &aziz.token, &algebra.id).await,
        409,
        "certificate.already_claimed",
    )
    .await;
}
