//! A course's outline: modules in a course, lessons in a module, each level
//! ordered by position `1..=n`. `OutlineLevel` lets one implementation in each
//! layer serve both.

use crate::values::{Description, Position, Title};
use uuid::Uuid;

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
    pub fn into_module(self) -> Module {
        Module {
            id: self.id,
            course_id: self.parent_id,
            title: self.title,
            position: self.position,
        }
    }

    pub fn into_lesson(self) -> Lesson {
        Lesson {
            id: self.id,
            module_id: self.parent_id,
            title: self.title,
            description: self.description,
            position: self.position,
        }
    }
}
