//! Prometheus metrics: request count and latency by route pattern, method and
//! status. Route patterns (`/api/v1/files/{signed}`), never raw paths, keep the
//! label set small; unmatched paths share one label, and a method that is not
//! a standard one is `other` (a client may send any token as its method).

use prometheus::{
    Encoder, HistogramOpts, HistogramVec, IntCounterVec, Opts, Registry, TextEncoder,
};
use std::time::Duration;

#[derive(Clone)]
pub struct Metrics {
    registry: Registry,
    requests: IntCounterVec,
    latency: HistogramVec,
}

const LABELS: [&str; 3] = ["method", "route", "status"];
const BUCKETS: [f64; 12] = [
    0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 10.0,
];

impl Metrics {
    pub fn new() -> Result<Self, prometheus::Error> {
        let registry = Registry::new_custom(Some("bilim".into()), None)?;
        let requests = IntCounterVec::new(
            Opts::new("http_requests_total", "HTTP requests answered"),
            &LABELS,
        )?;
        let latency = HistogramVec::new(
            HistogramOpts::new(
                "http_request_duration_seconds",
                "Time to answer an HTTP request",
            )
            .buckets(BUCKETS.to_vec()),
            &LABELS,
        )?;
        registry.register(Box::new(requests.clone()))?;
        registry.register(Box::new(latency.clone()))?;
        Ok(Self {
            registry,
            requests,
            latency,
        })
    }

    pub fn observe(&self, method: &str, route: &str, status: u16, elapsed: Duration) {
        let status = status.to_string();
        let labels = [method_label(method), route, status.as_str()];
        self.requests.with_label_values(&labels).inc();
        self.latency
            .with_label_values(&labels)
            .observe(elapsed.as_secs_f64());
    }

    /// The text exposition format.
    pub fn render(&self) -> String {
        let mut buffer = Vec::new();
        // Encoding our own metric families into a Vec cannot fail.
        let _ = TextEncoder::new().encode(&self.registry.gather(), &mut buffer);
        String::from_utf8(buffer).unwrap_or_default()
    }
}

/// The method as a label: one of the standard methods, else `other`.
fn method_label(method: &str) -> &str {
    const KNOWN: [&str; 9] = [
        "GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS", "TRACE", "CONNECT",
    ];
    KNOWN
        .into_iter()
        .find(|known| *known == method)
        .unwrap_or("other")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_and_times_by_route() {
        let metrics = Metrics::new().unwrap();
        metrics.observe("GET", "/health/live", 200, Duration::from_millis(3));
        metrics.observe("GET", "/health/live", 200, Duration::from_millis(4));
        let text = metrics.render();
        assert!(
            text.contains(
                r#"bilim_http_requests_total{method="GET",route="/health/live",status="200"} 2"#
            ),
            "{text}"
        );
        assert!(text.contains("bilim_http_request_duration_seconds_bucket"));
    }

    #[test]
    fn a_made_up_method_is_labelled_other() {
        let metrics = Metrics::new().unwrap();
        for n in 0..50 {
            let method = format!("X{}", "Y".repeat(1000 + n));
            metrics.observe(&method, "unmatched", 405, Duration::from_millis(1));
        }
        let text = metrics.render();
        assert!(!text.contains("YYYY"), "a raw method became a label");
        assert!(
            text.contains(
                r#"bilim_http_requests_total{method="other",route="unmatched",status="405"} 50"#
            ),
            "{text}"
        );
    }
}
