//! Bodies of the learning routes and of the grant routes of the admin.

use crate::dto::users::{CertificateClaimResponse, CourseAccessResponse, WorkbookClaimResponse};
use bilim_domain::learning::{
    CertificateClaim, CourseAccess, CourseProgress, IssuedCertificate, LessonProgress,
    WorkbookClaim,
};
use bilim_service::files::SignedLink;
use bilim_service::learning::{CertificateIssue, GrantInput, VideoLink};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;

/// `GET /lessons/{id}/video`.
#[derive(Debug, Serialize, ToSchema)]
pub struct VideoResponse {
    /// A signed link to the stored video, or an external URL as stored.
    pub url: String,
    /// When a signed link stops working (about 15 minutes); `null` for an
    /// external URL.
    #[schema(required = true)]
    pub expires_at: Option<DateTime<Utc>>,
    #[schema(example = 754)]
    pub duration_seconds: i32,
}

impl From<VideoLink> for VideoResponse {
    fn from(link: VideoLink) -> Self {
        Self {
            url: link.url,
            expires_at: link.expires_at,
            duration_seconds: link.duration_seconds,
        }
    }
}

/// `PUT /lessons/{id}/progress`.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ProgressBody {
    /// Where the player is, in seconds (at least 0; kept at most the duration).
    #[schema(minimum = 0, example = 120)]
    pub position_seconds: i32,
    /// `true` marks the lesson watched; reaching 90 % of the video does too.
    #[serde(default)]
    #[schema(default = false, example = false)]
    pub completed: bool,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ProgressResponse {
    pub lesson_id: Uuid,
    pub position_seconds: i32,
    /// Once `true`, stays `true`.
    pub completed: bool,
    #[schema(required = true)]
    pub completed_at: Option<DateTime<Utc>>,
    pub updated_at: DateTime<Utc>,
}

impl From<LessonProgress> for ProgressResponse {
    fn from(p: LessonProgress) -> Self {
        Self {
            lesson_id: p.lesson_id,
            position_seconds: p.position_seconds,
            completed: p.completed_at.is_some(),
            completed_at: p.completed_at,
            updated_at: p.updated_at,
        }
    }
}

/// A link to a file, working until `expires_at`.
#[derive(Debug, Serialize, ToSchema)]
pub struct LinkResponse {
    pub url: String,
    pub expires_at: DateTime<Utc>,
}

impl From<SignedLink> for LinkResponse {
    fn from(link: SignedLink) -> Self {
        Self {
            url: link.url,
            expires_at: link.expires_at,
        }
    }
}

/// `POST /courses/{id}/certificate/claim`.
#[derive(Debug, Serialize, ToSchema)]
pub struct CertificateIssueResponse {
    /// `BLM-` and four groups of five Crockford base32 characters.
    #[schema(example = "BLM-7K2QD-9XMFA-P3RZT-H8WNC")]
    pub serial: String,
    /// A signed link to the PDF, valid for an hour.
    pub url: String,
    pub issued_at: DateTime<Utc>,
}

impl From<CertificateIssue> for CertificateIssueResponse {
    fn from(issue: CertificateIssue) -> Self {
        Self {
            serial: issue.serial,
            url: issue.url,
            issued_at: issue.issued_at,
        }
    }
}

/// `GET /certificates/{serial}`: the public check.
#[derive(Debug, Serialize, ToSchema)]
pub struct CertificateCheckResponse {
    #[schema(example = "BLM-7K2QD-9XMFA-P3RZT-H8WNC")]
    pub serial: String,
    /// As printed on the certificate.
    #[schema(example = "Dilnoza Karimova")]
    pub holder_name: String,
    #[schema(example = "Ingliz tili: boshlangʻich daraja")]
    pub course_title: String,
    pub issued_at: DateTime<Utc>,
}

impl From<IssuedCertificate> for CertificateCheckResponse {
    fn from(c: IssuedCertificate) -> Self {
        Self {
            serial: c.serial,
            holder_name: c.holder_name,
            course_title: c.course_title,
            issued_at: c.issued_at,
        }
    }
}

/// `POST /admin/users/{id}/courses`.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct GrantBody {
    /// 1 to 50 different courses; repeats count once.
    #[schema(min_items = 1)]
    pub course_ids: Vec<Uuid>,
    /// 1 to 60 months from now; absent (and no `expires_at`): each course's
    /// `access_months`. Not together with `expires_at`.
    #[schema(minimum = 1, maximum = 60, example = 6)]
    pub months: Option<u32>,
    /// An exact end instead of `months`: in the future, at most 60 months away.
    pub expires_at: Option<DateTime<Utc>>,
}

impl From<GrantBody> for GrantInput {
    fn from(body: GrantBody) -> Self {
        Self {
            course_ids: body.course_ids,
            months: body.months,
            expires_at: body.expires_at,
        }
    }
}

/// The grants a request opened or extended.
#[derive(Debug, Serialize, ToSchema)]
pub struct GrantList {
    pub items: Vec<CourseAccessResponse>,
}

impl CourseAccessResponse {
    pub fn new(access: &CourseAccess, now: DateTime<Utc>) -> Self {
        Self {
            course_id: access.grant.course_id,
            title: access.course_title.clone(),
            opened_at: access.grant.opened_at,
            expires_at: access.grant.expires_at,
            active: access.grant.is_active(now),
        }
    }
}

impl From<&WorkbookClaim> for WorkbookClaimResponse {
    fn from(c: &WorkbookClaim) -> Self {
        Self {
            workbook_id: c.workbook_id,
            course_id: c.course_id,
            title: c.title.clone(),
            available: c.available,
            taken_at: c.taken_at,
        }
    }
}

impl From<&CertificateClaim> for CertificateClaimResponse {
    fn from(c: &CertificateClaim) -> Self {
        Self {
            certificate_id: c.certificate_id,
            course_id: c.course_id,
            title: c.title.clone(),
            available: c.available,
            claimed_at: c.claimed_at,
            serial: c.serial.clone(),
        }
    }
}

/// A course in [`CourseProgressResponse`].
#[derive(Debug, Serialize, ToSchema)]
pub struct ProgressCourseRef {
    pub id: Uuid,
    #[schema(example = "Kasrlar")]
    pub title: String,
}

/// A module's progress, in outline order.
#[derive(Debug, Serialize, ToSchema)]
pub struct ModuleProgressResponse {
    pub id: Uuid,
    #[schema(example = "Birinchi modul")]
    pub title: String,
    /// Lessons with a video the user has watched.
    #[schema(minimum = 0, example = 2)]
    pub lessons_watched: u32,
    /// Lessons with a video (a lesson without one has nothing to watch).
    #[schema(minimum = 0, example = 3)]
    pub lessons_total: u32,
    /// Tests passed in a submitted attempt (not an olympiad's).
    #[schema(minimum = 0, example = 1)]
    pub tests_passed: u32,
    #[schema(minimum = 0, example = 1)]
    pub tests_total: u32,
    /// `(lessons_watched + tests_passed) / (lessons_total + tests_total) × 100`,
    /// rounded down; 0 when both totals are 0.
    #[schema(minimum = 0, maximum = 100, example = 75)]
    pub percent: u32,
}

/// `GET /users/me/progress`: one course the user holds or held a grant on.
#[derive(Debug, Serialize, ToSchema)]
pub struct CourseProgressResponse {
    pub course: ProgressCourseRef,
    #[schema(minimum = 0, example = 2)]
    pub lessons_watched: u32,
    #[schema(minimum = 0, example = 3)]
    pub lessons_total: u32,
    #[schema(minimum = 0, example = 1)]
    pub tests_passed: u32,
    #[schema(minimum = 0, example = 1)]
    pub tests_total: u32,
    /// As a module's, over the whole course.
    #[schema(minimum = 0, maximum = 100, example = 75)]
    pub percent: u32,
    pub modules: Vec<ModuleProgressResponse>,
}

impl From<CourseProgress> for CourseProgressResponse {
    fn from(course: CourseProgress) -> Self {
        let counts = course.counts();
        Self {
            course: ProgressCourseRef {
                id: course.course_id,
                title: course.title,
            },
            lessons_watched: counts.lessons_watched,
            lessons_total: counts.lessons_total,
            tests_passed: counts.tests_passed,
            tests_total: counts.tests_total,
            percent: counts.percent(),
            modules: course
                .modules
                .into_iter()
                .map(|m| ModuleProgressResponse {
                    id: m.id,
                    title: m.title,
                    lessons_watched: m.counts.lessons_watched,
                    lessons_total: m.counts.lessons_total,
                    tests_passed: m.counts.tests_passed,
                    tests_total: m.counts.tests_total,
                    percent: m.counts.percent(),
                })
                .collect(),
        }
    }
}
