//! The catalogue: direction → course → module → lesson, with one video per
//! lesson (kept apart: never joined into anything else), workbooks and one
//! certificate per course.

//!
//! One file per entity holds the entity and its commands (`NewX`, `XPatch`):
//! `direction.rs`, `course.rs`, `outline.rs` (modules and lessons). This file
//! holds videos, workbooks, certificates and the read models.

mod course;
mod direction;
mod outline;

pub use course::{Course, CoursePatch, CourseStatus, Level, NewCourse};
pub use direction::{Direction, DirectionPatch, NewDirection};
pub use outline::{Lesson, Module, NewOutlineItem, OutlineItem, OutlineLevel, OutlinePatch};

use uuid::Uuid;

/// Where a lesson's video is. Read only by `VideoRepository::video_of`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum VideoSource {
    /// An external https URL, handed out as stored.
    Url(String),
    /// A key in the FileStore, handed out as a signed link.
    Stored(String),
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Video {
    pub lesson_id: Uuid,
    pub source: VideoSource,
    pub duration_seconds: i32,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Workbook {
    pub id: Uuid,
    pub course_id: Uuid,
    /// A lesson's workbook unlocks with that lesson; a course's with all of them.
    pub lesson_id: Option<Uuid>,
    pub title: String,
    pub storage_key: String,
    pub size_bytes: i64,
    /// Hex SHA-256 of the file.
    pub sha256: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Certificate {
    pub id: Uuid,
    pub course_id: Uuid,
    pub title: String,
}

/// The teacher as the catalogue shows them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TeacherSummary {
    pub id: Uuid,
    pub first_name: String,
    pub last_name: String,
}

/// A module with its lessons, ordered by position.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ModuleTree {
    pub module: Module,
    pub lessons: Vec<Lesson>,
}

/// Everything a course page shows, loaded in a fixed number of queries. Never
/// a video.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CourseTree {
    pub course: Course,
    pub direction: Direction,
    pub teacher: Option<TeacherSummary>,
    pub modules: Vec<ModuleTree>,
    pub workbooks: Vec<Workbook>,
    pub certificate: Option<Certificate>,
    /// The tests of its lessons (summaries: never a question).
    pub tests: Vec<crate::quizzes::QuizTest>,
}

/// A lesson page: the lesson, where it sits, and its workbooks.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LessonView {
    pub lesson: Lesson,
    pub module: Module,
    pub course: Course,
    pub workbooks: Vec<Workbook>,
    /// The lesson's tests (summaries).
    pub tests: Vec<crate::quizzes::QuizTest>,
}
