//! A course is never returned with its videos (seeds/README.md, 000): a course
//! full of external and uploaded videos, workbooks and a certificate is
//! published, then every catalogue, user and admin read is crawled and no
//! answer may carry a video URL, a stored video key, a workbook key, or a
//! `url`/`video` field.

use super::helpers::{
    ADMIN_COURSES, ADMIN_DIRECTIONS, ADMIN_LESSONS, AUDIT, COURSES, DIRECTIONS, LESSONS, ME, api,
    certificate, course, direction, get, ids, insert_user, json_of, keys_of, lesson, module, mp4,
    patch, pdf, put_video_url, set_status, status_and_text, stored_under, upload_video, user_token,
    webm, with_query, workbook,
};
use crate::helpers::{TestApp, spawn_app};
use bilim_domain::catalogue::VideoSource;
use bilim_domain::users::UserRole;
use reqwest::Method;
use serde_json::{Value, json};

/// What must never appear in an answer other than the video route's.
struct Secrets {
    /// Every external URL, every stored video key and its file name, every
    /// workbook key and its file name.
    exact: Vec<String>,
}

impl Secrets {
    /// Asserts `text` (one whole answer) holds no video and no storage key.
    fn assert_clean(&self, label: &str, text: &str) {
        for secret in &self.exact {
            assert!(
                !text.contains(secret.as_str()),
                "{label} leaks {secret}: {text}"
            );
        }
        for marker in [
            "secret-",
            "cdn.example.uz",
            "videos/",
            "workbooks/",
            ".mp4",
            ".webm",
            ".pdf",
            "storage_key",
        ] {
            assert!(!text.contains(marker), "{label} holds {marker:?}: {text}");
        }
        if text.trim().is_empty() {
            return;
        }
        let body: Value = serde_json::from_str(text)
            .unwrap_or_else(|e| panic!("{label} is not JSON ({e}): {text}"));
        for key in keys_of(&body) {
            let lower = key.to_lowercase();
            assert!(
                !lower.contains("video"),
                "{label} has a {key:?} field: {text}"
            );
            assert!(
                !lower.contains("storage"),
                "{label} has a {key:?} field: {text}"
            );
            assert!(
                lower != "url" && lower != "link" && lower != "href",
                "{label} has a {key:?} field: {text}"
            );
            // The profile's own avatar is the only link a read may hold.
            assert!(
                !lower.ends_with("_url") || key == "avatar_url",
                "{label} has a {key:?} field: {text}"
            );
        }
    }
}

/// The course the crawl reads: three modules of two lessons, each lesson with
/// a video (external or uploaded), three workbooks and a certificate.
struct Built {
    direction: String,
    course: String,
    draft: String,
    lessons: Vec<String>,
    /// Every answer the admin routes gave while building.
    answers: Vec<(String, String)>,
}

async fn record(
    answers: &mut Vec<(String, String)>,
    label: String,
    response: reqwest::Response,
) -> String {
    let (status, text) = status_and_text(response).await;
    assert!((200..300).contains(&status), "{label}: {status} {text}");
    answers.push((label, text.clone()));
    text
}

async fn build(app: &TestApp, token: &str, teacher: &str) -> Built {
    let mut answers = Vec::new();
    let dir = direction(app, token, "Dasturlash").await;
    let created = course(
        app,
        token,
        &dir,
        "Rust asoslari",
        json!({"teacher_id": teacher}),
    )
    .await;
    let course_id = created["id"].as_str().unwrap().to_owned();
    let mut lessons = Vec::new();
    for m in 0..3 {
        let made = module(
            app,
            token,
            &course_id,
            json!({"title": format!("Modul {m}")}),
        )
        .await;
        let module_id = made["id"].as_str().unwrap().to_owned();
        for l in 0..2 {
            let made = lesson(
                app,
                token,
                &module_id,
                json!({"title": format!("Dars {m}.{l}"), "description": "Video dars"}),
            )
            .await;
            lessons.push(made["id"].as_str().unwrap().to_owned());
        }
    }
    for (i, lesson_id) in lessons.iter().enumerate() {
        let label = format!("PUT video of lesson {i}");
        let seed = u8::try_from(i).unwrap();
        let response = match i % 3 {
            0 => {
                let url = format!("https://cdn.example.uz/secret-{}.mp4", uuid::Uuid::new_v4());
                put_video_url(app, token, lesson_id, &url, 600 + 60 * i64::from(seed)).await
            }
            1 => upload_video(app, token, lesson_id, &mp4(seed, 3000), Some("540")).await,
            _ => {
                let form = super::helpers::Form::default()
                    .text("duration_seconds", "300")
                    .file("file", "dars.webm", "video/webm", &webm(seed, 2000));
                super::helpers::send_form(
                    app,
                    Method::PUT,
                    &format!("{ADMIN_LESSONS}/{lesson_id}/video"),
                    token,
                    form,
                )
                .await
            }
        };
        assert_eq!(response.status(), 204, "{label}");
        record(&mut answers, label, response).await;
    }
    // A lesson edit and a move answer with the lesson, never its video.
    let response = patch(
        app,
        &format!("{ADMIN_LESSONS}/{}", lessons[1]),
        token,
        &json!({"title": "Dars 0.1 (yangilangan)", "position": 1}),
    )
    .await;
    record(&mut answers, "PATCH lesson".into(), response).await;

    let whole = workbook(app, token, &course_id, "Umumiy daftar", None, &pdf(1, 2000)).await;
    answers.push(("POST workbook".into(), whole.to_string()));
    for (i, lesson_id) in lessons.iter().take(2).enumerate() {
        let seed = u8::try_from(10 + i).unwrap();
        let made = workbook(
            app,
            token,
            &course_id,
            &format!("Daftar {i}"),
            Some(lesson_id),
            &pdf(seed, 2500),
        )
        .await;
        answers.push((format!("POST workbook {i}"), made.to_string()));
    }
    let made = certificate(app, token, &course_id, "Rust sertifikati").await;
    answers.push(("PUT certificate".into(), made.to_string()));
    let response = super::helpers::patch(
        app,
        &format!("{ADMIN_COURSES}/{course_id}"),
        token,
        &json!({"status": "published"}),
    )
    .await;
    record(&mut answers, "PATCH course".into(), response).await;

    // A draft with a video too: admin reads of drafts must not leak either.
    let draft = course(app, token, &dir, "Rust qoralama", json!({})).await;
    let draft_id = draft["id"].as_str().unwrap().to_owned();
    let made = module(app, token, &draft_id, json!({"title": "Qoralama modul"})).await;
    let draft_lesson = lesson(
        app,
        token,
        made["id"].as_str().unwrap(),
        json!({"title": "Q"}),
    )
    .await;
    let draft_lesson_id = draft_lesson["id"].as_str().unwrap().to_owned();
    let url = format!("https://cdn.example.uz/secret-{}.mp4", uuid::Uuid::new_v4());
    let response = put_video_url(app, token, &draft_lesson_id, &url, 120).await;
    record(&mut answers, "PUT draft video".into(), response).await;
    lessons.push(draft_lesson_id);

    Built {
        direction: dir,
        course: course_id,
        draft: draft_id,
        lessons,
        answers,
    }
}

/// What the videos and workbooks really are, read behind the API: the crawl
/// must find none of it.
async fn secrets(app: &TestApp, lessons: &[String]) -> Secrets {
    let mut exact = Vec::new();
    let (mut external, mut uploaded) = (0, 0);
    for lesson_id in lessons {
        let video = app
            .ports
            .videos
            .video_of(lesson_id.parse().unwrap())
            .await
            .unwrap()
            .unwrap_or_else(|| panic!("lesson {lesson_id} has no video"));
        match video.source {
            VideoSource::Url(url) => {
                external += 1;
                exact.push(url);
            }
            VideoSource::Stored(key) => {
                uploaded += 1;
                exact.push(file_name(&key));
                exact.push(key);
            }
        }
    }
    assert_eq!((external, uploaded), (3, 4), "the videos were not all set");
    let stored_videos = stored_under(app, "videos/");
    assert_eq!(stored_videos.len(), 4, "{stored_videos:?}");
    let stored_workbooks = stored_under(app, "workbooks/");
    assert_eq!(stored_workbooks.len(), 3, "{stored_workbooks:?}");
    for key in stored_videos.into_iter().chain(stored_workbooks) {
        exact.push(file_name(&key));
        exact.push(key);
    }
    Secrets { exact }
}

/// `videos/0a1b….mp4` → `0a1b…` (the random part of a key).
fn file_name(key: &str) -> String {
    let name = key.rsplit('/').next().unwrap();
    name.split('.').next().unwrap().to_owned()
}

#[tokio::test]
async fn no_catalogue_user_or_admin_answer_ever_carries_a_video_or_a_storage_key() {
    let app = spawn_app().await;
    let token = super::helpers::admin_token(&app).await;
    let teacher = insert_user(&app, "ustoz@bilim.uz", UserRole::Teacher).await;
    let built = build(&app, &token, &teacher).await;
    let secrets = secrets(&app, &built.lessons).await;
    let user = user_token(&app, "talaba@bilim.uz").await;
    let me = json_of(get(&app, ME, &user).await, 200).await;
    let user_id = me["id"].as_str().unwrap().to_owned();

    for (label, text) in &built.answers {
        secrets.assert_clean(label, text);
    }

    let course = &built.course;
    let dir = &built.direction;
    let mut public_paths = vec![
        DIRECTIONS.to_owned(),
        format!("{DIRECTIONS}/{dir}"),
        COURSES.to_owned(),
        with_query(COURSES, &[("direction_id", dir)]),
        with_query(COURSES, &[("level", "beginner")]),
        with_query(COURSES, &[("q", "rust")]),
        with_query(COURSES, &[("limit", "1")]),
        format!("{COURSES}/{course}"),
    ];
    let published_lessons = &built.lessons[..6];
    for lesson_id in published_lessons {
        public_paths.push(format!("{LESSONS}/{lesson_id}"));
    }
    let mut read = 0;
    for path in &public_paths {
        // Anyone, and a signed-in user, read the same.
        for token in [None, Some(user.as_str())] {
            let request = app.client.get(app.url(path));
            let request = match token {
                Some(token) => request.bearer_auth(token),
                None => request,
            };
            let (status, text) = status_and_text(request.send().await.unwrap()).await;
            assert_eq!(status, 200, "{path}: {text}");
            secrets.assert_clean(path, &text);
            read += 1;
        }
    }
    // The published course really is the full one.
    let detail: Value = json_of(app.get(&format!("{COURSES}/{course}")).await, 200).await;
    let lesson_count: usize = detail["modules"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m["lessons"].as_array().unwrap().len())
        .sum();
    assert_eq!(lesson_count, 6, "{detail}");
    assert_eq!(detail["workbooks"].as_array().unwrap().len(), 3, "{detail}");
    assert!(detail["certificate"].is_object(), "{detail}");

    let (status, text) = status_and_text(get(&app, ME, &user).await).await;
    assert_eq!(status, 200, "{text}");
    secrets.assert_clean(ME, &text);

    let draft = &built.draft;
    let admin_paths = vec![
        ADMIN_DIRECTIONS.to_owned(),
        format!("{ADMIN_DIRECTIONS}/{dir}"),
        ADMIN_COURSES.to_owned(),
        with_query(ADMIN_COURSES, &[("status", "published")]),
        with_query(ADMIN_COURSES, &[("status", "draft")]),
        with_query(ADMIN_COURSES, &[("q", "rust")]),
        format!("{ADMIN_COURSES}/{course}"),
        format!("{ADMIN_COURSES}/{draft}"),
        with_query(AUDIT, &[("limit", "100")]),
        api("/admin/users"),
        api("/admin/admins"),
        api(&format!("/admin/users/{user_id}")),
    ];
    for path in &admin_paths {
        let (status, text) = status_and_text(get(&app, path, &token).await).await;
        assert_eq!(status, 200, "{path}: {text}");
        secrets.assert_clean(path, &text);
        read += 1;
    }
    // Every admin catalogue read of the draft also holds its lesson.
    let draft_view = json_of(
        get(&app, &format!("{ADMIN_COURSES}/{draft}"), &token).await,
        200,
    )
    .await;
    assert_eq!(
        ids(&draft_view["modules"][0]["lessons"]),
        [built.lessons[6].clone()]
    );
    assert!(read > 20, "the crawl read only {read} answers");

    // And the video is still there for the one route that may give it.
    set_status(&app, &token, draft, "published").await;
    let video = app
        .ports
        .videos
        .video_of(built.lessons[6].parse().unwrap())
        .await
        .unwrap();
    assert!(video.is_some());
}

#[test]
fn the_crawl_check_refuses_every_kind_of_leak() {
    let secrets = Secrets {
        exact: vec!["https://v.example/a".to_owned(), "0a1b2c".to_owned()],
    };
    secrets.assert_clean(
        "clean",
        r#"{"id":"x","title":"Video dars","avatar_url":null}"#,
    );
    secrets.assert_clean("empty", "");
    let leaks = [
        r#"{"title":"https://v.example/a"}"#,
        r#"{"title":"0a1b2c"}"#,
        r#"{"title":"see https://cdn.example.uz/x"}"#,
        r#"{"a":"videos/ff.mp4"}"#,
        r#"{"a":"workbooks/ff"}"#,
        r#"{"modules":[{"lessons":[{"video":null}]}]}"#,
        r#"{"items":[{"video_id":"x"}]}"#,
        r#"{"workbooks":[{"url":"x"}]}"#,
        r#"{"certificate":{"download_url":"x"}}"#,
        r#"{"storage":"x"}"#,
    ];
    for leak in leaks {
        let caught = std::panic::catch_unwind(|| secrets.assert_clean("leak", leak));
        assert!(caught.is_err(), "not caught: {leak}");
    }
}

#[tokio::test]
async fn the_openapi_document_gives_no_catalogue_answer_a_video_or_link_field() {
    let app = spawn_app().await;
    let document = json_of(app.get("/api-docs/openapi.json").await, 200).await;
    let schemas = &document["components"]["schemas"];
    let catalogue = [
        "DirectionResponse",
        "DirectionList",
        "DirectionDetail",
        "CourseSummary",
        "CoursePage",
        "CourseDetail",
        "TeacherResponse",
        "ModuleResponse",
        "ModuleWithLessons",
        "LessonSummary",
        "LessonDetail",
        "WorkbookSummary",
        "WorkbookResponse",
        "CertificateSummary",
    ];
    for name in catalogue {
        let schema = &schemas[name];
        assert!(schema.is_object(), "no schema {name}");
        for property in property_names(schema) {
            let lower = property.to_lowercase();
            assert!(
                !lower.contains("video")
                    && !lower.contains("url")
                    && !lower.contains("storage")
                    && !lower.contains("link"),
                "{name} has a {property:?} property: {schema}"
            );
        }
    }
}

/// The names under every `properties` of a schema (through `allOf` and nesting).
fn property_names(schema: &Value) -> Vec<String> {
    let mut names = Vec::new();
    let mut stack = vec![schema];
    while let Some(value) = stack.pop() {
        match value {
            Value::Object(map) => {
                if let Some(Value::Object(properties)) = map.get("properties") {
                    names.extend(properties.keys().cloned());
                }
                stack.extend(map.values());
            }
            Value::Array(items) => stack.extend(items),
            _ => {}
        }
    }
    names
}
