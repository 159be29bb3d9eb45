//! Document 003's olympiads: a test as the paper, a registration window, a
//! start and an end; the status comes from the clock, places from a counter
//! the database keeps below the capacity.

use crate::quizzes::Attempt;
use crate::values::{Description, Title};
use crate::{DomainError, DomainResult};
use chrono::{DateTime, Utc};
use uuid::Uuid;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OlympiadLevel {
    Regional,
    National,
    International,
}

impl OlympiadLevel {
    pub const ALL: [Self; 3] = [Self::Regional, Self::National, Self::International];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Regional => "regional",
            Self::National => "national",
            Self::International => "international",
        }
    }

    pub fn parse(raw: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|l| l.as_str() == raw)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OlympiadStatus {
    Upcoming,
    InProgress,
    Completed,
}

impl OlympiadStatus {
    pub const ALL: [Self; 3] = [Self::Upcoming, Self::InProgress, Self::Completed];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Upcoming => "upcoming",
            Self::InProgress => "in_progress",
            Self::Completed => "completed",
        }
    }

    pub fn parse(raw: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|s| s.as_str() == raw)
    }
}

/// When registration closes, and when the olympiad starts and ends:
/// `registration_ends_at <= starts_at < ends_at`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Schedule {
    pub registration_ends_at: DateTime<Utc>,
    pub starts_at: DateTime<Utc>,
    pub ends_at: DateTime<Utc>,
}

impl Schedule {
    pub fn new(
        registration_ends_at: DateTime<Utc>,
        starts_at: DateTime<Utc>,
        ends_at: DateTime<Utc>,
    ) -> DomainResult<Self> {
        if registration_ends_at > starts_at {
            return Err(DomainError::invalid(
                "registration_ends_at",
                "schedule.invalid",
                "registration must close by the start",
            ));
        }
        if starts_at >= ends_at {
            return Err(DomainError::invalid(
                "ends_at",
                "schedule.invalid",
                "must be after starts_at",
            ));
        }
        Ok(Self {
            registration_ends_at,
            starts_at,
            ends_at,
        })
    }
}

/// Places of an olympiad: 1 to 100 000.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Capacity(i32);

impl Capacity {
    pub fn parse(raw: i64) -> DomainResult<Self> {
        match i32::try_from(raw) {
            Ok(value) if (1..=100_000).contains(&value) => Ok(Self(value)),
            _ => Err(DomainError::invalid(
                "capacity",
                "capacity.invalid",
                "must be 1 to 100000",
            )),
        }
    }

    pub fn get(self) -> i32 {
        self.0
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Olympiad {
    pub id: Uuid,
    pub title: String,
    pub description: String,
    pub direction_id: Uuid,
    pub direction_name: String,
    pub level: OlympiadLevel,
    pub schedule: Schedule,
    pub capacity: i32,
    pub registered: i32,
    /// The paper.
    pub test_id: Uuid,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

impl Olympiad {
    pub fn status(&self, now: DateTime<Utc>) -> OlympiadStatus {
        if now < self.schedule.starts_at {
            OlympiadStatus::Upcoming
        } else if now < self.schedule.ends_at {
            OlympiadStatus::InProgress
        } else {
            OlympiadStatus::Completed
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewOlympiad {
    pub title: Title,
    pub description: Description,
    pub direction_id: Uuid,
    pub level: OlympiadLevel,
    pub schedule: Schedule,
    pub capacity: Capacity,
    pub test_id: Uuid,
}

/// `None` keeps a field; the times are checked together with the kept ones.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct OlympiadPatch {
    pub title: Option<Title>,
    pub description: Option<Description>,
    pub level: Option<OlympiadLevel>,
    pub registration_ends_at: Option<DateTime<Utc>>,
    pub starts_at: Option<DateTime<Utc>>,
    pub ends_at: Option<DateTime<Utc>>,
    pub capacity: Option<Capacity>,
}

impl Olympiad {
    /// The schedule after `patch`, checked as a whole.
    pub fn patched_schedule(&self, patch: &OlympiadPatch) -> DomainResult<Schedule> {
        Schedule::new(
            patch
                .registration_ends_at
                .unwrap_or(self.schedule.registration_ends_at),
            patch.starts_at.unwrap_or(self.schedule.starts_at),
            patch.ends_at.unwrap_or(self.schedule.ends_at),
        )
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct OlympiadQuery {
    pub level: Option<OlympiadLevel>,
    pub status: Option<OlympiadStatus>,
    /// Keyset: olympiads after this id, newest first.
    pub after: Option<Uuid>,
    pub limit: u64,
}

/// A registered user and their attempt, if any.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Participant {
    pub user_id: Uuid,
    pub first_name: String,
    pub last_name: String,
    pub email: String,
    pub registered_at: DateTime<Utc>,
    pub attempt: Option<Attempt>,
}
