//! Modules and lessons: their answers, their create and patch bodies, and
//! those as `NewOutlineItem` or `OutlinePatch` (one conversion for both
//! levels, through `OutlineInput`).

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
    #[schema(example = "1-dars: Alifbo va talaffuz")]
    pub title: String,
    /// May be empty.
    #[schema(example = "Harflar, tovushlar va birinchi soʻzlar.")]
    pub description: String,
    /// 1-based place in the module.
    #[schema(minimum = 1, example = 1)]
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
    #[schema(example = "1-modul: Kirish")]
    pub title: String,
    /// 1-based place in the course.
    #[schema(minimum = 1, example = 1)]
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

/// `POST /admin/courses/{id}/modules`: a title and a place in the course.
/// Every field is checked and every broken one reported at once
/// (`errors[].code`: `required`, `text.length`, `position.invalid`); `null`
/// counts as absent.
#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ModuleCreateBody {
    /// 1 to 200 characters after trimming.
    #[schema(value_type = String, required = true, min_length = 1, max_length = 200, pattern = r"^[\t\n\r ]*[^\x00-\x1F\x7F]*[^\s\x00-\x1F\x7F][^\x00-\x1F\x7F]*[\t\n\r ]*$", example = "1-modul: Kirish")]
    pub title: Option<String>,
    /// 1-based; the modules from there on move one down. Last when absent.
    #[schema(minimum = 1, maximum = 10000, example = 1)]
    pub position: Option<i32>,
}

/// `PATCH /admin/modules/{id}`: absent (or `null`) fields stay. A module
/// stays in its course.
#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ModulePatchBody {
    /// 1 to 200 characters after trimming.
    #[schema(
        min_length = 1,
        max_length = 200,
        pattern = r"^[\t\n\r ]*[^\x00-\x1F\x7F]*[^\s\x00-\x1F\x7F][^\x00-\x1F\x7F]*[\t\n\r ]*$",
        example = "1-modul: Tanishuv"
    )]
    pub title: Option<String>,
    /// 1-based; a number past the end means last.
    #[schema(minimum = 1, maximum = 10000, example = 2)]
    pub position: Option<i32>,
}

/// `POST /admin/modules/{id}/lessons`. Every field is checked and every broken
/// one reported at once (`errors[].code`: `required`, `text.length`,
/// `position.invalid`); `null` counts as absent.
#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct LessonCreateBody {
    /// 1 to 200 characters after trimming.
    #[schema(value_type = String, required = true, min_length = 1, max_length = 200, pattern = r"^[\t\n\r ]*[^\x00-\x1F\x7F]*[^\s\x00-\x1F\x7F][^\x00-\x1F\x7F]*[\t\n\r ]*$", example = "1-dars: Alifbo va talaffuz")]
    pub title: Option<String>,
    /// At most 20 000 characters after trimming; `""` when absent.
    #[schema(
        max_length = 20000,
        example = "Harflar, tovushlar va birinchi soʻzlar."
    )]
    pub description: Option<String>,
    /// 1-based; the lessons from there on move one down. Last when absent.
    #[schema(minimum = 1, maximum = 10000, example = 1)]
    pub position: Option<i32>,
}

/// `PATCH /admin/lessons/{id}`: absent (or `null`) fields stay. A lesson
/// stays in its module.
#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct LessonPatchBody {
    /// 1 to 200 characters after trimming.
    #[schema(
        min_length = 1,
        max_length = 200,
        pattern = r"^[\t\n\r ]*[^\x00-\x1F\x7F]*[^\s\x00-\x1F\x7F][^\x00-\x1F\x7F]*[\t\n\r ]*$",
        example = "1-dars: Alifbo"
    )]
    pub title: Option<String>,
    /// At most 20 000 characters after trimming; may be empty.
    #[schema(max_length = 20000)]
    pub description: Option<String>,
    /// 1-based; a number past the end means last.
    #[schema(minimum = 1, maximum = 10000, example = 2)]
    pub position: Option<i32>,
}

/// A module or lesson body, create or patch: a module's has no description.
pub struct OutlineInput {
    pub title: Option<String>,
    pub description: Option<String>,
    pub position: Option<i32>,
}

impl From<ModuleCreateBody> for OutlineInput {
    fn from(b: ModuleCreateBody) -> Self {
        Self {
            title: b.title,
            description: None,
            position: b.position,
        }
    }
}

impl From<ModulePatchBody> for OutlineInput {
    fn from(b: ModulePatchBody) -> Self {
        Self {
            title: b.title,
            description: None,
            position: b.position,
        }
    }
}

impl From<LessonCreateBody> for OutlineInput {
    fn from(b: LessonCreateBody) -> Self {
        Self {
            title: b.title,
            description: b.description,
            position: b.position,
        }
    }
}

impl From<LessonPatchBody> for OutlineInput {
    fn from(b: LessonPatchBody) -> Self {
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
