//! `AccessRepository` on sea-orm: grants (`courses_open_users`) and what the
//! expiry job reads and marks.
//!
//! A grant is one `begin_write` transaction: its courses are share-locked
//! (`FOR SHARE` on PostgreSQL) in id order, then each grant is upserted on
//! `courses_open_users_user_id_course_id_key` (`access/upsert.rs`: the upsert
//! itself decides the new end, so a repeat never shortens access), then the
//! claims of the courses are opened (`claims::open_claims_of_grants`), then
//! the audit entry is written. The catalogue writer locks a course `FOR UPDATE` to add a workbook
//! or the certificate, so the two never miss each other. A revocation and its
//! audit entry are one transaction too. Marks are single conditional
//! `UPDATE`s: of concurrent callers one wins.

mod upsert;

use super::claims::{self, GrantsOf};
use super::mapping::{CertificateClaimRow, CourseAccessRow, NoticeRow, WorkbookClaimRow};
use crate::audit::insert_entry;
use crate::catalogue::{exists, write_error};
use crate::database::{Database, db_error};
use crate::entities::{
    certificate_open_user, courses, courses_open_users, user_take_workbook, users,
};
use async_trait::async_trait;
use bilim_domain::learning::{
    AccessNotice, CertificateClaim, CourseAccess, Grant, GrantTerm, Holdings, WorkbookClaim,
};
use bilim_domain::ports::{AccessRepository, AuditEntry, NoticeKind};
use bilim_domain::{DomainError, DomainResult};
use chrono::{DateTime, Utc};
use sea_orm::prelude::DateTimeWithTimeZone;
use sea_orm::sea_query::{Expr, LockType};
use sea_orm::{
    ColumnTrait, ConnectionTrait, DatabaseTransaction, EntityTrait, JoinType, QueryFilter,
    QueryOrder, QuerySelect, RelationTrait, Select,
};
use std::collections::HashMap;
use uuid::Uuid;

use courses_open_users::Column;

pub struct SeaAccessRepository {
    db: Database,
}

impl SeaAccessRepository {
    pub fn new(db: Database) -> Self {
        Self { db }
    }

    /// `UPDATE courses_open_users SET <mark> = :now WHERE id = ? AND <mark> IS
    /// NULL AND expires_at = ? AND revoked_at IS NULL`: `true` when it changed
    /// the row.
    async fn mark(
        &self,
        grant_id: Uuid,
        mark: Column,
        expires_at: DateTime<Utc>,
        now: DateTime<Utc>,
    ) -> DomainResult<bool> {
        let result = courses_open_users::Entity::update_many()
            .col_expr(mark, Expr::value(now.fixed_offset()))
            .filter(Column::Id.eq(grant_id))
            .filter(mark.is_null())
            .filter(Column::ExpiresAt.eq(expires_at.fixed_offset()))
            .filter(Column::RevokedAt.is_null())
            .exec(self.db.connection())
            .await
            .map_err(db_error)?;
        Ok(result.rows_affected == 1)
    }
}

fn mark_column(notice: NoticeKind) -> Column {
    match notice {
        NoticeKind::Reminder => Column::RemindedAt,
        NoticeKind::Expiry => Column::ExpiredNotifiedAt,
    }
}

/// The user's grant on the course, on the pool or in a transaction.
async fn find_grant<C: ConnectionTrait>(
    connection: &C,
    user_id: Uuid,
    course_id: Uuid,
) -> DomainResult<Option<courses_open_users::Model>> {
    courses_open_users::Entity::find()
        .filter(Column::UserId.eq(user_id))
        .filter(Column::CourseId.eq(course_id))
        .one(connection)
        .await
        .map_err(db_error)
}

/// Grants with their course's title (`CourseAccessRow`); the caller filters.
fn course_accesses() -> Select<courses_open_users::Entity> {
    courses_open_users::Entity::find()
        .select_only()
        .columns([
            Column::Id,
            Column::UserId,
            Column::CourseId,
            Column::OpenedAt,
            Column::ExpiresAt,
            Column::RevokedAt,
            Column::GrantedBy,
        ])
        .column_as(courses::Column::Title, "course_title")
        .join(
            JoinType::InnerJoin,
            courses_open_users::Relation::Courses.def(),
        )
}

/// Grants with their user's address and course title (`NoticeRow`), not
/// revoked, soonest expiry first; the caller adds its condition (the partial
/// indexes `courses_open_users_due_*_idx` serve it).
fn notices(limit: u64) -> Select<courses_open_users::Entity> {
    courses_open_users::Entity::find()
        .select_only()
        .column_as(Column::Id, "grant_id")
        .column(Column::UserId)
        .column(users::Column::Email)
        .column(users::Column::FirstName)
        .column_as(courses::Column::Title, "course_title")
        .column(Column::ExpiresAt)
        .join(
            JoinType::InnerJoin,
            courses_open_users::Relation::Users.def(),
        )
        .join(
            JoinType::InnerJoin,
            courses_open_users::Relation::Courses.def(),
        )
        .filter(Column::RevokedAt.is_null())
        .order_by_asc(Column::ExpiresAt)
        .order_by_asc(Column::Id)
        .limit(limit)
}

/// A grant's rows, in the caller's transaction (an admin's grant, or an order
/// completed): the courses share-locked in id order (`NotFound` for an unknown
/// one), each grant upserted, the courses' claims opened. The caller writes
/// its audit entry and commits. Returns the rows of the granted courses.
pub(crate) async fn grant_in(
    txn: &DatabaseTransaction,
    user_id: Uuid,
    terms: &[GrantTerm],
    granted_by: Option<Uuid>,
    now: DateTime<Utc>,
) -> DomainResult<Vec<courses_open_users::Model>> {
    let last_terms: HashMap<Uuid, &GrantTerm> =
        terms.iter().map(|term| (term.course_id, term)).collect();
    let mut course_ids: Vec<Uuid> = last_terms.keys().copied().collect();
    course_ids.sort_unstable();

    for &course_id in &course_ids {
        if !exists::<courses::Entity>(txn, course_id, LockType::Share).await? {
            return Err(DomainError::NotFound);
        }
    }
    for course_id in &course_ids {
        upsert::upsert_grant(user_id, last_terms[course_id], granted_by, now)
            .exec_without_returning(txn)
            .await
            .map_err(write_error)?;
    }
    let rows = courses_open_users::Entity::find()
        .filter(Column::UserId.eq(user_id))
        .filter(Column::CourseId.is_in(course_ids.iter().copied()))
        .all(txn)
        .await
        .map_err(db_error)?;
    claims::open_claims_of_grants(
        txn,
        GrantsOf {
            users: &[user_id],
            courses: Some(&course_ids),
        },
        now,
    )
    .await?;
    Ok(rows)
}

/// Sets `revoked_at` of the user's grant on the course, in the caller's
/// transaction; `false` when there was none not yet revoked.
pub(crate) async fn revoke_in(
    txn: &DatabaseTransaction,
    user_id: Uuid,
    course_id: Uuid,
    now: DateTime<Utc>,
) -> DomainResult<bool> {
    let at = now.fixed_offset();
    let changed = courses_open_users::Entity::update_many()
        .col_expr(Column::RevokedAt, Expr::value(at))
        .col_expr(Column::UpdatedAt, Expr::value(at))
        .filter(Column::UserId.eq(user_id))
        .filter(Column::CourseId.eq(course_id))
        .filter(Column::RevokedAt.is_null())
        .exec(txn)
        .await
        .map_err(db_error)?
        .rows_affected;
    Ok(changed > 0)
}

#[async_trait]
impl AccessRepository for SeaAccessRepository {
    /// Courses are locked and written in id order (whatever the order of
    /// `terms`), so two grants sharing courses cannot deadlock. A course named
    /// twice gets the expiry of its last term. An unknown user or admin is
    /// `NotFound` too (a foreign key violation). No terms: nothing to change,
    /// nothing written (not even the entry).
    #[tracing::instrument(skip(self, terms, audit), fields(terms = terms.len()))]
    async fn grant(
        &self,
        user_id: Uuid,
        terms: &[GrantTerm],
        granted_by: Uuid,
        now: DateTime<Utc>,
        audit: &AuditEntry,
    ) -> DomainResult<Vec<Grant>> {
        if terms.is_empty() {
            return Ok(Vec::new());
        }
        let txn = self.db.begin_write().await?;
        let rows = grant_in(&txn, user_id, terms, Some(granted_by), now).await?;
        insert_entry(&txn, audit).await?;
        txn.commit().await.map_err(db_error)?;

        let grants: HashMap<Uuid, Grant> = rows
            .into_iter()
            .map(|row| (row.course_id, Grant::from(row)))
            .collect();
        terms
            .iter()
            .map(|term| {
                grants
                    .get(&term.course_id)
                    .cloned()
                    .ok_or_else(|| DomainError::internal("grant not found after its upsert"))
            })
            .collect()
    }

    /// A repeat keeps the first `revoked_at` and is audited too: the admin
    /// asked for it. Without a grant the transaction is dropped unwritten.
    #[tracing::instrument(skip(self, audit))]
    async fn revoke(
        &self,
        user_id: Uuid,
        course_id: Uuid,
        now: DateTime<Utc>,
        audit: &AuditEntry,
    ) -> DomainResult<()> {
        let txn = self.db.begin_write().await?;
        if !revoke_in(&txn, user_id, course_id, now).await?
            && find_grant(&txn, user_id, course_id).await?.is_none()
        {
            return Err(DomainError::NotFound);
        }
        insert_entry(&txn, audit).await?;
        txn.commit().await.map_err(db_error)
    }

    #[tracing::instrument(skip(self))]
    async fn grant_of(&self, user_id: Uuid, course_id: Uuid) -> DomainResult<Option<Grant>> {
        let row = find_grant(self.db.connection(), user_id, course_id).await?;
        Ok(row.map(Grant::from))
    }

    /// Three queries, whatever the user holds: grants ⋈ courses, workbook
    /// claims ⋈ workbooks, certificate claims ⋈ certificates. Revoked and
    /// expired grants are listed too (with their claims): `Grant::state` tells.
    #[tracing::instrument(skip(self))]
    async fn holdings(&self, user_id: Uuid) -> DomainResult<Holdings> {
        let connection = self.db.connection();
        let courses: Vec<CourseAccess> = course_accesses()
            .filter(Column::UserId.eq(user_id))
            .order_by_desc(Column::OpenedAt)
            .order_by_desc(Column::Id)
            .into_model::<CourseAccessRow>()
            .all(connection)
            .await
            .map_err(db_error)?
            .into_iter()
            .map(CourseAccess::from)
            .collect();
        let workbooks: Vec<WorkbookClaim> = claims::workbook_claims()
            .filter(user_take_workbook::Column::UserId.eq(user_id))
            .into_model::<WorkbookClaimRow>()
            .all(connection)
            .await
            .map_err(db_error)?
            .into_iter()
            .map(WorkbookClaim::from)
            .collect();
        let certificates: Vec<CertificateClaim> = claims::certificate_claims()
            .filter(certificate_open_user::Column::UserId.eq(user_id))
            .into_model::<CertificateClaimRow>()
            .all(connection)
            .await
            .map_err(db_error)?
            .into_iter()
            .map(CertificateClaim::from)
            .collect();
        Ok(Holdings {
            courses,
            workbooks,
            certificates,
        })
    }

    #[tracing::instrument(skip(self))]
    async fn due_reminders(
        &self,
        now: DateTime<Utc>,
        until: DateTime<Utc>,
        limit: u64,
    ) -> DomainResult<Vec<AccessNotice>> {
        let rows = notices(limit)
            .filter(Column::RemindedAt.is_null())
            .filter(Column::ExpiresAt.gt(now.fixed_offset()))
            .filter(Column::ExpiresAt.lte(until.fixed_offset()))
            .into_model::<NoticeRow>()
            .all(self.db.connection())
            .await
            .map_err(db_error)?;
        Ok(rows.into_iter().map(AccessNotice::from).collect())
    }

    #[tracing::instrument(skip(self))]
    async fn mark_reminded(
        &self,
        grant_id: Uuid,
        expires_at: DateTime<Utc>,
        now: DateTime<Utc>,
    ) -> DomainResult<bool> {
        self.mark(grant_id, Column::RemindedAt, expires_at, now)
            .await
    }

    #[tracing::instrument(skip(self))]
    async fn due_expiries(
        &self,
        now: DateTime<Utc>,
        limit: u64,
    ) -> DomainResult<Vec<AccessNotice>> {
        let rows = notices(limit)
            .filter(Column::ExpiredNotifiedAt.is_null())
            .filter(Column::ExpiresAt.lte(now.fixed_offset()))
            .into_model::<NoticeRow>()
            .all(self.db.connection())
            .await
            .map_err(db_error)?;
        Ok(rows.into_iter().map(AccessNotice::from).collect())
    }

    #[tracing::instrument(skip(self))]
    async fn mark_expired(
        &self,
        grant_id: Uuid,
        expires_at: DateTime<Utc>,
        now: DateTime<Utc>,
    ) -> DomainResult<bool> {
        self.mark(grant_id, Column::ExpiredNotifiedAt, expires_at, now)
            .await
    }

    /// A grant that is gone (its user deleted) has nothing to undo: `Ok`.
    #[tracing::instrument(skip(self))]
    async fn clear_notice_mark(&self, grant_id: Uuid, notice: NoticeKind) -> DomainResult<()> {
        courses_open_users::Entity::update_many()
            .col_expr(
                mark_column(notice),
                Expr::value(Option::<DateTimeWithTimeZone>::None),
            )
            .filter(Column::Id.eq(grant_id))
            .exec(self.db.connection())
            .await
            .map_err(db_error)?;
        Ok(())
    }
}
