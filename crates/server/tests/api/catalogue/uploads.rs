//! Uploads: workbooks (PDF) and lesson videos (MP4/WebM, or an external https
//! URL). The type is judged by content, the size is capped while streaming,
//! the SHA-256 is of what was sent, and a refused upload leaves nothing in
//! storage (nor in its `.incoming` directory).

use super::helpers::{
    ADMIN_COURSES, ADMIN_LESSONS, Form, admin_token, assert_storage_unchanged, course, direction,
    field_errors, incoming, json_of, lesson, module, mp4, object_keys, pdf, png, problem, put,
    put_video_url, read_stored, send_form, sha256_hex, sorted, stored, stored_under, upload_video,
    upload_workbook, webm, workbook,
};
use crate::helpers::{TestApp, spawn_app, spawn_app_with};
use bilim_domain::catalogue::VideoSource;
use reqwest::Method;
use serde_json::json;

const LIMIT: usize = 64 * 1024;

/// A course with one module and one lesson: `(course, lesson)`.
async fn course_with_lesson(app: &TestApp, token: &str, title: &str) -> (String, String) {
    let dir = direction(app, token, &format!("{title} yoʻnalishi")).await;
    let created = course(app, token, &dir, title, json!({})).await;
    let course_id = created["id"].as_str().unwrap().to_owned();
    let made = module(app, token, &course_id, json!({"title": "Modul"})).await;
    let made = lesson(
        app,
        token,
        made["id"].as_str().unwrap(),
        json!({"title": "Dars"}),
    )
    .await;
    (course_id, made["id"].as_str().unwrap().to_owned())
}

fn workbooks_path(course: &str) -> String {
    format!("{ADMIN_COURSES}/{course}/workbooks")
}

fn video_path(lesson: &str) -> String {
    format!("{ADMIN_LESSONS}/{lesson}/video")
}

async fn video_of(app: &TestApp, lesson: &str) -> Option<(VideoSource, i32)> {
    app.ports
        .videos
        .video_of(lesson.parse().unwrap())
        .await
        .unwrap()
        .map(|v| (v.source, v.duration_seconds))
}

// ---------------------------------------------------------------- workbooks

#[tokio::test]
async fn a_pdf_workbook_is_stored_with_its_size_and_the_sha256_of_what_was_sent() {
    let app = spawn_app().await;
    let token = admin_token(&app).await;
    let (course_id, lesson_id) = course_with_lesson(&app, &token, "Algebra").await;
    let bytes = pdf(7, 200_000);

    let made = workbook(
        &app,
        &token,
        &course_id,
        "  Mashqlar  ",
        Some(&lesson_id),
        &bytes,
    )
    .await;
    assert_eq!(
        object_keys(&made),
        sorted(&[
            "id",
            "course_id",
            "lesson_id",
            "title",
            "size_bytes",
            "sha256"
        ]),
        "{made}"
    );
    assert_eq!(made["title"], "Mashqlar");
    assert_eq!(made["course_id"], course_id.as_str());
    assert_eq!(made["lesson_id"], lesson_id.as_str());
    assert_eq!(made["size_bytes"], bytes.len());
    assert_eq!(made["sha256"], sha256_hex(&bytes));

    let files = stored_under(&app, "workbooks/");
    assert_eq!(files.len(), 1, "{files:?}");
    let key = files.iter().next().unwrap();
    assert!(key.ends_with(".pdf"), "{key}");
    assert_eq!(
        read_stored(&app, key),
        bytes,
        "the stored file is what was sent"
    );
    assert!(incoming(&app).is_empty(), "{:?}", incoming(&app));

    // A course workbook (no lesson), under a hostile file name: the name never
    // reaches storage.
    let other = pdf(8, 1024);
    let form = Form::default()
        .text("title", "Umumiy")
        .text("lesson_id", "")
        .file("file", "../../../etc/passwd.pdf", "application/pdf", &other);
    let made = json_of(
        send_form(
            &app,
            Method::POST,
            &workbooks_path(&course_id),
            &token,
            form,
        )
        .await,
        201,
    )
    .await;
    assert_eq!(made["lesson_id"], serde_json::Value::Null);
    assert_eq!(made["sha256"], sha256_hex(&other));
    let files = stored(&app);
    assert_eq!(files.len(), 2, "{files:?}");
    assert!(
        files
            .iter()
            .all(|k| k.starts_with("workbooks/") && !k.contains("passwd")),
        "{files:?}"
    );
}

#[tokio::test]
async fn a_workbook_that_is_not_a_pdf_is_415_whatever_its_name_and_leaves_nothing_stored() {
    let app = spawn_app().await;
    let token = admin_token(&app).await;
    let (course_id, _) = course_with_lesson(&app, &token, "Algebra").await;
    let before = stored(&app);

    let not_pdfs: [(&str, Vec<u8>); 6] = [
        ("png", png(1, 4000)),
        ("mp4", mp4(1, 4000)),
        ("text", b"Bu PDF emas, lekin .pdf deb atalgan".to_vec()),
        ("almost", b"%PDF 1.7 no dash".to_vec()),
        ("late magic", [b" ".as_slice(), &pdf(1, 2000)].concat()),
        ("empty", Vec::new()),
    ];
    for (what, bytes) in not_pdfs {
        let response = upload_workbook(&app, &token, &course_id, "Daftar", None, &bytes).await;
        problem(response, 415, "file.type_not_allowed").await;
        assert_storage_unchanged(&app, &before, what);
    }
    let tree = json_of(
        super::helpers::get(&app, &format!("{ADMIN_COURSES}/{course_id}"), &token).await,
        200,
    )
    .await;
    assert_eq!(tree["workbooks"], json!([]));
}

#[tokio::test]
async fn a_workbook_over_the_size_limit_is_413_and_leaves_nothing_stored() {
    let app = spawn_app_with(|vars| {
        vars.insert("BILIM_MAX_WORKBOOK_BYTES".into(), LIMIT.to_string());
    })
    .await;
    let token = admin_token(&app).await;
    let (course_id, _) = course_with_lesson(&app, &token, "Algebra").await;

    // Exactly the limit is taken.
    let exact = pdf(1, LIMIT);
    let made = workbook(&app, &token, &course_id, "Chegarada", None, &exact).await;
    assert_eq!(made["size_bytes"], LIMIT);
    let before = stored(&app);
    assert_eq!(before.len(), 1);

    for size in [LIMIT + 1, LIMIT + 20_000, 2 * LIMIT] {
        let response =
            upload_workbook(&app, &token, &course_id, "Katta", None, &pdf(2, size)).await;
        let body = problem(response, 413, "file.too_large").await;
        assert!(!body["detail"].as_str().unwrap().is_empty());
        assert_storage_unchanged(&app, &before, &format!("{size} bytes"));
    }
    // A body announced far over the limit is refused before it is read.
    let response = upload_workbook(
        &app,
        &token,
        &course_id,
        "Juda katta",
        None,
        &pdf(3, 4 * LIMIT),
    )
    .await;
    problem(response, 413, "file.too_large").await;
    assert_storage_unchanged(&app, &before, "announced");

    let tree = json_of(
        super::helpers::get(&app, &format!("{ADMIN_COURSES}/{course_id}"), &token).await,
        200,
    )
    .await;
    assert_eq!(tree["workbooks"].as_array().unwrap().len(), 1, "{tree}");
}

#[tokio::test]
async fn a_workbook_form_without_a_file_or_a_title_is_400_and_leaves_nothing_stored() {
    let app = spawn_app().await;
    let token = admin_token(&app).await;
    let (course_id, _) = course_with_lesson(&app, &token, "Algebra").await;
    let path = workbooks_path(&course_id);
    let before = stored(&app);

    let no_file = Form::default().text("title", "Daftar");
    problem(
        send_form(&app, Method::POST, &path, &token, no_file).await,
        400,
        "validation",
    )
    .await;
    let no_title = Form::default().file("file", "a.pdf", "application/pdf", &pdf(1, 3000));
    let refused = problem(
        send_form(&app, Method::POST, &path, &token, no_title).await,
        400,
        "validation",
    )
    .await;
    assert_eq!(
        field_errors(&refused).into_iter().next().unwrap().0,
        "title"
    );
    assert_storage_unchanged(&app, &before, "no title");
    let blank_title = Form::default().text("title", "   ").file(
        "file",
        "a.pdf",
        "application/pdf",
        &pdf(1, 3000),
    );
    problem(
        send_form(&app, Method::POST, &path, &token, blank_title).await,
        400,
        "validation",
    )
    .await;
    assert_storage_unchanged(&app, &before, "blank title");
    let two_files = Form::default()
        .text("title", "Daftar")
        .file("file", "a.pdf", "application/pdf", &pdf(1, 3000))
        .file("file", "b.pdf", "application/pdf", &pdf(2, 3000));
    problem(
        send_form(&app, Method::POST, &path, &token, two_files).await,
        400,
        "validation",
    )
    .await;
    assert_storage_unchanged(&app, &before, "two files");

    // Not a form at all.
    let response = app
        .authed(Method::POST, &path, &token)
        .json(&json!({"title": "Daftar"}))
        .send()
        .await
        .unwrap();
    problem(response, 415, "request.unsupported_media_type").await;
    assert_storage_unchanged(&app, &before, "JSON");
}

#[tokio::test]
async fn a_workbook_for_a_lesson_of_another_course_is_400_and_leaves_nothing_stored() {
    let app = spawn_app().await;
    let token = admin_token(&app).await;
    let (course_id, _) = course_with_lesson(&app, &token, "Algebra").await;
    let (_, foreign_lesson) = course_with_lesson(&app, &token, "Geometriya").await;
    let before = stored(&app);

    let unknown = uuid::Uuid::now_v7().to_string();
    for lesson_id in [foreign_lesson.as_str(), unknown.as_str(), "dars-1"] {
        let response = upload_workbook(
            &app,
            &token,
            &course_id,
            "Daftar",
            Some(lesson_id),
            &pdf(1, 3000),
        )
        .await;
        let refused = problem(response, 400, "validation").await;
        let fields: Vec<String> = field_errors(&refused).into_iter().map(|(f, _)| f).collect();
        assert_eq!(fields, ["lesson_id"], "{lesson_id}: {refused}");
        assert_storage_unchanged(&app, &before, lesson_id);
    }
}

#[tokio::test]
async fn a_workbook_for_an_unknown_course_is_404_and_leaves_nothing_stored() {
    let app = spawn_app().await;
    let token = admin_token(&app).await;
    let before = stored(&app);
    let nowhere = uuid::Uuid::now_v7().to_string();
    let response = upload_workbook(&app, &token, &nowhere, "Daftar", None, &pdf(1, 3000)).await;
    problem(response, 404, "course.not_found").await;
    assert_storage_unchanged(&app, &before, "unknown course");
}

// ---------------------------------------------------------------- videos

#[tokio::test]
async fn an_uploaded_mp4_or_webm_is_stored_and_a_replaced_video_file_is_removed() {
    let app = spawn_app().await;
    let token = admin_token(&app).await;
    let (_, lesson_id) = course_with_lesson(&app, &token, "Algebra").await;
    assert!(video_of(&app, &lesson_id).await.is_none());

    let first = mp4(1, 150_000);
    let response = upload_video(&app, &token, &lesson_id, &first, Some("754")).await;
    assert_eq!(response.status(), 204, "{}", response.text().await.unwrap());
    let files = stored_under(&app, "videos/");
    assert_eq!(files.len(), 1, "{files:?}");
    let first_key = files.into_iter().next().unwrap();
    assert!(first_key.ends_with(".mp4"), "{first_key}");
    assert_eq!(read_stored(&app, &first_key), first);
    assert_eq!(
        video_of(&app, &lesson_id).await,
        Some((VideoSource::Stored(first_key.clone()), 754))
    );

    // The file may come before the duration; WebM is taken too.
    let second = webm(2, 80_000);
    let form = Form::default()
        .file("file", "dars.webm", "video/webm", &second)
        .text("duration_seconds", " 300 ");
    let response = send_form(&app, Method::PUT, &video_path(&lesson_id), &token, form).await;
    assert_eq!(response.status(), 204, "{}", response.text().await.unwrap());
    let files = stored_under(&app, "videos/");
    assert_eq!(files.len(), 1, "the replaced file is gone: {files:?}");
    let second_key = files.into_iter().next().unwrap();
    assert!(second_key.ends_with(".webm"), "{second_key}");
    assert_ne!(second_key, first_key);
    assert_eq!(read_stored(&app, &second_key), second);

    // An external URL replaces the file, which is removed.
    let url = "https://cdn.example.uz/dars.mp4?token=abc";
    assert_eq!(
        put_video_url(&app, &token, &lesson_id, url, 61)
            .await
            .status(),
        204
    );
    assert!(stored(&app).is_empty(), "{:?}", stored(&app));
    assert!(incoming(&app).is_empty());
    assert_eq!(
        video_of(&app, &lesson_id).await,
        Some((VideoSource::Url(url.to_owned()), 61))
    );
}

#[tokio::test]
async fn a_video_that_is_not_mp4_or_webm_is_415_and_leaves_the_old_video_in_place() {
    let app = spawn_app().await;
    let token = admin_token(&app).await;
    let (_, lesson_id) = course_with_lesson(&app, &token, "Algebra").await;
    assert_eq!(
        upload_video(&app, &token, &lesson_id, &mp4(1, 5000), Some("60"))
            .await
            .status(),
        204
    );
    let before = stored(&app);
    let video = video_of(&app, &lesson_id).await;

    let not_videos: [(&str, Vec<u8>); 5] = [
        ("pdf", pdf(1, 5000)),
        ("png", png(1, 5000)),
        ("text", b"not a video at all, just text".to_vec()),
        ("short", b"\x00\x00\x00\x18ftyp".to_vec()[..6].to_vec()),
        ("empty", Vec::new()),
    ];
    for (what, bytes) in not_videos {
        let response = upload_video(&app, &token, &lesson_id, &bytes, Some("60")).await;
        problem(response, 415, "file.type_not_allowed").await;
        assert_storage_unchanged(&app, &before, what);
    }
    assert_eq!(video_of(&app, &lesson_id).await, video);
}

#[tokio::test]
async fn a_video_over_its_size_limit_is_413_and_leaves_nothing_stored() {
    let app = spawn_app_with(|vars| {
        vars.insert("BILIM_MAX_VIDEO_BYTES".into(), LIMIT.to_string());
    })
    .await;
    let token = admin_token(&app).await;
    let (_, lesson_id) = course_with_lesson(&app, &token, "Algebra").await;
    let before = stored(&app);
    let response = upload_video(
        &app,
        &token,
        &lesson_id,
        &mp4(1, LIMIT + 10_000),
        Some("60"),
    )
    .await;
    problem(response, 413, "file.too_large").await;
    assert_storage_unchanged(&app, &before, "video");
    assert!(video_of(&app, &lesson_id).await.is_none());
}

#[tokio::test]
async fn an_external_video_must_be_an_https_url_with_a_host() {
    let app = spawn_app().await;
    let token = admin_token(&app).await;
    let (_, lesson_id) = course_with_lesson(&app, &token, "Algebra").await;
    let long = format!("https://cdn.example.uz/{}", "a".repeat(2000));
    for url in [
        "http://cdn.example.uz/dars.mp4",
        "ftp://cdn.example.uz/dars.mp4",
        "cdn.example.uz/dars.mp4",
        "https://",
        "https:///dars.mp4",
        "https:// cdn.example.uz/x",
        "javascript:alert(1)",
        "",
        long.as_str(),
    ] {
        let refused = problem(
            put_video_url(&app, &token, &lesson_id, url, 60).await,
            400,
            "validation",
        )
        .await;
        assert_eq!(
            field_errors(&refused).into_iter().next().unwrap().0,
            "url",
            "{url}"
        );
    }
    assert!(video_of(&app, &lesson_id).await.is_none());
    assert_eq!(
        put_video_url(
            &app,
            &token,
            &lesson_id,
            "https://cdn.example.uz/ok.mp4",
            60
        )
        .await
        .status(),
        204
    );
}

#[tokio::test]
async fn a_video_duration_must_be_1_to_86400_seconds_and_a_refused_upload_is_removed() {
    let app = spawn_app().await;
    let token = admin_token(&app).await;
    let (_, lesson_id) = course_with_lesson(&app, &token, "Algebra").await;
    let url = "https://cdn.example.uz/dars.mp4";

    for duration in [0, -1, 86_401] {
        let refused = problem(
            put_video_url(&app, &token, &lesson_id, url, duration).await,
            400,
            "validation",
        )
        .await;
        assert_eq!(
            field_errors(&refused).into_iter().next().unwrap().0,
            "duration_seconds",
            "{duration}"
        );
    }
    assert!(video_of(&app, &lesson_id).await.is_none());
    for duration in [1, 86_400] {
        assert_eq!(
            put_video_url(&app, &token, &lesson_id, url, duration)
                .await
                .status(),
            204
        );
    }
    // JSON with a missing or mistyped field, or an unknown one.
    for body in [
        json!({"url": url}),
        json!({"duration_seconds": 60}),
        json!({"url": url, "duration_seconds": "60"}),
        json!({"url": url, "duration_seconds": 60, "storage_key": "videos/x.mp4"}),
    ] {
        problem(
            put(&app, &video_path(&lesson_id), &token, &body).await,
            400,
            "validation",
        )
        .await;
    }

    // Forms: a bad or missing duration refuses the file, which is removed.
    let before = stored(&app);
    for duration in [Some("0"), Some("86401"), Some("abc"), Some(""), None] {
        let response = upload_video(&app, &token, &lesson_id, &mp4(1, 5000), duration).await;
        let refused = problem(response, 400, "validation").await;
        assert_eq!(
            field_errors(&refused).into_iter().next().unwrap().0,
            "duration_seconds",
            "{duration:?}"
        );
        assert_storage_unchanged(&app, &before, &format!("duration {duration:?}"));
    }
    assert_eq!(
        video_of(&app, &lesson_id).await,
        Some((VideoSource::Url(url.to_owned()), 86_400))
    );
}

#[tokio::test]
async fn a_video_form_without_a_file_or_for_an_unknown_lesson_is_refused_and_leaves_nothing() {
    let app = spawn_app().await;
    let token = admin_token(&app).await;
    let (_, lesson_id) = course_with_lesson(&app, &token, "Algebra").await;
    let before = stored(&app);

    let no_file = Form::default().text("duration_seconds", "60");
    problem(
        send_form(&app, Method::PUT, &video_path(&lesson_id), &token, no_file).await,
        400,
        "validation",
    )
    .await;
    let nowhere = uuid::Uuid::now_v7().to_string();
    let response = upload_video(&app, &token, &nowhere, &mp4(1, 5000), Some("60")).await;
    assert_eq!(response.status(), 404, "{}", response.text().await.unwrap());
    assert_storage_unchanged(&app, &before, "unknown lesson");
    // Neither JSON nor a form.
    let response = app
        .authed(Method::PUT, &video_path(&lesson_id), &token)
        .header("content-type", "text/plain")
        .body("https://cdn.example.uz/x.mp4")
        .send()
        .await
        .unwrap();
    problem(response, 415, "request.unsupported_media_type").await;
    let response = app
        .authed(Method::PUT, &video_path(&lesson_id), &token)
        .header("content-type", "application/json")
        .body("{\"url\": ")
        .send()
        .await
        .unwrap();
    problem(response, 400, "request.malformed_json").await;
    assert!(video_of(&app, &lesson_id).await.is_none());
}
