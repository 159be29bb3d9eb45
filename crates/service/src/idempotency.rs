//! `Idempotency-Key`: one mechanism for every request that moves money or
//! fulfils an order. The first request with a caller's key claims it in the
//! database (a unique key, so it holds across instances and restarts), does
//! the work and stores its answer; a retry with the same request gets that
//! answer again without the work; another request with the key is
//! `idempotency.mismatch` (422). While the first is still running, a retry is
//! `idempotency.in_progress` (409) and may be sent again later. A request
//! that fails does nothing and releases the key, so only successes are
//! replayed. Keys live 24 hours.

use crate::crypto::sha256_hex;
use crate::{ServiceError, ServiceResult};
use bilim_domain::idempotency::{KeyClaim, StoredAnswer};
use bilim_domain::ports::{Clock, IdempotencyStore};
use bilim_domain::values::IdempotencyKey;
use std::sync::Arc;

/// How long a key is remembered.
pub const KEY_LIFETIME: chrono::Duration = chrono::Duration::hours(24);

#[derive(Clone)]
pub struct Idempotency {
    store: Arc<dyn IdempotencyStore>,
    clock: Arc<dyn Clock>,
}

impl Idempotency {
    pub fn new(store: Arc<dyn IdempotencyStore>, clock: Arc<dyn Clock>) -> Self {
        Self { store, clock }
    }

    /// Runs `op` once per `caller` and `key`: its answer, or the stored
    /// answer of the first request with the same `request` (the bytes that
    /// say what was asked: route and body).
    pub async fn run<F, Fut>(
        &self,
        caller: &str,
        key: &IdempotencyKey,
        request: &[u8],
        op: F,
    ) -> ServiceResult<Replayable>
    where
        F: FnOnce() -> Fut,
        Fut: Future<Output = ServiceResult<StoredAnswer>>,
    {
        let fingerprint = sha256_hex(request);
        let now = self.clock.now();
        let claim = self
            .store
            .claim(caller, key.as_str(), &fingerprint, now, now + KEY_LIFETIME)
            .await?;
        match claim {
            KeyClaim::Claimed => {}
            KeyClaim::Answered(answer) => return Ok(Replayable::replayed(answer)),
            KeyClaim::InProgress => {
                return Err(ServiceError::Conflict {
                    code: "idempotency.in_progress",
                    message: "A request with this Idempotency-Key is still being answered; send it again shortly.".into(),
                });
            }
            KeyClaim::Mismatch => {
                return Err(ServiceError::Unprocessable {
                    code: "idempotency.mismatch",
                    message: "This Idempotency-Key was used for another request.".into(),
                });
            }
        }
        match op().await {
            Ok(answer) => {
                // Not stored: the key stays claimed, so a retry is told
                // `in_progress` until it expires, and the work is never redone.
                if let Err(error) = self.store.answer(caller, key.as_str(), &answer).await {
                    tracing::warn!(%error, "idempotent answer not stored");
                }
                Ok(Replayable {
                    answer,
                    replayed: false,
                })
            }
            Err(error) => {
                if let Err(release) = self.store.release(caller, key.as_str()).await {
                    tracing::warn!(error = %release, "idempotency key not released");
                }
                Err(error)
            }
        }
    }
}

/// An answer, and whether it is a stored one sent again.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Replayable {
    pub answer: StoredAnswer,
    pub replayed: bool,
}

impl Replayable {
    fn replayed(answer: StoredAnswer) -> Self {
        Self {
            answer,
            replayed: true,
        }
    }
}
