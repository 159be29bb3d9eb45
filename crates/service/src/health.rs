//! Readiness: asks every configured dependency, all at once, each under a
//! deadline, so a dead database or Redis turns the answer to "not ready" in well
//! under two seconds instead of hanging.

use bilim_domain::ports::HealthProbe;
use futures_util::future::join_all;
use std::sync::Arc;
use std::time::Duration;

const PROBE_DEADLINE: Duration = Duration::from_millis(1500);

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProbeReport {
    pub name: &'static str,
    pub ok: bool,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Readiness {
    pub ready: bool,
    pub checks: Vec<ProbeReport>,
}

#[derive(Clone)]
pub struct HealthService {
    probes: Vec<Arc<dyn HealthProbe>>,
}

impl HealthService {
    pub fn new(probes: Vec<Arc<dyn HealthProbe>>) -> Self {
        Self { probes }
    }

    pub async fn readiness(&self) -> Readiness {
        let checks = join_all(self.probes.iter().map(|probe| async move {
            let ok = match tokio::time::timeout(PROBE_DEADLINE, probe.check()).await {
                Ok(Ok(())) => true,
                Ok(Err(error)) => {
                    tracing::warn!(dependency = probe.name(), %error, "readiness check failed");
                    false
                }
                Err(_) => {
                    tracing::warn!(dependency = probe.name(), "readiness check timed out");
                    false
                }
            };
            ProbeReport {
                name: probe.name(),
                ok,
            }
        }))
        .await;
        Readiness {
            ready: checks.iter().all(|check| check.ok),
            checks,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use async_trait::async_trait;
    use bilim_domain::{DomainError, DomainResult};

    struct Answers(Option<bool>);

    #[async_trait]
    impl HealthProbe for Answers {
        fn name(&self) -> &'static str {
            "test"
        }
        async fn check(&self) -> DomainResult<()> {
            match self.0 {
                Some(true) => Ok(()),
                Some(false) => Err(DomainError::unavailable("test", "refused")),
                None => std::future::pending().await,
            }
        }
    }

    async fn readiness_of(answers: &[Option<bool>]) -> Readiness {
        let probes = answers
            .iter()
            .map(|a| Arc::new(Answers(*a)) as Arc<dyn HealthProbe>)
            .collect();
        HealthService::new(probes).readiness().await
    }

    #[tokio::test]
    async fn ready_only_when_every_probe_answers() {
        assert!(readiness_of(&[Some(true), Some(true)]).await.ready);
        assert!(!readiness_of(&[Some(true), Some(false)]).await.ready);
    }

    #[tokio::test]
    async fn a_hanging_probe_is_cut_off_before_two_seconds() {
        let started = std::time::Instant::now();
        let readiness = readiness_of(&[None, Some(true)]).await;
        assert!(!readiness.ready);
        assert_eq!(readiness.checks.iter().filter(|c| c.ok).count(), 1);
        assert!(started.elapsed() < Duration::from_secs(2));
    }
}
