//! `DELETE /users/me`: the account is deactivated (the row stays) and every
//! token of it ends at once.

use super::{
    ME, assert_problem, get_me, logged_in, login_is_refused, patch_me, refresh, registered,
};
use crate::helpers::{TEST_PASSWORD, spawn_app, start_time};
use chrono::Duration;
use reqwest::Method;
use serde_json::json;

#[tokio::test]
async fn deleting_the_account_deactivates_it_and_ends_every_token() {
    let app = spawn_app().await;
    let email = "leaving@example.uz";
    let here = registered(&app, email).await;
    let elsewhere = logged_in(&app, email, TEST_PASSWORD).await;
    let patched = patch_me(&app, &here.access, &json!({"phone": "901234567"})).await;
    assert_eq!(patched.status(), 200);
    app.clock.advance(Duration::minutes(1));

    let response = app
        .authed(Method::DELETE, ME, &here.access)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 204);
    assert!(response.bytes().await.unwrap().is_empty());

    for token in [&here.access, &elsewhere.access] {
        assert_problem(get_me(&app, token).await, 401, "auth.token_invalid").await;
    }
    for token in [&here.refresh, &elsewhere.refresh] {
        let response = refresh(&app, token).await;
        assert_eq!(response.status(), 401);
        assert_eq!(
            response.headers()["content-type"],
            "application/problem+json"
        );
    }
    login_is_refused(&app, email, TEST_PASSWORD).await;

    // A second DELETE with the dead token is 401, not a second 204.
    let again = app
        .authed(Method::DELETE, ME, &here.access)
        .send()
        .await
        .unwrap();
    assert_problem(again, 401, "auth.token_invalid").await;

    // The row and its data stay, deactivated.
    let stored = app
        .ports
        .users
        .find_by_id(here.uuid())
        .await
        .unwrap()
        .expect("the user row stays");
    assert!(!stored.active);
    assert_eq!(stored.email, email);
    assert_eq!(stored.first_name, "Oʻktam");
    assert_eq!(stored.phone.as_deref(), Some("+998901234567"));
    assert_eq!(stored.updated_at, start_time() + Duration::minutes(1));
}
