//! `ClaimRepository` on sea-orm, and every statement on `user_take_workbook`
//! and `certificate_open_user`: the claims a grant opens
//! (`open_claims_of_grants`) and the ones a new workbook or certificate opens
//! to the holders of its course (`open_workbook_to_holders`,
//! `open_certificate_to_holders`), run in the caller's transaction.
//!
//! Opening is `INSERT … SELECT … ON CONFLICT DO NOTHING`: a claim is never
//! duplicated, and one already taken stays taken. Taking and claiming are one
//! conditional `UPDATE … WHERE available = true` each: of concurrent callers
//! exactly one changes the row (PostgreSQL re-checks the condition after
//! waiting for the row lock; SQLite runs one writer at a time).

use super::mapping::{CertificateClaimRow, WorkbookClaimRow};
use crate::catalogue::write_error;
use crate::database::{Database, db_error};
use crate::entities::{
    certificate_open_user, certificates, courses_open_users, user_take_workbook, workbooks,
};
use async_trait::async_trait;
use bilim_domain::learning::{CertificateClaim, IssuedCertificate, WorkbookClaim};
use bilim_domain::ports::ClaimRepository;
use bilim_domain::{DomainError, DomainResult};
use chrono::{DateTime, Utc};
use sea_orm::sea_query::{Expr, Func, OnConflict, Query, SelectStatement};
use sea_orm::{
    ColumnTrait, ConnectionTrait, DbErr, EntityTrait, ExprTrait, FromQueryResult, JoinType,
    QueryFilter, QueryOrder, QuerySelect, RelationTrait, Select,
};
use uuid::Uuid;

pub struct SeaClaimRepository {
    db: Database,
}

impl SeaClaimRepository {
    pub fn new(db: Database) -> Self {
        Self { db }
    }
}

/// Which grants `open_claims_of_grants` opens the claims of.
pub(crate) struct GrantsOf<'a> {
    pub users: &'a [Uuid],
    /// Only these courses; `None` for every course the users hold.
    pub courses: Option<&'a [Uuid]>,
}

impl GrantsOf<'_> {
    /// `SELECT g.user_id, x.id, x.course_id, true, :now FROM courses_open_users
    /// g JOIN <table> x ON x.course_id = g.course_id WHERE …` for the grants
    /// that are not revoked.
    fn rows_of<T>(
        &self,
        table: T,
        id: T::Column,
        course_id: T::Column,
        now: DateTime<Utc>,
    ) -> SelectStatement
    where
        T: EntityTrait,
        T::Column: Copy,
    {
        use courses_open_users::Column as Grant;
        let mut select = Query::select();
        select
            .column((courses_open_users::Entity, Grant::UserId))
            .column((table, id))
            .column((table, course_id))
            .expr(Expr::val(true))
            .expr(Expr::val(now.fixed_offset()))
            .from(courses_open_users::Entity)
            .inner_join(
                table,
                Expr::col((table, course_id)).equals((courses_open_users::Entity, Grant::CourseId)),
            )
            // SQLite needs a WHERE before `ON CONFLICT` after `INSERT … SELECT`
            // with a join; there always is one.
            .and_where(Grant::UserId.is_in(self.users.iter().copied()))
            .and_where(Grant::RevokedAt.is_null());
        if let Some(courses) = self.courses {
            select.and_where(Grant::CourseId.is_in(courses.iter().copied()));
        }
        select
    }
}

/// `INSERT … SELECT` yields a column count error only on a mistake here.
fn statement_error(error: impl std::fmt::Display) -> DomainError {
    DomainError::internal(error)
}

/// Adds every workbook and the certificate of the granted courses to the
/// users' claims, leaving existing claims as they are. Runs in the grant's
/// transaction, after the grants are written.
pub(crate) async fn open_claims_of_grants<C: ConnectionTrait>(
    connection: &C,
    grants: GrantsOf<'_>,
    now: DateTime<Utc>,
) -> DomainResult<()> {
    if grants.users.is_empty() || grants.courses.is_some_and(<[Uuid]>::is_empty) {
        return Ok(());
    }
    let workbook_rows = grants.rows_of(
        workbooks::Entity,
        workbooks::Column::Id,
        workbooks::Column::CourseId,
        now,
    );
    insert_workbook_claims(connection, workbook_rows).await?;
    let certificate_rows = grants.rows_of(
        certificates::Entity,
        certificates::Column::Id,
        certificates::Column::CourseId,
        now,
    );
    insert_certificate_claims(connection, certificate_rows).await
}

/// The holders of a grant on `course_id` that is not revoked, each with the
/// given claim columns: `SELECT user_id, :id, :course_id, true, :now`.
fn holders_of(course_id: Uuid, item_id: Uuid, now: DateTime<Utc>) -> SelectStatement {
    use courses_open_users::Column as Grant;
    Query::select()
        .column(Grant::UserId)
        .expr(Expr::val(item_id))
        .expr(Expr::val(course_id))
        .expr(Expr::val(true))
        .expr(Expr::val(now.fixed_offset()))
        .from(courses_open_users::Entity)
        .and_where(Grant::CourseId.eq(course_id))
        .and_where(Grant::RevokedAt.is_null())
        .to_owned()
}

/// Adds a new workbook to the claims of the course's holders. Runs in the
/// catalogue writer's transaction, with the course locked `FOR UPDATE`.
pub(crate) async fn open_workbook_to_holders<C: ConnectionTrait>(
    connection: &C,
    workbook_id: Uuid,
    course_id: Uuid,
    now: DateTime<Utc>,
) -> DomainResult<()> {
    insert_workbook_claims(connection, holders_of(course_id, workbook_id, now)).await
}

/// Adds the course's certificate to the claims of its holders (those who have
/// it already keep their claim as it is). Runs in the catalogue writer's
/// transaction, with the course locked `FOR UPDATE`.
pub(crate) async fn open_certificate_to_holders<C: ConnectionTrait>(
    connection: &C,
    certificate_id: Uuid,
    course_id: Uuid,
    now: DateTime<Utc>,
) -> DomainResult<()> {
    insert_certificate_claims(connection, holders_of(course_id, certificate_id, now)).await
}

/// `INSERT INTO user_take_workbook (user_id, workbook_id, course_id,
/// available, created_at) <rows> ON CONFLICT DO NOTHING`.
async fn insert_workbook_claims<C: ConnectionTrait>(
    connection: &C,
    rows: SelectStatement,
) -> DomainResult<()> {
    use user_take_workbook::Column;
    let insert = Query::insert()
        .into_table(user_take_workbook::Entity)
        .columns([
            Column::UserId,
            Column::WorkbookId,
            Column::CourseId,
            Column::Available,
            Column::CreatedAt,
        ])
        .select_from(rows)
        .map_err(statement_error)?
        .on_conflict(
            OnConflict::columns([Column::UserId, Column::WorkbookId])
                .do_nothing()
                .to_owned(),
        )
        .to_owned();
    connection.execute(&insert).await.map_err(write_error)?;
    Ok(())
}

/// `INSERT INTO certificate_open_user (user_id, certificate_id, course_id,
/// available, created_at) <rows> ON CONFLICT DO NOTHING`.
async fn insert_certificate_claims<C: ConnectionTrait>(
    connection: &C,
    rows: SelectStatement,
) -> DomainResult<()> {
    use certificate_open_user::Column;
    let insert = Query::insert()
        .into_table(certificate_open_user::Entity)
        .columns([
            Column::UserId,
            Column::CertificateId,
            Column::CourseId,
            Column::Available,
            Column::CreatedAt,
        ])
        .select_from(rows)
        .map_err(statement_error)?
        .on_conflict(
            OnConflict::columns([Column::UserId, Column::CertificateId])
                .do_nothing()
                .to_owned(),
        )
        .to_owned();
    connection.execute(&insert).await.map_err(write_error)?;
    Ok(())
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
    #[tracing::instrument(skip(self))]
    async fn reset_workbook(&self, user_id: Uuid, workbook_id: Uuid) -> DomainResult<()> {
        use user_take_workbook::Column;
        let result = user_take_workbook::Entity::update_many()
            .col_expr(Column::Available, Expr::value(true))
            .filter(Column::UserId.eq(user_id))
            .filter(Column::WorkbookId.eq(workbook_id))
            .exec(self.db.connection())
            .await
            .map_err(db_error)?;
        if result.rows_affected == 0 {
            return Err(DomainError::NotFound);
        }
        Ok(())
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
    #[tracing::instrument(skip(self))]
    async fn reset_certificate(&self, user_id: Uuid, certificate_id: Uuid) -> DomainResult<()> {
        use certificate_open_user::Column;
        let result = certificate_open_user::Entity::update_many()
            .col_expr(Column::Available, Expr::value(true))
            .filter(Column::UserId.eq(user_id))
            .filter(Column::CertificateId.eq(certificate_id))
            .exec(self.db.connection())
            .await
            .map_err(db_error)?;
        if result.rows_affected == 0 {
            return Err(DomainError::NotFound);
        }
        Ok(())
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
