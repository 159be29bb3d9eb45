//! `MemoryStore` only: the capacity bound fails closed and expiry frees room.

use bilim_domain::DomainError;
use bilim_domain::ports::EphemeralStore;
use bilim_repository::ephemeral::MemoryStore;
use std::time::Duration;
use tokio::time::sleep;

const LONG: Duration = Duration::from_secs(30);

fn assert_full(err: DomainError) {
    assert!(
        matches!(
            err,
            DomainError::Unavailable {
                service: "ephemeral-store",
                ..
            }
        ),
        "{err:?}"
    );
}

#[tokio::test]
async fn full_store_refuses_new_keys_but_serves_live_ones() {
    let store = MemoryStore::new(3);
    store.set("a", b"1", LONG).await.unwrap();
    store.set("b", b"2", LONG).await.unwrap();
    store.increment("c", LONG).await.unwrap();

    assert_full(store.set("d", b"4", LONG).await.unwrap_err());
    assert_full(store.increment("e", LONG).await.unwrap_err());

    // live entries are never evicted to make room, and remain writable
    assert_eq!(store.get("a").await.unwrap().as_deref(), Some(&b"1"[..]));
    store.set("b", b"22", LONG).await.unwrap();
    assert_eq!(store.increment("c", LONG).await.unwrap().count, 2);

    // removing one makes room again
    assert_eq!(store.take("a").await.unwrap().as_deref(), Some(&b"1"[..]));
    store.set("d", b"4", LONG).await.unwrap();
    assert_eq!(store.len(), 3);
}

#[tokio::test]
async fn expired_entries_free_room() {
    let store = MemoryStore::new(2);
    store
        .set("short", b"1", Duration::from_millis(200))
        .await
        .unwrap();
    store.set("long", b"2", LONG).await.unwrap();
    assert_full(store.set("new", b"3", LONG).await.unwrap_err());

    sleep(Duration::from_millis(300)).await;
    store.set("new", b"3", LONG).await.unwrap();
    assert_eq!(store.len(), 2);
    assert_eq!(store.get("long").await.unwrap().as_deref(), Some(&b"2"[..]));
    assert_eq!(store.get("short").await.unwrap(), None);
}

#[tokio::test]
async fn periodic_sweep_drops_expired_entries_below_capacity() {
    let store = MemoryStore::new(100_000);
    for i in 0..100 {
        store
            .set(&format!("old{i}"), b"x", Duration::from_millis(50))
            .await
            .unwrap();
    }
    sleep(Duration::from_millis(100)).await;
    // well below capacity, so only the periodic sweep can drop the old keys
    for i in 0..2000 {
        store
            .set(&format!("new{}", i % 10), b"x", LONG)
            .await
            .unwrap();
    }
    assert_eq!(store.len(), 10);
}
