//! Olympiads: responses, bodies and their commands, results, participants
//! (and their CSV).

use super::money::whole;
use bilim_domain::DomainError;
use bilim_domain::olympiads::{
    Capacity, NewOlympiad, Olympiad, OlympiadLevel, OlympiadPatch, OlympiadStatus, Participant,
    Schedule,
};
use bilim_domain::values::{Description, Title};
use bilim_service::ServiceError;
use bilim_service::input::Invalid;
use bilim_service::olympiads::Standing;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use serde_json::Number;
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;

#[derive(Debug, Serialize, ToSchema)]
pub struct OlympiadDirection {
    pub id: Uuid,
    #[schema(example = "Matematika")]
    pub name: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct OlympiadResponse {
    pub id: Uuid,
    #[schema(example = "Viloyat matematika olimpiadasi")]
    pub title: String,
    #[schema(example = "7–9-sinf oʻquvchilari uchun.")]
    pub description: String,
    pub direction: OlympiadDirection,
    #[schema(value_type = super::enums::OlympiadLevelDto, example = "regional")]
    pub level: &'static str,
    /// From the clock: `upcoming` before `starts_at`, `in_progress` until
    /// `ends_at`, then `completed`.
    #[schema(value_type = super::enums::OlympiadStatusDto, example = "upcoming")]
    pub status: &'static str,
    pub registration_ends_at: DateTime<Utc>,
    pub starts_at: DateTime<Utc>,
    pub ends_at: DateTime<Utc>,
    #[schema(example = 100)]
    pub capacity: i32,
    #[schema(example = 42)]
    pub registered: i32,
    /// The paper.
    pub test_id: Uuid,
}

impl OlympiadResponse {
    pub fn new(o: &Olympiad, status: OlympiadStatus) -> Self {
        Self {
            id: o.id,
            title: o.title.clone(),
            description: o.description.clone(),
            direction: OlympiadDirection {
                id: o.direction_id,
                name: o.direction_name.clone(),
            },
            level: o.level.as_str(),
            status: status.as_str(),
            registration_ends_at: o.schedule.registration_ends_at,
            starts_at: o.schedule.starts_at,
            ends_at: o.schedule.ends_at,
            capacity: o.capacity,
            registered: o.registered,
            test_id: o.test_id,
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct OlympiadPage {
    pub items: Vec<OlympiadResponse>,
    #[schema(required = true)]
    pub next_cursor: Option<String>,
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct OlympiadListQuery {
    #[param(value_type = Option<super::enums::OlympiadLevelDto>)]
    pub level: Option<String>,
    #[param(value_type = Option<super::enums::OlympiadStatusDto>)]
    pub status: Option<String>,
    #[param(minimum = 1, maximum = 100, example = 20)]
    pub limit: Option<u64>,
    #[param(pattern = r"^$|^[A-Za-z0-9_-]{21}[AQgw]$")]
    pub cursor: Option<String>,
}

impl OlympiadListQuery {
    pub fn filters(&self) -> Result<(Option<OlympiadLevel>, Option<OlympiadStatus>), ServiceError> {
        let mut invalid = Invalid::default();
        let level = self
            .level
            .as_deref()
            .filter(|l| !l.is_empty())
            .and_then(|raw| {
                invalid.check(OlympiadLevel::parse(raw).ok_or_else(|| {
                    DomainError::invalid(
                        "level",
                        "level.invalid",
                        "must be regional, national or international",
                    )
                }))
            });
        let status = self
            .status
            .as_deref()
            .filter(|s| !s.is_empty())
            .and_then(|raw| {
                invalid.check(OlympiadStatus::parse(raw).ok_or_else(|| {
                    DomainError::invalid(
                        "status",
                        "status.invalid",
                        "must be upcoming, in_progress or completed",
                    )
                }))
            });
        invalid.finish()?;
        Ok((level, status))
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ResultItem {
    #[schema(example = 1)]
    pub rank: u64,
    /// The first name and the last name's initial.
    #[schema(example = "Oʻktam K.")]
    pub name: String,
    #[schema(example = 9)]
    pub score: i32,
    #[schema(example = 1260)]
    pub duration_seconds: i64,
}

impl From<&Standing> for ResultItem {
    fn from(s: &Standing) -> Self {
        Self {
            rank: s.rank,
            name: match s.last_name.chars().next() {
                Some(initial) => format!("{} {initial}.", s.first_name),
                None => s.first_name.clone(),
            },
            score: s.score,
            duration_seconds: s.duration_seconds,
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ResultList {
    pub items: Vec<ResultItem>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ParticipantItem {
    pub user_id: Uuid,
    #[schema(example = "Oʻktam")]
    pub first_name: String,
    #[schema(example = "Karimov")]
    pub last_name: String,
    #[schema(example = "oktam@example.uz")]
    pub email: String,
    pub registered_at: DateTime<Utc>,
    #[schema(required = true)]
    pub started_at: Option<DateTime<Utc>>,
    #[schema(required = true)]
    pub submitted_at: Option<DateTime<Utc>>,
    #[schema(required = true, example = 9)]
    pub score: Option<i32>,
    #[schema(required = true, example = 10)]
    pub max_score: Option<i32>,
}

impl From<&Participant> for ParticipantItem {
    fn from(p: &Participant) -> Self {
        let score = p.attempt.as_ref().and_then(|a| a.score);
        Self {
            user_id: p.user_id,
            first_name: p.first_name.clone(),
            last_name: p.last_name.clone(),
            email: p.email.clone(),
            registered_at: p.registered_at,
            started_at: p.attempt.as_ref().map(|a| a.started_at),
            submitted_at: p.attempt.as_ref().and_then(|a| a.submitted_at),
            score: score.map(|s| s.score),
            max_score: score.map(|s| s.max_score),
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ParticipantList {
    pub items: Vec<ParticipantItem>,
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ParticipantsQuery {
    /// `csv`: the list as UTF-8 CSV with a byte order mark (Excel shows
    /// Uzbek and Cyrillic letters).
    #[param(pattern = r"^(json|csv)?$", example = "csv")]
    pub format: Option<String>,
}

/// One CSV field: quoted when it holds a comma, quote or line break; a
/// leading `=`, `+`, `-` or `@` is prefixed with `'` so a spreadsheet shows
/// it rather than running it.
fn field(text: &str) -> String {
    let safe = if text.starts_with(['=', '+', '-', '@']) {
        format!("'{text}")
    } else {
        text.to_owned()
    };
    if safe.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", safe.replace('"', "\"\""))
    } else {
        safe
    }
}

/// The participants as CSV: a UTF-8 byte order mark, a header, one row each.
pub fn participants_csv(participants: &[ParticipantItem]) -> String {
    let mut csv = String::from(
        "\u{FEFF}ism,familiya,email,royxatdan_otgan,boshlagan,topshirgan,ball,maksimal_ball\r\n",
    );
    let time = |t: Option<DateTime<Utc>>| t.map(|t| t.to_rfc3339()).unwrap_or_default();
    let number = |n: Option<i32>| n.map(|n| n.to_string()).unwrap_or_default();
    for p in participants {
        let row = [
            field(&p.first_name),
            field(&p.last_name),
            field(&p.email),
            p.registered_at.to_rfc3339(),
            time(p.started_at),
            time(p.submitted_at),
            number(p.score),
            number(p.max_score),
        ];
        csv.push_str(&row.join(","));
        csv.push_str("\r\n");
    }
    csv
}

fn level(raw: &str) -> Result<OlympiadLevel, DomainError> {
    OlympiadLevel::parse(raw).ok_or_else(|| {
        DomainError::invalid(
            "level",
            "level.invalid",
            "must be regional, national or international",
        )
    })
}

/// `POST /admin/olympiads`.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct OlympiadCreateBody {
    #[schema(
        min_length = 1,
        max_length = 200,
        pattern = r"^[\t\n\r ]*[^\x00-\x1F\x7F]*[^\s\x00-\x1F\x7F][^\x00-\x1F\x7F]*[\t\n\r ]*$",
        example = "Viloyat matematika olimpiadasi"
    )]
    pub title: String,
    #[schema(max_length = 20000, example = "7–9-sinf oʻquvchilari uchun.")]
    pub description: Option<String>,
    pub direction_id: Uuid,
    #[schema(value_type = super::enums::OlympiadLevelDto, example = "regional")]
    pub level: String,
    pub registration_ends_at: DateTime<Utc>,
    pub starts_at: DateTime<Utc>,
    pub ends_at: DateTime<Utc>,
    /// 1 to 100 000 places.
    #[schema(value_type = i64, minimum = 1, maximum = 100000, example = 100)]
    pub capacity: Number,
    /// The test written as the paper.
    pub test_id: Uuid,
}

impl TryFrom<OlympiadCreateBody> for NewOlympiad {
    type Error = ServiceError;

    fn try_from(body: OlympiadCreateBody) -> Result<Self, ServiceError> {
        let mut invalid = Invalid::default();
        let title = invalid.check(Title::parse("title", &body.title));
        let description = match body.description.as_deref() {
            Some(raw) => invalid.check(Description::parse("description", raw)),
            None => Some(Description::empty()),
        };
        let level = invalid.check(level(&body.level));
        let schedule = invalid.check(Schedule::new(
            body.registration_ends_at,
            body.starts_at,
            body.ends_at,
        ));
        let capacity = invalid
            .check(whole("capacity", "capacity.invalid", &body.capacity))
            .and_then(|raw| invalid.check(Capacity::parse(raw)));
        invalid.finish()?;
        let (Some(title), Some(description), Some(level), Some(schedule), Some(capacity)) =
            (title, description, level, schedule, capacity)
        else {
            return Err(ServiceError::Internal("olympiad field lost".into()));
        };
        Ok(Self {
            title,
            description,
            direction_id: body.direction_id,
            level,
            schedule,
            capacity,
            test_id: body.test_id,
        })
    }
}

/// `PATCH /admin/olympiads/{id}`: absent fields stay; times are checked
/// together with the kept ones.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct OlympiadPatchBody {
    #[schema(
        min_length = 1,
        max_length = 200,
        pattern = r"^[\t\n\r ]*[^\x00-\x1F\x7F]*[^\s\x00-\x1F\x7F][^\x00-\x1F\x7F]*[\t\n\r ]*$",
        example = "Respublika matematika olimpiadasi"
    )]
    pub title: Option<String>,
    #[schema(max_length = 20000)]
    pub description: Option<String>,
    #[schema(value_type = Option<super::enums::OlympiadLevelDto>, example = "national")]
    pub level: Option<String>,
    pub registration_ends_at: Option<DateTime<Utc>>,
    pub starts_at: Option<DateTime<Utc>>,
    pub ends_at: Option<DateTime<Utc>>,
    #[schema(value_type = Option<i64>, minimum = 1, maximum = 100000, example = 200)]
    pub capacity: Option<Number>,
}

impl TryFrom<OlympiadPatchBody> for OlympiadPatch {
    type Error = ServiceError;

    fn try_from(body: OlympiadPatchBody) -> Result<Self, ServiceError> {
        let mut invalid = Invalid::default();
        let title = body
            .title
            .as_deref()
            .and_then(|raw| invalid.check(Title::parse("title", raw)));
        let description = body
            .description
            .as_deref()
            .and_then(|raw| invalid.check(Description::parse("description", raw)));
        let level = body
            .level
            .as_deref()
            .and_then(|raw| invalid.check(level(raw)));
        let capacity = body.capacity.as_ref().and_then(|raw| {
            invalid
                .check(whole("capacity", "capacity.invalid", raw))
                .and_then(|raw| invalid.check(Capacity::parse(raw)))
        });
        invalid.finish()?;
        Ok(Self {
            title,
            description,
            level,
            registration_ends_at: body.registration_ends_at,
            starts_at: body.starts_at,
            ends_at: body.ends_at,
            capacity,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn csv_fields_are_quoted_and_formulas_defused() {
        assert_eq!(field("Oʻktam"), "Oʻktam");
        assert_eq!(field("a,b"), "\"a,b\"");
        assert_eq!(field("say \"hi\""), "\"say \"\"hi\"\"\"");
        assert_eq!(field("=SUM(A1)"), "'=SUM(A1)");
        assert!(participants_csv(&[]).starts_with('\u{FEFF}'));
    }
}
