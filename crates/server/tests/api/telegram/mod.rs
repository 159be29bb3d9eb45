//! Document 002's Telegram side end to end: pre-registration tokens, the
//! registration that spends one (once, however many race for it), username
//! login, the account fields, the bot behind the webhook answering through a
//! fake Bot API with real `Update` samples, and super admins' changes of
//! admins.

mod accounts;
mod admins;
mod cli;
mod fake;
mod pre_registration;
mod register;
mod webhook;

use crate::helpers::{TestApp, spawn_app_with};
use fake::{BOT_TOKEN, FakeBotApi};
use serde_json::{Value, json};
use std::collections::BTreeMap;

pub const BOT_SECRET: &str = "bot-secret-for-tests-0123";
pub const WEBHOOK_SECRET: &str = "webhook_secret-for-tests-42";
pub const PRE_REGISTRATIONS: &str = "/api/v1/telegram/pre-registrations";
pub const CHECK: &str = "/api/v1/telegram/pre-registrations/check";
pub const REGISTER: &str = "/api/v1/auth/register/telegram";
pub const WEBHOOK: &str = "/api/v1/telegram/webhook";

/// An app with every Telegram setting, the Bot API being `fake`.
pub async fn bot_app(
    fake: &FakeBotApi,
    adjust: impl FnOnce(&mut BTreeMap<String, String>),
) -> TestApp {
    let url = fake.url.clone();
    spawn_app_with(move |vars| {
        for (name, value) in [
            ("BILIM_TELEGRAM_BOT_SECRET", BOT_SECRET),
            ("BILIM_TELEGRAM_BOT_TOKEN", BOT_TOKEN),
            ("BILIM_TELEGRAM_WEBHOOK_SECRET", WEBHOOK_SECRET),
            ("BILIM_TELEGRAM_API_URL", url.as_str()),
            ("BILIM_PUBLIC_URL", "https://bilim.example.uz"),
        ] {
            vars.insert(name.to_owned(), value.to_owned());
        }
        adjust(vars);
    })
    .await
}

/// The app and its fake Bot API.
pub async fn bot() -> (TestApp, FakeBotApi) {
    let fake = FakeBotApi::start().await;
    (bot_app(&fake, |_| {}).await, fake)
}

/// A real Telegram `Update` from `samples/`.
pub fn sample(name: &str) -> String {
    let path = format!(
        "{}/tests/api/telegram/samples/{name}.json",
        env!("CARGO_MANIFEST_DIR")
    );
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"))
}

/// `POST /telegram/pre-registrations` with the bot secret.
pub async fn pre_register(app: &TestApp, phone: &str, tg_id: i64) -> reqwest::Response {
    app.client
        .post(app.url(PRE_REGISTRATIONS))
        .header("X-Bilim-Bot-Secret", BOT_SECRET)
        .json(&json!({"phone": phone, "tg_id": tg_id}))
        .send()
        .await
        .unwrap()
}

/// A fresh token for `tg_id`.
pub async fn token_for(app: &TestApp, tg_id: i64) -> String {
    let response = pre_register(app, "+998 90 123 45 67", tg_id).await;
    assert_eq!(response.status(), 201);
    let body: Value = response.json().await.unwrap();
    body["token"].as_str().unwrap().to_owned()
}

/// `POST /telegram/pre-registrations/check`'s `valid`.
pub async fn is_valid(app: &TestApp, token: &str) -> bool {
    let response = app.post_json(CHECK, &json!({"token": token})).await;
    assert_eq!(response.status(), 200);
    let body: Value = response.json().await.unwrap();
    body["valid"].as_bool().unwrap()
}

/// A registration body with `token`, `email` and `username`.
pub fn registration(token: &str, email: &str, username: &str) -> Value {
    json!({
        "token": token,
        "full_name": "Dilnoza Karimova",
        "sex": "female",
        "email": email,
        "username": username,
        "password": crate::helpers::TEST_PASSWORD,
    })
}

/// Delivers an update to the webhook with the right secret.
pub async fn deliver(app: &TestApp, update: &str) -> reqwest::Response {
    app.client
        .post(app.url(WEBHOOK))
        .header("content-type", "application/json")
        .header("X-Telegram-Bot-Api-Secret-Token", WEBHOOK_SECRET)
        .body(update.to_owned())
        .send()
        .await
        .unwrap()
}
