//! Adapters of the `EphemeralStore` port: [`RedisStore`] shared by every server
//! instance, [`MemoryStore`] for a single instance (and tests).
//!
//! Both enforce the same input limits so that code tested against one behaves
//! the same on the other.

mod memory;
mod redis;

pub use memory::MemoryStore;
pub use redis::RedisStore;

use bilim_domain::{DomainError, DomainResult};
use std::time::Duration;

/// Largest accepted value. Challenges and counters are tiny; the cap keeps a
/// bug or abuse from filling the store.
pub const MAX_VALUE_BYTES: usize = 64 * 1024;

/// Largest accepted key, for the same reason.
pub const MAX_KEY_BYTES: usize = 1024;

fn check_key(key: &str) -> DomainResult<()> {
    if key.len() > MAX_KEY_BYTES {
        return Err(DomainError::invalid(
            "key",
            "too_long",
            format!("ephemeral key is longer than {MAX_KEY_BYTES} bytes"),
        ));
    }
    Ok(())
}

fn check_value(value: &[u8]) -> DomainResult<()> {
    if value.len() > MAX_VALUE_BYTES {
        return Err(DomainError::invalid(
            "value",
            "too_large",
            format!("ephemeral value is larger than {MAX_VALUE_BYTES} bytes"),
        ));
    }
    Ok(())
}

/// A TTL in whole milliseconds, at least 1: Redis rejects `PX 0` and a zero
/// window would make every increment return 1.
fn ttl_millis(field: &'static str, ttl: Duration) -> DomainResult<u64> {
    let ms = u64::try_from(ttl.as_millis()).unwrap_or(u64::MAX);
    // Redis stores expiry as a signed 64-bit millisecond timestamp; a year is plenty.
    const MAX_MS: u64 = 366 * 24 * 60 * 60 * 1000;
    if ms == 0 || ms > MAX_MS {
        return Err(DomainError::invalid(
            field,
            "out_of_range",
            "ephemeral TTL must be between 1 ms and one year",
        ));
    }
    Ok(ms)
}
