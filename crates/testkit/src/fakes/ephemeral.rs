//! An `EphemeralStore` in one mutex-guarded map whose time is a `Clock`, so a
//! test expires challenges and ends rate-limit windows by moving a
//! `ManualClock` instead of sleeping.

use async_trait::async_trait;
use bilim_domain::DomainResult;
use bilim_domain::ports::{Clock, Counter, EphemeralStore};
use chrono::{DateTime, Utc};
use std::collections::BTreeMap;
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use std::time::Duration;

struct Entry {
    value: Vec<u8>,
    expires_at: DateTime<Utc>,
}

/// Every call yields to the scheduler once before it takes the lock, as a
/// store across the network would, so concurrent callers really interleave
/// between calls; each call itself is one critical section, hence atomic.
pub struct InMemoryEphemeralStore {
    clock: Arc<dyn Clock>,
    entries: Mutex<BTreeMap<String, Entry>>,
}

impl InMemoryEphemeralStore {
    pub fn new(clock: Arc<dyn Clock>) -> Self {
        Self {
            clock,
            entries: Mutex::new(BTreeMap::new()),
        }
    }

    /// The live entries, by key: what a test may inspect (a code must not be
    /// in there, a counter must be).
    pub fn live_entries(&self) -> Vec<(String, Vec<u8>)> {
        let now = self.clock.now();
        self.lock()
            .iter()
            .filter(|(_, entry)| now < entry.expires_at)
            .map(|(key, entry)| (key.clone(), entry.value.clone()))
            .collect()
    }

    fn lock(&self) -> MutexGuard<'_, BTreeMap<String, Entry>> {
        self.entries.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// The map with every entry expired at `now` removed.
    fn live(&self, now: DateTime<Utc>) -> MutexGuard<'_, BTreeMap<String, Entry>> {
        let mut entries = self.lock();
        entries.retain(|_, entry| now < entry.expires_at);
        entries
    }
}

/// `now + ttl`, saturating far in the future.
fn deadline(now: DateTime<Utc>, ttl: Duration) -> DateTime<Utc> {
    chrono::Duration::from_std(ttl)
        .ok()
        .and_then(|ttl| now.checked_add_signed(ttl))
        .unwrap_or(DateTime::<Utc>::MAX_UTC)
}

#[async_trait]
impl EphemeralStore for InMemoryEphemeralStore {
    async fn set(&self, key: &str, value: &[u8], ttl: Duration) -> DomainResult<()> {
        tokio::task::yield_now().await;
        let now = self.clock.now();
        let entry = Entry {
            value: value.to_vec(),
            expires_at: deadline(now, ttl),
        };
        self.live(now).insert(key.to_owned(), entry);
        Ok(())
    }

    async fn get(&self, key: &str) -> DomainResult<Option<Vec<u8>>> {
        tokio::task::yield_now().await;
        let now = self.clock.now();
        Ok(self.live(now).get(key).map(|entry| entry.value.clone()))
    }

    async fn take(&self, key: &str) -> DomainResult<Option<Vec<u8>>> {
        tokio::task::yield_now().await;
        let now = self.clock.now();
        Ok(self.live(now).remove(key).map(|entry| entry.value))
    }

    async fn delete(&self, key: &str) -> DomainResult<()> {
        tokio::task::yield_now().await;
        self.lock().remove(key);
        Ok(())
    }

    /// Counts like Redis `INCR`: the value is the count in decimal text, so
    /// `get` reads it as the real adapters return it.
    async fn increment(&self, key: &str, window: Duration) -> DomainResult<Counter> {
        tokio::task::yield_now().await;
        let now = self.clock.now();
        let mut entries = self.live(now);
        let entry = entries.entry(key.to_owned()).or_insert_with(|| Entry {
            value: b"0".to_vec(),
            expires_at: deadline(now, window),
        });
        let count = std::str::from_utf8(&entry.value)
            .ok()
            .and_then(|text| text.parse::<u64>().ok())
            .and_then(|count| count.checked_add(1))
            .ok_or_else(|| bilim_domain::DomainError::internal("value is not a counter"))?;
        entry.value = count.to_string().into_bytes();
        let resets_in = (entry.expires_at - now).to_std().unwrap_or(Duration::ZERO);
        Ok(Counter { count, resets_in })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use bilim_domain::ports::ManualClock;

    const MINUTE: Duration = Duration::from_secs(60);

    fn store() -> (Arc<InMemoryEphemeralStore>, Arc<ManualClock>) {
        let clock = Arc::new(ManualClock::new(Utc::now()));
        (Arc::new(InMemoryEphemeralStore::new(clock.clone())), clock)
    }

    #[tokio::test]
    async fn values_live_until_their_ttl_by_the_clock() -> DomainResult<()> {
        let (store, clock) = store();
        store.set("k", b"v", MINUTE).await?;
        clock.advance(chrono::Duration::seconds(59));
        assert_eq!(store.get("k").await?, Some(b"v".to_vec()));
        clock.advance(chrono::Duration::seconds(1));
        assert_eq!(store.get("k").await?, None);
        assert_eq!(store.take("k").await?, None);
        Ok(())
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 4)]
    async fn of_concurrent_takers_exactly_one_gets_the_value() -> DomainResult<()> {
        let (store, _) = store();
        store.set("k", b"v", MINUTE).await?;
        let takers: Vec<_> = (0..32)
            .map(|_| {
                let store = Arc::clone(&store);
                tokio::spawn(async move { store.take("k").await })
            })
            .collect();
        let mut winners = 0;
        for taker in takers {
            if let Ok(Ok(Some(value))) = taker.await {
                assert_eq!(value, b"v");
                winners += 1;
            }
        }
        assert_eq!(winners, 1);
        Ok(())
    }

    #[tokio::test]
    async fn increments_count_in_a_fixed_window() -> DomainResult<()> {
        let (store, clock) = store();
        assert_eq!(store.increment("c", MINUTE).await?.count, 1);
        clock.advance(chrono::Duration::seconds(40));
        let second = store.increment("c", MINUTE).await?;
        assert_eq!(second.count, 2);
        // The window started with the first increment, not this one.
        assert_eq!(second.resets_in, Duration::from_secs(20));
        assert_eq!(store.get("c").await?, Some(b"2".to_vec()));
        clock.advance(chrono::Duration::seconds(20));
        assert_eq!(store.increment("c", MINUTE).await?.count, 1);
        Ok(())
    }

    #[tokio::test]
    async fn set_replaces_and_delete_forgets() -> DomainResult<()> {
        let (store, clock) = store();
        store.set("k", b"old", MINUTE).await?;
        store.set("k", b"new", 2 * MINUTE).await?;
        clock.advance(chrono::Duration::seconds(90));
        assert_eq!(store.get("k").await?, Some(b"new".to_vec()));
        store.delete("k").await?;
        store.delete("missing").await?;
        assert!(store.live_entries().is_empty());
        Ok(())
    }
}
