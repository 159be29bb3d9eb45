//! Learning: admin-granted course access that expires, once-only workbook
//! downloads and certificates, and lesson progress.

use chrono::{DateTime, Utc};
use uuid::Uuid;

/// A user's access to one course (`courses_open_users`), unique per
/// (user, course). A repeat grant extends the same row.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Grant {
    pub id: Uuid,
    pub user_id: Uuid,
    pub course_id: Uuid,
    pub opened_at: DateTime<Utc>,
    /// Fixed when granted; later changes to the course do not move it.
    pub expires_at: DateTime<Utc>,
    pub revoked_at: Option<DateTime<Utc>>,
    /// The admin who granted it last.
    pub granted_by: Option<Uuid>,
}

/// Where a grant stands at a moment.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AccessState {
    Active,
    Expired,
    Revoked,
}

impl Grant {
    /// Checked against the clock on every request, whether or not the expiry
    /// job has run.
    pub fn state(&self, now: DateTime<Utc>) -> AccessState {
        if self.revoked_at.is_some() {
            AccessState::Revoked
        } else if now >= self.expires_at {
            AccessState::Expired
        } else {
            AccessState::Active
        }
    }

    pub fn is_active(&self, now: DateTime<Utc>) -> bool {
        self.state(now) == AccessState::Active
    }
}

/// One course of a grant request, with the expiry the service worked out.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct GrantTerm {
    pub course_id: Uuid,
    pub expires_at: DateTime<Utc>,
}

/// A grant with the course title, as `/users/me` lists it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CourseAccess {
    pub grant: Grant,
    pub course_title: String,
}

/// A row of `user_take_workbook`: the user may download the workbook once.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WorkbookClaim {
    pub user_id: Uuid,
    pub workbook_id: Uuid,
    pub course_id: Uuid,
    pub title: String,
    /// `true` until taken; an admin reset makes it `true` again.
    pub available: bool,
    pub taken_at: Option<DateTime<Utc>>,
}

/// A row of `certificate_open_user`: the user may claim the certificate once.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CertificateClaim {
    pub user_id: Uuid,
    pub certificate_id: Uuid,
    pub course_id: Uuid,
    pub title: String,
    pub available: bool,
    pub claimed_at: Option<DateTime<Utc>>,
    /// Given at the first claim and kept across admin resets.
    pub serial: Option<String>,
}

/// Everything opened to one user.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Holdings {
    pub courses: Vec<CourseAccess>,
    pub workbooks: Vec<WorkbookClaim>,
    pub certificates: Vec<CertificateClaim>,
}

/// A claimed certificate as printed and as the public check shows it. Names
/// are copied at claim time: the document does not change afterwards.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IssuedCertificate {
    pub serial: String,
    pub certificate_id: Uuid,
    pub course_id: Uuid,
    pub holder_name: String,
    pub course_title: String,
    pub issued_at: DateTime<Utc>,
}

/// What a user sent about a lesson, and what is stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LessonProgress {
    pub user_id: Uuid,
    pub lesson_id: Uuid,
    pub position_seconds: i32,
    /// Set once, when the lesson first counts as watched; never cleared.
    pub completed_at: Option<DateTime<Utc>>,
    pub updated_at: DateTime<Utc>,
}

/// A grant the expiry job must tell its user about.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AccessNotice {
    pub grant_id: Uuid,
    pub user_id: Uuid,
    pub email: String,
    pub first_name: String,
    pub course_title: String,
    pub expires_at: DateTime<Utc>,
}
