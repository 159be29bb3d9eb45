//! `CatalogueWriter` on sea-orm. Every change is one `begin_write` transaction
//! that ends by inserting the caller's audit entry (`crate::audit::
//! insert_entry`) and committing: the change and its entry are committed
//! together or not at all, and a refused change writes no entry.
//!
//! The trait's methods below only open the transaction, call the part that
//! does the work and commit with the entry:
//!
//! - `references.rs`: checks of referenced rows and the mapping of refused
//!   writes (`NotFound`, `Invalid` with the field, foreign key violations);
//! - `directions.rs`, `courses.rs`: directions (one numbering over the table,
//!   serialised by a table lock on PostgreSQL) and courses;
//! - `outline.rs`: modules and lessons, one implementation for both levels;
//! - `files.rs`: a lesson's video (through `videos.rs`), workbooks and the
//!   certificate.
//!
//! The audit entry is the last row the transaction writes, after every lock of
//! the change itself, so the locking order of a change is what it was without
//! it (the revision trigger's bump still comes after it, at commit).

mod courses;
mod directions;
mod files;
mod outline;
mod references;

pub(crate) use references::{exists, write_error};

use crate::audit::insert_entry;
use crate::database::{Database, db_error};
use async_trait::async_trait;
use bilim_domain::DomainResult;
use bilim_domain::catalogue::{
    Certificate, Course, CoursePatch, Direction, DirectionPatch, NewCourse, NewDirection,
    NewOutlineItem, OutlineItem, OutlineLevel, OutlinePatch, VideoSource, Workbook,
};
use bilim_domain::ports::{AuditEntry, CatalogueWriter};
use bilim_domain::values::Title;
use chrono::{DateTime, Utc};
use sea_orm::DatabaseTransaction;
use uuid::Uuid;

pub struct SeaCatalogueWriter {
    db: Database,
}

impl SeaCatalogueWriter {
    pub fn new(db: Database) -> Self {
        Self { db }
    }
}

/// Writes `audit`, the entry recording what `txn` changed, and commits both.
async fn commit(txn: DatabaseTransaction, audit: &AuditEntry) -> DomainResult<()> {
    insert_entry(&txn, audit).await?;
    txn.commit().await.map_err(db_error)
}

#[async_trait]
impl CatalogueWriter for SeaCatalogueWriter {
    #[tracing::instrument(skip(self, new, audit), fields(audit.id = %audit.id))]
    async fn create_direction(
        &self,
        id: Uuid,
        new: NewDirection,
        now: DateTime<Utc>,
        audit: &AuditEntry,
    ) -> DomainResult<Direction> {
        let txn = self.db.begin_write().await?;
        let direction = directions::create(&txn, id, new, now).await?;
        commit(txn, audit).await?;
        Ok(direction)
    }

    #[tracing::instrument(skip(self, patch, audit), fields(audit.id = %audit.id))]
    async fn update_direction(
        &self,
        id: Uuid,
        patch: DirectionPatch,
        now: DateTime<Utc>,
        audit: &AuditEntry,
    ) -> DomainResult<Direction> {
        let txn = self.db.begin_write().await?;
        let direction = directions::update(&txn, id, patch, now).await?;
        commit(txn, audit).await?;
        Ok(direction)
    }

    #[tracing::instrument(skip(self, audit), fields(audit.id = %audit.id))]
    async fn delete_direction(&self, id: Uuid, audit: &AuditEntry) -> DomainResult<()> {
        let txn = self.db.begin_write().await?;
        directions::delete(&txn, id).await?;
        commit(txn, audit).await
    }

    #[tracing::instrument(skip(self, new, audit), fields(audit.id = %audit.id))]
    async fn create_course(
        &self,
        id: Uuid,
        new: NewCourse,
        now: DateTime<Utc>,
        audit: &AuditEntry,
    ) -> DomainResult<Course> {
        let txn = self.db.begin_write().await?;
        let course = courses::create(&txn, id, new, now).await?;
        commit(txn, audit).await?;
        Ok(course)
    }

    #[tracing::instrument(skip(self, patch, audit), fields(audit.id = %audit.id))]
    async fn update_course(
        &self,
        id: Uuid,
        patch: CoursePatch,
        now: DateTime<Utc>,
        audit: &AuditEntry,
    ) -> DomainResult<Course> {
        let txn = self.db.begin_write().await?;
        let course = courses::update(&txn, id, patch, now).await?;
        commit(txn, audit).await?;
        Ok(course)
    }

    #[tracing::instrument(skip(self, audit), fields(audit.id = %audit.id))]
    async fn delete_course(&self, id: Uuid, audit: &AuditEntry) -> DomainResult<Vec<String>> {
        let txn = self.db.begin_write().await?;
        let keys = courses::delete(&txn, id).await?;
        commit(txn, audit).await?;
        Ok(keys)
    }

    #[tracing::instrument(skip(self, new, audit), fields(audit.id = %audit.id))]
    async fn create_outline(
        &self,
        level: OutlineLevel,
        id: Uuid,
        parent_id: Uuid,
        new: NewOutlineItem,
        audit: &AuditEntry,
    ) -> DomainResult<OutlineItem> {
        let txn = self.db.begin_write().await?;
        let item = outline::create(level, &txn, id, parent_id, new).await?;
        commit(txn, audit).await?;
        Ok(item)
    }

    #[tracing::instrument(skip(self, patch, audit), fields(audit.id = %audit.id))]
    async fn update_outline(
        &self,
        level: OutlineLevel,
        id: Uuid,
        patch: OutlinePatch,
        audit: &AuditEntry,
    ) -> DomainResult<OutlineItem> {
        let txn = self.db.begin_write().await?;
        let item = outline::update(level, &txn, id, patch).await?;
        commit(txn, audit).await?;
        Ok(item)
    }

    #[tracing::instrument(skip(self, audit), fields(audit.id = %audit.id))]
    async fn delete_outline(
        &self,
        level: OutlineLevel,
        id: Uuid,
        audit: &AuditEntry,
    ) -> DomainResult<Vec<String>> {
        let txn = self.db.begin_write().await?;
        let keys = outline::delete(level, &txn, id).await?;
        commit(txn, audit).await?;
        Ok(keys)
    }

    #[tracing::instrument(skip(self, source, audit), fields(audit.id = %audit.id))]
    async fn set_video(
        &self,
        lesson_id: Uuid,
        source: VideoSource,
        duration_seconds: i32,
        audit: &AuditEntry,
    ) -> DomainResult<Option<String>> {
        let txn = self.db.begin_write().await?;
        let replaced = files::set_video(&txn, lesson_id, source, duration_seconds).await?;
        commit(txn, audit).await?;
        Ok(replaced)
    }

    #[tracing::instrument(
        skip(self, workbook, audit),
        fields(workbook.id = %workbook.id, audit.id = %audit.id)
    )]
    async fn create_workbook(&self, workbook: &Workbook, audit: &AuditEntry) -> DomainResult<()> {
        let txn = self.db.begin_write().await?;
        files::create_workbook(&txn, workbook).await?;
        commit(txn, audit).await
    }

    #[tracing::instrument(skip(self, audit), fields(audit.id = %audit.id))]
    async fn delete_workbook(&self, id: Uuid, audit: &AuditEntry) -> DomainResult<String> {
        let txn = self.db.begin_write().await?;
        let key = files::delete_workbook(&txn, id).await?;
        commit(txn, audit).await?;
        Ok(key)
    }

    #[tracing::instrument(skip(self, title, audit), fields(audit.id = %audit.id))]
    async fn put_certificate(
        &self,
        course_id: Uuid,
        title: &Title,
        audit: &AuditEntry,
    ) -> DomainResult<Certificate> {
        let txn = self.db.begin_write().await?;
        let certificate = files::put_certificate(&txn, course_id, title).await?;
        commit(txn, audit).await?;
        Ok(certificate)
    }
}
