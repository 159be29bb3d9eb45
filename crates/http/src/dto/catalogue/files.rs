//! Videos, workbooks and certificates: bodies, upload forms (documented
//! only; the service reads them) and answers.

use bilim_domain::catalogue::{Certificate, Workbook};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;
use validator::Validate;

/// A workbook as the catalogue shows it: no file link.
#[derive(Debug, Serialize, ToSchema)]
pub struct WorkbookSummary {
    pub id: Uuid,
    pub course_id: Uuid,
    pub lesson_id: Option<Uuid>,
    pub title: String,
    pub size_bytes: i64,
}

impl From<&Workbook> for WorkbookSummary {
    fn from(w: &Workbook) -> Self {
        Self {
            id: w.id,
            course_id: w.course_id,
            lesson_id: w.lesson_id,
            title: w.title.clone(),
            size_bytes: w.size_bytes,
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct CertificateSummary {
    pub id: Uuid,
    pub course_id: Uuid,
    pub title: String,
}

impl From<&Certificate> for CertificateSummary {
    fn from(c: &Certificate) -> Self {
        Self {
            id: c.id,
            course_id: c.course_id,
            title: c.title.clone(),
        }
    }
}

#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct VideoUrlBody {
    /// An https URL.
    pub url: String,
    pub duration_seconds: i32,
}

#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CertificateBody {
    pub title: String,
}

/// `PUT /admin/lessons/{id}/video` as a form: `file` (MP4/WebM) and `duration_seconds`.
#[derive(Debug, ToSchema)]
#[allow(dead_code)]
pub struct VideoUpload {
    #[schema(value_type = String, format = Binary)]
    pub file: Vec<u8>,
    pub duration_seconds: i32,
}

/// `POST /admin/courses/{id}/workbooks` form: `title`, `lesson_id?`, `file` (PDF).
#[derive(Debug, ToSchema)]
#[allow(dead_code)]
pub struct WorkbookUpload {
    pub title: String,
    pub lesson_id: Option<Uuid>,
    #[schema(value_type = String, format = Binary)]
    pub file: Vec<u8>,
}

/// A workbook as admins see it.
#[derive(Debug, Serialize, ToSchema)]
pub struct WorkbookResponse {
    #[serde(flatten)]
    pub workbook: WorkbookSummary,
    pub sha256: String,
}

impl From<&Workbook> for WorkbookResponse {
    fn from(w: &Workbook) -> Self {
        Self {
            workbook: WorkbookSummary::from(w),
            sha256: w.sha256.clone(),
        }
    }
}
