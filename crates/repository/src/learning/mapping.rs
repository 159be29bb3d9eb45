//! Learning rows ⇄ domain types.

use crate::entities::{certificate_open_user, courses_open_users, lesson_progress};
use bilim_domain::learning::{
    AccessNotice, CertificateClaim, CourseAccess, Grant, IssuedCertificate, LessonProgress,
    WorkbookClaim,
};
use bilim_domain::{DomainError, DomainResult};
use sea_orm::FromQueryResult;
use sea_orm::prelude::DateTimeWithTimeZone;
use uuid::Uuid;

impl From<courses_open_users::Model> for Grant {
    fn from(row: courses_open_users::Model) -> Self {
        Self {
            id: row.id,
            user_id: row.user_id,
            course_id: row.course_id,
            opened_at: row.opened_at.to_utc(),
            expires_at: row.expires_at.to_utc(),
            revoked_at: row.revoked_at.map(|at| at.to_utc()),
            granted_by: row.granted_by,
        }
    }
}

/// A grant with its course's title (`courses_open_users` ⋈ `courses`).
#[derive(Debug, FromQueryResult)]
pub(super) struct CourseAccessRow {
    pub id: Uuid,
    pub user_id: Uuid,
    pub course_id: Uuid,
    pub opened_at: DateTimeWithTimeZone,
    pub expires_at: DateTimeWithTimeZone,
    pub revoked_at: Option<DateTimeWithTimeZone>,
    pub granted_by: Option<Uuid>,
    pub course_title: String,
}

impl From<CourseAccessRow> for CourseAccess {
    fn from(row: CourseAccessRow) -> Self {
        Self {
            grant: Grant {
                id: row.id,
                user_id: row.user_id,
                course_id: row.course_id,
                opened_at: row.opened_at.to_utc(),
                expires_at: row.expires_at.to_utc(),
                revoked_at: row.revoked_at.map(|at| at.to_utc()),
                granted_by: row.granted_by,
            },
            course_title: row.course_title,
        }
    }
}

/// A workbook claim with the workbook's title.
#[derive(Debug, FromQueryResult)]
pub(super) struct WorkbookClaimRow {
    pub user_id: Uuid,
    pub workbook_id: Uuid,
    pub course_id: Uuid,
    pub title: String,
    pub available: bool,
    pub taken_at: Option<DateTimeWithTimeZone>,
}

impl From<WorkbookClaimRow> for WorkbookClaim {
    fn from(row: WorkbookClaimRow) -> Self {
        Self {
            user_id: row.user_id,
            workbook_id: row.workbook_id,
            course_id: row.course_id,
            title: row.title,
            available: row.available,
            taken_at: row.taken_at.map(|at| at.to_utc()),
        }
    }
}

/// A certificate claim with the certificate's title.
#[derive(Debug, FromQueryResult)]
pub(super) struct CertificateClaimRow {
    pub user_id: Uuid,
    pub certificate_id: Uuid,
    pub course_id: Uuid,
    pub title: String,
    pub available: bool,
    pub claimed_at: Option<DateTimeWithTimeZone>,
    pub serial: Option<String>,
}

impl From<CertificateClaimRow> for CertificateClaim {
    fn from(row: CertificateClaimRow) -> Self {
        Self {
            user_id: row.user_id,
            certificate_id: row.certificate_id,
            course_id: row.course_id,
            title: row.title,
            available: row.available,
            claimed_at: row.claimed_at.map(|at| at.to_utc()),
            serial: row.serial,
        }
    }
}

impl TryFrom<certificate_open_user::Model> for IssuedCertificate {
    type Error = DomainError;

    /// Only a claimed row (its claim time, serial and names set) is issued.
    fn try_from(row: certificate_open_user::Model) -> DomainResult<Self> {
        match (
            row.serial,
            row.claimed_at,
            row.holder_name,
            row.course_title,
        ) {
            (Some(serial), Some(claimed_at), Some(holder_name), Some(course_title)) => Ok(Self {
                serial,
                certificate_id: row.certificate_id,
                course_id: row.course_id,
                holder_name,
                course_title,
                issued_at: claimed_at.to_utc(),
            }),
            _ => Err(DomainError::internal(format!(
                "certificate claim of user {} on {} is not issued",
                row.user_id, row.certificate_id
            ))),
        }
    }
}

/// A grant due for a mail, with its user's address and the course title.
#[derive(Debug, FromQueryResult)]
pub(super) struct NoticeRow {
    pub grant_id: Uuid,
    pub user_id: Uuid,
    pub email: String,
    pub first_name: String,
    pub course_title: String,
    pub expires_at: DateTimeWithTimeZone,
}

impl From<NoticeRow> for AccessNotice {
    fn from(row: NoticeRow) -> Self {
        Self {
            grant_id: row.grant_id,
            user_id: row.user_id,
            email: row.email,
            first_name: row.first_name,
            course_title: row.course_title,
            expires_at: row.expires_at.to_utc(),
        }
    }
}

impl From<lesson_progress::Model> for LessonProgress {
    fn from(row: lesson_progress::Model) -> Self {
        Self {
            user_id: row.user_id,
            lesson_id: row.lesson_id,
            position_seconds: row.position_seconds,
            completed_at: row.completed_at.map(|at| at.to_utc()),
            updated_at: row.updated_at.to_utc(),
        }
    }
}
