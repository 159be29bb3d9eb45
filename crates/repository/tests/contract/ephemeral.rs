//! The `EphemeralStore` contract: one suite, run against `MemoryStore` always
//! and against `RedisStore` when `TEST_REDIS_URL` is set (each test under a
//! fresh key prefix), plus tests of what only one adapter does.

// Suite functions are not `#[test]` items, so clippy's in-test allowance for
// unwrap/expect does not reach them; a failing unwrap is the test failing.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod memory_only;
mod redis_only;

use bilim_domain::DomainError;
use bilim_domain::ports::EphemeralStore;
use bilim_repository::ephemeral::{MAX_VALUE_BYTES, MemoryStore, RedisStore};
use std::sync::Arc;
use std::time::Duration;
use tokio::time::sleep;

type Store = Arc<dyn EphemeralStore>;

const SHORT: Duration = Duration::from_millis(300);
/// Long enough past `SHORT` for both adapters to have expired the key.
const PAST_SHORT: Duration = Duration::from_millis(450);
const LONG: Duration = Duration::from_secs(30);

fn memory_store() -> Store {
    Arc::new(MemoryStore::new(10_000))
}

fn redis_url() -> Option<String> {
    std::env::var("TEST_REDIS_URL")
        .ok()
        .filter(|u| !u.is_empty())
}

fn fresh_prefix() -> String {
    format!("bilim-test:{}:", uuid::Uuid::new_v4())
}

/// A Redis store under a fresh prefix, or `None` (after saying so) without
/// `TEST_REDIS_URL`.
fn redis_store(test: &str) -> Option<RedisStore> {
    let Some(url) = redis_url() else {
        println!("skipped {test}: TEST_REDIS_URL is not set");
        return None;
    };
    match RedisStore::connect(&url, &fresh_prefix()) {
        Ok(store) => Some(store),
        Err(e) => panic!("TEST_REDIS_URL is set but unusable: {e}"),
    }
}

/// Runs each suite function once per adapter: `memory::name` and `redis::name`.
macro_rules! contract_suite {
    ($($test:ident),* $(,)?) => {
        mod memory {
            $(
                #[tokio::test(flavor = "multi_thread", worker_threads = 4)]
                async fn $test() {
                    super::$test(super::memory_store()).await;
                }
            )*
        }
        mod redis {
            $(
                #[tokio::test(flavor = "multi_thread", worker_threads = 4)]
                async fn $test() {
                    if let Some(store) = super::redis_store(stringify!($test)) {
                        super::$test(std::sync::Arc::new(store)).await;
                    }
                }
            )*
        }
    };
}

contract_suite!(
    set_then_get_until_ttl_expires,
    set_replaces_value_and_ttl,
    take_returns_the_value_once,
    concurrent_takes_have_one_winner,
    delete_is_idempotent,
    increment_counts_within_a_window_then_restarts,
    concurrent_increments_each_see_a_distinct_count,
    input_limits_are_invalid,
);

async fn set_then_get_until_ttl_expires(store: Store) {
    store.set("k", b"v1", SHORT).await.unwrap();
    store.set("other", b"v2", LONG).await.unwrap();
    assert_eq!(store.get("k").await.unwrap().as_deref(), Some(&b"v1"[..]));
    // get does not consume
    assert_eq!(store.get("k").await.unwrap().as_deref(), Some(&b"v1"[..]));
    assert_eq!(store.get("missing").await.unwrap(), None);

    sleep(PAST_SHORT).await;
    assert_eq!(store.get("k").await.unwrap(), None);
    assert_eq!(store.take("k").await.unwrap(), None);
    assert_eq!(
        store.get("other").await.unwrap().as_deref(),
        Some(&b"v2"[..])
    );
}

async fn set_replaces_value_and_ttl(store: Store) {
    store.set("k", b"first", SHORT).await.unwrap();
    store.set("k", b"second", LONG).await.unwrap();
    sleep(PAST_SHORT).await;
    // the longer TTL replaced the short one
    assert_eq!(
        store.get("k").await.unwrap().as_deref(),
        Some(&b"second"[..])
    );

    // and a shorter TTL replaces a longer one
    store.set("k", b"third", SHORT).await.unwrap();
    assert_eq!(
        store.get("k").await.unwrap().as_deref(),
        Some(&b"third"[..])
    );
    sleep(PAST_SHORT).await;
    assert_eq!(store.get("k").await.unwrap(), None);
}

async fn take_returns_the_value_once(store: Store) {
    store.set("k", b"code", LONG).await.unwrap();
    assert_eq!(
        store.take("k").await.unwrap().as_deref(),
        Some(&b"code"[..])
    );
    assert_eq!(store.take("k").await.unwrap(), None);
    assert_eq!(store.get("k").await.unwrap(), None);
    assert_eq!(store.take("never-set").await.unwrap(), None);
}

async fn concurrent_takes_have_one_winner(store: Store) {
    store.set("k", b"code", LONG).await.unwrap();
    let takers: Vec<_> = (0..50)
        .map(|_| {
            let store = Arc::clone(&store);
            tokio::spawn(async move { store.take("k").await.unwrap() })
        })
        .collect();
    let mut winners = 0;
    for taker in takers {
        if let Some(value) = taker.await.unwrap() {
            assert_eq!(value, b"code");
            winners += 1;
        }
    }
    assert_eq!(winners, 1);
}

async fn delete_is_idempotent(store: Store) {
    store.delete("missing").await.unwrap();
    store.set("k", b"v", LONG).await.unwrap();
    store.delete("k").await.unwrap();
    assert_eq!(store.get("k").await.unwrap(), None);
    store.delete("k").await.unwrap();
    // a deleted counter starts again
    store.increment("c", LONG).await.unwrap();
    store.delete("c").await.unwrap();
    assert_eq!(store.increment("c", LONG).await.unwrap().count, 1);
}

async fn increment_counts_within_a_window_then_restarts(store: Store) {
    let window = Duration::from_millis(400);
    let first = store.increment("c", window).await.unwrap();
    assert_eq!(first.count, 1);
    assert!(
        first.resets_in <= window && first.resets_in > window / 2,
        "{first:?}"
    );

    let mut previous = first.resets_in;
    for expected in 2..=5 {
        let counter = store.increment("c", window).await.unwrap();
        assert_eq!(counter.count, expected);
        // later increments keep the window started by the first one
        assert!(
            counter.resets_in <= previous,
            "{counter:?} after {previous:?}"
        );
        previous = counter.resets_in;
    }
    // counters are per key
    assert_eq!(store.increment("other", window).await.unwrap().count, 1);

    sleep(Duration::from_millis(550)).await;
    let restarted = store.increment("c", window).await.unwrap();
    assert_eq!(restarted.count, 1);
    assert!(restarted.resets_in > window / 2, "{restarted:?}");
}

async fn concurrent_increments_each_see_a_distinct_count(store: Store) {
    let incrementers: Vec<_> = (0..50)
        .map(|_| {
            let store = Arc::clone(&store);
            tokio::spawn(async move { store.increment("c", LONG).await.unwrap() })
        })
        .collect();
    let mut counts = Vec::new();
    for incrementer in incrementers {
        let counter = incrementer.await.unwrap();
        assert!(counter.resets_in <= LONG && counter.resets_in > LONG / 2);
        counts.push(counter.count);
    }
    counts.sort_unstable();
    assert_eq!(counts, (1..=50).collect::<Vec<u64>>());
}

async fn input_limits_are_invalid(store: Store) {
    let too_big = vec![0u8; MAX_VALUE_BYTES + 1];
    let err = store.set("k", &too_big, LONG).await.unwrap_err();
    assert!(matches!(err, DomainError::Invalid { .. }), "{err:?}");
    assert_eq!(store.get("k").await.unwrap(), None);
    // the largest allowed value round-trips
    let largest = vec![7u8; MAX_VALUE_BYTES];
    store.set("k", &largest, LONG).await.unwrap();
    assert_eq!(store.get("k").await.unwrap(), Some(largest));

    let err = store.set("k", b"v", Duration::ZERO).await.unwrap_err();
    assert!(matches!(err, DomainError::Invalid { .. }), "{err:?}");
    let err = store.increment("c", Duration::ZERO).await.unwrap_err();
    assert!(matches!(err, DomainError::Invalid { .. }), "{err:?}");
}
