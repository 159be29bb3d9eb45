//! In-process `EphemeralStore`: one mutex-guarded map, for a single server
//! instance. Bounded: at capacity it refuses new keys rather than evicting live
//! ones, because evicting a rate-limit counter would reset the limit.

use super::{check_key, check_value, ttl_millis};
use async_trait::async_trait;
use bilim_domain::ports::{Counter, EphemeralStore};
use bilim_domain::{DomainError, DomainResult};
use std::collections::HashMap;
use std::sync::{Mutex, MutexGuard, PoisonError};
use std::time::{Duration, Instant};

/// Writes between two sweeps of expired entries, so that a store far below
/// capacity still gives memory back.
const SWEEP_EVERY: u32 = 1024;

/// A bounded in-memory store. Cheap to share behind an `Arc`.
pub struct MemoryStore {
    max_entries: usize,
    state: Mutex<State>,
}

struct Entry {
    value: Vec<u8>,
    expires_at: Instant,
}

impl Entry {
    fn is_live(&self, now: Instant) -> bool {
        now < self.expires_at
    }
}

#[derive(Default)]
struct State {
    map: HashMap<String, Entry>,
    writes_since_sweep: u32,
    /// No entry expires before this instant, so a sweep before it frees nothing.
    /// May be earlier than the truth (after a delete), never later.
    earliest_expiry: Option<Instant>,
}

impl State {
    /// Removes every expired entry, skipping the scan when none can have expired.
    fn sweep(&mut self, now: Instant) {
        self.writes_since_sweep = 0;
        if self.earliest_expiry.is_some_and(|t| t <= now) {
            self.map.retain(|_, e| e.is_live(now));
            self.earliest_expiry = self.map.values().map(|e| e.expires_at).min();
        }
    }

    /// Makes sure `key` may be written: an existing key always may, a new one
    /// only while there is room, after sweeping if that can help.
    fn reserve(&mut self, key: &str, now: Instant, max_entries: usize) -> DomainResult<()> {
        self.writes_since_sweep = self.writes_since_sweep.saturating_add(1);
        if self.writes_since_sweep >= SWEEP_EVERY {
            self.sweep(now);
        }
        if self.map.contains_key(key) || self.map.len() < max_entries {
            return Ok(());
        }
        self.sweep(now);
        if self.map.len() < max_entries {
            Ok(())
        } else {
            Err(DomainError::unavailable(
                "ephemeral-store",
                "in-memory store is full",
            ))
        }
    }

    fn insert(&mut self, key: &str, entry: Entry) {
        let expires_at = entry.expires_at;
        self.earliest_expiry = Some(
            self.earliest_expiry
                .map_or(expires_at, |t| t.min(expires_at)),
        );
        self.map.insert(key.to_owned(), entry);
    }
}

impl MemoryStore {
    /// A store holding at most `max_entries` keys at once (at least one).
    pub fn new(max_entries: usize) -> Self {
        Self {
            max_entries: max_entries.max(1),
            state: Mutex::new(State::default()),
        }
    }

    /// Live and not-yet-swept entries currently held.
    pub fn len(&self) -> usize {
        self.lock().map.len()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Every critical section is plain map work that cannot leave the map
    /// inconsistent, so a poisoned lock is safe to keep using.
    fn lock(&self) -> MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

impl std::fmt::Debug for MemoryStore {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("MemoryStore")
            .field("max_entries", &self.max_entries)
            .finish_non_exhaustive()
    }
}

fn deadline(now: Instant, ttl_ms: u64) -> DomainResult<Instant> {
    now.checked_add(Duration::from_millis(ttl_ms))
        .ok_or_else(|| DomainError::internal("ephemeral TTL overflows the clock"))
}

#[async_trait]
impl EphemeralStore for MemoryStore {
    async fn set(&self, key: &str, value: &[u8], ttl: Duration) -> DomainResult<()> {
        check_key(key)?;
        check_value(value)?;
        let ttl_ms = ttl_millis("ttl", ttl)?;
        let now = Instant::now();
        let expires_at = deadline(now, ttl_ms)?;
        let mut state = self.lock();
        state.reserve(key, now, self.max_entries)?;
        state.insert(
            key,
            Entry {
                value: value.to_vec(),
                expires_at,
            },
        );
        Ok(())
    }

    async fn get(&self, key: &str) -> DomainResult<Option<Vec<u8>>> {
        check_key(key)?;
        let now = Instant::now();
        let mut state = self.lock();
        match state.map.get(key) {
            Some(e) if e.is_live(now) => Ok(Some(e.value.clone())),
            Some(_) => {
                state.map.remove(key);
                Ok(None)
            }
            None => Ok(None),
        }
    }

    async fn take(&self, key: &str) -> DomainResult<Option<Vec<u8>>> {
        check_key(key)?;
        let now = Instant::now();
        let removed = self.lock().map.remove(key);
        Ok(removed.filter(|e| e.is_live(now)).map(|e| e.value))
    }

    async fn delete(&self, key: &str) -> DomainResult<()> {
        check_key(key)?;
        self.lock().map.remove(key);
        Ok(())
    }

    async fn increment(&self, key: &str, window: Duration) -> DomainResult<Counter> {
        check_key(key)?;
        let window_ms = ttl_millis("window", window)?;
        let now = Instant::now();
        let mut state = self.lock();
        // A live value keeps its window; counting it like Redis INCR does means
        // both adapters agree even on keys written with `set`.
        if let Some(entry) = state.map.get_mut(key).filter(|e| e.is_live(now)) {
            let count = std::str::from_utf8(&entry.value)
                .ok()
                .and_then(|s| s.parse::<u64>().ok())
                .and_then(|n| n.checked_add(1))
                .ok_or_else(|| DomainError::internal("ephemeral value is not a counter"))?;
            entry.value = count.to_string().into_bytes();
            return Ok(Counter {
                count,
                resets_in: entry.expires_at.saturating_duration_since(now),
            });
        }
        state.reserve(key, now, self.max_entries)?;
        state.insert(
            key,
            Entry {
                value: b"1".to_vec(),
                expires_at: deadline(now, window_ms)?,
            },
        );
        Ok(Counter {
            count: 1,
            resets_in: Duration::from_millis(window_ms),
        })
    }
}
