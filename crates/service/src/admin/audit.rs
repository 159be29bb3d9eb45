//! Recording and reading the audit log. A change and its entry are written
//! in one transaction: `Auditor::audited` builds the entry and hands it to the
//! operation, which passes it to the port that makes the change.

use crate::ServiceResult;
use crate::paging::{Page, PageRequest, page};
use bilim_domain::admins::Admin;
use bilim_domain::ports::{AuditEntry, AuditLog, AuditQuery, Clock};
use std::net::IpAddr;
use std::sync::Arc;
use uuid::Uuid;

/// Who acts, from where: every change is audited with both.
#[derive(Debug, Clone, Copy)]
pub struct Actor<'a> {
    pub admin: &'a Admin,
    pub ip: IpAddr,
}

#[derive(Clone)]
pub struct Auditor {
    pub(crate) log: Arc<dyn AuditLog>,
    pub(crate) clock: Arc<dyn Clock>,
}

impl Auditor {
    pub fn new(log: Arc<dyn AuditLog>, clock: Arc<dyn Clock>) -> Self {
        Self { log, clock }
    }

    /// Runs `op` with the entry that records `action` on `target` (a kind such
    /// as `course` and an id) with `details`. `op` passes the entry to the
    /// port that makes the change, which writes both in one transaction: the
    /// change is never committed unrecorded, nor the record without it.
    pub async fn audited<T, F, Fut>(
        &self,
        actor: &Actor<'_>,
        action: &str,
        target: (&str, String),
        details: serde_json::Value,
        op: F,
    ) -> ServiceResult<T>
    where
        F: FnOnce(AuditEntry) -> Fut,
        Fut: Future<Output = ServiceResult<T>>,
    {
        let entry = self.entry(actor, action, target, details);
        let target_id = entry.target_id.clone();
        let done = op(entry).await?;
        tracing::info!(admin = %actor.admin.id, action, %target_id, "audited");
        Ok(done)
    }

    fn entry(
        &self,
        actor: &Actor<'_>,
        action: &str,
        target: (&str, String),
        details: serde_json::Value,
    ) -> AuditEntry {
        AuditEntry {
            id: Uuid::now_v7(),
            admin_id: actor.admin.id,
            action: action.to_owned(),
            target_type: target.0.to_owned(),
            target_id: target.1,
            details: details.to_string(),
            ip: Some(actor.ip.to_string()),
            at: self.clock.now(),
        }
    }

    pub async fn list(
        &self,
        admin_id: Option<Uuid>,
        target_id: Option<String>,
        request: &PageRequest,
    ) -> ServiceResult<Page<AuditEntry>> {
        let limit = request.limit()?;
        let query = AuditQuery {
            admin_id,
            target_id,
            after: request.after()?,
            limit: limit + 1,
        };
        Ok(page(self.log.list(&query).await?, limit, |e| e.id))
    }
}
