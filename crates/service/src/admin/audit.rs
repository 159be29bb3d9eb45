//! Recording and reading the audit log.

use crate::ServiceResult;
use crate::paging::{Page, PageRequest, page};
use bilim_domain::admins::Admin;
use bilim_domain::ports::{AuditEntry, AuditLog, AuditQuery, Clock};
use std::net::IpAddr;
use std::sync::Arc;
use uuid::Uuid;

#[derive(Clone)]
pub struct Auditor {
    pub(crate) log: Arc<dyn AuditLog>,
    pub(crate) clock: Arc<dyn Clock>,
}

impl Auditor {
    /// Records that `admin` did `action` to `target`. A failure is an error for
    /// the caller: an admin change must not go unrecorded silently.
    pub async fn record(
        &self,
        admin: &Admin,
        action: &str,
        target: (&str, String),
        details: serde_json::Value,
        ip: Option<IpAddr>,
    ) -> ServiceResult<()> {
        let entry = AuditEntry {
            id: Uuid::now_v7(),
            admin_id: admin.id,
            action: action.to_owned(),
            target_type: target.0.to_owned(),
            target_id: target.1,
            details: details.to_string(),
            ip: ip.map(|ip| ip.to_string()),
            at: self.clock.now(),
        };
        self.log.record(&entry).await?;
        tracing::info!(admin = %admin.id, action, target_id = %entry.target_id, "audited");
        Ok(())
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
