//! An `IdempotencyStore` in memory: one claim per caller and key, answers
//! kept until the key expires, releases of unanswered claims.

use async_trait::async_trait;
use bilim_domain::DomainResult;
use bilim_domain::idempotency::{KeyClaim, StoredAnswer};
use bilim_domain::ports::IdempotencyStore;
use chrono::{DateTime, Utc};
use std::collections::HashMap;
use std::sync::{Mutex, PoisonError};

struct Row {
    fingerprint: String,
    answer: Option<StoredAnswer>,
    expires_at: DateTime<Utc>,
}

#[derive(Default)]
pub struct InMemoryIdempotencyStore {
    rows: Mutex<HashMap<(String, String), Row>>,
}

impl InMemoryIdempotencyStore {
    pub fn new() -> Self {
        Self::default()
    }
}

#[async_trait]
impl IdempotencyStore for InMemoryIdempotencyStore {
    async fn claim(
        &self,
        caller: &str,
        key: &str,
        fingerprint: &str,
        now: DateTime<Utc>,
        expires_at: DateTime<Utc>,
    ) -> DomainResult<KeyClaim> {
        let mut rows = self.rows.lock().unwrap_or_else(PoisonError::into_inner);
        let id = (caller.to_owned(), key.to_owned());
        match rows.get(&id) {
            Some(row) if row.expires_at > now => Ok(if row.fingerprint != fingerprint {
                KeyClaim::Mismatch
            } else if let Some(answer) = &row.answer {
                KeyClaim::Answered(answer.clone())
            } else {
                KeyClaim::InProgress
            }),
            _ => {
                rows.insert(
                    id,
                    Row {
                        fingerprint: fingerprint.to_owned(),
                        answer: None,
                        expires_at,
                    },
                );
                Ok(KeyClaim::Claimed)
            }
        }
    }

    async fn answer(&self, caller: &str, key: &str, answer: &StoredAnswer) -> DomainResult<()> {
        let mut rows = self.rows.lock().unwrap_or_else(PoisonError::into_inner);
        if let Some(row) = rows.get_mut(&(caller.to_owned(), key.to_owned())) {
            row.answer = Some(answer.clone());
        }
        Ok(())
    }

    async fn release(&self, caller: &str, key: &str) -> DomainResult<()> {
        let mut rows = self.rows.lock().unwrap_or_else(PoisonError::into_inner);
        let id = (caller.to_owned(), key.to_owned());
        if rows.get(&id).is_some_and(|row| row.answer.is_none()) {
            rows.remove(&id);
        }
        Ok(())
    }
}
