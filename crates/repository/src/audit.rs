//! `AuditLog` on sea-orm. Entries are only ever inserted; ids are UUID v7, so
//! `ORDER BY id DESC` is newest first and `id < after` a keyset page, each
//! filter served by its `(column, id)` index.
//!
//! An admin change writes its entry in its own transaction through
//! `insert_entry`, the one statement that inserts an entry anywhere.

use crate::database::{Database, db_error};
use crate::entities::audit_log::{self, Column};
use async_trait::async_trait;
use bilim_domain::ports::{AuditEntry, AuditLog, AuditQuery};
use bilim_domain::{DomainError, DomainResult};
use sea_orm::ActiveValue::Set;
use sea_orm::{
    ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect, SqlErr,
};

pub struct SeaAuditLog {
    db: Database,
}

impl SeaAuditLog {
    pub fn new(db: Database) -> Self {
        Self { db }
    }
}

impl From<&AuditEntry> for audit_log::ActiveModel {
    fn from(entry: &AuditEntry) -> Self {
        Self {
            id: Set(entry.id),
            admin_id: Set(entry.admin_id),
            action: Set(entry.action.clone()),
            target_type: Set(entry.target_type.clone()),
            target_id: Set(entry.target_id.clone()),
            details: Set(entry.details.clone()),
            ip: Set(entry.ip.clone()),
            at: Set(entry.at.fixed_offset()),
        }
    }
}

impl From<audit_log::Model> for AuditEntry {
    fn from(row: audit_log::Model) -> Self {
        Self {
            id: row.id,
            admin_id: row.admin_id,
            action: row.action,
            target_type: row.target_type,
            target_id: row.target_id,
            details: row.details,
            ip: row.ip,
            at: row.at.to_utc(),
        }
    }
}

/// Inserts `entry` on `conn`: the pool, or the transaction of the
/// change it records, so both commit or neither does. An unknown `admin_id`
/// breaks the foreign key: a bug, so `Internal`.
pub(crate) async fn insert_entry<C: ConnectionTrait>(
    conn: &C,
    entry: &AuditEntry,
) -> DomainResult<()> {
    audit_log::Entity::insert(audit_log::ActiveModel::from(entry))
        .exec_without_returning(conn)
        .await
        .map_err(|error| {
            if let Some(SqlErr::ForeignKeyConstraintViolation(_)) = error.sql_err() {
                return DomainError::internal(format!(
                    "audit entry {} names an unknown admin {}",
                    entry.id, entry.admin_id
                ));
            }
            match db_error(error) {
                DomainError::Conflict { .. } => DomainError::Conflict {
                    what: "audit_entry".to_owned(),
                },
                other => other,
            }
        })?;
    Ok(())
}

#[async_trait]
impl AuditLog for SeaAuditLog {
    #[tracing::instrument(skip(self, entry), fields(audit.id = %entry.id, audit.action = %entry.action))]
    async fn record(&self, entry: &AuditEntry) -> DomainResult<()> {
        insert_entry(self.db.connection(), entry).await
    }

    #[tracing::instrument(skip(self))]
    async fn list(&self, query: &AuditQuery) -> DomainResult<Vec<AuditEntry>> {
        if query.limit == 0 {
            return Ok(Vec::new());
        }
        let mut select = audit_log::Entity::find();
        if let Some(admin_id) = query.admin_id {
            select = select.filter(Column::AdminId.eq(admin_id));
        }
        if let Some(target_id) = &query.target_id {
            select = select.filter(Column::TargetId.eq(target_id.as_str()));
        }
        if let Some(after) = query.after {
            select = select.filter(Column::Id.lt(after));
        }
        let rows = select
            .order_by_desc(Column::Id)
            .limit(query.limit)
            .all(self.db.connection())
            .await
            .map_err(db_error)?;
        Ok(rows.into_iter().map(AuditEntry::from).collect())
    }
}
