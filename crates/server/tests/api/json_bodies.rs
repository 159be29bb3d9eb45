//! Every JSON body is an object of the documented shape. serde's derived
//! struct readers also take an array of the fields in order, so before this
//! rule `[false, "teacher"]` at `PATCH /admin/users/{id}` deactivated the user
//! and made them a teacher. An array, string, number or `null` is a 400
//! `validation` that changes nothing, on the extracted bodies and on the
//! bodies read by hand (refresh, logout, a video's JSON) alike.

use crate::helpers::{TEST_PASSWORD, TestApp, spawn_app};
use crate::support::{
    ADMIN_COURSES, ADMIN_DIRECTIONS, ADMIN_LESSONS, AUDIT, admin_login, create_admin, direction,
    get, json_of, lesson, module, patch, post, problem, put, store_user,
};
use bilim_domain::admins::AdminRole;
use bilim_domain::users::UserRole;
use serde_json::{Value, json};

const REGISTER: &str = "/api/v1/auth/register";

/// JSON that is not an object: each must be refused wherever a body is read.
fn not_objects() -> Vec<Value> {
    vec![
        json!([]),
        json!([{}]),
        json!("teacher"),
        json!(42),
        json!(true),
        Value::Null,
    ]
}

async fn root(app: &TestApp) -> String {
    create_admin(app, "root", "root@bilim.uz", AdminRole::Super).await;
    admin_login(app, "root", "root@bilim.uz").await.access
}

#[tokio::test]
async fn an_array_patch_leaves_the_user_as_it_was() {
    let app = spawn_app().await;
    let admin = root(&app).await;
    let user = store_user(
        &app,
        ("Dilnoza", "Rashidova"),
        "dilnoza@example.uz",
        None,
        UserRole::Student,
    )
    .await;
    let path = format!("/api/v1/admin/users/{}", user.id);
    let before = json_of(get(&app, &path, &admin).await, 200).await;

    // The order of `UserPatch`'s fields: `active`, then `role`.
    let mut bodies = vec![
        json!([false, "teacher"]),
        json!([false]),
        json!([null, "teacher"]),
    ];
    bodies.extend(not_objects());
    for body in bodies {
        let refused = problem(patch(&app, &path, &admin, &body).await, 400, "validation").await;
        assert!(refused["errors"].is_null(), "{body}: {refused}");
    }

    let after = json_of(get(&app, &path, &admin).await, 200).await;
    assert_eq!(after, before);
    assert_eq!(
        (after["active"].clone(), after["role"].clone()),
        (json!(true), json!("student"))
    );
    let audit = json_of(get(&app, AUDIT, &admin).await, 200).await;
    assert_eq!(audit["items"], json!([]), "nothing was audited: {audit}");

    // The same change as an object still works.
    let changed = json_of(
        patch(
            &app,
            &path,
            &admin,
            &json!({"active": false, "role": "teacher"}),
        )
        .await,
        200,
    )
    .await;
    assert_eq!(
        (changed["active"].clone(), changed["role"].clone()),
        (json!(false), json!("teacher"))
    );
}

#[tokio::test]
async fn registration_refuses_an_array_of_its_fields() {
    let app = spawn_app().await;
    // The fields of `RegisterRequest` in order: a valid registration as an array.
    let as_array = json!([
        "Dilnoza",
        "Rashidova",
        "dilnoza@example.uz",
        TEST_PASSWORD,
        null
    ]);
    let mut bodies = vec![as_array];
    bodies.extend(not_objects());
    for body in bodies {
        problem(app.post_json(REGISTER, &body).await, 400, "validation").await;
    }
    problem(
        app.post_raw(REGISTER, "application/json", "[\"Dilnoza\",")
            .await,
        400,
        "request.malformed_json",
    )
    .await;
    assert!(app.sent_mail().await.is_empty(), "no code was mailed");

    // The same registration as an object goes through.
    let object = json!({
        "first_name": "Dilnoza",
        "last_name": "Rashidova",
        "email": "dilnoza@example.uz",
        "password": TEST_PASSWORD,
    });
    json_of(app.post_json(REGISTER, &object).await, 200).await;
}

#[tokio::test]
async fn directions_are_never_created_or_changed_from_an_array() {
    let app = spawn_app().await;
    let admin = root(&app).await;
    let mut bodies = vec![
        json!(["Matematika"]),
        json!(["Matematika", "Aniq fanlar", 1]),
    ];
    bodies.extend(not_objects());
    for body in &bodies {
        problem(
            post(&app, ADMIN_DIRECTIONS, &admin, body).await,
            400,
            "validation",
        )
        .await;
    }
    let list = json_of(get(&app, ADMIN_DIRECTIONS, &admin).await, 200).await;
    assert_eq!(list["items"], json!([]), "{list}");

    let id = direction(&app, &admin, "Ingliz tili").await;
    let path = format!("{ADMIN_DIRECTIONS}/{id}");
    let before = json_of(get(&app, &path, &admin).await, 200).await;
    for body in &bodies {
        problem(patch(&app, &path, &admin, body).await, 400, "validation").await;
    }
    assert_eq!(json_of(get(&app, &path, &admin).await, 200).await, before);
}

#[tokio::test]
async fn bodies_read_by_hand_refuse_arrays_too() {
    let app = spawn_app().await;
    let signed_in = app.register("oktam@example.uz").await;
    let refresh_token = signed_in["refresh_token"].as_str().unwrap();

    // `RefreshRequest` has one field: a one-element array used to be read as it.
    for route in ["/api/v1/auth/refresh", "/api/v1/auth/logout"] {
        let mut bodies = vec![json!([refresh_token])];
        bodies.extend(not_objects());
        for body in bodies {
            problem(app.post_json(route, &body).await, 400, "validation").await;
        }
    }
    // Neither refused request used or revoked the token.
    let refreshed = json_of(
        app.post_json(
            "/api/v1/auth/refresh",
            &json!({"refresh_token": refresh_token}),
        )
        .await,
        200,
    )
    .await;
    assert!(refreshed["access_token"].is_string());

    // A video's JSON body is read by hand as well (the route also takes forms).
    let admin = root(&app).await;
    let direction = direction(&app, &admin, "Dasturlash").await;
    let course = json_of(
        post(
            &app,
            ADMIN_COURSES,
            &admin,
            &json!({"direction_id": direction, "title": "Rust asoslari", "level": "beginner"}),
        )
        .await,
        201,
    )
    .await;
    let course_id = course["id"].as_str().unwrap();
    let module = module(&app, &admin, course_id, json!({"title": "1-modul"})).await;
    let lesson = lesson(
        &app,
        &admin,
        module["id"].as_str().unwrap(),
        json!({"title": "1-dars"}),
    )
    .await;
    let video = format!("{ADMIN_LESSONS}/{}/video", lesson["id"].as_str().unwrap());
    let mut bodies = vec![json!(["https://video.bilim.uz/1-dars.mp4", 754])];
    bodies.extend(not_objects());
    for body in bodies {
        problem(put(&app, &video, &admin, &body).await, 400, "validation").await;
    }
    let audit = json_of(get(&app, AUDIT, &admin).await, 200).await;
    let actions: Vec<&str> = audit["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|entry| entry["action"].as_str().unwrap())
        .collect();
    assert!(!actions.contains(&"video.set"), "{actions:?}");
}
