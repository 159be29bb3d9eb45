//! `POST /auth/register/telegram`: the account takes the token's phone and
//! Telegram id, the token dies in the same transaction (one account however
//! many race), the email is verified afterwards by its code; and logging in
//! by username.

use super::*;
use crate::support::{ME, field_errors, get, json_of, problem, secret_free_json};
use futures_util::future::join_all;

#[tokio::test]
async fn a_token_makes_an_account_linked_to_telegram_once() {
    let (app, _fake) = bot().await;
    let token = token_for(&app, 111222333).await;
    let body = registration(&token, "dilnoza@example.uz", "Dilnoza_01");
    let created = app.post_json(REGISTER, &body).await;
    assert!(
        created
            .headers()
            .get("set-cookie")
            .is_some_and(|c| c.to_str().unwrap().starts_with("bilim_refresh="))
    );
    let created = secret_free_json(created, 201).await;
    let user = &created["user"];
    assert_eq!(user["first_name"], "Dilnoza");
    assert_eq!(user["last_name"], "Karimova");
    assert_eq!(user["username"], "dilnoza_01");
    assert_eq!(user["sex"], "female");
    assert_eq!(user["tg_id"], 111222333);
    assert_eq!(user["phone"], "+998901234567");
    assert_eq!(user["email_verified_at"], Value::Null);
    assert_eq!(user["online"], true);
    let access = created["access_token"].as_str().unwrap();
    let me = json_of(get(&app, ME, access).await, 200).await;
    assert_eq!(me["tg_id"], 111222333);

    assert!(!is_valid(&app, &token).await, "the token died");
    let again = app
        .post_json(
            REGISTER,
            &registration(&token, "other@example.uz", "other_1"),
        )
        .await;
    problem(again, 400, "telegram.token_invalid").await;

    // The email is proven by the code mailed to it, as in `register`.
    let challenge = &created["email_challenge"];
    let code = app.last_code_for("dilnoza@example.uz").await;
    let verified = app
        .post_json(
            "/api/v1/auth/register/verify",
            &json!({"challenge_id": challenge["challenge_id"], "code": code}),
        )
        .await;
    let verified = secret_free_json(verified, 201).await;
    assert_eq!(verified["user"]["id"], user["id"]);
    assert!(verified["user"]["email_verified_at"].is_string());
}

#[tokio::test]
async fn concurrent_registrations_with_one_token_make_exactly_one_account() {
    let (app, _fake) = bot().await;
    let token = token_for(&app, 111222333).await;
    let attempts = (0..8).map(|n| {
        let body = registration(
            &token,
            &format!("racer{n}@example.uz"),
            &format!("racer_{n}"),
        );
        let app = &app;
        async move {
            let response = app.post_json(REGISTER, &body).await;
            (
                n,
                response.status().as_u16(),
                response.text().await.unwrap(),
            )
        }
    });
    let results = join_all(attempts).await;
    let winners: Vec<_> = results.iter().filter(|(_, s, _)| *s == 201).collect();
    assert_eq!(winners.len(), 1, "{results:?}");
    for (_, status, text) in results.iter().filter(|(_, s, _)| *s != 201) {
        assert_eq!(*status, 400, "{text}");
        assert!(text.contains("telegram.token_invalid"), "{text}");
    }
    let winner = winners[0].0;
    for n in 0..8 {
        let user = app
            .ports
            .users
            .find_by_email(&format!("racer{n}@example.uz"))
            .await
            .unwrap();
        assert_eq!(user.is_some(), n == winner, "racer {n}");
    }
}

#[tokio::test]
async fn an_expired_or_unknown_token_creates_nothing() {
    let (app, _fake) = bot().await;
    let token = token_for(&app, 111222333).await;
    app.clock.advance(chrono::Duration::minutes(31));
    for token in [token.as_str(), "unknown-token", " "] {
        let response = app
            .post_json(REGISTER, &registration(token, "late@example.uz", "late_1"))
            .await;
        problem(response, 400, "telegram.token_invalid").await;
    }
    assert!(
        app.ports
            .users
            .find_by_email("late@example.uz")
            .await
            .unwrap()
            .is_none()
    );
}

#[tokio::test]
async fn bad_fields_are_all_named_and_the_token_survives() {
    let (app, _fake) = bot().await;
    let token = token_for(&app, 111222333).await;
    let body = json!({
        "token": token,
        "full_name": "Dilnoza",
        "sex": "yes",
        "email": "not-an-email",
        "username": "dil.noza",
        "password": "short",
    });
    let refused = problem(app.post_json(REGISTER, &body).await, 400, "validation").await;
    let fields: Vec<String> = field_errors(&refused).into_iter().map(|(f, _)| f).collect();
    assert_eq!(
        fields,
        ["email", "full_name", "password", "sex", "username"]
    );
    assert!(is_valid(&app, &token).await);
}

#[tokio::test]
async fn a_taken_username_or_email_is_a_conflict_and_the_token_survives() {
    let (app, _fake) = bot().await;
    let first = token_for(&app, 1).await;
    let body = registration(&first, "first@example.uz", "bilimchi");
    json_of(app.post_json(REGISTER, &body).await, 201).await;

    let token = token_for(&app, 2).await;
    let same_name = registration(&token, "second@example.uz", "BilimChi");
    problem(
        app.post_json(REGISTER, &same_name).await,
        409,
        "user.username_taken",
    )
    .await;
    let same_email = registration(&token, "FIRST@example.uz", "second");
    problem(
        app.post_json(REGISTER, &same_email).await,
        409,
        "user.email_taken",
    )
    .await;
    assert!(is_valid(&app, &token).await, "nothing half-done");

    // The same Telegram account cannot make a second account.
    let again = token_for(&app, 1).await;
    let body = registration(&again, "third@example.uz", "third");
    problem(
        app.post_json(REGISTER, &body).await,
        409,
        "telegram.already_registered",
    )
    .await;
}

#[tokio::test]
async fn login_takes_a_username_in_any_case() {
    let (app, _fake) = bot().await;
    let token = token_for(&app, 111222333).await;
    let body = registration(&token, "dilnoza@example.uz", "dilnoza_01");
    json_of(app.post_json(REGISTER, &body).await, 201).await;

    let step_one = app
        .post_json(
            "/api/v1/auth/login",
            &json!({"username": "Dilnoza_01", "password": crate::helpers::TEST_PASSWORD}),
        )
        .await;
    let challenge = json_of(step_one, 200).await;
    let code = app.last_code_for("dilnoza@example.uz").await;
    let verified = app
        .post_json(
            "/api/v1/auth/login/verify",
            &json!({"challenge_id": challenge["challenge_id"], "code": code}),
        )
        .await;
    let verified = json_of(verified, 200).await;
    assert_eq!(verified["user"]["username"], "dilnoza_01");

    for body in [
        json!({"username": "dilnoza_01", "password": "Wrong-password-2026!"}),
        json!({"username": "nobody_here", "password": crate::helpers::TEST_PASSWORD}),
        json!({"username": "no way", "password": crate::helpers::TEST_PASSWORD}),
    ] {
        let response = app.post_json("/api/v1/auth/login", &body).await;
        problem(response, 401, "auth.invalid_credentials").await;
    }
    for body in [
        json!({"password": crate::helpers::TEST_PASSWORD}),
        json!({"email": "dilnoza@example.uz", "username": "dilnoza_01", "password": "x"}),
    ] {
        let response = app.post_json("/api/v1/auth/login", &body).await;
        problem(response, 400, "validation").await;
    }
}
