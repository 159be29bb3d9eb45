//! API1/API3: each token reads and changes only its own user, and no route
//! reads a user by id.

use crate::accounts::me::{
    ME, PNG_1X1, assert_problem, get_me, me_of, patch_me, put_avatar, refresh, registered,
};
use crate::helpers::spawn_app;
use reqwest::Method;
use serde_json::{Value, json};

#[tokio::test]
async fn each_token_reads_only_its_own_user() {
    let app = spawn_app().await;
    let a = registered(&app, "alice@example.uz").await;
    let b = registered(&app, "bobur@example.uz").await;

    let seen_by_a = me_of(&app, &a.access).await;
    let seen_by_b = me_of(&app, &b.access).await;
    assert_eq!(seen_by_a["id"], a.id.as_str());
    assert_eq!(seen_by_a["email"], "alice@example.uz");
    assert_eq!(seen_by_b["id"], b.id.as_str());
    assert_eq!(seen_by_b["email"], "bobur@example.uz");
    assert_ne!(a.id, b.id);
    let text = get_me(&app, &a.access).await.text().await.unwrap();
    assert!(!text.contains(&b.id) && !text.contains("bobur"), "{text}");
}

#[tokio::test]
async fn one_users_changes_never_reach_another_user() {
    let app = spawn_app().await;
    let a = registered(&app, "alice@example.uz").await;
    let b = registered(&app, "bobur@example.uz").await;
    let b_before = me_of(&app, &b.access).await;

    let patched = patch_me(
        &app,
        &a.access,
        &json!({"first_name": "Alisa", "last_name": "Xo'jayeva", "phone": "901234567"}),
    )
    .await;
    assert_eq!(patched.status(), 200);
    let patched: Value = patched.json().await.unwrap();
    assert_eq!(patched["id"], a.id.as_str());
    // There is no way to name another user in the body.
    let aimed = patch_me(&app, &a.access, &json!({"id": b.id, "first_name": "Owned"})).await;
    assert_problem(aimed, 400, "validation").await;
    assert_eq!(put_avatar(&app, &a.access, PNG_1X1).await.status(), 200);

    assert_eq!(me_of(&app, &b.access).await, b_before);
    let a_now = me_of(&app, &a.access).await;
    assert_eq!(a_now["first_name"], "Alisa");
    assert!(a_now["avatar_url"].is_string());

    // A's deletion leaves B signed in and active.
    let deleted = app
        .authed(Method::DELETE, ME, &a.access)
        .send()
        .await
        .unwrap();
    assert_eq!(deleted.status(), 204);
    assert_eq!(me_of(&app, &b.access).await["active"], true);
    assert_eq!(refresh(&app, &b.refresh).await.status(), 200);
}

#[tokio::test]
async fn there_is_no_route_that_reads_a_user_by_id() {
    let app = spawn_app().await;
    let a = registered(&app, "alice@example.uz").await;
    let b = registered(&app, "bobur@example.uz").await;
    for method in [Method::GET, Method::PATCH, Method::DELETE] {
        let response = app
            .authed(
                method.clone(),
                &format!("/api/v1/users/{}", b.id),
                &a.access,
            )
            .json(&json!({"first_name": "Owned"}))
            .send()
            .await
            .unwrap();
        let body = assert_problem(response, 404, "route.not_found").await;
        assert!(!body.to_string().contains("bobur"), "{method}: {body}");
    }
    assert_eq!(me_of(&app, &b.access).await["first_name"], "Oʻktam");
}
