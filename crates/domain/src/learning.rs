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

/// What of a module or course the user has done: lessons watched (their
/// progress has `completed_at`) of the lessons with a video, and tests passed
/// (a submitted attempt, not an olympiad's, with `passed`) of all its tests.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ProgressCounts {
    pub lessons_watched: u32,
    pub lessons_total: u32,
    pub tests_passed: u32,
    pub tests_total: u32,
}

impl ProgressCounts {
    /// `(watched + passed) / (lessons + tests) × 100`, rounded down; 0 when
    /// there is nothing to do. Never above 100.
    pub fn percent(&self) -> u32 {
        let total = u64::from(self.lessons_total) + u64::from(self.tests_total);
        if total == 0 {
            return 0;
        }
        let done = u64::from(self.lessons_watched.min(self.lessons_total))
            + u64::from(self.tests_passed.min(self.tests_total));
        u32::try_from(done * 100 / total).unwrap_or(100)
    }

    fn plus(self, other: Self) -> Self {
        Self {
            lessons_watched: self.lessons_watched + other.lessons_watched,
            lessons_total: self.lessons_total + other.lessons_total,
            tests_passed: self.tests_passed + other.tests_passed,
            tests_total: self.tests_total + other.tests_total,
        }
    }
}

/// One module of a [`CourseProgress`], in outline order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ModuleProgress {
    pub id: Uuid,
    pub title: String,
    pub counts: ProgressCounts,
}

/// A course the user holds or held a grant on (active, expired or revoked),
/// with its modules' progress.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CourseProgress {
    pub course_id: Uuid,
    pub title: String,
    pub modules: Vec<ModuleProgress>,
}

impl CourseProgress {
    /// The sum of the modules' counts.
    pub fn counts(&self) -> ProgressCounts {
        self.modules
            .iter()
            .fold(ProgressCounts::default(), |sum, m| sum.plus(m.counts))
    }
}

#[cfg(test)]
mod progress_tests {
    use super::ProgressCounts;

    fn counts(watched: u32, lessons: u32, passed: u32, tests: u32) -> ProgressCounts {
        ProgressCounts {
            lessons_watched: watched,
            lessons_total: lessons,
            tests_passed: passed,
            tests_total: tests,
        }
    }

    #[test]
    fn percent_is_rounded_down_and_zero_when_empty() {
        assert_eq!(counts(0, 0, 0, 0).percent(), 0);
        assert_eq!(counts(1, 3, 0, 0).percent(), 33);
        assert_eq!(counts(2, 3, 0, 0).percent(), 66);
        assert_eq!(counts(2, 2, 1, 1).percent(), 100);
        assert_eq!(counts(1, 2, 1, 2).percent(), 50);
        assert_eq!(counts(5, 2, 0, 0).percent(), 100);
    }
}
