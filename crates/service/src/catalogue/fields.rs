//! Admin input for catalogue items, checked into the ports' field types.

use crate::ServiceResult;
use crate::input::Invalid;
use bilim_domain::DomainError;
use bilim_domain::catalogue::{CourseStatus, Level};
use bilim_domain::ports::{CourseFields, DirectionFields, OutlineFields};
use uuid::Uuid;

#[derive(Debug, Clone, Default)]
pub struct DirectionInput {
    pub name: Option<String>,
    pub description: Option<Option<String>>,
    pub position: Option<i32>,
}

#[derive(Debug, Clone, Default)]
pub struct CourseInput {
    pub direction_id: Option<Uuid>,
    pub title: Option<String>,
    pub description: Option<String>,
    pub level: Option<String>,
    pub status: Option<String>,
    pub teacher_id: Option<Option<Uuid>>,
    pub access_months: Option<i32>,
}

#[derive(Debug, Clone, Default)]
pub struct OutlineInput {
    pub title: Option<String>,
    pub description: Option<String>,
    pub position: Option<i32>,
}

/// Trimmed text of 1..=`max` characters.
fn text(field: &'static str, raw: String, max: usize) -> Result<String, DomainError> {
    let value = raw.trim().to_owned();
    let length = value.chars().count();
    if length == 0 || length > max {
        return Err(DomainError::invalid(
            field,
            "text.length",
            format!("must be 1 to {max} characters"),
        ));
    }
    Ok(value)
}

fn long_text(field: &'static str, raw: String) -> Result<String, DomainError> {
    let value = raw.trim().to_owned();
    if value.chars().count() > 20_000 {
        return Err(DomainError::invalid(
            field,
            "text.length",
            "must be at most 20000 characters",
        ));
    }
    Ok(value)
}

fn position(raw: i32) -> Result<i32, DomainError> {
    if (1..=10_000).contains(&raw) {
        Ok(raw)
    } else {
        Err(DomainError::invalid(
            "position",
            "position.invalid",
            "must be 1 to 10000",
        ))
    }
}

fn required<T>(
    field: &'static str,
    value: Option<T>,
    creating: bool,
    invalid: &mut Invalid,
) -> Option<T> {
    if creating && value.is_none() {
        invalid.check::<()>(Err(DomainError::invalid(field, "required", "is required")));
    }
    value
}

impl DirectionInput {
    pub fn checked(self, creating: bool) -> ServiceResult<DirectionFields> {
        let mut invalid = Invalid::default();
        let name = required("name", self.name, creating, &mut invalid)
            .and_then(|n| invalid.check(text("name", n, 100)));
        let description = self
            .description
            .map(|d| d.map(|d| long_text("description", d)).transpose())
            .and_then(|d| invalid.check(d));
        let position = self.position.and_then(|p| invalid.check(position(p)));
        invalid.finish()?;
        Ok(DirectionFields {
            name,
            description,
            position,
        })
    }
}

impl CourseInput {
    pub fn checked(self, creating: bool) -> ServiceResult<CourseFields> {
        let mut invalid = Invalid::default();
        let direction_id = required("direction_id", self.direction_id, creating, &mut invalid);
        let title = required("title", self.title, creating, &mut invalid)
            .and_then(|t| invalid.check(text("title", t, 200)));
        let description = self
            .description
            .and_then(|d| invalid.check(long_text("description", d)));
        let level = required("level", self.level, creating, &mut invalid).and_then(|raw| {
            invalid.check(Level::parse(&raw).ok_or_else(|| {
                DomainError::invalid(
                    "level",
                    "level.invalid",
                    "must be beginner, intermediate or advanced",
                )
            }))
        });
        let status = self.status.and_then(|raw| {
            invalid.check(CourseStatus::parse(&raw).ok_or_else(|| {
                DomainError::invalid(
                    "status",
                    "status.invalid",
                    "must be draft, published or archived",
                )
            }))
        });
        let access_months = self.access_months.and_then(|m| {
            invalid.check(if (1..=60).contains(&m) {
                Ok(m)
            } else {
                Err(DomainError::invalid(
                    "access_months",
                    "access_months.invalid",
                    "must be 1 to 60",
                ))
            })
        });
        invalid.finish()?;
        Ok(CourseFields {
            direction_id,
            title,
            description: description.or_else(|| creating.then(String::new)),
            level,
            status: status.or_else(|| creating.then_some(CourseStatus::Draft)),
            teacher_id: self.teacher_id,
            access_months: access_months.or_else(|| creating.then_some(6)),
        })
    }
}

impl OutlineInput {
    pub fn checked(self, creating: bool) -> ServiceResult<OutlineFields> {
        let mut invalid = Invalid::default();
        let title = required("title", self.title, creating, &mut invalid)
            .and_then(|t| invalid.check(text("title", t, 200)));
        let description = self
            .description
            .and_then(|d| invalid.check(long_text("description", d)));
        let position = self.position.and_then(|p| invalid.check(position(p)));
        invalid.finish()?;
        Ok(OutlineFields {
            title,
            description: description.or_else(|| creating.then(String::new)),
            position,
        })
    }
}
