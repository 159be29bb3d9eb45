//! `POST /telegram/pre-registrations` and `…/check`: the bot secret, the
//! token's shape, life and replacement, and the routes being off unset.

use super::*;
use crate::helpers::spawn_app;
use crate::support::{field_errors, json_of, problem};
use sea_orm::{ConnectionTrait, Statement};

#[tokio::test]
async fn the_bot_secret_is_required_and_checked() {
    let (app, _fake) = bot().await;
    let body = json!({"phone": "+998901234567", "tg_id": 111222333});
    let without = app.post_json(PRE_REGISTRATIONS, &body).await;
    problem(without, 401, "auth.bot_secret").await;
    for wrong in [
        "",
        "bot-secret-for-tests-0124",
        "bot-secret-for-tests-012",
        "bot-secret-for-tests-01234",
    ] {
        let response = app
            .client
            .post(app.url(PRE_REGISTRATIONS))
            .header("X-Bilim-Bot-Secret", wrong)
            .json(&body)
            .send()
            .await
            .unwrap();
        problem(response, 401, "auth.bot_secret").await;
    }
    let created = json_of(pre_register(&app, "+998901234567", 111222333).await, 201).await;
    let token = created["token"].as_str().unwrap();
    assert!(token.len() >= 43, "256 random bits, base64url: {token}");
    let expires_at =
        chrono::DateTime::parse_from_rfc3339(created["expires_at"].as_str().unwrap()).unwrap();
    assert_eq!(
        expires_at,
        crate::helpers::start_time() + chrono::Duration::minutes(30)
    );
}

#[tokio::test]
async fn a_phone_that_is_not_uzbek_or_a_bad_id_is_refused() {
    let (app, _fake) = bot().await;
    for (phone, tg_id, expected) in [
        ("+77011234567", 1, vec![("phone", "phone.invalid")]),
        ("+998 90 123 45", 1, vec![("phone", "phone.invalid")]),
        ("+998901234567", 0, vec![("tg_id", "telegram.id_invalid")]),
        (
            "12",
            -5,
            vec![("phone", "phone.invalid"), ("tg_id", "telegram.id_invalid")],
        ),
    ] {
        let body = problem(pre_register(&app, phone, tg_id).await, 400, "validation").await;
        let expected = expected
            .into_iter()
            .map(|(f, c)| (f.to_owned(), c.to_owned()))
            .collect();
        assert_eq!(field_errors(&body), expected, "{phone} {tg_id}");
    }
}

#[tokio::test]
async fn a_token_lives_its_minutes_and_a_new_one_replaces_it() {
    let (app, _fake) = bot().await;
    let first = token_for(&app, 111222333).await;
    assert!(is_valid(&app, &first).await);
    assert!(!is_valid(&app, "not-a-token").await);
    assert!(!is_valid(&app, "").await);

    let second = token_for(&app, 111222333).await;
    assert!(!is_valid(&app, &first).await, "one token per tg_id");
    assert!(is_valid(&app, &second).await);
    let other = token_for(&app, 444555666).await;

    app.clock.advance(chrono::Duration::minutes(30));
    assert!(!is_valid(&app, &second).await, "dead at expires_at");
    assert!(!is_valid(&app, &other).await);
}

#[tokio::test]
async fn only_the_tokens_hash_is_stored() {
    let (app, _fake) = bot().await;
    let token = token_for(&app, 111222333).await;
    let db = sea_orm::Database::connect(app.database_url())
        .await
        .unwrap();
    let rows = db
        .query_all_raw(Statement::from_string(
            db.get_database_backend(),
            "SELECT token_hash, phone FROM telegram_pre_registrations",
        ))
        .await
        .unwrap();
    assert_eq!(rows.len(), 1);
    let hash: String = rows[0].try_get("", "token_hash").unwrap();
    let phone: String = rows[0].try_get("", "phone").unwrap();
    assert_eq!(hash.len(), 64);
    assert_ne!(hash, token);
    assert!(!hash.contains(&token));
    assert_eq!(phone, "+998901234567");
}

#[tokio::test]
async fn checks_are_rate_limited_like_the_auth_routes() {
    let fake = FakeBotApi::start().await;
    let app = bot_app(&fake, |vars| {
        vars.insert("BILIM_AUTH_REQUESTS_PER_IP_PER_MINUTE".into(), "3".into());
    })
    .await;
    for _ in 0..3 {
        assert!(!is_valid(&app, "unknown").await);
    }
    let limited = app.post_json(CHECK, &json!({"token": "unknown"})).await;
    assert!(limited.headers().contains_key("retry-after"));
    problem(limited, 429, "rate_limited").await;
    let register = app
        .post_json(REGISTER, &registration("unknown", "a@example.uz", "aziz_1"))
        .await;
    problem(register, 429, "rate_limited").await;
}

#[tokio::test]
async fn without_the_settings_every_telegram_route_is_off() {
    let app = spawn_app().await;
    for path in [PRE_REGISTRATIONS, CHECK, REGISTER, WEBHOOK] {
        let response = app
            .client
            .post(app.url(path))
            .header("X-Bilim-Bot-Secret", BOT_SECRET)
            .header("X-Telegram-Bot-Api-Secret-Token", WEBHOOK_SECRET)
            .json(&json!({"token": "x"}))
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), 404, "{path}");
    }
}

#[tokio::test]
async fn the_bot_secret_alone_turns_pre_registration_on_but_not_the_webhook() {
    let app = spawn_app_with(|vars| {
        vars.insert("BILIM_TELEGRAM_BOT_SECRET".into(), BOT_SECRET.into());
    })
    .await;
    let token = token_for(&app, 5).await;
    assert!(is_valid(&app, &token).await);
    problem(
        deliver(&app, &sample("start")).await,
        404,
        "route.not_found",
    )
    .await;
}
