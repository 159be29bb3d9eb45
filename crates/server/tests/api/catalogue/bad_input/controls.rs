//! Control characters (NUL above all, which PostgreSQL cannot store in text)
//! in a query, a path, a JSON body or a form field: 400 `validation` naming the
//! field, never a 500, on both backends.

use super::super::helpers::{
    ADMIN_COURSES, ADMIN_DIRECTIONS, COURSES, Form, admin_token, course, direction, field_errors,
    lesson, module, pdf, post, problem, put_video_url, send_form, status_and_text,
};
use crate::helpers::spawn_app;
use reqwest::Method;
use serde_json::json;

fn names(problem: &serde_json::Value) -> Vec<(String, String)> {
    field_errors(problem).into_iter().collect()
}

#[tokio::test]
async fn a_nul_in_a_query_or_path_is_a_400_naming_it() {
    let app = spawn_app().await;
    let token = admin_token(&app).await;
    for path in [
        format!("{COURSES}?q=%00"),
        format!("{COURSES}?q=alge%0Abra"),
        "/api/v1/admin/users?q=%00".to_owned(),
        format!("{ADMIN_COURSES}?q=a%7Fb"),
    ] {
        let response = app.authed(Method::GET, &path, &token).send().await.unwrap();
        let refused = problem(response, 400, "validation").await;
        assert_eq!(
            names(&refused),
            [("q".to_owned(), "text.control_character".to_owned())],
            "{path}"
        );
    }
    let refused = problem(app.get("/api/v1/certificates/%00").await, 400, "validation").await;
    assert_eq!(names(&refused)[0].0, "path");
    // Printable text that is merely encoded stays fine.
    let (status, text) =
        status_and_text(app.get(&format!("{COURSES}?q=o%CA%BBzbek%20tili")).await).await;
    assert_eq!(status, 200, "{text}");
}

#[tokio::test]
async fn a_nul_in_a_json_body_is_a_400_naming_the_field() {
    let app = spawn_app().await;
    let login = app
        .post_json(
            "/api/v1/admin/auth/login",
            &json!({"login": "root\u{0}", "password": "whatever-it-is"}),
        )
        .await;
    let refused = problem(login, 400, "validation").await;
    assert_eq!(names(&refused)[0].0, "login");

    let token = admin_token(&app).await;
    let refused = problem(
        post(
            &app,
            ADMIN_DIRECTIONS,
            &token,
            &json!({"name": "Mate\u{0}matika"}),
        )
        .await,
        400,
        "validation",
    )
    .await;
    assert_eq!(names(&refused)[0].0, "name");
    let maths = direction(&app, &token, "Matematika").await;
    // A title is one line; a description may span lines.
    let refused = problem(
        post(
            &app,
            ADMIN_COURSES,
            &token,
            &json!({"direction_id": maths, "title": "Alge\nbra", "level": "beginner"}),
        )
        .await,
        400,
        "validation",
    )
    .await;
    assert_eq!(
        names(&refused)[0],
        ("title".into(), "text.control_character".into())
    );
    let created = course(
        &app,
        &token,
        &maths,
        "Algebra",
        json!({"description": "bir\nikki"}),
    )
    .await;
    let course_id = created["id"].as_str().unwrap();
    let module = module(&app, &token, course_id, json!({"title": "Modul"})).await;
    let lesson = lesson(
        &app,
        &token,
        module["id"].as_str().unwrap(),
        json!({"title": "Dars"}),
    )
    .await;
    let lesson_id = lesson["id"].as_str().unwrap();
    let response = put_video_url(
        &app,
        &token,
        lesson_id,
        "https://cdn.example.uz/a\u{0}.mp4",
        60,
    )
    .await;
    problem(response, 400, "validation").await;

    // A form's text field.
    let form = Form::default().text("title", "Daf\u{0}tar").file(
        "file",
        "a.pdf",
        "application/pdf",
        &pdf(1, 2000),
    );
    let path = format!("{ADMIN_COURSES}/{course_id}/workbooks");
    let refused = problem(
        send_form(&app, Method::POST, &path, &token, form).await,
        400,
        "validation",
    )
    .await;
    assert_eq!(names(&refused)[0].0, "title");
}

/// Issue 15: a video URL is parsed and kept as the parser writes it; CR/LF,
/// quotes, angle brackets and spaces are refused, not passed on to students.
#[tokio::test]
async fn a_video_url_a_parser_would_not_write_is_a_400() {
    let app = spawn_app().await;
    let token = admin_token(&app).await;
    let maths = direction(&app, &token, "Matematika").await;
    let created = course(&app, &token, &maths, "Algebra", json!({})).await;
    let module = module(
        &app,
        &token,
        created["id"].as_str().unwrap(),
        json!({"title": "M"}),
    )
    .await;
    let lesson = lesson(
        &app,
        &token,
        module["id"].as_str().unwrap(),
        json!({"title": "D"}),
    )
    .await;
    let lesson_id = lesson["id"].as_str().unwrap();
    for url in [
        "https://cdn.example.uz/a.mp4\r\nX-Evil: 1",
        "https://cdn.example.uz/\"><script>alert(1)</script>",
        "https://cdn.example.uz/a b.mp4",
        "https://cdn.example.uz/<a>",
        "https://cdn.example.uz/a'.mp4",
    ] {
        let refused = problem(
            put_video_url(&app, &token, lesson_id, url, 60).await,
            400,
            "validation",
        )
        .await;
        assert_eq!(names(&refused)[0].0, "url", "{url:?}");
    }
    let (status, text) = status_and_text(
        put_video_url(&app, &token, lesson_id, "https://CDN.example.uz/a.mp4", 60).await,
    )
    .await;
    assert!(status < 300, "{status}: {text}");
}
