//! `GET /admin/stats`: the dashboard's totals and counts per day.

use crate::ServiceResult;
use bilim_domain::ports::{Clock, StatsRepository};
use bilim_domain::stats::{Stats, StatsRange, today};
use chrono::{Days, NaiveDate};
use std::sync::Arc;

pub struct AdminStats {
    repository: Arc<dyn StatsRepository>,
    clock: Arc<dyn Clock>,
}

impl AdminStats {
    pub fn new(repository: Arc<dyn StatsRepository>, clock: Arc<dyn Clock>) -> Self {
        Self { repository, clock }
    }

    /// Days `from..=to` (Tashkent dates): `to` is today when absent, `from` 29
    /// days before `to`. 400 `validation` (`stats.range`) when `from` is after
    /// `to` or the range is over 366 days.
    pub async fn stats(
        &self,
        from: Option<NaiveDate>,
        to: Option<NaiveDate>,
    ) -> ServiceResult<Stats> {
        let now = self.clock.now();
        let to = to.unwrap_or_else(|| today(now));
        let range = match from {
            Some(from) => StatsRange::new(from, to)?,
            None => StatsRange::new(to - Days::new(29), to)?,
        };
        Ok(self.repository.stats(&range, now).await?)
    }
}
