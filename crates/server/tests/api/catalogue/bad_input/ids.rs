//! Unknown ids (404 with the code of what is missing, on public and admin
//! routes, also for an id of another kind) and malformed ids (400
//! `request.invalid_path`) on every route.

use super::{Route, admin_routes_with_id, call};
use crate::catalogue::helpers::{
    ADMIN_COURSES, ADMIN_DIRECTIONS, COURSES, DIRECTIONS, LESSONS, admin_token, course, direction,
    get, lesson, module, problem, send, stored,
};
use crate::helpers::spawn_app;
use reqwest::Method;
use serde_json::{Value, json};

/// The code a 404 of `route` should carry: what its id names.
fn missing_code(route: &Route) -> &'static str {
    let path = route.path;
    if path.starts_with("/api/v1/admin/directions") {
        "direction.not_found"
    } else if path.starts_with("/api/v1/admin/courses") {
        "course.not_found"
    } else if path.starts_with("/api/v1/admin/modules") {
        "module.not_found"
    } else if path.starts_with("/api/v1/admin/lessons") {
        "lesson.not_found"
    } else {
        "workbook.not_found"
    }
}

#[tokio::test]
async fn unknown_ids_on_public_routes_are_404_with_the_code_of_what_is_missing() {
    let app = spawn_app().await;
    let nowhere = uuid::Uuid::now_v7();
    for (path, code) in [
        (format!("{DIRECTIONS}/{nowhere}"), "direction.not_found"),
        (format!("{COURSES}/{nowhere}"), "course.not_found"),
        (format!("{LESSONS}/{nowhere}"), "lesson.not_found"),
        (
            format!("{COURSES}/{}", uuid::Uuid::nil()),
            "course.not_found",
        ),
    ] {
        problem(app.get(&path).await, 404, code).await;
    }
}

#[tokio::test]
async fn unknown_ids_on_admin_reads_are_404_with_the_code_of_what_is_missing() {
    let app = spawn_app().await;
    let token = admin_token(&app).await;
    let nowhere = uuid::Uuid::now_v7();
    problem(
        get(&app, &format!("{ADMIN_DIRECTIONS}/{nowhere}"), &token).await,
        404,
        "direction.not_found",
    )
    .await;
    problem(
        get(&app, &format!("{ADMIN_COURSES}/{nowhere}"), &token).await,
        404,
        "course.not_found",
    )
    .await;
}

/// Every admin route given an id that names nothing answers 404 with the code
/// of the missing thing, as the reads do (`direction.not_found`,
/// `course.not_found`), never a bare `not_found`; and stores nothing.
#[tokio::test]
async fn unknown_ids_on_admin_changes_are_404_with_the_code_of_what_is_missing() {
    let app = spawn_app().await;
    let token = admin_token(&app).await;
    let nowhere = uuid::Uuid::now_v7().to_string();
    let mut wrong = Vec::new();
    for route in admin_routes_with_id() {
        let response = call(&app, &route, &nowhere, Some(&token)).await;
        let status = response.status().as_u16();
        let text = response.text().await.unwrap();
        let body: Value = serde_json::from_str(&text).unwrap_or(Value::Null);
        let expected = missing_code(&route);
        if status != 404 || body["code"] != expected {
            wrong.push(format!(
                "{} {}: {status} {} (expected 404 {expected})",
                route.method, route.path, body["code"]
            ));
        }
    }
    assert!(stored(&app).is_empty(), "{:?}", stored(&app));
    assert!(
        wrong.is_empty(),
        "{} of {} routes answer an unknown id without its code:\n{}",
        wrong.len(),
        admin_routes_with_id().len(),
        wrong.join("\n")
    );
}

#[tokio::test]
async fn an_id_of_the_wrong_kind_is_404_not_another_item() {
    let app = spawn_app().await;
    let token = admin_token(&app).await;
    let dir = direction(&app, &token, "Matematika").await;
    let created = course(
        &app,
        &token,
        &dir,
        "Algebra",
        json!({"status": "published"}),
    )
    .await;
    let course_id = created["id"].as_str().unwrap().to_owned();
    let module_id = module(&app, &token, &course_id, json!({"title": "M"})).await["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let lesson_id = lesson(&app, &token, &module_id, json!({"title": "L"})).await["id"]
        .as_str()
        .unwrap()
        .to_owned();
    problem(
        app.get(&format!("{COURSES}/{lesson_id}")).await,
        404,
        "course.not_found",
    )
    .await;
    problem(
        app.get(&format!("{LESSONS}/{course_id}")).await,
        404,
        "lesson.not_found",
    )
    .await;
    problem(
        app.get(&format!("{LESSONS}/{module_id}")).await,
        404,
        "lesson.not_found",
    )
    .await;
    problem(
        app.get(&format!("{DIRECTIONS}/{course_id}")).await,
        404,
        "direction.not_found",
    )
    .await;
    problem(
        get(&app, &format!("{ADMIN_COURSES}/{dir}"), &token).await,
        404,
        "course.not_found",
    )
    .await;
    // A module id is not a course to add modules to.
    let response = send(
        &app,
        Method::POST,
        &format!("{ADMIN_COURSES}/{module_id}/modules"),
        &token,
        Some(&json!({"title": "X"})),
    )
    .await;
    assert_eq!(response.status(), 404, "{}", response.text().await.unwrap());
}

// ---------------------------------------------------------------- malformed ids

#[tokio::test]
async fn malformed_ids_are_400_request_invalid_path_on_every_route() {
    let app = spawn_app().await;
    let token = admin_token(&app).await;
    let malformed = [
        "not-a-uuid",
        "123",
        "0190c4c0-0000-7000-8000-00000000000",
        "0190c4c0-0000-7000-8000-000000000000x",
        "%27%20OR%201%3D1--",
    ];
    for id in malformed {
        for path in [DIRECTIONS, COURSES, LESSONS] {
            problem(
                app.get(&format!("{path}/{id}")).await,
                400,
                "request.invalid_path",
            )
            .await;
        }
        for route in admin_routes_with_id() {
            let response = call(&app, &route, id, Some(&token)).await;
            let what = format!("{} {} with {id}", route.method, route.path);
            let status = response.status().as_u16();
            let text = response.text().await.unwrap();
            assert_eq!(status, 400, "{what}: {text}");
            let body: Value = serde_json::from_str(&text).unwrap();
            assert_eq!(body["code"], "request.invalid_path", "{what}: {text}");
        }
    }
    assert!(stored(&app).is_empty(), "{:?}", stored(&app));
}
