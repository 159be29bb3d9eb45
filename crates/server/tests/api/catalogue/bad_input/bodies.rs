//! Bodies with wrong types, unknown fields or malformed JSON: 400, and nothing
//! changes.

use crate::catalogue::helpers::{
    ADMIN_COURSES, ADMIN_DIRECTIONS, ADMIN_LESSONS, ADMIN_MODULES, admin_token, course, direction,
    get, json_of, lesson, module, problem, send,
};
use crate::helpers::spawn_app;
use reqwest::Method;
use serde_json::{Value, json};

#[tokio::test]
async fn wrong_types_in_bodies_are_400_validation() {
    let app = spawn_app().await;
    let token = admin_token(&app).await;
    let dir = direction(&app, &token, "Matematika").await;
    let created = course(&app, &token, &dir, "Algebra", json!({})).await;
    let course_id = created["id"].as_str().unwrap().to_owned();
    let module_id = module(&app, &token, &course_id, json!({"title": "M"})).await["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let lesson_id = lesson(&app, &token, &module_id, json!({"title": "L"})).await["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let valid_course = json!({"direction_id": dir, "title": "K", "level": "beginner"});
    let with = |field: &str, value: Value| {
        let mut body = valid_course.clone();
        body[field] = value;
        body
    };
    let cases: Vec<(Method, String, Value)> = vec![
        (Method::POST, ADMIN_DIRECTIONS.into(), json!({"name": 5})),
        (
            Method::POST,
            ADMIN_DIRECTIONS.into(),
            json!({"name": "X", "position": "1"}),
        ),
        (
            Method::POST,
            ADMIN_DIRECTIONS.into(),
            json!({"name": ["X"]}),
        ),
        (Method::POST, ADMIN_COURSES.into(), with("title", json!(5))),
        (
            Method::POST,
            ADMIN_COURSES.into(),
            with("access_months", json!("six")),
        ),
        (
            Method::POST,
            ADMIN_COURSES.into(),
            with("access_months", json!(1.5)),
        ),
        (
            Method::POST,
            ADMIN_COURSES.into(),
            with("direction_id", json!("x")),
        ),
        (
            Method::POST,
            ADMIN_COURSES.into(),
            with("direction_id", json!(7)),
        ),
        (
            Method::POST,
            ADMIN_COURSES.into(),
            with("teacher_id", json!(5)),
        ),
        (Method::POST, ADMIN_COURSES.into(), with("level", json!(1))),
        (
            Method::POST,
            ADMIN_COURSES.into(),
            with("status", json!(true)),
        ),
        (
            Method::POST,
            ADMIN_COURSES.into(),
            json!([valid_course.clone()]),
        ),
        (
            Method::PATCH,
            format!("{ADMIN_COURSES}/{course_id}"),
            json!({"title": 5}),
        ),
        (
            Method::PATCH,
            format!("{ADMIN_DIRECTIONS}/{dir}"),
            json!({"description": 5}),
        ),
        (
            Method::POST,
            format!("{ADMIN_COURSES}/{course_id}/modules"),
            json!({"title": 5}),
        ),
        (
            Method::POST,
            format!("{ADMIN_COURSES}/{course_id}/modules"),
            json!({"title": "M", "position": 1.5}),
        ),
        (
            Method::PATCH,
            format!("{ADMIN_MODULES}/{module_id}"),
            json!({"position": "2"}),
        ),
        (
            Method::POST,
            format!("{ADMIN_MODULES}/{module_id}/lessons"),
            json!({"title": true}),
        ),
        (
            Method::PATCH,
            format!("{ADMIN_LESSONS}/{lesson_id}"),
            json!({"description": {}}),
        ),
        (
            Method::PUT,
            format!("{ADMIN_COURSES}/{course_id}/certificate"),
            json!({"title": 5}),
        ),
        (
            Method::PUT,
            format!("{ADMIN_LESSONS}/{lesson_id}/video"),
            json!({"url": 5, "duration_seconds": 60}),
        ),
    ];
    for (method, path, body) in cases {
        let response = send(&app, method.clone(), &path, &token, Some(&body)).await;
        let what = format!("{method} {path} {body}");
        let status = response.status().as_u16();
        let text = response.text().await.unwrap();
        assert_eq!(status, 400, "{what}: {text}");
        let problem: Value = serde_json::from_str(&text).unwrap();
        assert_eq!(problem["code"], "validation", "{what}: {text}");
    }
    // Nothing was changed by any of them.
    let tree = json_of(
        get(&app, &format!("{ADMIN_COURSES}/{course_id}"), &token).await,
        200,
    )
    .await;
    assert_eq!(tree["title"], "Algebra");
    assert_eq!(tree["modules"].as_array().unwrap().len(), 1);
    let courses = json_of(get(&app, ADMIN_COURSES, &token).await, 200).await;
    assert_eq!(courses["items"].as_array().unwrap().len(), 1, "{courses}");
}

#[tokio::test]
async fn unknown_fields_and_malformed_json_are_400_and_change_nothing() {
    let app = spawn_app().await;
    let token = admin_token(&app).await;
    let dir = direction(&app, &token, "Matematika").await;
    let created = course(&app, &token, &dir, "Algebra", json!({})).await;
    let course_id = created["id"].as_str().unwrap().to_owned();
    let module_id = module(&app, &token, &course_id, json!({"title": "M"})).await["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let lesson_id = lesson(&app, &token, &module_id, json!({"title": "L"})).await["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let cases: Vec<(Method, String, Value)> = vec![
        (
            Method::POST,
            ADMIN_DIRECTIONS.into(),
            json!({"name": "Fizika", "colour": "red"}),
        ),
        (
            Method::PATCH,
            format!("{ADMIN_DIRECTIONS}/{dir}"),
            json!({"id": dir}),
        ),
        (
            Method::POST,
            ADMIN_COURSES.into(),
            json!({"direction_id": dir, "title": "K", "level": "beginner", "price": 100000}),
        ),
        (
            Method::PATCH,
            format!("{ADMIN_COURSES}/{course_id}"),
            json!({"videos": [{"url": "https://cdn.example.uz/x.mp4"}]}),
        ),
        (
            Method::PATCH,
            format!("{ADMIN_COURSES}/{course_id}"),
            json!({"created_at": "2020-01-01T00:00:00Z"}),
        ),
        (
            Method::POST,
            format!("{ADMIN_COURSES}/{course_id}/modules"),
            json!({"title": "M2", "course_id": course_id}),
        ),
        (
            Method::POST,
            format!("{ADMIN_MODULES}/{module_id}/lessons"),
            json!({"title": "L2", "video_url": "https://cdn.example.uz/x.mp4"}),
        ),
        (
            Method::PATCH,
            format!("{ADMIN_LESSONS}/{lesson_id}"),
            json!({"module_id": module_id}),
        ),
        (
            Method::PUT,
            format!("{ADMIN_COURSES}/{course_id}/certificate"),
            json!({"title": "S", "url": "https://x.uz"}),
        ),
    ];
    for (method, path, body) in cases {
        let response = send(&app, method.clone(), &path, &token, Some(&body)).await;
        let what = format!("{method} {path} {body}");
        let refused = problem(response, 400, "validation").await;
        assert!(!refused["detail"].as_str().unwrap().is_empty(), "{what}");
    }
    for (method, path) in [
        (Method::POST, ADMIN_DIRECTIONS.to_owned()),
        (Method::POST, ADMIN_COURSES.to_owned()),
        (Method::PATCH, format!("{ADMIN_COURSES}/{course_id}")),
        (Method::POST, format!("{ADMIN_COURSES}/{course_id}/modules")),
        (
            Method::PUT,
            format!("{ADMIN_COURSES}/{course_id}/certificate"),
        ),
        (Method::PUT, format!("{ADMIN_LESSONS}/{lesson_id}/video")),
    ] {
        let response = app
            .authed(method.clone(), &path, &token)
            .header("content-type", "application/json")
            .body("{\"x")
            .send()
            .await
            .unwrap();
        problem(response, 400, "request.malformed_json").await;
    }
    let tree = json_of(
        get(&app, &format!("{ADMIN_COURSES}/{course_id}"), &token).await,
        200,
    )
    .await;
    assert_eq!(tree["modules"].as_array().unwrap().len(), 1, "{tree}");
    assert_eq!(
        tree["modules"][0]["lessons"].as_array().unwrap().len(),
        1,
        "{tree}"
    );
    assert_eq!(tree["certificate"], Value::Null, "{tree}");
    let directions = json_of(get(&app, ADMIN_DIRECTIONS, &token).await, 200).await;
    assert_eq!(
        directions["items"].as_array().unwrap().len(),
        1,
        "{directions}"
    );
    assert!(
        app.ports
            .videos
            .video_of(lesson_id.parse().unwrap())
            .await
            .unwrap()
            .is_none()
    );
}

/// The largest course the schema allows, written the longest way JSON can write
/// it (every description character an escaped surrogate pair, 240 000 bytes),
/// is created; a body past the 256 KiB limit is 413 and creates nothing.
#[tokio::test]
async fn the_largest_valid_body_fits_the_json_limit_and_a_larger_one_is_413() {
    let app = spawn_app().await;
    let token = admin_token(&app).await;
    let dir = direction(&app, &token, "Matematika").await;
    let send_raw = |description: String| {
        let body = format!(
            r#"{{"direction_id": "{dir}", "title": "Katta tavsif", "level": "beginner", "description": "{description}"}}"#
        );
        app.authed(Method::POST, ADMIN_COURSES, &token)
            .header("content-type", "application/json")
            .body(body)
            .send()
    };
    let longest = "\\ud83d\\ude00".repeat(20_000);
    let created = send_raw(longest).await.unwrap();
    assert_eq!(created.status(), 201);
    let created: Value = created.json().await.unwrap();
    let description = created["description"].as_str().unwrap();
    assert_eq!(description.chars().count(), 20_000);
    assert!(description.chars().all(|c| c == '😀'));

    let too_long = "\\ud83d\\ude00".repeat(22_000);
    let refused = send_raw(too_long).await.unwrap();
    problem(refused, 413, "request.too_large").await;
}
