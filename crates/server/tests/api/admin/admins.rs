//! `/admin/admins`: super admins list and create admins; plain admins may not.

use super::helpers::{
    ADMINS, ME, ROOT_EMAIL, USERS, admin_login, create_admin, get, ids, json_of, list,
    login_step_one, plain_admin, post_admin, problem, root, status_of, walk, with_query,
};
use crate::helpers::{TEST_PASSWORD, TestApp, spawn_app};
use bilim_domain::admins::AdminRole;
use reqwest::Method;
use serde_json::{Value, json};
use std::collections::BTreeSet;

fn new_admin(username: &str, email: &str) -> Value {
    json!({"username": username, "email": email, "password": TEST_PASSWORD})
}

/// The usernames a super admin sees, newest first.
async fn usernames(app: &TestApp, token: &str) -> Vec<String> {
    let page = list(app, token, ADMINS, &[("limit", "100")]).await;
    page["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["username"].as_str().unwrap().to_owned())
        .collect()
}

fn error_fields(problem: &Value) -> BTreeSet<String> {
    problem["errors"]
        .as_array()
        .unwrap_or_else(|| panic!("no errors[]: {problem}"))
        .iter()
        .map(|e| e["field"].as_str().unwrap().to_owned())
        .collect()
}

#[tokio::test]
async fn a_super_admin_creates_an_admin_who_can_then_log_in() {
    let app = spawn_app().await;
    let root = root(&app).await;

    let response = post_admin(
        &app,
        &root.access,
        &new_admin("dilnoza", "dilnoza@bilim.uz"),
    )
    .await;
    let created = json_of(response, 201).await;
    let id = created["id"].as_str().unwrap().to_owned();
    assert!(uuid::Uuid::parse_str(&id).is_ok(), "{created}");
    assert_eq!(created["username"], "dilnoza");
    assert_eq!(created["email"], "dilnoza@bilim.uz");
    assert_eq!(created["role"], "admin", "the default role");
    assert_eq!(created["active"], true);

    let session = admin_login(&app, "dilnoza", "dilnoza@bilim.uz").await;
    assert_eq!(session.id, id);
    assert_eq!(session.body["admin"]["role"], "admin");
    assert_eq!(
        status_of(&app, Method::GET, USERS, &session.access).await,
        200
    );

    assert_eq!(usernames(&app, &root.access).await, ["dilnoza", "root"]);
    let page = list(&app, &root.access, ADMINS, &[]).await;
    assert_eq!(page["items"][0]["id"], id.as_str());
    assert!(page["next_cursor"].is_null(), "{page}");
}

#[tokio::test]
async fn a_super_admin_may_create_another_super_admin_who_manages_admins_too() {
    let app = spawn_app().await;
    let root = root(&app).await;
    let mut body = new_admin("bobur", "bobur@bilim.uz");
    body["role"] = json!("super");
    let created = json_of(post_admin(&app, &root.access, &body).await, 201).await;
    assert_eq!(created["role"], "super");

    let bobur = admin_login(&app, "bobur", "bobur@bilim.uz").await;
    assert_eq!(bobur.body["admin"]["role"], "super");
    let mut body = new_admin("kamola", "kamola@bilim.uz");
    body["role"] = json!("admin");
    let created = json_of(post_admin(&app, &bobur.access, &body).await, 201).await;
    assert_eq!(created["role"], "admin");
    assert_eq!(
        usernames(&app, &bobur.access).await,
        ["kamola", "bobur", "root"]
    );

    for role in ["owner", "Super", "", "student"] {
        let mut body = new_admin("other", "other@bilim.uz");
        body["role"] = json!(role);
        let response = post_admin(&app, &root.access, &body).await;
        assert_eq!(response.status(), 400, "role {role:?}");
    }
    assert_eq!(usernames(&app, &root.access).await.len(), 3);
}

#[tokio::test]
async fn plain_admins_may_neither_list_nor_create_admins() {
    let app = spawn_app().await;
    let root = root(&app).await;
    let plain = plain_admin(&app, "dilnoza").await;

    problem(
        get(&app, ADMINS, &plain.access).await,
        403,
        "admin.forbidden",
    )
    .await;
    let path = with_query(ADMINS, &[("limit", "5")]);
    problem(
        get(&app, &path, &plain.access).await,
        403,
        "admin.forbidden",
    )
    .await;
    for role in [None, Some("admin"), Some("super")] {
        let mut body = new_admin("sneaky", "sneaky@bilim.uz");
        if let Some(role) = role {
            body["role"] = json!(role);
        }
        let response = post_admin(&app, &plain.access, &body).await;
        problem(response, 403, "admin.forbidden").await;
    }
    // Even a body that would conflict is refused as forbidden first.
    let response = post_admin(&app, &plain.access, &new_admin("root", ROOT_EMAIL)).await;
    problem(response, 403, "admin.forbidden").await;

    assert_eq!(usernames(&app, &root.access).await, ["dilnoza", "root"]);
    let response = login_step_one(&app, "sneaky", TEST_PASSWORD).await;
    problem(response, 401, "auth.invalid_credentials").await;
}

#[tokio::test]
async fn duplicate_usernames_and_emails_are_conflicts_in_any_letter_case() {
    let app = spawn_app().await;
    let root = root(&app).await;
    let response = post_admin(
        &app,
        &root.access,
        &new_admin("dilnoza", "dilnoza@bilim.uz"),
    )
    .await;
    json_of(response, 201).await;

    for username in ["dilnoza", "DILNOZA", "root"] {
        let body = new_admin(username, "fresh@bilim.uz");
        let response = post_admin(&app, &root.access, &body).await;
        problem(response, 409, "admin.username_taken").await;
    }
    for email in ["dilnoza@bilim.uz", "Dilnoza@Bilim.UZ", ROOT_EMAIL] {
        let body = new_admin("fresh", email);
        let response = post_admin(&app, &root.access, &body).await;
        problem(response, 409, "admin.email_taken").await;
    }
    assert_eq!(usernames(&app, &root.access).await, ["dilnoza", "root"]);
}

#[tokio::test]
async fn weak_passwords_and_invalid_fields_are_refused_and_create_nothing() {
    let app = spawn_app().await;
    let root = root(&app).await;

    for weak in ["password123", "qwertyuiop", "dilnoza2024"] {
        let body = json!({"username": "dilnoza", "email": "dilnoza@bilim.uz", "password": weak});
        let response = post_admin(&app, &root.access, &body).await;
        problem(response, 400, "password.weak").await;
    }

    let invalid = [
        (
            json!({"username": "1dilnoza", "email": "dilnoza@bilim.uz", "password": TEST_PASSWORD}),
            "username",
        ),
        (
            json!({"username": "di", "email": "dilnoza@bilim.uz", "password": TEST_PASSWORD}),
            "username",
        ),
        (
            json!({"username": "dil@noza", "email": "dilnoza@bilim.uz", "password": TEST_PASSWORD}),
            "username",
        ),
        (
            json!({"username": "dilnoza", "email": "not-an-email", "password": TEST_PASSWORD}),
            "email",
        ),
        (
            json!({"username": "dilnoza", "email": "dilnoza@bilim.uz", "password": "short"}),
            "password",
        ),
    ];
    for (body, field) in invalid {
        let response = post_admin(&app, &root.access, &body).await;
        let status = response.status();
        let problem: Value = response.json().await.unwrap();
        assert_eq!(status, 400, "{body}: {problem}");
        assert!(error_fields(&problem).contains(field), "{body}: {problem}");
    }

    for body in [
        json!({"username": "dilnoza", "email": "dilnoza@bilim.uz"}),
        json!({"username": "dilnoza", "password": TEST_PASSWORD}),
        json!({"username": "dilnoza", "email": "dilnoza@bilim.uz", "password": TEST_PASSWORD, "active": false}),
        json!({"username": "dilnoza", "email": "dilnoza@bilim.uz", "password": TEST_PASSWORD, "password_hash": "x"}),
    ] {
        let response = post_admin(&app, &root.access, &body).await;
        assert_eq!(response.status(), 400, "{body}");
        assert_eq!(
            response.headers()["content-type"],
            "application/problem+json"
        );
    }
    assert_eq!(usernames(&app, &root.access).await, ["root"]);
}

#[tokio::test]
async fn the_admin_list_is_newest_first_and_paginated() {
    let app = spawn_app().await;
    let root = root(&app).await;
    let mut expected = vec![root.id.clone()];
    for name in ["alisher", "bobur", "dilnoza", "kamola"] {
        let email = format!("{name}@bilim.uz");
        expected.push(create_admin(&app, name, &email, AdminRole::Admin).await);
    }
    expected.reverse();

    let pages = walk(&app, &root.access, ADMINS, &[], 2).await;
    assert_eq!(pages.len(), 3);
    assert_eq!(pages.iter().flat_map(ids).collect::<Vec<_>>(), expected);
    let first = list(&app, &root.access, ADMINS, &[]).await;
    assert_eq!(ids(&first), expected);

    for (key, value) in [("limit", "101"), ("limit", "0"), ("cursor", "garbage!")] {
        let path = with_query(ADMINS, &[(key, value)]);
        problem(get(&app, &path, &root.access).await, 400, "validation").await;
    }
}

#[tokio::test]
async fn an_admin_may_share_an_email_with_a_user_and_both_stay_apart() {
    let app = spawn_app().await;
    let root = root(&app).await;
    let user = app.register("shared@bilim.uz").await;
    let user_id = user["user"]["id"].as_str().unwrap();

    let response = post_admin(&app, &root.access, &new_admin("shared", "shared@bilim.uz")).await;
    let created = json_of(response, 201).await;
    assert_ne!(created["id"], user_id);

    let admin = admin_login(&app, "shared@bilim.uz", "shared@bilim.uz").await;
    assert_eq!(admin.id, created["id"].as_str().unwrap());
    let again = app.login("shared@bilim.uz", TEST_PASSWORD).await;
    assert_eq!(again["user"]["id"], user_id);

    assert_eq!(status_of(&app, Method::GET, ME, &admin.access).await, 401);
    let user_access = again["access_token"].as_str().unwrap();
    assert_eq!(status_of(&app, Method::GET, USERS, user_access).await, 401);
    assert_eq!(status_of(&app, Method::GET, ME, user_access).await, 200);
    assert_eq!(
        status_of(&app, Method::GET, USERS, &admin.access).await,
        200
    );
}
