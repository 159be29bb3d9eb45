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
    /// The lesson it belongs to, or `null` for a workbook of the whole course.
    #[schema(required = true)]
    pub lesson_id: Option<Uuid>,
    #[schema(example = "Ingliz tili: Ish daftari")]
    pub title: String,
    #[schema(minimum = 0, example = 632228)]
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
    #[schema(example = "«Ingliz tili» kursini tamomlaganlik sertifikati")]
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
    /// `https://` and a host, at most 2000 bytes.
    #[schema(
        max_length = 2000,
        pattern = r"^https://[^/?#\s]+([/?#][\s\S]*)?$",
        example = "https://video.bilim.uz/ingliz-tili/1-dars.mp4"
    )]
    pub url: String,
    /// Whole seconds, 1 to 86 400 (checked before `url`).
    #[schema(minimum = 1, maximum = 86400, example = 754)]
    pub duration_seconds: i32,
}

/// `PUT /admin/courses/{id}/certificate`.
#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CertificateBody {
    /// 1 to 200 characters after trimming.
    #[schema(
        min_length = 1,
        max_length = 200,
        pattern = r"^[\t\n\r ]*[^\x00-\x1F\x7F]*[^\s\x00-\x1F\x7F][^\x00-\x1F\x7F]*[\t\n\r ]*$",
        example = "«Ingliz tili» kursini tamomlaganlik sertifikati"
    )]
    pub title: String,
}

/// `PUT /admin/lessons/{id}/video` as a form: `file` (MP4 or WebM by its first
/// bytes, streamed to storage) and `duration_seconds`, in either order; other
/// fields are ignored.
#[derive(Debug, ToSchema)]
#[allow(dead_code)]
pub struct VideoUpload {
    #[schema(value_type = String, format = Binary)]
    pub file: Vec<u8>,
    /// Whole seconds, 1 to 86 400.
    #[schema(minimum = 1, maximum = 86400, example = 754)]
    pub duration_seconds: i32,
}

/// `POST /admin/courses/{id}/workbooks` form: `title`, `lesson_id?` and `file`
/// (a PDF by its first bytes, streamed to storage), in any order; other fields
/// are ignored.
#[derive(Debug, ToSchema)]
#[allow(dead_code)]
pub struct WorkbookUpload {
    /// 1 to 200 characters after trimming.
    #[schema(
        min_length = 1,
        max_length = 200,
        pattern = r"^[\t\n\r ]*[^\x00-\x1F\x7F]*[^\s\x00-\x1F\x7F][^\x00-\x1F\x7F]*[\t\n\r ]*$",
        example = "Ingliz tili: Ish daftari"
    )]
    pub title: String,
    /// A lesson of this course, for a lesson's workbook; absent for the
    /// course's.
    pub lesson_id: Option<Uuid>,
    #[schema(value_type = String, format = Binary)]
    pub file: Vec<u8>,
}

/// A workbook as admins see it.
#[derive(Debug, Serialize, ToSchema)]
pub struct WorkbookResponse {
    #[serde(flatten)]
    pub workbook: WorkbookSummary,
    /// Of the stored file, lower-case hex.
    #[schema(
        pattern = "^[0-9a-f]{64}$",
        example = "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08"
    )]
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
