//! `POST /workbooks/{id}/download`: locked until the videos it needs are
//! watched, one download (an hour-long link) per user, exactly one winner
//! among concurrent requests, and one more after an admin reset.

use super::helpers::{
    ADMIN_USERS, admin, at, bare_lesson, course_with_videos, download, download_path, granted,
    keys, learning_app, list, me, names, reset_workbook, signed_path, student, unauthorized, watch,
};
use crate::helpers::start_time;
use crate::support::{json_of, pdf, problem, workbook};
use chrono::Duration;
use futures_util::future::join_all;
use reqwest::Method;
use serde_json::{Value, json};

fn id(value: &Value) -> String {
    value["id"].as_str().unwrap().to_owned()
}

/// The claim of `workbook` in a `/users/me` answer.
fn claim_of<'a>(mine: &'a Value, workbook: &str) -> &'a Value {
    list(mine, "workbooks")
        .iter()
        .find(|w| w["workbook_id"] == workbook)
        .unwrap_or_else(|| panic!("no claim of {workbook}: {mine}"))
}

#[tokio::test]
async fn a_lesson_workbook_unlocks_with_its_video_and_a_course_workbook_with_every_video() {
    let app = learning_app().await;
    let token = admin(&app).await;
    let algebra = course_with_videos(&app, &token, "Algebra", &[60, 60], json!({})).await;
    // A lesson without a video has nothing to watch and locks nothing.
    bare_lesson(&app, &token, &algebra.module, "Oʻqish uchun").await;
    let lesson_bytes = pdf(1, 3_000);
    let by_lesson = workbook(
        &app,
        &token,
        &algebra.id,
        "Birinchi dars daftari",
        Some(&algebra.lessons[0]),
        &lesson_bytes,
    )
    .await;
    let whole = workbook(
        &app,
        &token,
        &algebra.id,
        "Kurs daftari",
        None,
        &pdf(2, 3_000),
    )
    .await;
    let aziz = student(&app, "aziz@example.uz").await;
    granted(&app, &token, &aziz.id, &[&algebra.id]).await;

    for made in [&by_lesson, &whole] {
        problem(
            download(&app, &aziz.token, &id(made)).await,
            403,
            "workbook.locked",
        )
        .await;
    }
    // The player asks for the first video; halfway through is not enough.
    json_of(
        super::helpers::video(&app, &aziz.token, &algebra.lessons[0]).await,
        200,
    )
    .await;
    json_of(
        super::helpers::progress(
            &app,
            &aziz.token,
            &algebra.lessons[0],
            &json!({"position_seconds": 30}),
        )
        .await,
        200,
    )
    .await;
    problem(
        download(&app, &aziz.token, &id(&by_lesson)).await,
        403,
        "workbook.locked",
    )
    .await;

    // Watching the second lesson opens neither.
    watch(&app, &aziz.token, &algebra.lessons[1..]).await;
    problem(
        download(&app, &aziz.token, &id(&by_lesson)).await,
        403,
        "workbook.locked",
    )
    .await;
    problem(
        download(&app, &aziz.token, &id(&whole)).await,
        403,
        "workbook.locked",
    )
    .await;

    // The first lesson to 90 %: its workbook opens, and so does the course's.
    json_of(
        super::helpers::progress(
            &app,
            &aziz.token,
            &algebra.lessons[0],
            &json!({"position_seconds": 54}),
        )
        .await,
        200,
    )
    .await;
    let link = json_of(download(&app, &aziz.token, &id(&by_lesson)).await, 200).await;
    assert_eq!(keys(&link), names(&["url", "expires_at"]), "{link}");
    assert_eq!(
        at(&link["expires_at"]),
        start_time() + Duration::hours(1) + Duration::seconds(31),
        "an hour after the download; `watch` moved the clock 31 s"
    );
    let url = link["url"].as_str().unwrap();
    assert!(!url.contains("workbooks/"), "the storage key shows: {url}");
    let path = signed_path(&app, url);
    let response = app.get(path).await;
    assert_eq!(response.status(), 200);
    assert_eq!(response.headers()["content-type"], "application/pdf");
    assert_eq!(
        response.bytes().await.unwrap().as_ref(),
        lesson_bytes.as_slice()
    );
    json_of(download(&app, &aziz.token, &id(&whole)).await, 200).await;

    // The download is not given again; the link works again while it lives.
    problem(
        download(&app, &aziz.token, &id(&by_lesson)).await,
        409,
        "workbook.already_taken",
    )
    .await;
    app.clock.advance(Duration::minutes(59));
    let again = app.get(path).await;
    assert_eq!(again.status(), 200);
    assert_eq!(
        again.bytes().await.unwrap().as_ref(),
        lesson_bytes.as_slice()
    );
    app.clock
        .advance(Duration::minutes(1) + Duration::seconds(1));
    problem(app.get(path).await, 404, "file.not_found").await;
}

#[tokio::test]
async fn a_taken_workbook_shows_as_taken_and_is_409_after() {
    let app = learning_app().await;
    let token = admin(&app).await;
    let algebra = course_with_videos(&app, &token, "Algebra", &[60], json!({})).await;
    let made = workbook(&app, &token, &algebra.id, "Mashqlar", None, &pdf(1, 2_000)).await;
    let aziz = student(&app, "aziz@example.uz").await;
    granted(&app, &token, &aziz.id, &[&algebra.id]).await;
    watch(&app, &aziz.token, &algebra.lessons).await;

    let before = me(&app, &aziz.token).await;
    assert_eq!(claim_of(&before, &id(&made))["available"], true);
    app.clock.advance(Duration::minutes(5));
    json_of(download(&app, &aziz.token, &id(&made)).await, 200).await;

    let after = me(&app, &aziz.token).await;
    let taken = claim_of(&after, &id(&made));
    assert_eq!(taken["available"], false, "{after}");
    assert_eq!(
        at(&taken["taken_at"]),
        start_time() + Duration::minutes(5) + Duration::seconds(31)
    );
    for _ in 0..2 {
        problem(
            download(&app, &aziz.token, &id(&made)).await,
            409,
            "workbook.already_taken",
        )
        .await;
    }
    // The admin sees it taken too.
    let seen = super::helpers::admin_view(&app, &token, &aziz.id).await;
    assert_eq!(seen["workbooks"], after["workbooks"], "{seen}");
}

#[tokio::test]
async fn a_workbook_without_access_is_locked_and_an_unknown_one_is_404() {
    let app = learning_app().await;
    let token = admin(&app).await;
    let algebra = course_with_videos(&app, &token, "Algebra", &[60], json!({})).await;
    let geometry = course_with_videos(&app, &token, "Geometriya", &[60], json!({})).await;
    let made = workbook(&app, &token, &algebra.id, "Mashqlar", None, &pdf(1, 2_000)).await;
    let aziz = student(&app, "aziz@example.uz").await;

    problem(
        download(&app, &aziz.token, &id(&made)).await,
        403,
        "workbook.locked",
    )
    .await;
    // Access to another course does not open it.
    granted(&app, &token, &aziz.id, &[&geometry.id]).await;
    watch(&app, &aziz.token, &geometry.lessons).await;
    problem(
        download(&app, &aziz.token, &id(&made)).await,
        403,
        "workbook.locked",
    )
    .await;
    problem(
        download(&app, &aziz.token, &uuid::Uuid::now_v7().to_string()).await,
        404,
        "workbook.not_found",
    )
    .await;
    unauthorized(
        app.client
            .post(app.url(&download_path(&id(&made))))
            .send()
            .await
            .unwrap(),
    )
    .await;
    let mine = me(&app, &aziz.token).await;
    assert!(list(&mine, "workbooks").is_empty(), "{mine}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn fifty_concurrent_downloads_of_one_workbook_give_exactly_one_link() {
    let app = learning_app().await;
    let token = admin(&app).await;
    let algebra = course_with_videos(&app, &token, "Algebra", &[60], json!({})).await;
    let made = workbook(&app, &token, &algebra.id, "Mashqlar", None, &pdf(1, 2_000)).await;
    let aziz = student(&app, "aziz@example.uz").await;
    granted(&app, &token, &aziz.id, &[&algebra.id]).await;
    watch(&app, &aziz.token, &algebra.lessons).await;

    let path = download_path(&id(&made));
    let requests = (0..50).map(|_| app.authed(Method::POST, &path, &aziz.token).send());
    let mut links = 0;
    let mut taken = 0;
    for response in join_all(requests).await {
        let response = response.unwrap();
        let status = response.status().as_u16();
        let body: Value = serde_json::from_str(&response.text().await.unwrap()).unwrap();
        match status {
            200 => {
                assert!(body["url"].is_string(), "{body}");
                links += 1;
            }
            409 => {
                assert_eq!(body["code"], "workbook.already_taken", "{body}");
                taken += 1;
            }
            other => panic!("{other}: {body}"),
        }
    }
    assert_eq!((links, taken), (1, 49));
    let mine = me(&app, &aziz.token).await;
    assert_eq!(claim_of(&mine, &id(&made))["available"], false, "{mine}");
}

#[tokio::test]
async fn an_admin_reset_allows_exactly_one_more_download() {
    let app = learning_app().await;
    let token = admin(&app).await;
    let algebra = course_with_videos(&app, &token, "Algebra", &[60], json!({})).await;
    let geometry = course_with_videos(&app, &token, "Geometriya", &[60], json!({})).await;
    let bytes = pdf(4, 2_500);
    let made = workbook(&app, &token, &algebra.id, "Mashqlar", None, &bytes).await;
    let not_held = workbook(&app, &token, &geometry.id, "Boshqa", None, &pdf(5, 2_000)).await;
    let aziz = student(&app, "aziz@example.uz").await;
    granted(&app, &token, &aziz.id, &[&algebra.id]).await;
    watch(&app, &aziz.token, &algebra.lessons).await;
    json_of(download(&app, &aziz.token, &id(&made)).await, 200).await;

    assert_eq!(
        reset_workbook(&app, &token, &aziz.id, &id(&made))
            .await
            .status(),
        204
    );
    let mine = me(&app, &aziz.token).await;
    assert_eq!(claim_of(&mine, &id(&made))["available"], true, "{mine}");
    let link = json_of(download(&app, &aziz.token, &id(&made)).await, 200).await;
    let response = app
        .get(signed_path(&app, link["url"].as_str().unwrap()))
        .await;
    assert_eq!(response.bytes().await.unwrap().as_ref(), bytes.as_slice());
    problem(
        download(&app, &aziz.token, &id(&made)).await,
        409,
        "workbook.already_taken",
    )
    .await;

    // Nothing to reset: a workbook the user does not hold, or none at all.
    for workbook in [id(&not_held), uuid::Uuid::now_v7().to_string()] {
        problem(
            reset_workbook(&app, &token, &aziz.id, &workbook).await,
            404,
            "workbook.not_found",
        )
        .await;
    }
    problem(
        reset_workbook(&app, &token, &uuid::Uuid::now_v7().to_string(), &id(&made)).await,
        404,
        "user.not_found",
    )
    .await;
    // A user cannot reset their own download.
    unauthorized(reset_workbook(&app, &aziz.token, &aziz.id, &id(&made)).await).await;
    let path = format!("{ADMIN_USERS}/{}/workbooks/{}/reset", aziz.id, id(&made));
    unauthorized(app.client.post(app.url(&path)).send().await.unwrap()).await;
    problem(
        download(&app, &aziz.token, &id(&made)).await,
        409,
        "workbook.already_taken",
    )
    .await;
}
