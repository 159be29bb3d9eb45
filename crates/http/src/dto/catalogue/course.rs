//! A course: its summary, its create and patch bodies, the list queries, and
//! the bodies as `NewCourse` or `CoursePatch`. Adding a field to a course
//! touches this file in the HTTP layer.

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

/// A course as lists show it.
#[derive(Debug, Serialize, ToSchema)]
pub struct CourseSummary {
    pub id: Uuid,
    pub direction_id: Uuid,
    #[schema(example = "Ingliz tili: boshlangʻich daraja")]
    pub title: String,
    /// May be empty.
    #[schema(example = "Ingliz tilini noldan oʻrganish: alifbo, talaffuz va kundalik suhbat.")]
    pub description: String,
    #[schema(value_type = super::super::enums::CourseLevel)]
    pub level: &'static str,
    #[schema(value_type = super::super::enums::CourseStatus)]
    pub status: &'static str,
    /// A user with the `teacher` role, or `null`.
    #[schema(required = true)]
    pub teacher_id: Option<Uuid>,
    /// Months a grant opens the course for, 1 to 60.
    #[schema(minimum = 1, maximum = 60, example = 6)]
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

/// Filters and page of `GET /courses`: published courses only. A `status`
/// parameter is ignored here.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct CourseListQuery {
    /// Courses of this direction only (an unknown one: an empty list).
    pub direction_id: Option<Uuid>,
    #[param(value_type = Option<super::super::enums::CourseLevel>)]
    pub level: Option<String>,
    /// Part of the title, any case, Latin or Cyrillic; at most 100 characters
    /// once trimmed; empty means no filter.
    #[param(max_length = 100)]
    pub q: Option<String>,
    /// Items per page, 1 to 100; 20 when absent.
    #[param(minimum = 1, maximum = 100, example = 20)]
    pub limit: Option<u64>,
    /// The `next_cursor` of the previous page; opaque. Empty: the first page.
    #[param(pattern = r"^$|^[A-Za-z0-9_-]{21}[AQgw]$")]
    pub cursor: Option<String>,
}

/// Filters and page of `GET /admin/courses`: courses of every status unless
/// `status` says otherwise.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct AdminCourseListQuery {
    /// Courses of this direction only (an unknown one: an empty list).
    pub direction_id: Option<Uuid>,
    #[param(value_type = Option<super::super::enums::CourseStatus>)]
    pub status: Option<String>,
    #[param(value_type = Option<super::super::enums::CourseLevel>)]
    pub level: Option<String>,
    /// Part of the title, any case, Latin or Cyrillic; at most 100 characters
    /// once trimmed; empty means no filter.
    #[param(max_length = 100)]
    pub q: Option<String>,
    /// Items per page, 1 to 100; 20 when absent.
    #[param(minimum = 1, maximum = 100, example = 20)]
    pub limit: Option<u64>,
    /// The `next_cursor` of the previous page; opaque. Empty: the first page.
    #[param(pattern = r"^$|^[A-Za-z0-9_-]{21}[AQgw]$")]
    pub cursor: Option<String>,
}

/// `POST /admin/courses`. Every field is checked and every broken one
/// reported at once (`errors[].code`: `required`, `text.length`,
/// `level.invalid`, `status.invalid`, `access_months.invalid`,
/// `direction.not_found`); `teacher_id` is checked first and alone
/// (`teacher.invalid`). `null` counts as absent.
#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CourseCreateBody {
    /// An existing direction.
    #[schema(value_type = Uuid, required = true)]
    pub direction_id: Option<Uuid>,
    /// 1 to 200 characters after trimming.
    #[schema(value_type = String, required = true, min_length = 1, max_length = 200, pattern = r"^[\t\n\r ]*[^\x00-\x1F\x7F]*[^\s\x00-\x1F\x7F][^\x00-\x1F\x7F]*[\t\n\r ]*$", example = "Ingliz tili: boshlangʻich daraja")]
    pub title: Option<String>,
    /// At most 20 000 characters after trimming; `""` when absent.
    #[schema(
        max_length = 20000,
        example = "Ingliz tilini noldan oʻrganish: alifbo, talaffuz va kundalik suhbat."
    )]
    pub description: Option<String>,
    #[schema(value_type = super::super::enums::CourseLevel, required = true)]
    pub level: Option<String>,
    /// `draft` when absent.
    #[schema(value_type = Option<super::super::enums::CourseStatus>)]
    pub status: Option<String>,
    /// A user with the `teacher` role; none when absent or `null`.
    pub teacher_id: Option<Uuid>,
    /// Months a grant opens the course for, 1 to 60; 6 when absent.
    #[schema(minimum = 1, maximum = 60, example = 6)]
    pub access_months: Option<i32>,
}

/// `PATCH /admin/courses/{id}`: absent (or `null`) fields stay, except
/// `teacher_id: null`, which removes the teacher. Rules and codes as when
/// creating.
#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CoursePatchBody {
    /// Moves the course to another existing direction.
    pub direction_id: Option<Uuid>,
    /// 1 to 200 characters after trimming.
    #[schema(
        min_length = 1,
        max_length = 200,
        pattern = r"^[\t\n\r ]*[^\x00-\x1F\x7F]*[^\s\x00-\x1F\x7F][^\x00-\x1F\x7F]*[\t\n\r ]*$",
        example = "Ingliz tili: oʻrta daraja"
    )]
    pub title: Option<String>,
    /// At most 20 000 characters after trimming; may be empty.
    #[schema(max_length = 20000)]
    pub description: Option<String>,
    #[schema(value_type = Option<super::super::enums::CourseLevel>, example = "intermediate")]
    pub level: Option<String>,
    #[schema(value_type = Option<super::super::enums::CourseStatus>, example = "published")]
    pub status: Option<String>,
    /// A user with the `teacher` role; `null` removes the teacher.
    #[serde(default, deserialize_with = "present_value")]
    #[schema(value_type = Option<Uuid>)]
    pub teacher_id: Option<Option<Uuid>>,
    /// 1 to 60. Grants keep the expiry they were given.
    #[schema(minimum = 1, maximum = 60, example = 12)]
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

impl TryFrom<CourseCreateBody> for NewCourse {
    type Error = ServiceError;

    fn try_from(body: CourseCreateBody) -> Result<Self, ServiceError> {
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
            teacher_id: body.teacher_id,
            access_months: access_months.unwrap_or(Months::DEFAULT),
        })
    }
}

impl TryFrom<CoursePatchBody> for CoursePatch {
    type Error = ServiceError;

    fn try_from(body: CoursePatchBody) -> Result<Self, ServiceError> {
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
