//! The dashboard's counts (`crate::stats`).

use crate::DomainResult;
use crate::stats::{Stats, StatsRange};
use async_trait::async_trait;
use chrono::{DateTime, Utc};

#[async_trait]
pub trait StatsRepository: Send + Sync {
    /// Totals at `now` and the counts of each day of `range` (days with
    /// nothing included), from indexed queries.
    async fn stats(&self, range: &StatsRange, now: DateTime<Utc>) -> DomainResult<Stats>;
}
