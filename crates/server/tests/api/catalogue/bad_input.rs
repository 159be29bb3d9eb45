//! Bad input on every catalogue route: unknown ids (404 with the code of what
//! is missing), malformed ids (400 `request.invalid_path`), bad queries, wrong
//! types and unknown fields (400), and tokens (401 without an admin token).

use super::helpers::{
    ADMIN_COURSES, ADMIN_DIRECTIONS, ADMIN_LESSONS, ADMIN_MODULES, COURSES, DIRECTIONS, Form,
    LESSONS, admin_token, course, direction, field_errors, get, json_of, lesson, module, mp4, pdf,
    problem, send, send_form, stored, user_token, with_query,
};
use crate::helpers::{TestApp, spawn_app};
use reqwest::{Method, Response};
use serde_json::{Value, json};

/// A route of the admin catalogue: method, path (`{id}` replaced), a body
/// that would be accepted, or a form.
#[derive(Clone)]
enum Body {
    None,
    Json(Value),
    Workbook,
    Video,
}

struct Route {
    method: Method,
    path: &'static str,
    body: Body,
}

const fn route(method: Method, path: &'static str, body: Body) -> Route {
    Route { method, path, body }
}

/// Every admin catalogue route with an id in its path.
fn admin_routes_with_id() -> Vec<Route> {
    vec![
        route(Method::GET, "/api/v1/admin/directions/{id}", Body::None),
        route(
            Method::PATCH,
            "/api/v1/admin/directions/{id}",
            Body::Json(json!({"name": "Yangi nom"})),
        ),
        route(Method::DELETE, "/api/v1/admin/directions/{id}", Body::None),
        route(Method::GET, "/api/v1/admin/courses/{id}", Body::None),
        route(
            Method::PATCH,
            "/api/v1/admin/courses/{id}",
            Body::Json(json!({"title": "Yangi nom"})),
        ),
        route(Method::DELETE, "/api/v1/admin/courses/{id}", Body::None),
        route(
            Method::POST,
            "/api/v1/admin/courses/{id}/modules",
            Body::Json(json!({"title": "Modul"})),
        ),
        route(
            Method::PATCH,
            "/api/v1/admin/modules/{id}",
            Body::Json(json!({"title": "Modul"})),
        ),
        route(Method::DELETE, "/api/v1/admin/modules/{id}", Body::None),
        route(
            Method::POST,
            "/api/v1/admin/modules/{id}/lessons",
            Body::Json(json!({"title": "Dars"})),
        ),
        route(
            Method::PATCH,
            "/api/v1/admin/lessons/{id}",
            Body::Json(json!({"title": "Dars"})),
        ),
        route(Method::DELETE, "/api/v1/admin/lessons/{id}", Body::None),
        route(
            Method::PUT,
            "/api/v1/admin/lessons/{id}/video",
            Body::Json(json!({"url": "https://cdn.example.uz/x.mp4", "duration_seconds": 60})),
        ),
        route(Method::PUT, "/api/v1/admin/lessons/{id}/video", Body::Video),
        route(
            Method::POST,
            "/api/v1/admin/courses/{id}/workbooks",
            Body::Workbook,
        ),
        route(Method::DELETE, "/api/v1/admin/workbooks/{id}", Body::None),
        route(
            Method::PUT,
            "/api/v1/admin/courses/{id}/certificate",
            Body::Json(json!({"title": "Sertifikat"})),
        ),
    ]
}

/// Every admin catalogue route without an id.
fn admin_routes_without_id() -> Vec<Route> {
    vec![
        route(Method::GET, "/api/v1/admin/directions", Body::None),
        route(
            Method::POST,
            "/api/v1/admin/directions",
            Body::Json(json!({"name": "Yoʻnalish"})),
        ),
        route(Method::GET, "/api/v1/admin/courses", Body::None),
        route(
            Method::POST,
            "/api/v1/admin/courses",
            Body::Json(
                json!({"direction_id": uuid::Uuid::now_v7(), "title": "K", "level": "beginner"}),
            ),
        ),
    ]
}

/// Sends `route` with `id` in its path and `token` (if any).
async fn call(app: &TestApp, route: &Route, id: &str, token: Option<&str>) -> Response {
    let path = route.path.replace("{id}", id);
    let form = match &route.body {
        Body::Workbook => Some(Form::default().text("title", "Daftar").file(
            "file",
            "a.pdf",
            "application/pdf",
            &pdf(1, 2000),
        )),
        Body::Video => Some(Form::default().text("duration_seconds", "60").file(
            "file",
            "a.mp4",
            "video/mp4",
            &mp4(1, 2000),
        )),
        _ => None,
    };
    if let (Some(form), Some(token)) = (form, token) {
        return send_form(app, route.method.clone(), &path, token, form).await;
    }
    let mut request = app.client.request(route.method.clone(), app.url(&path));
    if let Some(token) = token {
        request = request.bearer_auth(token);
    }
    request = match &route.body {
        Body::Json(body) => request.json(body),
        Body::Workbook | Body::Video => {
            let form = Form::default().file("file", "a.pdf", "application/pdf", &pdf(1, 2000));
            let (content_type, bytes) = form.build();
            request.header("content-type", content_type).body(bytes)
        }
        Body::None => request,
    };
    request.send().await.unwrap()
}

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

// ---------------------------------------------------------------- unknown ids

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

// ---------------------------------------------------------------- queries

#[tokio::test]
async fn bad_course_list_queries_are_400_naming_the_parameter() {
    let app = spawn_app().await;
    let token = admin_token(&app).await;
    let long = "a".repeat(101);
    let cases: [(&[(&str, &str)], &str); 9] = [
        (&[("level", "expert")], "level"),
        (&[("level", "BEGINNER")], "level"),
        (&[("cursor", "not-a-cursor!")], "cursor"),
        (&[("cursor", "AAAA")], "cursor"),
        (&[("limit", "0")], "limit"),
        (&[("limit", "101")], "limit"),
        (&[("q", long.as_str())], "q"),
        (&[("limit", "0"), ("level", "beginner")], "limit"),
        (&[("level", "x"), ("cursor", "AAAA")], "level"),
    ];
    for (query, field) in cases {
        for (base, token) in [(COURSES, None), (ADMIN_COURSES, Some(token.as_str()))] {
            let path = with_query(base, query);
            let response = match token {
                Some(token) => get(&app, &path, token).await,
                None => app.get(&path).await,
            };
            let refused = problem(response, 400, "validation").await;
            let fields: Vec<String> = field_errors(&refused).into_iter().map(|(f, _)| f).collect();
            assert!(fields.contains(&field.to_owned()), "{path}: {refused}");
        }
    }
    for query in [
        &[("limit", "abc")][..],
        &[("limit", "-1")],
        &[("direction_id", "x")],
    ] {
        for base in [COURSES, ADMIN_COURSES] {
            let path = with_query(base, query);
            problem(get(&app, &path, &token).await, 400, "request.invalid_query").await;
        }
    }
    // Admins may filter by status, and only by a real one.
    problem(
        get(
            &app,
            &with_query(ADMIN_COURSES, &[("status", "deleted")]),
            &token,
        )
        .await,
        400,
        "validation",
    )
    .await;
    // The edges of the range are fine.
    for limit in ["1", "100"] {
        json_of(
            app.get(&with_query(COURSES, &[("limit", limit)])).await,
            200,
        )
        .await;
    }
    json_of(
        app.get(&with_query(COURSES, &[("q", &"a".repeat(100))]))
            .await,
        200,
    )
    .await;
}

// ---------------------------------------------------------------- bodies

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

// ---------------------------------------------------------------- tokens

#[tokio::test]
async fn admin_catalogue_routes_answer_401_to_a_user_token_a_bad_token_and_no_token() {
    let app = spawn_app().await;
    let admin = admin_token(&app).await;
    let dir = direction(&app, &admin, "Matematika").await;
    let created = course(&app, &admin, &dir, "Algebra", json!({})).await;
    let course_id = created["id"].as_str().unwrap().to_owned();
    let user = user_token(&app, "talaba@bilim.uz").await;
    let forged = format!("{admin}x");
    let mut routes = admin_routes_with_id();
    routes.extend(admin_routes_without_id());

    for route in &routes {
        for (who, token) in [
            ("user", Some(user.as_str())),
            ("forged", Some(forged.as_str())),
            ("none", None),
        ] {
            let response = call(&app, route, &course_id, token).await;
            let what = format!("{} {} as {who}", route.method, route.path);
            let status = response.status().as_u16();
            let text = response.text().await.unwrap();
            assert_eq!(status, 401, "{what}: {text}");
            let body: Value = serde_json::from_str(&text).unwrap();
            assert!(
                body["code"].as_str().unwrap().starts_with("auth."),
                "{what}: {text}"
            );
        }
    }
    // Nothing was changed, nothing stored.
    let tree = json_of(
        get(&app, &format!("{ADMIN_COURSES}/{course_id}"), &admin).await,
        200,
    )
    .await;
    assert_eq!(tree["title"], "Algebra");
    assert_eq!(tree["modules"], json!([]));
    assert_eq!(tree["certificate"], Value::Null);
    let directions = json_of(get(&app, ADMIN_DIRECTIONS, &admin).await, 200).await;
    assert_eq!(directions["items"].as_array().unwrap().len(), 1);
    assert!(stored(&app).is_empty(), "{:?}", stored(&app));
    // The audit log holds the admin's own changes only.
    let audit = json_of(get(&app, super::helpers::AUDIT, &admin).await, 200).await;
    assert_eq!(audit["items"].as_array().unwrap().len(), 2, "{audit}");
}

#[tokio::test]
async fn public_catalogue_routes_need_no_token_and_ignore_one() {
    let app = spawn_app().await;
    let admin = admin_token(&app).await;
    let dir = direction(&app, &admin, "Matematika").await;
    let created = course(
        &app,
        &admin,
        &dir,
        "Algebra",
        json!({"status": "published"}),
    )
    .await;
    let course_id = created["id"].as_str().unwrap().to_owned();
    let user = user_token(&app, "talaba@bilim.uz").await;
    for path in [
        DIRECTIONS.to_owned(),
        format!("{DIRECTIONS}/{dir}"),
        COURSES.to_owned(),
        format!("{COURSES}/{course_id}"),
    ] {
        let anonymous = json_of(app.get(&path).await, 200).await;
        let as_user = json_of(get(&app, &path, &user).await, 200).await;
        let as_admin = json_of(get(&app, &path, &admin).await, 200).await;
        assert_eq!(anonymous, as_user, "{path}");
        assert_eq!(anonymous, as_admin, "{path}");
    }
}
