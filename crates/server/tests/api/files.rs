//! `GET /api/v1/files/{signed}`: signed, expiring links to stored files.

use crate::helpers::spawn_app;
use chrono::Duration;

fn path_of(url: &str) -> &str {
    &url[url.find("/api/v1/files/").unwrap()..]
}

fn sample() -> Vec<u8> {
    (0..150_000u32).map(|i| (i % 241) as u8).collect()
}

#[tokio::test]
async fn a_signed_link_serves_the_whole_file() {
    let app = spawn_app().await;
    let data = sample();
    let link = app
        .stored_file("workbooks/algebra.pdf", &data, Duration::minutes(15))
        .await;
    assert!(
        link.url.starts_with(&app.address),
        "links are absolute: {}",
        link.url
    );
    let response = app.get(path_of(&link.url)).await;
    assert_eq!(response.status(), 200);
    assert_eq!(response.headers()["content-type"], "application/pdf");
    assert_eq!(
        response.headers()["content-length"],
        data.len().to_string().as_str()
    );
    assert_eq!(response.headers()["accept-ranges"], "bytes");
    assert_eq!(response.bytes().await.unwrap().as_ref(), data.as_slice());
}

#[tokio::test]
async fn a_range_request_gets_206_with_just_those_bytes() {
    let app = spawn_app().await;
    let data = sample();
    let link = app
        .stored_file("videos/lesson-1.mp4", &data, Duration::minutes(15))
        .await;
    let response = app
        .client
        .get(app.url(path_of(&link.url)))
        .header("range", "bytes=1000-1999")
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 206);
    assert_eq!(
        response.headers()["content-range"],
        format!("bytes 1000-1999/{}", data.len()).as_str()
    );
    assert_eq!(response.headers()["content-type"], "video/mp4");
    assert_eq!(response.bytes().await.unwrap().as_ref(), &data[1000..2000]);

    let tail = app
        .client
        .get(app.url(path_of(&link.url)))
        .header("range", "bytes=-10")
        .send()
        .await
        .unwrap();
    assert_eq!(tail.status(), 206);
    assert_eq!(
        tail.bytes().await.unwrap().as_ref(),
        &data[data.len() - 10..]
    );
}

#[tokio::test]
async fn a_range_past_the_end_is_416() {
    let app = spawn_app().await;
    let link = app
        .stored_file("small.pdf", b"%PDF-1.7 tiny", Duration::minutes(15))
        .await;
    let response = app
        .client
        .get(app.url(path_of(&link.url)))
        .header("range", "bytes=500-")
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 416);
    assert_eq!(response.headers()["content-range"], "bytes */13");
    let body: serde_json::Value = response.json().await.unwrap();
    assert_eq!(body["code"], "file.range_not_satisfiable");
}

#[tokio::test]
async fn an_expired_link_is_404() {
    let app = spawn_app().await;
    let link = app
        .stored_file("workbooks/geometry.pdf", b"%PDF-1.7", Duration::minutes(15))
        .await;
    app.clock.advance(Duration::minutes(14));
    assert_eq!(app.get(path_of(&link.url)).await.status(), 200);
    app.clock.advance(Duration::minutes(1));
    let response = app.get(path_of(&link.url)).await;
    assert_eq!(response.status(), 404);
    let body: serde_json::Value = response.json().await.unwrap();
    assert_eq!(body["code"], "file.not_found");
}

#[tokio::test]
async fn a_forged_or_altered_link_is_404() {
    let app = spawn_app().await;
    let link = app
        .stored_file("workbooks/secret.pdf", b"%PDF-1.7", Duration::minutes(15))
        .await;
    let signed = path_of(&link.url)
        .trim_start_matches("/api/v1/files/")
        .to_owned();
    let (key, rest) = signed.split_once('.').unwrap();
    let (expiry, mac) = rest.split_once('.').unwrap();
    let later: i64 = expiry.parse::<i64>().unwrap() + 86_400;
    for forged in [
        format!("{key}.{later}.{mac}"),
        format!("{key}.{expiry}.{}", "A".repeat(mac.len())),
        "d29ya2Jvb2tzL3NlY3JldC5wZGY.9999999999.bm9wZQ".to_owned(),
        "..".to_owned(),
    ] {
        let response = app.get(&format!("/api/v1/files/{forged}")).await;
        assert_eq!(response.status(), 404, "{forged}");
    }
}

#[tokio::test]
async fn a_genuine_link_to_a_deleted_file_is_404() {
    let app = spawn_app().await;
    let link = app
        .stored_file("avatars/old.webp", b"RIFF....WEBP", Duration::minutes(15))
        .await;
    let key = bilim_domain::ports::FileKey::parse("avatars/old.webp").unwrap();
    app.ports.files.delete(&key).await.unwrap();
    assert_eq!(app.get(path_of(&link.url)).await.status(), 404);
}
