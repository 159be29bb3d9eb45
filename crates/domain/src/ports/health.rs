//! A dependency that readiness checks ask whether it answers.

use crate::DomainResult;
use async_trait::async_trait;

#[async_trait]
pub trait HealthProbe: Send + Sync {
    /// Short stable name shown in the readiness report (`database`, `redis`).
    fn name(&self) -> &'static str;

    /// Answers `Ok` when the dependency serves requests right now. Callers put
    /// their own deadline around it.
    async fn check(&self) -> DomainResult<()>;
}
