//! The S3-compatible server that object-storage tests run against
//! (`scripts/s3-suite.sh` starts moto's): `TEST_S3_ENDPOINT` is its URL and
//! `TEST_S3_BUCKET` a bucket that exists (default `bilim-test`). Each test
//! works under a fresh prefix, so runs never see each other's objects.

/// A fresh prefix in the test bucket and the settings that reach it.
#[derive(Debug, Clone)]
pub struct TestBucket {
    /// `s3://{bucket}/test-{uuid}`, as `BILIM_STORAGE_URL` takes it.
    pub url: String,
    /// The `AWS_*` variables object_store reads (endpoint, region, keys).
    pub options: Vec<(String, String)>,
}

impl TestBucket {
    /// `None` (after saying the test was skipped) without `TEST_S3_ENDPOINT`.
    pub fn fresh(test: &str) -> Option<Self> {
        let Some(endpoint) = std::env::var("TEST_S3_ENDPOINT")
            .ok()
            .filter(|e| !e.is_empty())
        else {
            println!("skipped {test}: TEST_S3_ENDPOINT is not set");
            return None;
        };
        Some(Self::at(&endpoint))
    }

    /// A fresh prefix on the server at `endpoint` (`http://host:port`).
    pub fn at(endpoint: &str) -> Self {
        let bucket = std::env::var("TEST_S3_BUCKET").unwrap_or_else(|_| "bilim-test".to_owned());
        let options = [
            ("AWS_ENDPOINT", endpoint),
            ("AWS_ALLOW_HTTP", "true"),
            ("AWS_REGION", "us-east-1"),
            ("AWS_ACCESS_KEY_ID", "bilim-test"),
            ("AWS_SECRET_ACCESS_KEY", "bilim-test-secret"),
        ];
        Self {
            url: format!("s3://{bucket}/test-{}", uuid::Uuid::new_v4().simple()),
            options: options
                .iter()
                .map(|(name, value)| ((*name).to_owned(), (*value).to_owned()))
                .collect(),
        }
    }

    /// The endpoint's `host:port`, to put a relay in front of.
    pub fn authority(&self) -> Option<String> {
        let endpoint = self.option("AWS_ENDPOINT")?;
        let (_, rest) = endpoint.split_once("://")?;
        Some(rest.trim_end_matches('/').to_owned())
    }

    pub fn option(&self, name: &str) -> Option<&str> {
        self.options
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }

    /// The same prefix reached through another endpoint (a relay).
    pub fn through(&self, endpoint: &str) -> Self {
        let mut other = self.clone();
        for (name, value) in &mut other.options {
            if name == "AWS_ENDPOINT" {
                *value = endpoint.to_owned();
            }
        }
        other
    }
}
