//! Bodies of the catalogue routes. No response type has a field for a video.

use bilim_domain::catalogue::{
    Certificate, Course, CourseTree, Direction, Lesson, LessonView, Module, OutlineItem,
    OutlineLevel, TeacherSummary, Workbook,
};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Deserializer, Serialize};
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;
use validator::Validate;

#[derive(Debug, Serialize, ToSchema)]
pub struct DirectionResponse {
    pub id: Uuid,
    pub name: String,
    pub description: Option<String>,
    pub position: i32,
}

impl From<&Direction> for DirectionResponse {
    fn from(d: &Direction) -> Self {
        Self {
            id: d.id,
            name: d.name.clone(),
            description: d.description.clone(),
            position: d.position,
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct DirectionList {
    pub items: Vec<DirectionResponse>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct CourseSummary {
    pub id: Uuid,
    pub direction_id: Uuid,
    pub title: String,
    pub description: String,
    /// `beginner`, `intermediate` or `advanced`.
    pub level: &'static str,
    /// `draft`, `published` or `archived`.
    pub status: &'static str,
    pub teacher_id: Option<Uuid>,
    pub access_months: i32,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

impl From<&Course> for CourseSummary {
    fn from(c: &Course) -> Self {
        Self {
            id: c.id,
            direction_id: c.direction_id,
            title: c.title.clone(),
            description: c.description.clone(),
            level: c.level.as_str(),
            status: c.status.as_str(),
            teacher_id: c.teacher_id,
            access_months: c.access_months,
            created_at: c.created_at,
            updated_at: c.updated_at,
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct DirectionDetail {
    #[serde(flatten)]
    pub direction: DirectionResponse,
    pub courses: Vec<CourseSummary>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct CoursePage {
    pub items: Vec<CourseSummary>,
    pub next_cursor: Option<String>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct TeacherResponse {
    pub id: Uuid,
    pub first_name: String,
    pub last_name: String,
}

impl From<&TeacherSummary> for TeacherResponse {
    fn from(t: &TeacherSummary) -> Self {
        Self {
            id: t.id,
            first_name: t.first_name.clone(),
            last_name: t.last_name.clone(),
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct LessonSummary {
    pub id: Uuid,
    pub module_id: Uuid,
    pub title: String,
    pub description: String,
    pub position: i32,
}

impl From<&Lesson> for LessonSummary {
    fn from(l: &Lesson) -> Self {
        Self {
            id: l.id,
            module_id: l.module_id,
            title: l.title.clone(),
            description: l.description.clone(),
            position: l.position,
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ModuleResponse {
    pub id: Uuid,
    pub course_id: Uuid,
    pub title: String,
    pub position: i32,
}

impl From<&Module> for ModuleResponse {
    fn from(m: &Module) -> Self {
        Self {
            id: m.id,
            course_id: m.course_id,
            title: m.title.clone(),
            position: m.position,
        }
    }
}

/// A module or lesson as its admin route answers: the module's or the
/// lesson's own shape.
#[derive(Debug, Serialize)]
#[serde(untagged)]
pub enum OutlineResponse {
    Module(ModuleResponse),
    Lesson(LessonSummary),
}

impl From<OutlineItem> for OutlineResponse {
    fn from(item: OutlineItem) -> Self {
        match item.level {
            OutlineLevel::Module => Self::Module(ModuleResponse::from(&item.into_module())),
            OutlineLevel::Lesson => Self::Lesson(LessonSummary::from(&item.into_lesson())),
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ModuleWithLessons {
    #[serde(flatten)]
    pub module: ModuleResponse,
    pub lessons: Vec<LessonSummary>,
}

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

/// `GET /courses/{id}`: the course with everything related, never a video.
#[derive(Debug, Serialize, ToSchema)]
pub struct CourseDetail {
    #[serde(flatten)]
    pub course: CourseSummary,
    pub direction: DirectionResponse,
    pub teacher: Option<TeacherResponse>,
    pub modules: Vec<ModuleWithLessons>,
    pub workbooks: Vec<WorkbookSummary>,
    pub certificate: Option<CertificateSummary>,
}

impl From<&CourseTree> for CourseDetail {
    fn from(tree: &CourseTree) -> Self {
        Self {
            course: CourseSummary::from(&tree.course),
            direction: DirectionResponse::from(&tree.direction),
            teacher: tree.teacher.as_ref().map(TeacherResponse::from),
            modules: tree
                .modules
                .iter()
                .map(|m| ModuleWithLessons {
                    module: ModuleResponse::from(&m.module),
                    lessons: m.lessons.iter().map(LessonSummary::from).collect(),
                })
                .collect(),
            workbooks: tree.workbooks.iter().map(WorkbookSummary::from).collect(),
            certificate: tree.certificate.as_ref().map(CertificateSummary::from),
        }
    }
}

/// `GET /lessons/{id}`.
#[derive(Debug, Serialize, ToSchema)]
pub struct LessonDetail {
    #[serde(flatten)]
    pub lesson: LessonSummary,
    pub module: ModuleResponse,
    pub course: CourseSummary,
    pub workbooks: Vec<WorkbookSummary>,
}

impl From<&LessonView> for LessonDetail {
    fn from(view: &LessonView) -> Self {
        Self {
            lesson: LessonSummary::from(&view.lesson),
            module: ModuleResponse::from(&view.module),
            course: CourseSummary::from(&view.course),
            workbooks: view.workbooks.iter().map(WorkbookSummary::from).collect(),
        }
    }
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct CourseListQuery {
    pub direction_id: Option<Uuid>,
    /// `beginner`, `intermediate` or `advanced`.
    pub level: Option<String>,
    /// Part of the title, any case, Latin or Cyrillic.
    pub q: Option<String>,
    /// Admins only: `draft`, `published` or `archived`.
    pub status: Option<String>,
    pub limit: Option<u64>,
    pub cursor: Option<String>,
}

/// Tells `"x": null` (clear) from an absent `x` (keep).
fn present_value<'de, D: Deserializer<'de>, T: Deserialize<'de>>(
    deserializer: D,
) -> Result<Option<Option<T>>, D::Error> {
    Option::<T>::deserialize(deserializer).map(Some)
}

#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct DirectionBody {
    pub name: Option<String>,
    #[serde(default, deserialize_with = "present_value")]
    #[schema(value_type = Option<String>)]
    pub description: Option<Option<String>>,
    pub position: Option<i32>,
}

#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CourseBody {
    pub direction_id: Option<Uuid>,
    pub title: Option<String>,
    pub description: Option<String>,
    pub level: Option<String>,
    pub status: Option<String>,
    #[serde(default, deserialize_with = "present_value")]
    #[schema(value_type = Option<Uuid>)]
    pub teacher_id: Option<Option<Uuid>>,
    /// 1..=60; default 6.
    pub access_months: Option<i32>,
}

/// A module: a title and a place in the course.
#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ModuleBody {
    pub title: Option<String>,
    /// 1-based; others move to make room.
    pub position: Option<i32>,
}

/// A lesson.
#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct OutlineBody {
    pub title: Option<String>,
    pub description: Option<String>,
    /// 1-based; others move to make room.
    pub position: Option<i32>,
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
