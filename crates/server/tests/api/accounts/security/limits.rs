//! API4/API8: personal data is sent uncacheable and unsniffable; oversized,
//! malformed or mistyped bodies and a PNG claiming huge dimensions are refused
//! early as problem+json.

use crate::accounts::me::{
    ME, PASSWORD, PNG_1X1, PNG_AFTER_IHDR, PNG_SIGNATURE, assert_problem, get_me, me_of, patch_me,
    path_of, png_chunk, put_avatar, registered,
};
use crate::helpers::spawn_app;
use reqwest::Method;
use serde_json::{Value, json};

#[tokio::test]
async fn personal_data_is_sent_uncacheable_and_unsniffable() {
    let app = spawn_app().await;
    let a = registered(&app, "alice@example.uz").await;
    let response = get_me(&app, &a.access).await;
    assert_eq!(response.status(), 200);
    let headers = response.headers();
    assert_eq!(headers["content-type"], "application/json");
    assert_eq!(headers["cache-control"], "no-store");
    assert_eq!(headers["x-content-type-options"], "nosniff");

    let refused = get_me(&app, "garbage").await;
    assert_eq!(refused.headers()["cache-control"], "no-store");

    let url: Value = put_avatar(&app, &a.access, PNG_1X1)
        .await
        .json()
        .await
        .unwrap();
    let file = app.get(path_of(url["avatar_url"].as_str().unwrap())).await;
    assert_eq!(file.status(), 200);
    assert_eq!(file.headers()["content-type"], "image/jpeg");
    assert_eq!(file.headers()["x-content-type-options"], "nosniff");
}

#[tokio::test]
async fn an_oversized_json_body_is_413_before_it_is_parsed() {
    let app = spawn_app().await;
    let a = registered(&app, "alice@example.uz").await;
    let huge = json!({"first_name": "a".repeat(300 * 1024)});
    let response = patch_me(&app, &a.access, &huge).await;
    assert_problem(response, 413, "request.too_large").await;
    assert_eq!(me_of(&app, &a.access).await["first_name"], "Oʻktam");
}

#[tokio::test]
async fn malformed_or_mistyped_bodies_are_problem_json_400s() {
    let app = spawn_app().await;
    let a = registered(&app, "alice@example.uz").await;
    let malformed = app
        .authed(Method::PATCH, ME, &a.access)
        .header("content-type", "application/json")
        .body("{\"first_name\": ")
        .send()
        .await
        .unwrap();
    assert_problem(malformed, 400, "request.malformed_json").await;

    let mistyped = patch_me(&app, &a.access, &json!({"first_name": 42})).await;
    assert_problem(mistyped, 400, "validation").await;

    let not_json = app
        .authed(Method::PATCH, ME, &a.access)
        .header("content-type", "text/plain")
        .body("first_name=Hacker")
        .send()
        .await
        .unwrap();
    assert_problem(not_json, 415, "request.unsupported_media_type").await;

    let password_not_json = app
        .authed(Method::PUT, PASSWORD, &a.access)
        .header("content-type", "application/x-www-form-urlencoded")
        .body("current_password=x&new_password=y")
        .send()
        .await
        .unwrap();
    assert_problem(password_not_json, 415, "request.unsupported_media_type").await;
    assert_eq!(me_of(&app, &a.access).await["first_name"], "Oʻktam");
}

#[tokio::test]
async fn a_png_claiming_huge_dimensions_is_refused_without_decoding_it() {
    let app = spawn_app().await;
    let a = registered(&app, "alice@example.uz").await;
    // IHDR: 100 000 × 100 000 RGBA, then the tiny real pixel data.
    let mut header = 100_000u32.to_be_bytes().to_vec();
    header.extend_from_slice(&100_000u32.to_be_bytes());
    header.extend_from_slice(&[8, 6, 0, 0, 0]);
    let mut bomb = PNG_SIGNATURE.to_vec();
    bomb.extend(png_chunk(b"IHDR", &header));
    bomb.extend_from_slice(&PNG_1X1[PNG_AFTER_IHDR..]);

    let started = std::time::Instant::now();
    let response = put_avatar(&app, &a.access, &bomb).await;
    assert_problem(response, 400, "file.invalid_image").await;
    assert!(started.elapsed() < std::time::Duration::from_secs(10));
    assert_eq!(me_of(&app, &a.access).await["avatar_url"], Value::Null);
}
