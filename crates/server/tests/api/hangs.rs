//! A dependency that hangs (connections open, nothing answered) never holds a
//! request past its deadline: with Redis frozen behind a relay, a request that
//! needs it answers 503 in about two seconds (`RedisStore`'s deadline per
//! operation), and once Redis answers again so does the app. Needs
//! `TEST_REDIS_URL`; without it the test says it was skipped. The object
//! store's deadlines are proven in the repository's contract suite
//! (`files::object_only`), SMTP's in `bilim-mail`.

use crate::helpers::spawn_app_with;
use bilim_testkit::{TcpRelay, split_authority};
use serde_json::json;
use std::time::{Duration, Instant};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_frozen_redis_fails_a_request_with_503_at_its_deadline() {
    let Ok(redis_url) = std::env::var("TEST_REDIS_URL") else {
        println!(
            "skipped a_frozen_redis_fails_a_request_with_503_at_its_deadline: TEST_REDIS_URL is not set"
        );
        return;
    };
    let (upstream, template) = split_authority(&redis_url).unwrap();
    let relay = TcpRelay::start(&upstream).await.unwrap();
    let through_relay = template.replace("{}", relay.address());
    let app = spawn_app_with(move |vars| {
        vars.insert("BILIM_REDIS_URL".into(), through_relay);
    })
    .await;
    let login = json!({"email": "aziz@example.uz", "password": "Samarqand-1924-bahor!"});
    let before = app.post_json("/api/v1/auth/login", &login).await;
    assert_eq!(before.status(), 401, "{}", before.text().await.unwrap());

    relay.freeze();
    let started = Instant::now();
    let frozen = app.post_json("/api/v1/auth/login", &login).await;
    let elapsed = started.elapsed();
    assert_eq!(frozen.status(), 503, "{}", frozen.text().await.unwrap());
    assert!(
        elapsed < Duration::from_millis(3500),
        "503 took {elapsed:?}"
    );
    let started = Instant::now();
    let ready = app.get("/health/ready").await;
    assert_eq!(ready.status(), 503);
    assert!(
        started.elapsed() < Duration::from_millis(3500),
        "readiness took {:?}",
        started.elapsed()
    );

    relay.thaw();
    let started = Instant::now();
    loop {
        let answer = app.post_json("/api/v1/auth/login", &login).await;
        if answer.status() == 401 {
            break;
        }
        assert!(
            started.elapsed() < Duration::from_secs(10),
            "still {} after Redis answered again",
            answer.status()
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}
