//! Modules and lessons: their answers, their bodies, and the bodies as
//! `NewOutlineItem` or `OutlinePatch` (one conversion for both levels).

use super::{description, required};
use bilim_domain::catalogue::{
    Lesson, Module, NewOutlineItem, OutlineItem, OutlineLevel, OutlinePatch,
};
use bilim_domain::values::{Description, Position, Title};
use bilim_service::ServiceError;
use bilim_service::input::Invalid;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;
use validator::Validate;

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

/// A module or lesson body: a module's has no description.
pub struct OutlineInput {
    pub title: Option<String>,
    pub description: Option<String>,
    pub position: Option<i32>,
}

impl From<ModuleBody> for OutlineInput {
    fn from(b: ModuleBody) -> Self {
        Self {
            title: b.title,
            description: None,
            position: b.position,
        }
    }
}

impl From<OutlineBody> for OutlineInput {
    fn from(b: OutlineBody) -> Self {
        Self {
            title: b.title,
            description: b.description,
            position: b.position,
        }
    }
}

impl TryFrom<OutlineInput> for NewOutlineItem {
    type Error = ServiceError;

    fn try_from(body: OutlineInput) -> Result<Self, ServiceError> {
        let mut invalid = Invalid::default();
        let title = required("title", body.title, &mut invalid)
            .and_then(|t| invalid.check(Title::parse("title", &t)));
        let description = description(body.description, &mut invalid);
        let position = body
            .position
            .and_then(|p| invalid.check(Position::parse(p)));
        invalid.finish()?;
        let Some(title) = title else {
            return Err(ServiceError::Internal("outline title lost".into()));
        };
        Ok(Self {
            title,
            description: description.unwrap_or_else(Description::empty),
            position,
        })
    }
}

impl TryFrom<OutlineInput> for OutlinePatch {
    type Error = ServiceError;

    fn try_from(body: OutlineInput) -> Result<Self, ServiceError> {
        let mut invalid = Invalid::default();
        let title = body
            .title
            .and_then(|t| invalid.check(Title::parse("title", &t)));
        let description = description(body.description, &mut invalid);
        let position = body
            .position
            .and_then(|p| invalid.check(Position::parse(p)));
        invalid.finish()?;
        Ok(Self {
            title,
            description,
            position,
        })
    }
}
