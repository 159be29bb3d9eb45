//! Typed commands for the catalogue's writers: what an admin asks to create
//! (`NewX`) or change (`XPatch`), made of values that are valid once built.
//! The HTTP layer builds them from request bodies; nothing below checks them
//! again.

use super::{CourseStatus, Level};
use crate::values::{Description, DirectionName, Months, Position, Title};
use uuid::Uuid;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewDirection {
    pub name: DirectionName,
    pub description: Option<Description>,
    /// Appended when absent; others move to make room.
    pub position: Option<Position>,
}

/// `None` keeps a field; `description: Some(None)` clears it.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct DirectionPatch {
    pub name: Option<DirectionName>,
    pub description: Option<Option<Description>>,
    pub position: Option<Position>,
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

/// The two levels of a course's outline: ordered children with positions.
/// Modules sit in a course, lessons in a module; one implementation in each
/// layer serves both.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum OutlineLevel {
    Module,
    Lesson,
}

impl OutlineLevel {
    /// `module` or `lesson`: audit target types and action prefixes.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Module => "module",
            Self::Lesson => "lesson",
        }
    }

    /// The error code of an unknown item of this level.
    pub fn not_found(self) -> &'static str {
        match self {
            Self::Module => "module.not_found",
            Self::Lesson => "lesson.not_found",
        }
    }

    /// The error code of an unknown parent (the course of a module, the
    /// module of a lesson).
    pub fn parent_not_found(self) -> &'static str {
        match self {
            Self::Module => "course.not_found",
            Self::Lesson => "module.not_found",
        }
    }
}

/// A new module or lesson. Modules have no description: theirs is ignored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewOutlineItem {
    pub title: Title,
    pub description: Description,
    /// Appended when absent; siblings move to make room.
    pub position: Option<Position>,
}

/// `None` keeps a field. Moving an item renumbers its siblings so positions
/// stay `1..=n`.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct OutlinePatch {
    pub title: Option<Title>,
    pub description: Option<Description>,
    pub position: Option<Position>,
}

/// A module or lesson as its writer returns it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OutlineItem {
    pub level: OutlineLevel,
    pub id: Uuid,
    /// The course of a module, the module of a lesson.
    pub parent_id: Uuid,
    pub title: String,
    /// Empty for modules.
    pub description: String,
    pub position: i32,
}

impl OutlineItem {
    pub fn into_module(self) -> super::Module {
        super::Module {
            id: self.id,
            course_id: self.parent_id,
            title: self.title,
            position: self.position,
        }
    }

    pub fn into_lesson(self) -> super::Lesson {
        super::Lesson {
            id: self.id,
            module_id: self.parent_id,
            title: self.title,
            description: self.description,
            position: self.position,
        }
    }
}
