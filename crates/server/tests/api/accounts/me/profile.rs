//! `GET` and `PATCH /users/me`: the profile as its owner sees it (and no
//! secret in it), names and phones changed, absent fields kept, and the fields
//! a user may not set refused.

use super::{all_keys, assert_problem, error_fields, get_me, me_of, patch_me, registered};
use crate::helpers::{TEST_PASSWORD, spawn_app, start_time};
use chrono::{DateTime, Duration, Utc};
use serde_json::{Value, json};
use std::collections::BTreeSet;

fn time(value: &Value) -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(value.as_str().unwrap_or_else(|| panic!("{value}")))
        .unwrap()
        .with_timezone(&Utc)
}

#[tokio::test]
async fn get_me_returns_the_profile_with_empty_courses_workbooks_and_certificates() {
    let app = spawn_app().await;
    let session = registered(&app, "Lola.Yusupova@Example.uz").await;

    let me = me_of(&app, &session.access).await;

    let id: uuid::Uuid = me["id"].as_str().unwrap().parse().unwrap();
    assert_eq!(id.get_version_num(), 7, "ids are UUID v7");
    assert_eq!(me["id"], session.id.as_str());
    assert_eq!(me["first_name"], "Oʻktam");
    assert_eq!(me["last_name"], "Karimov");
    assert_eq!(me["email"], "lola.yusupova@example.uz");
    assert_eq!(me["phone"], Value::Null);
    assert_eq!(me["avatar_url"], Value::Null);
    assert_eq!(me["role"], "student");
    assert_eq!(me["active"], true);
    assert_eq!(time(&me["created_at"]), start_time());
    assert_eq!(time(&me["updated_at"]), start_time());
    assert_eq!(time(&me["email_verified_at"]), start_time());
    assert_eq!(time(&me["last_login_at"]), start_time());
    assert_eq!(me["courses"], json!([]));
    assert_eq!(me["workbooks"], json!([]));
    assert_eq!(me["certificates"], json!([]));
}

#[tokio::test]
async fn get_me_exposes_no_password_hash_token_version_or_other_secret() {
    let app = spawn_app().await;
    let session = registered(&app, "secret.keeper@example.uz").await;

    let response = get_me(&app, &session.access).await;
    assert_eq!(response.status(), 200);
    let text = response.text().await.unwrap();
    let me: Value = serde_json::from_str(&text).unwrap();

    // An allow-list: a new field has to be added here on purpose.
    let top: BTreeSet<&str> = me.as_object().unwrap().keys().map(String::as_str).collect();
    let expected: BTreeSet<&str> = [
        "id",
        "first_name",
        "last_name",
        "email",
        "phone",
        "avatar_url",
        "role",
        "active",
        "email_verified_at",
        "last_login_at",
        "created_at",
        "updated_at",
        "balance",
        "school",
        "username",
        "sex",
        "tg_id",
        "online",
        "courses",
        "workbooks",
        "certificates",
        "points",
    ]
    .into();
    assert_eq!(top, expected);
    let mut keys = BTreeSet::new();
    all_keys(&me, &mut keys);
    for key in &keys {
        for secret in ["password", "hash", "token", "secret", "version", "salt"] {
            assert!(!key.contains(secret), "{key} in {text}");
        }
    }
    // The stored hash itself (Argon2id PHC string) appears nowhere.
    let stored = app
        .ports
        .users
        .find_by_id(session.uuid())
        .await
        .unwrap()
        .unwrap();
    assert!(!text.contains(&stored.password_hash));
    assert!(!text.contains("$argon2"), "{text}");
    assert!(!text.contains(TEST_PASSWORD), "{text}");
}

#[tokio::test]
async fn patch_changes_names_and_normalises_the_phone() {
    let app = spawn_app().await;
    let session = registered(&app, "rename@example.uz").await;
    app.clock.advance(Duration::minutes(3));

    let response = patch_me(
        &app,
        &session.access,
        &json!({"first_name": "  Dilnoza  ", "last_name": "Rahimova", "phone": "90 123-45-67"}),
    )
    .await;
    assert_eq!(response.status(), 200);
    let user: Value = response.json().await.unwrap();
    assert_eq!(user["id"], session.id.as_str());
    assert_eq!(user["first_name"], "Dilnoza");
    assert_eq!(user["last_name"], "Rahimova");
    assert_eq!(user["phone"], "+998901234567");
    assert_eq!(user["email"], "rename@example.uz");
    assert_eq!(
        time(&user["updated_at"]),
        start_time() + Duration::minutes(3)
    );
    assert_eq!(time(&user["created_at"]), start_time());

    let me = me_of(&app, &session.access).await;
    assert_eq!(me["first_name"], "Dilnoza");
    assert_eq!(me["last_name"], "Rahimova");
    assert_eq!(me["phone"], "+998901234567");

    // Other spellings of Uzbek numbers end up the same.
    for spelling in ["+998 (91) 765 43 21", "998-91-765-43-21", "8 91 765 43 21"] {
        let response = patch_me(&app, &session.access, &json!({"phone": spelling})).await;
        assert_eq!(response.status(), 200, "{spelling}");
        let user: Value = response.json().await.unwrap();
        assert_eq!(user["phone"], "+998917654321", "{spelling}");
    }
}

#[tokio::test]
async fn absent_fields_stay_as_they_were() {
    let app = spawn_app().await;
    let session = registered(&app, "partial@example.uz").await;
    let set = patch_me(
        &app,
        &session.access,
        &json!({"first_name": "Akmal", "last_name": "Tursunov", "phone": "+998901112233"}),
    )
    .await;
    assert_eq!(set.status(), 200);

    let response = patch_me(&app, &session.access, &json!({"last_name": "Ergashev"})).await;
    assert_eq!(response.status(), 200);
    let me = me_of(&app, &session.access).await;
    assert_eq!(me["first_name"], "Akmal");
    assert_eq!(me["last_name"], "Ergashev");
    assert_eq!(me["phone"], "+998901112233");

    let empty = patch_me(&app, &session.access, &json!({})).await;
    assert_eq!(empty.status(), 200);
    let after = me_of(&app, &session.access).await;
    assert_eq!(after["first_name"], "Akmal");
    assert_eq!(after["last_name"], "Ergashev");
    assert_eq!(after["phone"], "+998901112233");
}

#[tokio::test]
async fn a_null_or_empty_phone_removes_it() {
    let app = spawn_app().await;
    let session = registered(&app, "phoneless@example.uz").await;
    for removal in [json!(null), json!(""), json!("   ")] {
        let set = patch_me(&app, &session.access, &json!({"phone": "901234567"})).await;
        assert_eq!(set.status(), 200);
        assert_eq!(me_of(&app, &session.access).await["phone"], "+998901234567");

        let response = patch_me(&app, &session.access, &json!({"phone": removal})).await;
        assert_eq!(response.status(), 200, "{removal}");
        let user: Value = response.json().await.unwrap();
        assert_eq!(user["phone"], Value::Null, "{removal}");
        let me = me_of(&app, &session.access).await;
        assert_eq!(me["phone"], Value::Null, "{removal}");
        assert_eq!(me["first_name"], "Oʻktam", "{removal}");
    }
}

#[tokio::test]
async fn a_bad_phone_or_empty_name_is_a_validation_error_naming_the_field() {
    let app = spawn_app().await;
    let session = registered(&app, "invalid@example.uz").await;
    let before = me_of(&app, &session.access).await;

    let cases = [
        (json!({"phone": "+7 901 234 56 78"}), "phone"),
        (json!({"phone": "12345"}), "phone"),
        (json!({"phone": "90-123-45-6x"}), "phone"),
        (json!({"first_name": ""}), "first_name"),
        (json!({"first_name": "   "}), "first_name"),
        (json!({"last_name": ""}), "last_name"),
        (json!({"last_name": "<script>"}), "last_name"),
        (json!({"first_name": "a".repeat(101)}), "first_name"),
    ];
    for (body, field) in cases {
        let response = patch_me(&app, &session.access, &body).await;
        let problem = assert_problem(response, 400, "validation").await;
        assert_eq!(
            error_fields(&problem),
            BTreeSet::from([field.to_owned()]),
            "{body}: {problem}"
        );
        for error in problem["errors"].as_array().unwrap() {
            assert!(error["code"].is_string() && error["message"].is_string());
        }
    }

    // Every invalid field is named at once, and a valid one beside them is not applied.
    let response = patch_me(
        &app,
        &session.access,
        &json!({"first_name": "", "last_name": "Valid", "phone": "123"}),
    )
    .await;
    let problem = assert_problem(response, 400, "validation").await;
    assert_eq!(
        error_fields(&problem),
        BTreeSet::from(["first_name".to_owned(), "phone".to_owned()])
    );

    assert_eq!(me_of(&app, &session.access).await, before);
}

#[tokio::test]
async fn any_email_in_the_body_is_refused_as_immutable() {
    let app = spawn_app().await;
    let session = registered(&app, "fixed@example.uz").await;
    let before = me_of(&app, &session.access).await;

    for body in [
        json!({"email": "other@example.uz"}),
        json!({"email": "fixed@example.uz"}),
        json!({"email": "FIXED@example.uz"}),
        json!({"email": null}),
        json!({"email": ""}),
        json!({"email": 42}),
        json!({"email": "other@example.uz", "first_name": "Sneaky"}),
    ] {
        let response = patch_me(&app, &session.access, &body).await;
        assert_problem(response, 400, "user.email_immutable").await;
    }
    assert_eq!(me_of(&app, &session.access).await, before);
    assert_eq!(before["email"], "fixed@example.uz");
    assert_eq!(before["first_name"], "Oʻktam");
}

#[tokio::test]
async fn role_active_token_version_and_password_hash_cannot_be_set() {
    let app = spawn_app().await;
    let session = registered(&app, "mass.assign@example.uz").await;
    let before = me_of(&app, &session.access).await;
    let stored_before = app
        .ports
        .users
        .find_by_id(session.uuid())
        .await
        .unwrap()
        .unwrap();

    for body in [
        json!({"role": "teacher"}),
        json!({"role": "admin", "first_name": "Boss"}),
        json!({"active": false}),
        json!({"active": true, "last_name": "Sneaky"}),
        json!({"token_version": 0}),
        json!({"token_version": 999, "phone": "901234567"}),
        json!({"password_hash": "$argon2id$v=19$m=19456,t=2,p=1$AAAA$BBBB"}),
        json!({"id": uuid::Uuid::now_v7().to_string()}),
        json!({"avatar_url": "https://evil.example/x.jpg"}),
        json!({"email_verified_at": null}),
    ] {
        let response = patch_me(&app, &session.access, &body).await;
        assert_problem(response, 400, "validation").await;
    }

    assert_eq!(me_of(&app, &session.access).await, before);
    let stored = app
        .ports
        .users
        .find_by_id(session.uuid())
        .await
        .unwrap()
        .unwrap();
    assert_eq!(stored.role, stored_before.role);
    assert!(stored.active);
    assert_eq!(stored.token_version, stored_before.token_version);
    assert_eq!(stored.password_hash, stored_before.password_hash);
    assert_eq!(stored.first_name, "Oʻktam");
    assert_eq!(stored.phone, None);
    // The password still logs in: the hash was not replaced.
    app.login("mass.assign@example.uz", TEST_PASSWORD).await;
}
