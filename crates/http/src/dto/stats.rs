//! `GET /admin/stats`.

use bilim_domain::stats::{Stats, TopCourse};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct StatsQuery {
    /// First day (Tashkent), `YYYY-MM-DD`; 29 days before `to` when absent.
    #[param(value_type = Option<String>, format = Date, example = "2026-11-08")]
    pub from: Option<NaiveDate>,
    /// Last day (Tashkent), `YYYY-MM-DD`, at most 366 days after `from`; today
    /// when absent.
    #[param(value_type = Option<String>, format = Date, example = "2026-12-07")]
    pub to: Option<NaiveDate>,
    /// `json` (the default) or `csv`: the days as a spreadsheet (UTF-8 with a
    /// byte-order mark, for Excel).
    #[param(pattern = "^(json|csv)$")]
    pub format: Option<String>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct StatsUsers {
    /// Every account.
    #[schema(example = 1_000_000)]
    pub total: i64,
    /// Accounts not deactivated.
    #[schema(example = 987_654)]
    pub active: i64,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct StatsGrants {
    /// Course access open now.
    #[schema(example = 3000)]
    pub active: i64,
    /// Of those, the ones ending within 7 days.
    #[schema(example = 120)]
    pub ending_in_7_days: i64,
}

/// What happened on one day (Tashkent).
#[derive(Debug, Serialize, ToSchema)]
pub struct StatsDay {
    #[schema(value_type = String, format = Date, example = "2026-12-07")]
    pub day: NaiveDate,
    pub new_users: i64,
    /// Lessons watched to the end for the first time.
    pub lessons_completed: i64,
    /// Certificates claimed.
    pub certificates: i64,
    /// Orders completed (and not refunded since).
    pub orders: i64,
    /// So'm of those orders.
    #[schema(example = 450_000)]
    pub revenue: i64,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct StatsTopCourse {
    pub course_id: Uuid,
    #[schema(example = "Algebra asoslari")]
    pub title: String,
    /// Users whose access to it is open now.
    pub active_grants: i64,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct StatsResponse {
    #[schema(value_type = String, format = Date)]
    pub from: NaiveDate,
    #[schema(value_type = String, format = Date)]
    pub to: NaiveDate,
    pub users: StatsUsers,
    pub grants: StatsGrants,
    /// Every day of the range, oldest first (days with nothing included).
    pub days: Vec<StatsDay>,
    /// The 10 courses with the most open access, most first.
    pub top_courses: Vec<StatsTopCourse>,
}

impl From<&Stats> for StatsResponse {
    fn from(stats: &Stats) -> Self {
        Self {
            from: stats.range.from(),
            to: stats.range.to(),
            users: StatsUsers {
                total: stats.users_total,
                active: stats.users_active,
            },
            grants: StatsGrants {
                active: stats.grants_active,
                ending_in_7_days: stats.grants_ending_soon,
            },
            days: stats
                .days
                .iter()
                .map(|(day, counts)| StatsDay {
                    day: *day,
                    new_users: counts.new_users,
                    lessons_completed: counts.lessons_completed,
                    certificates: counts.certificates,
                    orders: counts.orders,
                    revenue: counts.revenue,
                })
                .collect(),
            top_courses: stats.top_courses.iter().map(StatsTopCourse::from).collect(),
        }
    }
}

impl From<&TopCourse> for StatsTopCourse {
    fn from(course: &TopCourse) -> Self {
        Self {
            course_id: course.course_id,
            title: course.title.clone(),
            active_grants: course.active_grants,
        }
    }
}

/// The days as CSV: a byte-order mark, a header, one line per day. Only
/// numbers and dates: nothing to quote.
pub fn stats_csv(stats: &Stats) -> String {
    let mut csv =
        String::from("\u{feff}day,new_users,lessons_completed,certificates,orders,revenue\r\n");
    for (day, counts) in &stats.days {
        csv.push_str(&format!(
            "{day},{},{},{},{},{}\r\n",
            counts.new_users,
            counts.lessons_completed,
            counts.certificates,
            counts.orders,
            counts.revenue
        ));
    }
    csv
}
