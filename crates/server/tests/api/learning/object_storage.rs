//! Stored files in an S3 bucket (`BILIM_STORAGE_URL=s3://…`, moto's server in
//! CI): an admin's uploads land in the bucket, a student's video link is the
//! bucket's own presigned link (ranges work), and with direct links turned
//! off the same bytes come through the API. Needs `TEST_S3_ENDPOINT`.

use super::helpers::{
    admin, bare_lesson, course_with_videos, granted, learning_app_with, signed_path, stored_video,
    student, video,
};
use crate::helpers::TestApp;
use crate::support::{json_of, mp4};
use bilim_testkit::TestBucket;
use serde_json::json;

async fn app_on(bucket: &TestBucket, direct_links: bool) -> TestApp {
    let bucket = bucket.clone();
    learning_app_with(move |vars| {
        vars.insert("BILIM_STORAGE_URL".into(), bucket.url.clone());
        vars.insert(
            "BILIM_STORAGE_DIRECT_LINKS".into(),
            direct_links.to_string(),
        );
        vars.extend(bucket.options.iter().cloned());
    })
    .await
}

/// A course whose one lesson has `bytes` as its stored video, a student with
/// access to it; returns the student's token and the lesson.
async fn stored_lesson(app: &TestApp, bytes: &[u8]) -> (String, String) {
    let token = admin(app).await;
    let course = course_with_videos(app, &token, "Fizika", &[], json!({})).await;
    let lesson = bare_lesson(app, &token, &course.module, "Kuch").await;
    stored_video(app, &token, &lesson, bytes, 90).await;
    let aziz = student(app, "aziz@example.uz").await;
    granted(app, &token, &aziz.id, &[&course.id]).await;
    (aziz.token, lesson)
}

#[tokio::test]
async fn an_uploaded_video_goes_to_the_bucket_and_its_link_is_presigned() {
    let Some(bucket) = TestBucket::fresh("an_uploaded_video_goes_to_the_bucket") else {
        return;
    };
    let app = app_on(&bucket, true).await;
    let bytes = mp4(5, 300_000);
    let (token, lesson) = stored_lesson(&app, &bytes).await;

    let link = json_of(video(&app, &token, &lesson).await, 200).await;
    let url = link["url"].as_str().unwrap();
    let endpoint = bucket.option("AWS_ENDPOINT").unwrap();
    assert!(
        url.starts_with(endpoint),
        "not a link into the bucket: {url}"
    );
    assert!(url.contains("X-Amz-Expires=900"), "{url}");
    let client = reqwest::Client::new();
    let whole = client.get(url).send().await.unwrap();
    assert_eq!(whole.status(), 200);
    assert_eq!(whole.headers()["content-type"], "video/mp4");
    assert!(whole.bytes().await.unwrap() == bytes, "the video differs");
    let part = client
        .get(url)
        .header("range", "bytes=1000-1999")
        .send()
        .await
        .unwrap();
    assert_eq!(part.status(), 206);
    assert_eq!(part.bytes().await.unwrap(), &bytes[1000..2000]);
}

#[tokio::test]
async fn without_direct_links_the_api_serves_the_bucket_s_bytes() {
    let Some(bucket) = TestBucket::fresh("without_direct_links_the_api_serves") else {
        return;
    };
    let app = app_on(&bucket, false).await;
    let bytes = mp4(6, 200_000);
    let (token, lesson) = stored_lesson(&app, &bytes).await;

    let link = json_of(video(&app, &token, &lesson).await, 200).await;
    let path = signed_path(&app, link["url"].as_str().unwrap()).to_owned();
    let whole = app.get(&path).await;
    assert_eq!(whole.status(), 200);
    assert!(whole.bytes().await.unwrap() == bytes, "the video differs");
    let part = app
        .client
        .get(app.url(&path))
        .header("range", "bytes=-100")
        .send()
        .await
        .unwrap();
    assert_eq!(part.status(), 206);
    assert_eq!(part.bytes().await.unwrap(), &bytes[bytes.len() - 100..]);
}
