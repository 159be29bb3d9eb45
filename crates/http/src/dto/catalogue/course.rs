//! A course: its summary, its body, the list query, and the body as
//! `NewCourse` or `CoursePatch`. Adding a field to a course touches this file
//! in the HTTP layer.

use super::{description, present_value, required};
use bilim_domain::DomainError;
use bilim_domain::catalogue::{Course, CoursePatch, CourseStatus, Level, NewCourse};
use bilim_domain::values::{Description, Months, Title};
use bilim_service::ServiceError;
use bilim_service::input::Invalid;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;
use validator::Validate;

#[derive(Debug, Serialize, ToSchema)]
pub struct CourseSummary {
    pub id: Uuid,
    pub direction_id: Uuid,
    pub title: String,
    pub description: String,
    /// `beginner`, `intermediate` or `advanced`.
    pub level: &'static str,
    /// `draft`, `published` or `archived`.
    pub status: &'static str,
    pub teacher_id: Option<Uuid>,
    pub access_months: i32,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

impl From<&Course> for CourseSummary {
    fn from(c: &Course) -> Self {
        Self {
            id: c.id,
            direction_id: c.direction_id,
            title: c.title.clone(),
            description: c.description.clone(),
            level: c.level.as_str(),
            status: c.status.as_str(),
            teacher_id: c.teacher_id,
            access_months: c.access_months,
            created_at: c.created_at,
            updated_at: c.updated_at,
        }
    }
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct CourseListQuery {
    pub direction_id: Option<Uuid>,
    /// `beginner`, `intermediate` or `advanced`.
    pub level: Option<String>,
    /// Part of the title, any case, Latin or Cyrillic.
    pub q: Option<String>,
    /// Admins only: `draft`, `published` or `archived`.
    pub status: Option<String>,
    pub limit: Option<u64>,
    pub cursor: Option<String>,
}

#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CourseBody {
    pub direction_id: Option<Uuid>,
    pub title: Option<String>,
    pub description: Option<String>,
    pub level: Option<String>,
    pub status: Option<String>,
    #[serde(default, deserialize_with = "present_value")]
    #[schema(value_type = Option<Uuid>)]
    pub teacher_id: Option<Option<Uuid>>,
    /// 1..=60; default 6.
    pub access_months: Option<i32>,
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
