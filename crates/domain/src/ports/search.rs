//! The search index over the published catalogue (`crate::search`).

use crate::DomainResult;
use crate::search::{SearchHit, SearchPlan};
use async_trait::async_trait;

#[async_trait]
pub trait SearchIndex: Send + Sync {
    /// Indexed words that may be one typo from one of `words` (the caller
    /// keeps those that are): a superset, bounded, in one round trip.
    async fn neighbours(&self, words: &[String]) -> DomainResult<Vec<String>>;

    /// Published courses and lessons, and olympiads, matching every term of `plan`, best
    /// first, at most `plan.limit`.
    async fn search(&self, plan: &SearchPlan) -> DomainResult<Vec<SearchHit>>;
}
