//! Whole pages: a direction with its courses, a course with its outline,
//! a lesson where it sits.

use super::{
    CertificateSummary, CourseSummary, DirectionResponse, LessonSummary, ModuleResponse,
    WorkbookSummary,
};
use bilim_domain::catalogue::{CourseTree, LessonView, TeacherSummary};
use serde::Serialize;
use utoipa::ToSchema;
use uuid::Uuid;

#[derive(Debug, Serialize, ToSchema)]
pub struct DirectionDetail {
    #[serde(flatten)]
    pub direction: DirectionResponse,
    pub courses: Vec<CourseSummary>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct CoursePage {
    pub items: Vec<CourseSummary>,
    /// `null` on the last page.
    #[schema(required = true)]
    pub next_cursor: Option<String>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct TeacherResponse {
    pub id: Uuid,
    #[schema(example = "Aziz")]
    pub first_name: String,
    #[schema(example = "Rasulov")]
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
pub struct ModuleWithLessons {
    #[serde(flatten)]
    pub module: ModuleResponse,
    pub lessons: Vec<LessonSummary>,
}

/// `GET /courses/{id}`: the course with everything related, never a video.
#[derive(Debug, Serialize, ToSchema)]
pub struct CourseDetail {
    #[serde(flatten)]
    pub course: CourseSummary,
    pub direction: DirectionResponse,
    /// `null` when the course has no teacher.
    #[schema(required = true)]
    pub teacher: Option<TeacherResponse>,
    pub modules: Vec<ModuleWithLessons>,
    pub workbooks: Vec<WorkbookSummary>,
    /// `null` when the course has no certificate. No link.
    #[schema(required = true)]
    pub certificate: Option<CertificateSummary>,
    /// The tests of its lessons (each with its `lesson_id`); never a question.
    pub tests: Vec<crate::dto::quizzes::TestSummary>,
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
            tests: tree.tests.iter().map(Into::into).collect(),
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
    /// The lesson's tests; never a question.
    pub tests: Vec<crate::dto::quizzes::TestSummary>,
}

impl From<&LessonView> for LessonDetail {
    fn from(view: &LessonView) -> Self {
        Self {
            lesson: LessonSummary::from(&view.lesson),
            module: ModuleResponse::from(&view.module),
            course: CourseSummary::from(&view.course),
            workbooks: view.workbooks.iter().map(WorkbookSummary::from).collect(),
            tests: view.tests.iter().map(Into::into).collect(),
        }
    }
}
