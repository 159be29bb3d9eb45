//! Redis `EphemeralStore`, shared by every server instance. Each operation is a
//! single Redis command or script, so it is atomic across instances.
//!
//! Connections are made lazily and every step has a short timeout: with Redis
//! down, calls fail fast with `Unavailable` and the pool reconnects by itself
//! once Redis is back.

use super::{check_key, check_value, ttl_millis};
use async_trait::async_trait;
use bilim_domain::ports::{Counter, EphemeralStore, HealthProbe};
use bilim_domain::{DomainError, DomainResult};
use deadpool_redis::redis::{self, AsyncConnectionConfig, ErrorKind, FromRedisValue, RedisError};
use deadpool_redis::{Manager, Pool, PoolError, Runtime, TimeoutType, Timeouts};
use std::future::Future;
use std::time::Duration;

const SERVICE: &str = "redis";

/// Limit for each step: waiting for a pooled connection, connecting, the
/// liveness PING on reuse, and each command's reply.
const STEP_TIMEOUT: Duration = Duration::from_secs(1);

/// Limit for a whole operation, whatever the steps add up to.
const OP_DEADLINE: Duration = Duration::from_secs(2);

/// Each pooled connection is held for one command only.
const POOL_SIZE: usize = 32;

/// INCR and the window's expiry in one atomic step. The `ttl < 0` branch also
/// repairs a counter that somehow lost its expiry, so it cannot block forever.
const INCREMENT_SCRIPT: &str = r"
local n = redis.call('INCR', KEYS[1])
local ttl = redis.call('PTTL', KEYS[1])
if n == 1 or ttl < 0 then
  redis.call('PEXPIRE', KEYS[1], ARGV[1])
  ttl = tonumber(ARGV[1])
end
return {n, ttl}
";

/// A pool of Redis connections plus the prefix put before every key.
pub struct RedisStore {
    pool: Pool,
    key_prefix: String,
}

impl RedisStore {
    /// Builds the pool without connecting, so the server can start before
    /// Redis does. `key_prefix` is prepended verbatim (include a separator,
    /// e.g. `bilim:`).
    pub fn connect(url: &str, key_prefix: &str) -> DomainResult<Self> {
        let connection_config = AsyncConnectionConfig::new()
            .set_connection_timeout(Some(STEP_TIMEOUT))
            .set_response_timeout(Some(STEP_TIMEOUT));
        // The parse error could echo parts of the URL, password included; drop it.
        let manager = Manager::new_with_config(url, connection_config).map_err(|_| {
            DomainError::invalid("redis_url", "invalid_url", "Redis URL does not parse")
        })?;
        let pool = Pool::builder(manager)
            .max_size(POOL_SIZE)
            .timeouts(Timeouts {
                wait: Some(STEP_TIMEOUT),
                create: Some(STEP_TIMEOUT),
                recycle: Some(STEP_TIMEOUT),
            })
            .runtime(Runtime::Tokio1)
            .build()
            .map_err(|e| DomainError::internal(format!("building the Redis pool: {e}")))?;
        Ok(Self {
            pool,
            key_prefix: key_prefix.to_owned(),
        })
    }

    fn key(&self, key: &str) -> DomainResult<String> {
        check_key(key)?;
        Ok(format!("{}{key}", self.key_prefix))
    }

    /// Runs one command on a pooled connection within `OP_DEADLINE`.
    async fn run<T: FromRedisValue>(&self, cmd: &redis::Cmd) -> DomainResult<T> {
        deadline(async {
            let mut conn = self.pool.get().await.map_err(pool_error)?;
            cmd.query_async::<T>(&mut conn).await.map_err(redis_error)
        })
        .await
    }
}

impl RedisStore {
    /// As `run`, for a command on `key` that may meet a value this store did
    /// not write there (another type, a counter that is not a number): that is
    /// logged and answered `None`, as if the key were absent, never a 500.
    async fn run_on<T: FromRedisValue>(
        &self,
        cmd: &redis::Cmd,
        key: &str,
    ) -> DomainResult<Option<T>> {
        deadline(async {
            let mut conn = self.pool.get().await.map_err(pool_error)?;
            match cmd.query_async::<T>(&mut conn).await {
                Ok(value) => Ok(Some(value)),
                Err(error) if foreign_value(&error) => {
                    tracing::warn!(
                        key,
                        reason = error.category(),
                        "unreadable value in Redis; taken as absent"
                    );
                    Ok(None)
                }
                Err(error) => Err(redis_error(error)),
            }
        })
        .await
    }
}

/// A reply that says the key holds something of the wrong kind.
fn foreign_value(error: &RedisError) -> bool {
    error.code() == Some("WRONGTYPE")
        || matches!(
            error.kind(),
            ErrorKind::UnexpectedReturnType | ErrorKind::Parse
        )
        || error.to_string().contains("not an integer")
}

impl std::fmt::Debug for RedisStore {
    // The pool's own Debug shows the connection info, password included.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("RedisStore")
            .field("key_prefix", &self.key_prefix)
            .finish_non_exhaustive()
    }
}

async fn deadline<T>(op: impl Future<Output = DomainResult<T>>) -> DomainResult<T> {
    tokio::time::timeout(OP_DEADLINE, op)
        .await
        .unwrap_or_else(|_| Err(DomainError::unavailable(SERVICE, "operation timed out")))
}

fn pool_error(e: PoolError) -> DomainError {
    match e {
        PoolError::Backend(e) => redis_error(e),
        PoolError::Timeout(TimeoutType::Wait) => {
            DomainError::unavailable(SERVICE, "no free connection in time")
        }
        PoolError::Timeout(TimeoutType::Create) => {
            DomainError::unavailable(SERVICE, "connecting timed out")
        }
        PoolError::Timeout(TimeoutType::Recycle) => {
            DomainError::unavailable(SERVICE, "connection check timed out")
        }
        PoolError::Closed => DomainError::unavailable(SERVICE, "pool closed"),
        PoolError::NoRuntimeSpecified => DomainError::internal("Redis pool has no runtime"),
        PoolError::PostCreateHook(_) => {
            DomainError::unavailable(SERVICE, "connection setup failed")
        }
    }
}

/// Describes the error by kind only: details may quote the server or the
/// connection settings, which do not belong in logs or responses.
fn redis_error(e: RedisError) -> DomainError {
    let reason = if e.is_timeout() {
        "timed out".to_owned()
    } else if e.is_connection_refusal() {
        "connection refused".to_owned()
    } else if e.is_connection_dropped() {
        "connection dropped".to_owned()
    } else {
        match e.code() {
            Some(code) => format!("{} ({code})", e.category()),
            None => e.category().to_owned(),
        }
    };
    // A reply of the wrong shape is a bug or foreign data under our prefix,
    // not an outage: retrying will not help.
    if matches!(e.kind(), ErrorKind::UnexpectedReturnType | ErrorKind::Parse)
        || e.code() == Some("WRONGTYPE")
    {
        return DomainError::internal(format!("redis: {reason}"));
    }
    DomainError::unavailable(SERVICE, reason)
}

#[async_trait]
impl EphemeralStore for RedisStore {
    async fn set(&self, key: &str, value: &[u8], ttl: Duration) -> DomainResult<()> {
        check_value(value)?;
        let ttl_ms = ttl_millis("ttl", ttl)?;
        let mut cmd = redis::cmd("SET");
        cmd.arg(self.key(key)?).arg(value).arg("PX").arg(ttl_ms);
        self.run::<()>(&cmd).await
    }

    async fn get(&self, key: &str) -> DomainResult<Option<Vec<u8>>> {
        let mut cmd = redis::cmd("GET");
        cmd.arg(self.key(key)?);
        Ok(self.run_on::<Option<Vec<u8>>>(&cmd, key).await?.flatten())
    }

    async fn take(&self, key: &str) -> DomainResult<Option<Vec<u8>>> {
        // GETDEL (Redis 6.2+) reads and removes in one step: one taker wins.
        let mut cmd = redis::cmd("GETDEL");
        cmd.arg(self.key(key)?);
        match self.run_on::<Option<Vec<u8>>>(&cmd, key).await? {
            Some(value) => Ok(value),
            None => {
                // Foreign data: removed, so the key works again.
                self.delete(key).await?;
                Ok(None)
            }
        }
    }

    async fn delete(&self, key: &str) -> DomainResult<()> {
        let mut cmd = redis::cmd("DEL");
        cmd.arg(self.key(key)?);
        self.run::<()>(&cmd).await
    }

    async fn increment(&self, key: &str, window: Duration) -> DomainResult<Counter> {
        let window_ms = ttl_millis("window", window)?;
        // EVAL rather than EVALSHA: the script is tiny and this needs no
        // NOSCRIPT retry after a Redis restart.
        let mut cmd = redis::cmd("EVAL");
        cmd.arg(INCREMENT_SCRIPT)
            .arg(1)
            .arg(self.key(key)?)
            .arg(window_ms);
        let (count, ttl_ms): (u64, i64) = match self.run_on(&cmd, key).await? {
            Some(reply) => reply,
            None => {
                // Not a counter: removed, and counting starts afresh.
                self.delete(key).await?;
                self.run(&cmd).await?
            }
        };
        Ok(Counter {
            count,
            resets_in: Duration::from_millis(u64::try_from(ttl_ms).unwrap_or(0)),
        })
    }
}

#[async_trait]
impl HealthProbe for RedisStore {
    fn name(&self) -> &'static str {
        SERVICE
    }

    async fn check(&self) -> DomainResult<()> {
        let reply: String = self.run(&redis::cmd("PING")).await?;
        if reply == "PONG" {
            Ok(())
        } else {
            Err(DomainError::unavailable(SERVICE, "unexpected PING reply"))
        }
    }
}
