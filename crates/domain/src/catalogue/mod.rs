//! The catalogue: direction → course → module → lesson, with one video per
//! lesson (kept apart: never joined into anything else), workbooks and one
//! certificate per course.

mod commands;

pub use commands::{
    CoursePatch, DirectionPatch, NewCourse, NewDirection, NewOutlineItem, OutlineItem,
    OutlineLevel, OutlinePatch,
};

use chrono::{DateTime, Utc};
use uuid::Uuid;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Level {
    Beginner,
    Intermediate,
    Advanced,
}

impl Level {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Beginner => "beginner",
            Self::Intermediate => "intermediate",
            Self::Advanced => "advanced",
        }
    }

    pub fn parse(raw: &str) -> Option<Self> {
        match raw {
            "beginner" => Some(Self::Beginner),
            "intermediate" => Some(Self::Intermediate),
            "advanced" => Some(Self::Advanced),
            _ => None,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CourseStatus {
    Draft,
    Published,
    Archived,
}

impl CourseStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Draft => "draft",
            Self::Published => "published",
            Self::Archived => "archived",
        }
    }

    pub fn parse(raw: &str) -> Option<Self> {
        match raw {
            "draft" => Some(Self::Draft),
            "published" => Some(Self::Published),
            "archived" => Some(Self::Archived),
            _ => None,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Direction {
    pub id: Uuid,
    pub name: String,
    pub description: Option<String>,
    pub position: i32,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Course {
    pub id: Uuid,
    pub direction_id: Uuid,
    pub title: String,
    pub description: String,
    pub level: Level,
    pub status: CourseStatus,
    /// A user with the `teacher` role.
    pub teacher_id: Option<Uuid>,
    /// How long a grant opens the course, unless the grant says otherwise.
    pub access_months: i32,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Module {
    pub id: Uuid,
    pub course_id: Uuid,
    pub title: String,
    pub position: i32,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Lesson {
    pub id: Uuid,
    pub module_id: Uuid,
    pub title: String,
    pub description: String,
    pub position: i32,
}

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
}

/// A lesson page: the lesson, where it sits, and its workbooks.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LessonView {
    pub lesson: Lesson,
    pub module: Module,
    pub course: Course,
    pub workbooks: Vec<Workbook>,
}
