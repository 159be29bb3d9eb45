//! Readiness follows the real services: cut PostgreSQL or Redis (through a relay
//! in front of the service the test suite shares) and `/health/ready` turns 503
//! in under two seconds; restore it and readiness recovers without a restart.
//! Needs `TEST_DATABASE_URL` / `TEST_REDIS_URL`; without them each test says it
//! was skipped.

use crate::helpers::spawn_app_with;
use bilim_testkit::{TcpRelay, split_authority};
use std::time::{Duration, Instant};

async fn wait_for_readiness(app: &crate::helpers::TestApp, status: u16) -> Duration {
    let started = Instant::now();
    loop {
        let response = app.get("/health/ready").await;
        if response.status().as_u16() == status {
            return started.elapsed();
        }
        assert!(
            started.elapsed() < Duration::from_secs(10),
            "readiness never became {status}"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

/// Cuts the relay, checks that one readiness request answers 503 in under 2 s and
/// names `dependency`, then restores the relay and waits for 200.
async fn outage_and_recovery(
    app: &crate::helpers::TestApp,
    relay: &mut TcpRelay,
    dependency: &str,
) {
    assert_eq!(app.get("/health/ready").await.status(), 200);
    relay.cut().await;
    let started = Instant::now();
    let response = app.get("/health/ready").await;
    let elapsed = started.elapsed();
    assert_eq!(response.status(), 503);
    assert!(elapsed < Duration::from_secs(2), "503 took {elapsed:?}");
    let problem: serde_json::Value = response.json().await.unwrap();
    assert_eq!(problem["errors"][0]["field"], dependency, "{problem}");

    relay.restore().await.unwrap();
    wait_for_readiness(app, 200).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn postgres_outage_turns_ready_503_and_recovers() {
    let Ok(admin_url) = std::env::var("TEST_DATABASE_URL") else {
        println!(
            "skipped postgres_outage_turns_ready_503_and_recovers: TEST_DATABASE_URL is not set"
        );
        return;
    };
    let (upstream, _) = split_authority(&admin_url).unwrap();
    let mut relay = TcpRelay::start(&upstream).await.unwrap();
    let relay_address = relay.address().to_owned();
    let app = spawn_app_with(move |vars| {
        // The app's own fresh database, reached through the relay.
        let url = vars["BILIM_DATABASE_URL"].clone();
        let (_, template) = split_authority(&url).unwrap();
        vars.insert(
            "BILIM_DATABASE_URL".into(),
            template.replace("{}", &relay_address),
        );
    })
    .await;
    outage_and_recovery(&app, &mut relay, "database").await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn redis_outage_turns_ready_503_and_recovers() {
    let Ok(redis_url) = std::env::var("TEST_REDIS_URL") else {
        println!("skipped redis_outage_turns_ready_503_and_recovers: TEST_REDIS_URL is not set");
        return;
    };
    let (upstream, template) = split_authority(&redis_url).unwrap();
    let mut relay = TcpRelay::start(&upstream).await.unwrap();
    let through_relay = template.replace("{}", relay.address());
    let app = spawn_app_with(move |vars| {
        vars.insert("BILIM_REDIS_URL".into(), through_relay);
    })
    .await;
    outage_and_recovery(&app, &mut relay, "redis").await;
}

/// Issue 15: with PostgreSQL's connection frozen (open and silent) a request
/// that needs the database answers 503 problem+json by the request deadline,
/// not whenever TCP gives up.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_frozen_postgres_answers_503_by_the_request_deadline() {
    let Ok(admin_url) = std::env::var("TEST_DATABASE_URL") else {
        println!(
            "skipped a_frozen_postgres_answers_503_by_the_request_deadline: TEST_DATABASE_URL is not set"
        );
        return;
    };
    let (upstream, _) = split_authority(&admin_url).unwrap();
    let mut relay = TcpRelay::start(&upstream).await.unwrap();
    let relay_address = relay.address().to_owned();
    let app = spawn_app_with(move |vars| {
        let url = vars["BILIM_DATABASE_URL"].clone();
        let (_, template) = split_authority(&url).unwrap();
        vars.insert(
            "BILIM_DATABASE_URL".into(),
            template.replace("{}", &relay_address),
        );
        vars.insert("BILIM_REQUEST_DEADLINE_SECONDS".into(), "2".into());
    })
    .await;
    assert_eq!(app.get("/api/v1/directions").await.status(), 200);
    relay.freeze();

    let started = Instant::now();
    let response = app
        .client
        .get(app.url("/api/v1/directions"))
        .timeout(Duration::from_secs(10))
        .send()
        .await
        .expect("an answer before the client gives up");
    let elapsed = started.elapsed();
    assert_eq!(response.status(), 503);
    assert!(elapsed < Duration::from_secs(4), "503 took {elapsed:?}");
    assert_eq!(response.headers()["retry-after"], "1");
    assert_eq!(
        response.headers()["content-type"],
        "application/problem+json"
    );
    let problem: serde_json::Value = response.json().await.unwrap();
    assert_eq!(problem["code"], "service_unavailable");
    relay.cut().await;
}
