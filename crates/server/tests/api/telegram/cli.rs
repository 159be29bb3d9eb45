//! `bilim telegram set-webhook`, the built binary against the fake Bot API.

use super::WEBHOOK_SECRET;
use super::fake::{BOT_TOKEN, FakeBotApi};
use std::process::{Command, Output, Stdio};

async fn set_webhook(fake: &FakeBotApi, public_url: &str, extra: &[&str]) -> Output {
    let dir = tempfile::tempdir().unwrap();
    let mut command = Command::new(env!("CARGO_BIN_EXE_bilim"));
    command
        .args(["telegram", "set-webhook"])
        .args(extra)
        .current_dir(dir.path())
        .stdin(Stdio::null())
        .env("BILIM_ENV", "development")
        .env(
            "BILIM_DATABASE_URL",
            format!(
                "sqlite://{}?mode=rwc",
                dir.path().join("bilim.db").display()
            ),
        )
        .env("BILIM_REDIS_URL", "")
        .env("BILIM_MAIL_TRANSPORT", "file")
        .env("BILIM_MAIL_OUTBOX_DIR", dir.path().join("outbox"))
        .env("BILIM_STORAGE_URL", dir.path().join("files"))
        .env("BILIM_PUBLIC_URL", public_url)
        .env("BILIM_TELEGRAM_BOT_TOKEN", BOT_TOKEN)
        .env("BILIM_TELEGRAM_WEBHOOK_SECRET", WEBHOOK_SECRET)
        .env("BILIM_TELEGRAM_API_URL", &fake.url);
    // The fake answers on this runtime while the command blocks another thread.
    let output = tokio::task::spawn_blocking(move || command.output().unwrap())
        .await
        .unwrap();
    drop(dir);
    output
}

#[tokio::test]
async fn set_webhook_registers_the_public_url_with_the_secret() {
    let fake = FakeBotApi::start().await;
    let output = set_webhook(&fake, "https://api.bilim.example.uz", &[]).await;
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(output.status.success(), "{stderr}");
    let calls = fake.calls();
    assert_eq!(calls.len(), 1, "{calls:?}");
    assert_eq!(calls[0].method, "setWebhook");
    assert_eq!(calls[0].token, BOT_TOKEN);
    assert_eq!(
        calls[0].body["url"],
        "https://api.bilim.example.uz/api/v1/telegram/webhook"
    );
    assert_eq!(calls[0].body["secret_token"], WEBHOOK_SECRET);
    assert_eq!(
        calls[0].body["allowed_updates"],
        serde_json::json!(["message"])
    );
}

#[tokio::test]
async fn set_webhook_refuses_a_url_that_is_not_https_and_reports_an_outage() {
    let fake = FakeBotApi::start().await;
    let output = set_webhook(&fake, "http://127.0.0.1:8080", &[]).await;
    assert_eq!(output.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&output.stderr).contains("https"));
    assert!(fake.calls().is_empty());

    fake.set_down(true);
    let output = set_webhook(
        &fake,
        "http://x",
        &["--url", "https://bot.bilim.example.uz/hook"],
    )
    .await;
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(1), "{stderr}");
    assert!(stderr.contains("setWebhook"), "{stderr}");
    assert!(
        !stderr.contains(BOT_TOKEN),
        "the token never prints: {stderr}"
    );
}
