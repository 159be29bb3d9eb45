//! Request bodies of the admin catalogue turned into the domain's typed
//! commands, once: every field's problem is collected so a client learns all
//! of them at once. Nothing below the HTTP layer checks these again.

use super::catalogue::{CourseBody, DirectionBody, ModuleBody, OutlineBody};
use bilim_domain::DomainError;
use bilim_domain::catalogue::{
    CoursePatch, CourseStatus, DirectionPatch, Level, NewCourse, NewDirection, NewOutlineItem,
    OutlinePatch,
};
use bilim_domain::values::{Description, DirectionName, Months, Position, Title};
use bilim_service::ServiceError;
use bilim_service::input::Invalid;

fn required<T>(field: &'static str, value: Option<T>, invalid: &mut Invalid) -> Option<T> {
    if value.is_none() {
        invalid.check::<()>(Err(DomainError::invalid(field, "required", "is required")));
    }
    value
}

fn level(raw: &str) -> Result<Level, DomainError> {
    Level::parse(raw).ok_or_else(|| {
        DomainError::invalid(
            "level",
            "level.invalid",
            "must be beginner, intermediate or advanced",
        )
    })
}

fn status(raw: &str) -> Result<CourseStatus, DomainError> {
    CourseStatus::parse(raw).ok_or_else(|| {
        DomainError::invalid(
            "status",
            "status.invalid",
            "must be draft, published or archived",
        )
    })
}

fn months(raw: i32) -> Result<Months, DomainError> {
    Months::parse("access_months", "access_months.invalid", i64::from(raw))
}

fn description(raw: Option<String>, invalid: &mut Invalid) -> Option<Description> {
    raw.and_then(|d| invalid.check(Description::parse("description", &d)))
}

/// Parses what a direction body says, whether creating or changing.
fn direction_parts(
    body: DirectionBody,
    invalid: &mut Invalid,
) -> (
    Option<DirectionName>,
    Option<Option<Description>>,
    Option<Position>,
) {
    let name = body
        .name
        .and_then(|n| invalid.check(DirectionName::parse("name", &n)));
    let description = body.description.map(|d| description(d, invalid));
    let position = body
        .position
        .and_then(|p| invalid.check(Position::parse(p)));
    (name, description, position)
}

impl TryFrom<DirectionBody> for NewDirection {
    type Error = ServiceError;

    fn try_from(body: DirectionBody) -> Result<Self, ServiceError> {
        let mut invalid = Invalid::default();
        required("name", body.name.as_ref(), &mut invalid);
        let (name, description, position) = direction_parts(body, &mut invalid);
        invalid.finish()?;
        let Some(name) = name else {
            return Err(ServiceError::Internal("direction name lost".into()));
        };
        Ok(Self {
            name,
            description: description.flatten(),
            position,
        })
    }
}

impl TryFrom<DirectionBody> for DirectionPatch {
    type Error = ServiceError;

    fn try_from(body: DirectionBody) -> Result<Self, ServiceError> {
        let mut invalid = Invalid::default();
        let (name, description, position) = direction_parts(body, &mut invalid);
        invalid.finish()?;
        Ok(Self {
            name,
            description,
            position,
        })
    }
}

impl TryFrom<CourseBody> for NewCourse {
    type Error = ServiceError;

    fn try_from(body: CourseBody) -> Result<Self, ServiceError> {
        let mut invalid = Invalid::default();
        let direction_id = required("direction_id", body.direction_id, &mut invalid);
        let title = required("title", body.title, &mut invalid)
            .and_then(|t| invalid.check(Title::parse("title", &t)));
        let description = description(body.description, &mut invalid);
        let level =
            required("level", body.level, &mut invalid).and_then(|raw| invalid.check(level(&raw)));
        let status = body.status.and_then(|raw| invalid.check(status(&raw)));
        let access_months = body.access_months.and_then(|m| invalid.check(months(m)));
        invalid.finish()?;
        let (Some(direction_id), Some(title), Some(level)) = (direction_id, title, level) else {
            return Err(ServiceError::Internal("required course field lost".into()));
        };
        Ok(Self {
            direction_id,
            title,
            description: description.unwrap_or_else(Description::empty),
            level,
            status: status.unwrap_or(CourseStatus::Draft),
            teacher_id: body.teacher_id.flatten(),
            access_months: access_months.unwrap_or(Months::DEFAULT),
        })
    }
}

impl TryFrom<CourseBody> for CoursePatch {
    type Error = ServiceError;

    fn try_from(body: CourseBody) -> Result<Self, ServiceError> {
        let mut invalid = Invalid::default();
        let title = body
            .title
            .and_then(|t| invalid.check(Title::parse("title", &t)));
        let description = description(body.description, &mut invalid);
        let level = body.level.and_then(|raw| invalid.check(level(&raw)));
        let status = body.status.and_then(|raw| invalid.check(status(&raw)));
        let access_months = body.access_months.and_then(|m| invalid.check(months(m)));
        invalid.finish()?;
        Ok(Self {
            direction_id: body.direction_id,
            title,
            description,
            level,
            status,
            teacher_id: body.teacher_id,
            access_months,
        })
    }
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
