//! `ClaimRepository` on sea-orm, and with `opening.rs` every statement on
//! `user_take_workbook` and `certificate_open_user`: `opening.rs` opens the
//! claims of a grant or of a new workbook or certificate, in the caller's
//! transaction; this file reads, takes, claims and resets them.
//!
//! Taking and claiming are one conditional `UPDATE … WHERE available = true`
//! each: of concurrent callers exactly one changes the row (PostgreSQL
//! re-checks the condition after waiting for the row lock; SQLite runs one
//! writer at a time). An admin reset and its audit entry are one
//! `begin_write` transaction.

mod opening;

pub(crate) use opening::{
    GrantsOf, open_certificate_to_holders, open_claims_of_grants, open_workbook_to_holders,
};

use super::mapping::{CertificateClaimRow, WorkbookClaimRow};
use crate::audit::insert_entry;
use crate::catalogue::write_error;
use crate::database::{Database, db_error};
use crate::entities::{certificate_open_user, certificates, user_take_workbook, workbooks};
use async_trait::async_trait;
use bilim_domain::learning::{CertificateClaim, IssuedCertificate, WorkbookClaim};
use bilim_domain::ports::{AuditEntry, ClaimRepository};
use bilim_domain::{DomainError, DomainResult};
use chrono::{DateTime, Utc};
use sea_orm::sea_query::{Expr, Func, Query};
use sea_orm::{
    ColumnTrait, ConnectionTrait, DbErr, EntityTrait, FromQueryResult, JoinType, QueryFilter,
    QueryOrder, QuerySelect, RelationTrait, Select, UpdateMany,
};
use uuid::Uuid;

pub struct SeaClaimRepository {
    db: Database,
}

impl SeaClaimRepository {
    pub fn new(db: Database) -> Self {
        Self { db }
    }

    /// An admin reset: `update` (of the user's one claim) and `audit` in one
    /// `begin_write` transaction. No claim: `NotFound`, nothing written.
    async fn reset<E: EntityTrait>(
        &self,
        update: UpdateMany<E>,
        audit: &AuditEntry,
    ) -> DomainResult<()> {
        let txn = self.db.begin_write().await?;
        let result = update.exec(&txn).await.map_err(db_error)?;
        if result.rows_affected == 0 {
            return Err(DomainError::NotFound);
        }
        insert_entry(&txn, audit).await?;
        txn.commit().await.map_err(db_error)
    }
}

/// Workbook claims with the workbook's title (`WorkbookClaimRow`), by course,
/// then as the course lists its workbooks; the caller filters.
pub(super) fn workbook_claims() -> Select<user_take_workbook::Entity> {
    use user_take_workbook::Column;
    user_take_workbook::Entity::find()
        .select_only()
        .columns([
            Column::UserId,
            Column::WorkbookId,
            Column::CourseId,
            Column::Available,
            Column::TakenAt,
        ])
        .column(workbooks::Column::Title)
        .join(
            JoinType::InnerJoin,
            user_take_workbook::Relation::Workbooks.def(),
        )
        .order_by_asc(Column::CourseId)
        .order_by_asc(workbooks::Column::CreatedAt)
        .order_by_asc(Column::WorkbookId)
}

/// Certificate claims with the certificate's title (`CertificateClaimRow`),
/// by course; the caller filters.
pub(super) fn certificate_claims() -> Select<certificate_open_user::Entity> {
    use certificate_open_user::Column;
    certificate_open_user::Entity::find()
        .select_only()
        .columns([
            Column::UserId,
            Column::CertificateId,
            Column::CourseId,
            Column::Available,
            Column::ClaimedAt,
            Column::Serial,
        ])
        .column(certificates::Column::Title)
        .join(
            JoinType::InnerJoin,
            certificate_open_user::Relation::Certificates.def(),
        )
        .order_by_asc(Column::CourseId)
}

/// A serial another claim holds (never expected: serials are random).
fn claim_error(error: DbErr) -> DomainError {
    match write_error(error) {
        DomainError::Conflict { .. } => DomainError::Conflict {
            what: "certificate.serial".to_owned(),
        },
        other => other,
    }
}

#[async_trait]
impl ClaimRepository for SeaClaimRepository {
    #[tracing::instrument(skip(self))]
    async fn workbook_claim(
        &self,
        user_id: Uuid,
        workbook_id: Uuid,
    ) -> DomainResult<Option<WorkbookClaim>> {
        use user_take_workbook::Column;
        let row = workbook_claims()
            .filter(Column::UserId.eq(user_id))
            .filter(Column::WorkbookId.eq(workbook_id))
            .into_model::<WorkbookClaimRow>()
            .one(self.db.connection())
            .await
            .map_err(db_error)?;
        Ok(row.map(WorkbookClaim::from))
    }

    #[tracing::instrument(skip(self))]
    async fn take_workbook(
        &self,
        user_id: Uuid,
        workbook_id: Uuid,
        now: DateTime<Utc>,
    ) -> DomainResult<bool> {
        use user_take_workbook::Column;
        let result = user_take_workbook::Entity::update_many()
            .col_expr(Column::Available, Expr::value(false))
            .col_expr(Column::TakenAt, Expr::value(now.fixed_offset()))
            .filter(Column::UserId.eq(user_id))
            .filter(Column::WorkbookId.eq(workbook_id))
            .filter(Column::Available.eq(true))
            .exec(self.db.connection())
            .await
            .map_err(db_error)?;
        Ok(result.rows_affected == 1)
    }

    /// Keeps `taken_at`: it then tells when the workbook was last taken.
    #[tracing::instrument(skip(self, audit))]
    async fn reset_workbook(
        &self,
        user_id: Uuid,
        workbook_id: Uuid,
        audit: &AuditEntry,
    ) -> DomainResult<()> {
        use user_take_workbook::Column;
        let update = user_take_workbook::Entity::update_many()
            .col_expr(Column::Available, Expr::value(true))
            .filter(Column::UserId.eq(user_id))
            .filter(Column::WorkbookId.eq(workbook_id));
        self.reset(update, audit).await
    }

    #[tracing::instrument(skip(self))]
    async fn certificate_claim(
        &self,
        user_id: Uuid,
        course_id: Uuid,
    ) -> DomainResult<Option<CertificateClaim>> {
        use certificate_open_user::Column;
        let row = certificate_claims()
            .filter(Column::UserId.eq(user_id))
            .filter(Column::CourseId.eq(course_id))
            .into_model::<CertificateClaimRow>()
            .one(self.db.connection())
            .await
            .map_err(db_error)?;
        Ok(row.map(CertificateClaim::from))
    }

    /// `UPDATE … SET available = false, claimed_at = :now, serial =
    /// COALESCE(serial, :serial), holder_name = :holder, course_title = :title
    /// WHERE … AND available = true RETURNING *`: one statement, so the row it
    /// returns is the one this caller changed, and the serial is the stored one.
    #[tracing::instrument(skip(self, serial, holder_name, course_title))]
    async fn claim_certificate(
        &self,
        user_id: Uuid,
        certificate_id: Uuid,
        serial: &str,
        holder_name: &str,
        course_title: &str,
        now: DateTime<Utc>,
    ) -> DomainResult<Option<IssuedCertificate>> {
        use certificate_open_user::Column;
        let update = Query::update()
            .table(certificate_open_user::Entity)
            .value(Column::Available, false)
            .value(Column::ClaimedAt, now.fixed_offset())
            .value(
                Column::Serial,
                Func::coalesce([Expr::col(Column::Serial), Expr::val(serial)]),
            )
            .value(Column::HolderName, holder_name)
            .value(Column::CourseTitle, course_title)
            .and_where(Column::UserId.eq(user_id))
            .and_where(Column::CertificateId.eq(certificate_id))
            .and_where(Column::Available.eq(true))
            .returning_all()
            .to_owned();
        let row = self
            .db
            .connection()
            .query_one(&update)
            .await
            .map_err(claim_error)?;
        let Some(row) = row else {
            return Ok(None);
        };
        let row = certificate_open_user::Model::from_query_result(&row, "").map_err(db_error)?;
        IssuedCertificate::try_from(row).map(Some)
    }

    /// Keeps the serial, and `claimed_at` and the names of the last claim, so
    /// the public check still finds the document already handed out; the next
    /// claim replaces them.
    #[tracing::instrument(skip(self, audit))]
    async fn reset_certificate(
        &self,
        user_id: Uuid,
        certificate_id: Uuid,
        audit: &AuditEntry,
    ) -> DomainResult<()> {
        use certificate_open_user::Column;
        let update = certificate_open_user::Entity::update_many()
            .col_expr(Column::Available, Expr::value(true))
            .filter(Column::UserId.eq(user_id))
            .filter(Column::CertificateId.eq(certificate_id));
        self.reset(update, audit).await
    }

    #[tracing::instrument(skip(self, serial))]
    async fn issued_certificate(&self, serial: &str) -> DomainResult<Option<IssuedCertificate>> {
        use certificate_open_user::Column;
        let row = certificate_open_user::Entity::find()
            .filter(Column::Serial.eq(serial))
            .filter(Column::ClaimedAt.is_not_null())
            .one(self.db.connection())
            .await
            .map_err(db_error)?;
        row.map(IssuedCertificate::try_from).transpose()
    }
}
