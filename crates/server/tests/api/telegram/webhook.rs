//! `POST /telegram/webhook` with real Telegram `Update`s (`samples/`), the
//! bot's replies read from the fake Bot API.

use super::*;
use crate::support::problem;

#[tokio::test]
async fn updates_need_telegrams_secret_and_must_be_updates() {
    let (app, fake) = bot().await;
    let without = app
        .client
        .post(app.url(WEBHOOK))
        .header("content-type", "application/json")
        .body(sample("start"))
        .send()
        .await
        .unwrap();
    problem(without, 401, "auth.webhook_secret").await;
    let wrong = app
        .client
        .post(app.url(WEBHOOK))
        .header("content-type", "application/json")
        .header(
            "X-Telegram-Bot-Api-Secret-Token",
            "webhook_secret-for-tests-43",
        )
        .body(sample("start"))
        .send()
        .await
        .unwrap();
    problem(wrong, 401, "auth.webhook_secret").await;
    for body in [
        "",
        "{",
        "[]",
        r#"{"update_id": 1, "message": {"text": "/start"}}"#,
    ] {
        problem(deliver(&app, body).await, 400, "telegram.update_invalid").await;
    }
    assert!(fake.calls().is_empty(), "nothing reached the Bot API");
}

#[tokio::test]
async fn start_asks_for_the_phone_with_a_contact_button_in_uzbek() {
    let (app, fake) = bot().await;
    assert_eq!(deliver(&app, &sample("start")).await.status(), 204);
    let calls = fake.calls();
    assert_eq!(calls.len(), 1);
    assert_eq!(calls[0].token, fake::BOT_TOKEN);
    let message = &calls[0].body;
    assert_eq!(message["chat_id"], 111222333);
    assert!(
        message["text"]
            .as_str()
            .unwrap()
            .contains("telefon raqamingizni"),
        "{message}"
    );
    let button = &message["reply_markup"]["keyboard"][0][0];
    assert_eq!(button["request_contact"], true, "{message}");
}

#[tokio::test]
async fn a_russian_speaker_is_answered_in_russian() {
    let (app, fake) = bot().await;
    deliver(&app, &sample("start_ru")).await;
    let start = fake.last_message();
    assert_eq!(start["chat_id"], 444555666);
    assert!(
        start["text"].as_str().unwrap().contains("номер телефона"),
        "{start}"
    );
    deliver(&app, &sample("help_ru")).await;
    assert!(
        fake.last_message()["text"]
            .as_str()
            .unwrap()
            .contains("/start — начать")
    );
}

#[tokio::test]
async fn the_senders_own_contact_gets_a_working_registration_link() {
    let (app, fake) = bot().await;
    assert_eq!(deliver(&app, &sample("contact_own")).await.status(), 204);
    let message = fake.last_message();
    let text = message["text"].as_str().unwrap();
    assert_eq!(
        message["reply_markup"]["remove_keyboard"], true,
        "{message}"
    );
    let link = text
        .split_whitespace()
        .find(|w| w.starts_with("https://bilim.example.uz/register/telegram?token="))
        .unwrap_or_else(|| panic!("no link in {text}"));
    let token = link.split("token=").nth(1).unwrap();
    assert!(text.contains("30 daqiqa"), "{text}");
    assert!(is_valid(&app, token).await);

    let body = registration(token, "dilnoza@example.uz", "dilnoza");
    let created = app.post_json(REGISTER, &body).await;
    assert_eq!(created.status(), 201);
    let created: Value = created.json().await.unwrap();
    assert_eq!(created["user"]["tg_id"], 111222333);
    assert_eq!(created["user"]["phone"], "+998901234567");
}

#[tokio::test]
async fn someone_elses_contact_or_a_foreign_number_gets_no_token() {
    let (app, fake) = bot().await;
    deliver(&app, &sample("contact_other")).await;
    let text = fake.last_message()["text"].as_str().unwrap().to_owned();
    assert!(text.contains("faqat oʻzingizning"), "{text}");
    deliver(&app, &sample("contact_foreign")).await;
    let text = fake.last_message()["text"].as_str().unwrap().to_owned();
    assert!(text.contains("+998"), "{text}");
    assert!(
        fake.messages()
            .iter()
            .all(|m| !m["text"].as_str().unwrap().contains("token="))
    );
}

#[tokio::test]
async fn help_and_ignored_updates() {
    let (app, fake) = bot().await;
    let help = sample("start").replace("\"/start\"", "\"/help\"");
    deliver(&app, &help).await;
    assert!(
        fake.last_message()["text"]
            .as_str()
            .unwrap()
            .contains("/start — roʻyxatdan")
    );
    assert_eq!(deliver(&app, &sample("edited_message")).await.status(), 204);
    assert_eq!(fake.messages().len(), 1, "an edit is not answered");
}

#[tokio::test]
async fn a_required_channel_is_checked_before_anything_else() {
    let fake = FakeBotApi::start().await;
    let app = bot_app(&fake, |vars| {
        vars.insert("BILIM_TELEGRAM_REQUIRED_CHANNEL".into(), "@bilim_uz".into());
    })
    .await;
    fake.set_member_status("left");
    deliver(&app, &sample("start")).await;
    let calls = fake.calls();
    assert_eq!(calls[0].method, "getChatMember");
    assert_eq!(calls[0].body["chat_id"], "@bilim_uz");
    assert_eq!(calls[0].body["user_id"], 111222333);
    let ask = fake.last_message();
    assert!(
        ask["text"]
            .as_str()
            .unwrap()
            .contains("https://t.me/bilim_uz"),
        "{ask}"
    );
    assert!(
        ask.get("reply_markup")
            .is_none_or(|m| m.get("keyboard").is_none())
    );
    deliver(&app, &sample("contact_own")).await;
    assert!(
        !fake.last_message()["text"]
            .as_str()
            .unwrap()
            .contains("token=")
    );

    fake.set_member_status("member");
    deliver(&app, &sample("start")).await;
    assert_eq!(
        fake.last_message()["reply_markup"]["keyboard"][0][0]["request_contact"],
        true
    );
}

#[tokio::test]
async fn a_bot_api_outage_is_a_503_so_telegram_delivers_again() {
    let (app, fake) = bot().await;
    fake.set_down(true);
    problem(
        deliver(&app, &sample("start")).await,
        503,
        "service_unavailable",
    )
    .await;
}
