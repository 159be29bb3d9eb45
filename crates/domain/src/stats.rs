//! The admin dashboard's statistics (`GET /admin/stats`): totals now and counts
//! per day over a range of days. Days are Tashkent's (UTC+5, no daylight
//! saving), the platform's one time zone.

use crate::{DomainError, DomainResult};
use chrono::{DateTime, Days, FixedOffset, NaiveDate, NaiveTime, TimeDelta, Utc};
use uuid::Uuid;

/// The longest range, in days.
pub const MAX_DAYS: u64 = 366;
/// Tashkent's offset from UTC, in hours.
pub const TASHKENT_HOURS: i32 = 5;
/// Grants ending within this many days count as ending soon.
pub const ENDING_SOON_DAYS: i64 = 7;
/// Courses in `top_courses`.
pub const TOP_COURSES: u64 = 10;

const TASHKENT: FixedOffset = match FixedOffset::east_opt(TASHKENT_HOURS * 3600) {
    Some(offset) => offset,
    None => panic!("UTC+5 is a valid offset"),
};

/// Today in Tashkent at `now`.
pub fn today(now: DateTime<Utc>) -> NaiveDate {
    now.with_timezone(&TASHKENT).date_naive()
}

/// Days `from..=to`, both Tashkent dates.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct StatsRange {
    from: NaiveDate,
    to: NaiveDate,
}

impl StatsRange {
    /// `Invalid` when `from` is after `to` or the range is over [`MAX_DAYS`].
    pub fn new(from: NaiveDate, to: NaiveDate) -> DomainResult<Self> {
        if from > to {
            return Err(DomainError::invalid(
                "from",
                "stats.range",
                "must not be after `to`",
            ));
        }
        if (to - from).num_days() >= MAX_DAYS as i64 {
            return Err(DomainError::invalid(
                "to",
                "stats.range",
                format!("the range must be at most {MAX_DAYS} days"),
            ));
        }
        Ok(Self { from, to })
    }

    /// The last 30 days up to `today`.
    pub fn last_30_days(today: NaiveDate) -> Self {
        Self {
            from: today - Days::new(29),
            to: today,
        }
    }

    pub fn from(&self) -> NaiveDate {
        self.from
    }

    pub fn to(&self) -> NaiveDate {
        self.to
    }

    /// The first instant of the range.
    pub fn starts_at(&self) -> DateTime<Utc> {
        midnight(self.from)
    }

    /// The first instant after the range.
    pub fn ends_before(&self) -> DateTime<Utc> {
        midnight(self.to + Days::new(1))
    }

    pub fn days(&self) -> impl Iterator<Item = NaiveDate> + use<> {
        let (from, to) = (self.from, self.to);
        from.iter_days().take_while(move |day| *day <= to)
    }
}

/// The first instant of `day` in Tashkent.
fn midnight(day: NaiveDate) -> DateTime<Utc> {
    day.and_time(NaiveTime::MIN).and_utc() - TimeDelta::hours(i64::from(TASHKENT_HOURS))
}

/// What happened on one day.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct DayStats {
    pub new_users: i64,
    pub lessons_completed: i64,
    pub certificates: i64,
    pub orders: i64,
    /// So'm of the orders completed that day (and not refunded since).
    pub revenue: i64,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TopCourse {
    pub course_id: Uuid,
    pub title: String,
    pub active_grants: i64,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Stats {
    pub range: StatsRange,
    pub users_total: i64,
    pub users_active: i64,
    pub grants_active: i64,
    pub grants_ending_soon: i64,
    /// One entry per day of the range, oldest first.
    pub days: Vec<(NaiveDate, DayStats)>,
    pub top_courses: Vec<TopCourse>,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(text: &str) -> NaiveDate {
        text.parse().unwrap()
    }

    #[test]
    fn a_range_is_ordered_and_at_most_366_days() {
        assert!(StatsRange::new(day("2026-12-02"), day("2026-12-01")).is_err());
        assert!(StatsRange::new(day("2026-01-01"), day("2027-01-01")).is_ok());
        assert!(StatsRange::new(day("2026-01-01"), day("2027-01-02")).is_err());
        let one = StatsRange::new(day("2026-12-01"), day("2026-12-01")).unwrap();
        assert_eq!(one.days().count(), 1);
    }

    #[test]
    fn days_are_tashkent_days() {
        let range = StatsRange::new(day("2026-12-01"), day("2026-12-02")).unwrap();
        assert_eq!(range.starts_at().to_rfc3339(), "2026-11-30T19:00:00+00:00");
        assert_eq!(
            range.ends_before().to_rfc3339(),
            "2026-12-02T19:00:00+00:00"
        );
        let evening: DateTime<Utc> = "2026-12-07T20:30:00Z".parse().unwrap();
        assert_eq!(today(evening), day("2026-12-08"));
    }
}
