//! Where data lives: the database, Redis, stored files and the course cache.

use super::DEFAULT_DATABASE_URL;
use super::reader::Reader;
use secrecy::SecretString;
use std::path::PathBuf;

const MAX_COURSE_CACHE_SIZE: usize = 10_000;

impl Reader {
    /// 0 to 10 000 trees (a 10 × 10 course is about 60 KB in memory).
    pub(super) fn course_cache_size(&mut self) -> usize {
        let size = self.parsed(
            "BILIM_COURSE_CACHE_SIZE",
            256usize,
            "a whole number of courses (0 turns the cache off)",
        );
        if size > MAX_COURSE_CACHE_SIZE {
            self.fail("BILIM_COURSE_CACHE_SIZE", "must be at most 10000");
        }
        size
    }

    pub(super) fn database_url(&mut self) -> SecretString {
        let url = self
            .raw("BILIM_DATABASE_URL")
            .unwrap_or(DEFAULT_DATABASE_URL)
            .to_owned();
        if !["sqlite:", "postgres://", "postgresql://"]
            .iter()
            .any(|p| url.starts_with(p))
        {
            self.fail(
                "BILIM_DATABASE_URL",
                "expected sqlite://path?mode=rwc or postgres://user:pass@host:5432/db",
            );
        }
        SecretString::from(url)
    }

    pub(super) fn redis_url(&mut self) -> Option<SecretString> {
        let url = self.raw("BILIM_REDIS_URL")?.to_owned();
        if url.starts_with("rediss://") {
            self.fail(
                "BILIM_REDIS_URL",
                "rediss:// (TLS) is not built into this version; use redis:// on a private network",
            );
        } else if !url.starts_with("redis://") {
            self.fail(
                "BILIM_REDIS_URL",
                "expected redis://[:password@]host:6379[/db]",
            );
        }
        Some(SecretString::from(url))
    }
    pub(super) fn storage_dir(&mut self) -> PathBuf {
        let raw = self
            .raw("BILIM_STORAGE_URL")
            .unwrap_or("./data/files")
            .to_owned();
        if raw.starts_with("s3://") || raw.starts_with("gs://") {
            self.fail(
                "BILIM_STORAGE_URL",
                "object storage (s3://, gs://) is not built into this version yet; use a directory",
            );
        }
        PathBuf::from(raw.strip_prefix("file://").unwrap_or(&raw))
    }
}
