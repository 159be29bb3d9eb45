//! The account fields of document 002 on every user: a username set once it
//! is free (any case is the same name), and `online`, recorded at most once
//! a minute per user.

use crate::helpers::TestApp;
use crate::support::{ME, field_errors, get, json_of, patch, problem};
use crate::support::{admin_login, create_admin, user_token};
use bilim_domain::admins::AdminRole;
use bilim_domain::ports::Clock;
use serde_json::{Value, json};

async fn last_seen(app: &TestApp, email: &str) -> Option<chrono::DateTime<chrono::Utc>> {
    app.ports
        .users
        .find_by_email(email)
        .await
        .unwrap()
        .unwrap()
        .last_seen_at
}

#[tokio::test]
async fn a_username_is_set_once_free_whatever_its_case() {
    let app = crate::helpers::spawn_app().await;
    let aziz = user_token(&app, "aziz@example.uz").await;
    let malika = user_token(&app, "malika@example.uz").await;
    let me = json_of(get(&app, ME, &aziz).await, 200).await;
    assert_eq!(me["username"], Value::Null, "older accounts have none");

    let set = json_of(
        patch(&app, ME, &aziz, &json!({"username": " Aziz_2026 "})).await,
        200,
    )
    .await;
    assert_eq!(set["username"], "aziz_2026");
    let taken = patch(&app, ME, &malika, &json!({"username": "AZIZ_2026"})).await;
    problem(taken, 409, "user.username_taken").await;
    for bad in ["az", "aziz.k", "aziz-k", "азиз", "a@b"] {
        let refused = problem(
            patch(&app, ME, &malika, &json!({"username": bad})).await,
            400,
            "validation",
        )
        .await;
        assert_eq!(
            field_errors(&refused),
            [("username".to_owned(), "username.invalid".to_owned())].into(),
            "{bad}"
        );
    }
    let renamed = json_of(
        patch(&app, ME, &aziz, &json!({"username": "aziz"})).await,
        200,
    )
    .await;
    assert_eq!(renamed["username"], "aziz");
    let freed = json_of(
        patch(&app, ME, &malika, &json!({"username": "Aziz_2026"})).await,
        200,
    )
    .await;
    assert_eq!(
        freed["username"], "aziz_2026",
        "a name given up is free again"
    );
}

#[tokio::test]
async fn online_is_a_request_in_the_last_five_minutes_written_once_a_minute() {
    let app = crate::helpers::spawn_app().await;
    let token = user_token(&app, "aziz@example.uz").await;
    create_admin(&app, "root", "root@bilim.uz", AdminRole::Super).await;
    let admin = admin_login(&app, "root", "root@bilim.uz").await;
    let id = json_of(get(&app, ME, &token).await, 200).await["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let start = app.clock.now();
    assert_eq!(last_seen(&app, "aziz@example.uz").await, Some(start));

    // Within the minute: no write.
    app.clock.advance(chrono::Duration::seconds(59));
    let me = json_of(get(&app, ME, &token).await, 200).await;
    assert_eq!(me["online"], true);
    assert_eq!(last_seen(&app, "aziz@example.uz").await, Some(start));
    // A minute on: one write.
    app.clock.advance(chrono::Duration::seconds(1));
    json_of(get(&app, ME, &token).await, 200).await;
    let seen = start + chrono::Duration::seconds(60);
    assert_eq!(last_seen(&app, "aziz@example.uz").await, Some(seen));

    let path = format!("/api/v1/admin/users/{id}");
    let admin_view = async |app: &TestApp| json_of(get(app, &path, &admin.access).await, 200).await;
    app.clock.advance(chrono::Duration::seconds(299));
    assert_eq!(admin_view(&app).await["online"], true);
    app.clock.advance(chrono::Duration::seconds(1));
    assert_eq!(
        admin_view(&app).await["online"],
        false,
        "five minutes without a request"
    );
    json_of(get(&app, ME, &token).await, 200).await;
    assert_eq!(admin_view(&app).await["online"], true);
}
