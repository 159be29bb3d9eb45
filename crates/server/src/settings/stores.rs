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
    /// A directory (`./data/files`, `file:///srv/files`) or a bucket
    /// (`s3://bucket/prefix`, `gs://bucket/prefix`) with the `AWS_*` /
    /// `GOOGLE_*` variables object_store reads.
    /// 1 to 64 visible characters; `bilim:` by default.
    pub(super) fn redis_key_prefix(&mut self) -> String {
        let prefix = self
            .raw("BILIM_REDIS_KEY_PREFIX")
            .unwrap_or("bilim:")
            .to_owned();
        if prefix.len() > 64 || !prefix.chars().all(|c| c.is_ascii_graphic()) {
            self.fail(
                "BILIM_REDIS_KEY_PREFIX",
                "expected 1 to 64 visible ASCII characters, e.g. bilim:",
            );
        }
        prefix
    }

    pub(super) fn storage(&mut self) -> Storage {
        let raw = self
            .raw("BILIM_STORAGE_URL")
            .unwrap_or("./data/files")
            .to_owned();
        let direct_links = self.parsed("BILIM_STORAGE_DIRECT_LINKS", true, "true or false");
        let Some((scheme, rest)) = raw.split_once("://").filter(|(s, _)| *s != "file") else {
            return Storage::Directory(PathBuf::from(raw.strip_prefix("file://").unwrap_or(&raw)));
        };
        let bucket = rest.split('/').next().unwrap_or_default();
        if !matches!(scheme, "s3" | "gs") || bucket.is_empty() {
            self.fail(
                "BILIM_STORAGE_URL",
                "expected a directory, s3://bucket[/prefix] or gs://bucket[/prefix]",
            );
        }
        let options = self
            .object_store_vars
            .iter()
            .map(|(name, value)| (name.clone(), SecretString::from(value.clone())))
            .collect();
        Storage::Object {
            url: raw,
            options,
            direct_links,
        }
    }
}

/// Where stored files live.
#[derive(Debug, Clone)]
pub enum Storage {
    Directory(PathBuf),
    Object {
        /// `s3://bucket/prefix` or `gs://bucket/prefix`.
        url: String,
        /// `AWS_*` and `GOOGLE_*` variables (endpoint, region, keys, …).
        options: Vec<(String, SecretString)>,
        /// Downloads by the store's presigned links (`BILIM_STORAGE_DIRECT_LINKS`).
        direct_links: bool,
    },
}
