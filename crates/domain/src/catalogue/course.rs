//! A course: a level, a status (only published courses are public), an
//! optional teacher and how long a grant opens it. Adding a field to a course
//! starts here: the entity and both commands.

use crate::values::{Description, Months, Title};
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
pub struct NewCourse {
    pub direction_id: Uuid,
    pub title: Title,
    pub description: Description,
    pub level: Level,
    pub status: CourseStatus,
    /// A user with the `teacher` role (checked by the service).
    pub teacher_id: Option<Uuid>,
    pub access_months: Months,
}

/// `None` keeps a field; `teacher_id: Some(None)` removes the teacher.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct CoursePatch {
    pub direction_id: Option<Uuid>,
    pub title: Option<Title>,
    pub description: Option<Description>,
    pub level: Option<Level>,
    pub status: Option<CourseStatus>,
    pub teacher_id: Option<Option<Uuid>>,
    pub access_months: Option<Months>,
}
