//! `RedisStore` only: fails fast when Redis is down, recovers when it is back,
//! keeps prefixes apart and answers the health probe.

use super::{fresh_prefix, redis_store, redis_url};
use bilim_domain::DomainError;
use bilim_domain::ports::{EphemeralStore, HealthProbe};
use bilim_repository::ephemeral::RedisStore;
use bilim_testkit::{TcpRelay, split_authority};
use std::time::{Duration, Instant};

fn assert_unavailable(err: &DomainError) {
    assert!(
        matches!(
            err,
            DomainError::Unavailable {
                service: "redis",
                ..
            }
        ),
        "{err:?}"
    );
}

/// Needs no Redis: nothing listens on port 1.
#[tokio::test]
async fn dead_redis_fails_fast_without_leaking_the_url() {
    let store = RedisStore::connect("redis://:s3cret-pw@127.0.0.1:1/0", &fresh_prefix())
        .expect("creating the pool must not need Redis");
    assert_eq!(store.name(), "redis");

    let started = Instant::now();
    let errors = [
        store.get("k").await.unwrap_err(),
        store
            .increment("c", Duration::from_secs(1))
            .await
            .unwrap_err(),
        store.check().await.unwrap_err(),
    ];
    assert!(
        started.elapsed() < Duration::from_secs(2),
        "{:?}",
        started.elapsed()
    );
    for err in &errors {
        assert_unavailable(err);
        assert!(!format!("{err} {err:?}").contains("s3cret"), "{err:?}");
    }
    assert!(!format!("{store:?}").contains("s3cret"));
}

#[tokio::test]
async fn malformed_url_is_invalid() {
    let err = RedisStore::connect("not a url", "p:").unwrap_err();
    assert!(matches!(err, DomainError::Invalid { .. }), "{err:?}");
}

#[tokio::test]
async fn health_probe_pings() {
    let Some(store) = redis_store("health_probe_pings") else {
        return;
    };
    assert_eq!(store.name(), "redis");
    store.check().await.unwrap();
}

#[tokio::test]
async fn prefixes_isolate_stores() {
    let (Some(a), Some(b)) = (
        redis_store("prefixes_isolate_stores"),
        redis_store("prefixes_isolate_stores"),
    ) else {
        return;
    };
    a.set("k", b"from-a", Duration::from_secs(30))
        .await
        .unwrap();
    assert_eq!(b.get("k").await.unwrap(), None);
    assert_eq!(b.take("k").await.unwrap(), None);
    assert_eq!(
        b.increment("c", Duration::from_secs(30))
            .await
            .unwrap()
            .count,
        1
    );
    assert_eq!(
        a.increment("c", Duration::from_secs(30))
            .await
            .unwrap()
            .count,
        1
    );
    b.delete("k").await.unwrap();
    assert_eq!(a.get("k").await.unwrap().as_deref(), Some(&b"from-a"[..]));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn recovers_when_redis_comes_back() {
    let Some(url) = redis_url() else {
        println!("skipped recovers_when_redis_comes_back: TEST_REDIS_URL is not set");
        return;
    };
    let (upstream, template) = split_authority(&url).expect("TEST_REDIS_URL has a scheme");
    let mut relay = TcpRelay::start(&upstream).await.unwrap();
    let store =
        RedisStore::connect(&template.replace("{}", relay.address()), &fresh_prefix()).unwrap();
    store.set("k", b"v", Duration::from_secs(30)).await.unwrap();

    relay.cut().await;
    let started = Instant::now();
    assert_unavailable(&store.get("k").await.unwrap_err());
    assert_unavailable(&store.check().await.unwrap_err());
    assert!(
        started.elapsed() < Duration::from_secs(4),
        "{:?}",
        started.elapsed()
    );

    relay.restore().await.unwrap();
    assert_eq!(store.get("k").await.unwrap().as_deref(), Some(&b"v"[..]));
    store.check().await.unwrap();
    relay.cut().await;
}

/// Issue 15: a value this store did not write (another Redis type, a counter
/// that is not a number) is absent to `get`/`take` and restarts a counter,
/// never an internal error.
#[tokio::test]
async fn foreign_values_are_taken_as_absent() {
    let Some(url) = redis_url() else {
        println!("skipped foreign_values_are_taken_as_absent: TEST_REDIS_URL is not set");
        return;
    };
    let prefix = fresh_prefix();
    let store = RedisStore::connect(&url, &prefix).unwrap();
    let client = deadpool_redis::redis::Client::open(url).unwrap();
    let mut raw = client.get_multiplexed_async_connection().await.unwrap();
    let hash = format!("{prefix}hash");
    deadpool_redis::redis::cmd("HSET")
        .arg(&hash)
        .arg("field")
        .arg("value")
        .query_async::<()>(&mut raw)
        .await
        .unwrap();
    deadpool_redis::redis::cmd("SET")
        .arg(format!("{prefix}counter"))
        .arg("not a number")
        .query_async::<()>(&mut raw)
        .await
        .unwrap();

    assert_eq!(store.get("hash").await.unwrap(), None);
    assert_eq!(store.take("hash").await.unwrap(), None);
    let counter = store
        .increment("counter", Duration::from_secs(60))
        .await
        .unwrap();
    assert_eq!(counter.count, 1);
    // Both keys work again.
    store
        .set("hash", b"ok", Duration::from_secs(60))
        .await
        .unwrap();
    assert_eq!(store.get("hash").await.unwrap(), Some(b"ok".to_vec()));
    assert_eq!(
        store
            .increment("counter", Duration::from_secs(60))
            .await
            .unwrap()
            .count,
        2
    );
}
