//! `PATCH /admin/users/{id}`: deactivating ends every session at once,
//! reactivating lets the user log in again, making a teacher, bad bodies
//! changing nothing, totals following every change (also concurrent ones), a
//! plain admin managing users too, and the search following a user's own
//! profile changes.

use super::registered;
use crate::admin::helpers::{
    ME, USERS, get, ids, insert_user, insert_users, json_of, list, patch_user, patched,
    plain_admin, problem, root, status_of, totals,
};
use crate::helpers::{TEST_PASSWORD, TestApp, spawn_app};
use futures_util::future::join_all;
use reqwest::Method;
use serde_json::json;

async fn current_totals(app: &TestApp, token: &str) -> (u64, u64) {
    totals(&list(app, token, USERS, &[]).await)
}

async fn user_refresh(app: &TestApp, refresh_token: &str) -> reqwest::Response {
    app.post_json(
        "/api/v1/auth/refresh",
        &json!({"refresh_token": refresh_token}),
    )
    .await
}

async fn user_login_step_one(app: &TestApp, email: &str) -> reqwest::Response {
    app.post_json(
        "/api/v1/auth/login",
        &json!({"email": email, "password": TEST_PASSWORD}),
    )
    .await
}

#[tokio::test]
async fn deactivating_a_user_ends_every_session_of_theirs_at_once() {
    let app = spawn_app().await;
    let admin = root(&app).await;
    let (id, access, refresh) = registered(&app, "aziz@bilim.uz").await;
    let second = app.login("aziz@bilim.uz", TEST_PASSWORD).await;
    let second_access = second["access_token"].as_str().unwrap();
    let second_refresh = second["refresh_token"].as_str().unwrap();
    assert_eq!(status_of(&app, Method::GET, ME, &access).await, 200);

    let body = patched(&app, &admin.access, &id, &json!({"active": false})).await;
    assert_eq!(body["id"], id.as_str());
    assert_eq!(body["active"], false);

    // At once: no clock moves, no access token expires on its own.
    for token in [access.as_str(), second_access] {
        let response = get(&app, ME, token).await;
        assert_eq!(response.status(), 401, "{}", response.text().await.unwrap());
    }
    for token in [refresh.as_str(), second_refresh] {
        let response = user_refresh(&app, token).await;
        assert_eq!(response.status(), 401, "{}", response.text().await.unwrap());
    }
    let response = user_login_step_one(&app, "aziz@bilim.uz").await;
    problem(response, 401, "auth.invalid_credentials").await;

    let shown = json_of(
        get(&app, &format!("{USERS}/{id}"), &admin.access).await,
        200,
    )
    .await;
    assert_eq!(shown["active"], false);
    let page = list(&app, &admin.access, USERS, &[]).await;
    assert_eq!(page["items"][0]["active"], false);
    assert_eq!(totals(&page), (0, 1));
}

#[tokio::test]
async fn a_reactivated_user_can_log_in_again_but_the_old_tokens_stay_dead() {
    let app = spawn_app().await;
    let admin = root(&app).await;
    let (id, access, refresh) = registered(&app, "aziz@bilim.uz").await;
    patched(&app, &admin.access, &id, &json!({"active": false})).await;

    let body = patched(&app, &admin.access, &id, &json!({"active": true})).await;
    assert_eq!(body["active"], true);
    assert_eq!(status_of(&app, Method::GET, ME, &access).await, 401);
    assert_eq!(user_refresh(&app, &refresh).await.status(), 401);

    let session = app.login("aziz@bilim.uz", TEST_PASSWORD).await;
    let me = json_of(
        get(&app, ME, session["access_token"].as_str().unwrap()).await,
        200,
    )
    .await;
    assert_eq!(me["id"], id.as_str());
    assert_eq!(me["active"], true);
    let page = list(&app, &admin.access, USERS, &[]).await;
    assert_eq!(totals(&page), (1, 0));
}

#[tokio::test]
async fn making_a_user_a_teacher_shows_in_the_user_and_the_list() {
    let app = spawn_app().await;
    let admin = root(&app).await;
    let (id, access, _) = registered(&app, "aziz@bilim.uz").await;

    let body = patched(&app, &admin.access, &id, &json!({"role": "teacher"})).await;
    assert_eq!(body["role"], "teacher");
    assert_eq!(body["active"], true);
    let shown = json_of(
        get(&app, &format!("{USERS}/{id}"), &admin.access).await,
        200,
    )
    .await;
    assert_eq!(shown["role"], "teacher");
    let page = list(&app, &admin.access, USERS, &[]).await;
    assert_eq!(page["items"][0]["role"], "teacher");
    let me = json_of(get(&app, ME, &access).await, 200).await;
    assert_eq!(me["role"], "teacher");

    let body = patched(&app, &admin.access, &id, &json!({"role": "student"})).await;
    assert_eq!(body["role"], "student");

    // Both at once.
    let body = patched(
        &app,
        &admin.access,
        &id,
        &json!({"role": "teacher", "active": false}),
    )
    .await;
    assert_eq!(
        (&body["role"], &body["active"]),
        (&json!("teacher"), &json!(false))
    );
}

#[tokio::test]
async fn bad_patch_bodies_are_refused_and_change_nothing() {
    let app = spawn_app().await;
    let admin = root(&app).await;
    let user = insert_user(&app, "Aziz", "Test", "aziz@bilim.uz", None).await;
    let id = user.id.to_string();
    let before = json_of(
        get(&app, &format!("{USERS}/{id}"), &admin.access).await,
        200,
    )
    .await;

    for body in [
        json!({"role": "admin"}),
        json!({"role": "super"}),
        json!({"role": "Teacher"}),
        json!({"role": ""}),
        json!({"role": 1}),
        json!({"active": "no"}),
        json!({"active": null, "email": "new@bilim.uz"}),
        json!({"email": "new@bilim.uz"}),
        json!({"first_name": "Boshqa"}),
        json!({"active": false, "token_version": 0}),
        json!(["active", false]),
    ] {
        let response = patch_user(&app, &admin.access, &id, &body).await;
        let status = response.status();
        let content_type = response.headers()["content-type"].clone();
        let text = response.text().await.unwrap();
        assert_eq!(status, 400, "{body}: {text}");
        assert_eq!(content_type, "application/problem+json", "{body}");
    }
    let response = patch_user(&app, &admin.access, &id, &json!({"role": "admin"})).await;
    let problem_body = problem(response, 400, "validation").await;
    assert!(problem_body.to_string().contains("role"), "{problem_body}");

    let after = json_of(
        get(&app, &format!("{USERS}/{id}"), &admin.access).await,
        200,
    )
    .await;
    assert_eq!(after, before);
    let page = list(&app, &admin.access, USERS, &[]).await;
    assert_eq!(totals(&page), (1, 0));
}

#[tokio::test]
async fn totals_follow_every_change_of_active_and_count_each_change_once() {
    let app = spawn_app().await;
    let admin = root(&app).await;
    let created = insert_users(&app, 3).await;
    let (self_deleting, access, _) = registered(&app, "leaving@bilim.uz").await;
    assert_eq!(current_totals(&app, &admin.access).await, (4, 0));

    patched(&app, &admin.access, &created[0], &json!({"active": false})).await;
    assert_eq!(current_totals(&app, &admin.access).await, (3, 1));
    // The same change again changes nothing.
    patched(&app, &admin.access, &created[0], &json!({"active": false})).await;
    assert_eq!(current_totals(&app, &admin.access).await, (3, 1));
    patched(&app, &admin.access, &created[1], &json!({"active": false})).await;
    assert_eq!(current_totals(&app, &admin.access).await, (2, 2));
    patched(&app, &admin.access, &created[0], &json!({"active": true})).await;
    patched(&app, &admin.access, &created[0], &json!({"active": true})).await;
    assert_eq!(current_totals(&app, &admin.access).await, (3, 1));
    // A role change is no activation change.
    patched(
        &app,
        &admin.access,
        &created[2],
        &json!({"role": "teacher"}),
    )
    .await;
    assert_eq!(current_totals(&app, &admin.access).await, (3, 1));

    // A user deleting their own account counts too.
    let response = app
        .authed(Method::DELETE, ME, &access)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 204);
    assert_eq!(current_totals(&app, &admin.access).await, (2, 2));
    let shown = json_of(
        get(&app, &format!("{USERS}/{self_deleting}"), &admin.access).await,
        200,
    )
    .await;
    assert_eq!(shown["active"], false);

    // And the totals agree with the filtered lists.
    let active = list(&app, &admin.access, USERS, &[("status", "active")]).await;
    let inactive = list(&app, &admin.access, USERS, &[("status", "inactive")]).await;
    assert_eq!((ids(&active).len(), ids(&inactive).len()), (2, 2));
}

#[tokio::test]
async fn a_plain_admin_manages_users_too() {
    let app = spawn_app().await;
    root(&app).await;
    let admin = plain_admin(&app, "dilnoza").await;
    let user = insert_user(&app, "Aziz", "Test", "aziz@bilim.uz", None).await;
    let id = user.id.to_string();
    let page = list(&app, &admin.access, USERS, &[]).await;
    assert_eq!(ids(&page), vec![id.clone()]);
    let body = patched(&app, &admin.access, &id, &json!({"role": "teacher"})).await;
    assert_eq!(body["role"], "teacher");
    let shown = json_of(
        get(&app, &format!("{USERS}/{id}"), &admin.access).await,
        200,
    )
    .await;
    assert_eq!(shown["role"], "teacher");
}

#[tokio::test]
async fn concurrent_changes_of_active_keep_the_totals_exact() {
    let app = spawn_app().await;
    let admin = root(&app).await;
    let created = insert_users(&app, 5).await;
    let (app, token) = (&app, admin.access.as_str());
    for (active, expected) in [(false, (0, 5)), (true, (5, 0)), (false, (0, 5))] {
        let body = json!({"active": active});
        let body = &body;
        let requests = created
            .iter()
            .flat_map(|id| std::iter::repeat_n(id, 4))
            .map(|id| async move { patch_user(app, token, id, body).await });
        for response in join_all(requests).await {
            let status = response.status();
            assert_eq!(status, 200, "{}", response.text().await.unwrap());
        }
        assert_eq!(
            current_totals(app, token).await,
            expected,
            "active={active}"
        );
        let inactive = list(app, token, USERS, &[("status", "inactive")]).await;
        assert_eq!(ids(&inactive).len() as u64, expected.1);
    }
}

#[tokio::test]
async fn the_search_follows_a_user_s_own_profile_changes() {
    let app = spawn_app().await;
    let admin = root(&app).await;
    let (id, access, _) = registered(&app, "aziz@bilim.uz").await;
    let response = app
        .authed(Method::PATCH, ME, &access)
        .json(&json!({"first_name": "Жасур", "phone": "+998 93 777 88 99"}))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200, "{}", response.text().await.unwrap());

    for q in ["жасур", "ЖАСУР", "937778899", "karimov"] {
        let page = list(&app, &admin.access, USERS, &[("q", q)]).await;
        assert_eq!(ids(&page), vec![id.clone()], "q={q}");
    }
    let page = list(&app, &admin.access, USERS, &[("q", "oʻktam")]).await;
    assert_eq!(ids(&page), Vec::<String>::new(), "the old name is gone");
}
