//! One user's whole journey through the account routes, end to end.

use crate::helpers::{TEST_PASSWORD, spawn_app};
use reqwest::Method;
use serde_json::json;

#[tokio::test]
async fn register_use_refresh_and_log_out() {
    let app = spawn_app().await;
    let registered = app.register("Aziz.Karimov@Example.uz").await;
    assert_eq!(registered["token_type"], "Bearer");
    assert_eq!(registered["expires_in"], 900);
    assert_eq!(registered["user"]["email"], "aziz.karimov@example.uz");
    assert_eq!(registered["user"]["first_name"], "Oʻktam");
    assert!(registered["user"].get("password_hash").is_none());
    let access = registered["access_token"].as_str().unwrap();

    let me = app
        .authed(Method::GET, "/api/v1/users/me", access)
        .send()
        .await
        .unwrap();
    assert_eq!(me.status(), 200);
    let me: serde_json::Value = me.json().await.unwrap();
    assert_eq!(me["email"], "aziz.karimov@example.uz");
    assert_eq!(me["courses"], json!([]));

    let refreshed = app
        .post_json(
            "/api/v1/auth/refresh",
            &json!({"refresh_token": registered["refresh_token"]}),
        )
        .await;
    assert_eq!(refreshed.status(), 200);
    let refreshed: serde_json::Value = refreshed.json().await.unwrap();
    assert_ne!(refreshed["refresh_token"], registered["refresh_token"]);

    let logged_in = app.login("aziz.karimov@example.uz", TEST_PASSWORD).await;
    let logout = app
        .post_json(
            "/api/v1/auth/logout",
            &json!({"refresh_token": logged_in["refresh_token"]}),
        )
        .await;
    assert_eq!(logout.status(), 204);
    let after = app
        .post_json(
            "/api/v1/auth/refresh",
            &json!({"refresh_token": logged_in["refresh_token"]}),
        )
        .await;
    assert_eq!(after.status(), 401);
}
