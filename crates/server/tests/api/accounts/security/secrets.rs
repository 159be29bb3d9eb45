//! API3: no account response, of any route, carries a password hash, a token
//! version or a secret-looking field.

use crate::accounts::me::{
    PASSWORD, PNG_1X1, Session, all_keys, get_me, patch_me, put_avatar, refresh,
};
use crate::helpers::{TEST_PASSWORD, spawn_app};
use reqwest::Method;
use serde_json::{Value, json};
use std::collections::BTreeSet;

/// Fails when a response body shows a secret field or value.
fn assert_no_secret(what: &str, text: &str, password_hash: &str) {
    assert!(!text.contains("password_hash"), "{what}: {text}");
    assert!(!text.contains("token_version"), "{what}: {text}");
    assert!(!text.contains(password_hash), "{what}: {text}");
    assert!(!text.contains("$argon2"), "{what}: {text}");
    if let Ok(body) = serde_json::from_str::<Value>(text) {
        let mut keys = BTreeSet::new();
        all_keys(&body, &mut keys);
        assert!(
            keys.iter()
                .all(|k| !k.contains("password") && !k.contains("hash")),
            "{what}: {text}"
        );
    }
}

#[tokio::test]
async fn no_account_response_ever_contains_a_password_hash() {
    let app = spawn_app().await;
    let email = "alice@example.uz";

    let step_one = app
        .post_json(
            "/api/v1/auth/register",
            &json!({"first_name": "Alisa", "last_name": "Karimova", "email": email, "password": TEST_PASSWORD}),
        )
        .await;
    let step_one = step_one.text().await.unwrap();
    let challenge: Value = serde_json::from_str(&step_one).unwrap();
    let code = app.last_code_for(email).await;
    let verified = app
        .post_json(
            "/api/v1/auth/register/verify",
            &json!({"challenge_id": challenge["challenge_id"], "code": code}),
        )
        .await;
    assert_eq!(verified.status(), 201);
    let verified = verified.text().await.unwrap();
    let session = Session::of(&serde_json::from_str(&verified).unwrap());
    let hash = app
        .ports
        .users
        .find_by_id(session.uuid())
        .await
        .unwrap()
        .unwrap()
        .password_hash;

    let mut bodies = vec![
        ("register".to_owned(), step_one),
        ("register/verify".to_owned(), verified),
    ];
    let login = app.login(email, TEST_PASSWORD).await;
    bodies.push(("login/verify".to_owned(), login.to_string()));
    let renewed = refresh(&app, &session.refresh).await.text().await.unwrap();
    bodies.push(("refresh".to_owned(), renewed));
    bodies.push((
        "GET me".to_owned(),
        get_me(&app, &session.access).await.text().await.unwrap(),
    ));
    bodies.push((
        "PATCH me".to_owned(),
        patch_me(&app, &session.access, &json!({"last_name": "Rahimova"}))
            .await
            .text()
            .await
            .unwrap(),
    ));
    bodies.push((
        "avatar".to_owned(),
        put_avatar(&app, &session.access, PNG_1X1)
            .await
            .text()
            .await
            .unwrap(),
    ));
    bodies.push((
        "password refused".to_owned(),
        app.authed(Method::PUT, PASSWORD, &session.access)
            .json(&json!({"current_password": "wrong-wrong-wrong", "new_password": "Buxoro-Xiva-2031-kuz!"}))
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap(),
    ));
    for (what, text) in &bodies {
        assert_no_secret(what, text, &hash);
    }

    // A refused attempt to set the hash may name the field the client sent,
    // but shows no hash.
    let refused = patch_me(&app, &session.access, &json!({"password_hash": "x"}))
        .await
        .text()
        .await
        .unwrap();
    assert!(
        !refused.contains(&hash) && !refused.contains("$argon2"),
        "{refused}"
    );
}
