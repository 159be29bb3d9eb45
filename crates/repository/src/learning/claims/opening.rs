//! Opening claims: the claims a grant opens (`open_claims_of_grants`) and the
//! ones a new workbook or certificate opens to the holders of its course
//! (`open_workbook_to_holders`, `open_certificate_to_holders`), run in the
//! caller's transaction.
//!
//! Opening is `INSERT … SELECT … ON CONFLICT DO NOTHING`: a claim is never
//! duplicated, and one already taken stays taken.

use crate::catalogue::write_error;
use crate::entities::{
    certificate_open_user, certificates, courses_open_users, user_take_workbook, workbooks,
};
use bilim_domain::{DomainError, DomainResult};
use chrono::{DateTime, Utc};
use sea_orm::sea_query::{Expr, OnConflict, Query, SelectStatement};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, ExprTrait};
use uuid::Uuid;

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
