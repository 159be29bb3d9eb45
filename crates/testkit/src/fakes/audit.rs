//! An `AuditLog` in memory: the entries recorded on their own (user and
//! admin management). Catalogue changes hand their entry to the writer
//! instead, so a test can check this log stays empty for them.

use async_trait::async_trait;
use bilim_domain::DomainResult;
use bilim_domain::ports::{AuditEntry, AuditLog, AuditQuery};
use std::sync::{Mutex, MutexGuard, PoisonError};

#[derive(Default)]
pub struct InMemoryAuditLog {
    entries: Mutex<Vec<AuditEntry>>,
}

impl InMemoryAuditLog {
    pub fn new() -> Self {
        Self::default()
    }

    /// Every entry recorded, oldest first.
    pub fn entries(&self) -> Vec<AuditEntry> {
        self.lock().clone()
    }

    fn lock(&self) -> MutexGuard<'_, Vec<AuditEntry>> {
        self.entries.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

#[async_trait]
impl AuditLog for InMemoryAuditLog {
    async fn record(&self, entry: &AuditEntry) -> DomainResult<()> {
        self.lock().push(entry.clone());
        Ok(())
    }

    /// Newest first (ids are UUID v7, ordered by time), after `query.after`.
    async fn list(&self, query: &AuditQuery) -> DomainResult<Vec<AuditEntry>> {
        let mut entries: Vec<AuditEntry> = self
            .lock()
            .iter()
            .filter(|e| query.admin_id.is_none_or(|id| e.admin_id == id))
            .filter(|e| query.target_id.as_ref().is_none_or(|id| &e.target_id == id))
            .filter(|e| query.after.is_none_or(|after| e.id < after))
            .cloned()
            .collect();
        entries.sort_by_key(|e| std::cmp::Reverse(e.id));
        entries.truncate(usize::try_from(query.limit).unwrap_or(usize::MAX));
        Ok(entries)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use uuid::Uuid;

    fn entry(admin_id: Uuid, target_id: &str) -> AuditEntry {
        AuditEntry {
            id: Uuid::now_v7(),
            admin_id,
            action: "user.update".into(),
            target_type: "user".into(),
            target_id: target_id.into(),
            details: "{}".into(),
            ip: None,
            at: chrono::Utc::now(),
        }
    }

    #[tokio::test]
    async fn lists_newest_first_with_filters_and_keyset() -> DomainResult<()> {
        let log = InMemoryAuditLog::new();
        let admin = Uuid::now_v7();
        let (a, b, c) = (
            entry(admin, "1"),
            entry(admin, "2"),
            entry(Uuid::nil(), "1"),
        );
        for e in [&a, &b, &c] {
            log.record(e).await?;
        }
        let mine = AuditQuery {
            admin_id: Some(admin),
            limit: 10,
            ..AuditQuery::default()
        };
        assert_eq!(log.list(&mine).await?, vec![b.clone(), a.clone()]);
        let older = AuditQuery {
            after: Some(b.id),
            ..mine
        };
        assert_eq!(log.list(&older).await?, vec![a]);
        let of_one = AuditQuery {
            target_id: Some("1".into()),
            limit: 1,
            ..AuditQuery::default()
        };
        assert_eq!(log.list(&of_one).await?, vec![c]);
        Ok(())
    }
}
