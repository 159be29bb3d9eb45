//! Stored files (avatars, workbooks, videos, certificates): a local directory by
//! default, or object storage (S3, GCS) behind the same trait; the shape follows
//! object storage (multipart writes, ranged reads, presigned links).

use crate::{DomainError, DomainResult};
use async_trait::async_trait;
use std::fmt;
use std::time::Duration;

/// The name of a stored object: 1..=200 characters of `[A-Za-z0-9._-]` in
/// `/`-separated segments, none empty, `.` or `..`. Safe as a relative path.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct FileKey(String);

impl FileKey {
    pub fn parse(raw: &str) -> DomainResult<Self> {
        let invalid = |message: &str| DomainError::invalid("file_key", "file.key_invalid", message);
        if raw.is_empty() || raw.len() > 200 {
            return Err(invalid("must be 1 to 200 characters"));
        }
        for segment in raw.split('/') {
            if segment.is_empty() || segment == "." || segment == ".." {
                return Err(invalid("has an empty, '.' or '..' segment"));
            }
            let allowed = |c: char| c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-');
            if !segment.chars().all(allowed) {
                return Err(invalid(
                    "may hold only letters, digits, '.', '_', '-' and '/'",
                ));
            }
        }
        Ok(Self(raw.to_owned()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The media type of the object, by its extension: what the API and the
    /// object store both serve it as.
    pub fn content_type(&self) -> &'static str {
        let extension = self
            .0
            .rsplit_once('.')
            .map(|(_, ext)| ext.to_ascii_lowercase());
        match extension.as_deref() {
            Some("pdf") => "application/pdf",
            Some("png") => "image/png",
            Some("jpg" | "jpeg") => "image/jpeg",
            Some("webp") => "image/webp",
            Some("mp4") => "video/mp4",
            Some("webm") => "video/webm",
            _ => "application/octet-stream",
        }
    }
}

impl fmt::Display for FileKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// Inclusive byte range of an object, as in an HTTP `Range` header.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ByteRange {
    pub first: u64,
    pub last: u64,
}

impl ByteRange {
    pub fn len(&self) -> u64 {
        self.last - self.first + 1
    }

    pub fn is_empty(&self) -> bool {
        false
    }
}

/// A byte range as a client asks for it (`Range: bytes=…`), before the object's
/// size is known.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RangeRequest {
    /// `bytes=first-last`
    Bounded { first: u64, last: u64 },
    /// `bytes=first-`
    From { first: u64 },
    /// `bytes=-count`: the last `count` bytes.
    Suffix { count: u64 },
}

impl RangeRequest {
    /// The concrete range within an object of `size` bytes, or `None` when the
    /// request cannot be satisfied (HTTP 416). A `last` past the end is clamped.
    pub fn resolve(self, size: u64) -> Option<ByteRange> {
        if size == 0 {
            return None;
        }
        let (first, last) = match self {
            Self::Bounded { first, last } if first <= last => (first, last.min(size - 1)),
            Self::Bounded { .. } => return None,
            Self::From { first } => (first, size - 1),
            Self::Suffix { count: 0 } => return None,
            Self::Suffix { count } => (size.saturating_sub(count), size - 1),
        };
        (first < size).then_some(ByteRange { first, last })
    }
}

/// A file being written. Nothing is visible under the key until `finish`.
#[async_trait]
pub trait FileWriter: Send {
    async fn write(&mut self, chunk: &[u8]) -> DomainResult<()>;
    /// Publishes the object and returns its size in bytes.
    async fn finish(self: Box<Self>) -> DomainResult<u64>;
    /// Drops everything written so far.
    async fn abort(self: Box<Self>) -> DomainResult<()>;
}

/// A file being read, chunk by chunk, so large files never sit in memory.
#[async_trait]
pub trait FileReader: Send {
    /// Size of the whole object (not of the range being read).
    fn object_size(&self) -> u64;
    /// The next chunk, or `None` at the end of the requested bytes.
    async fn next_chunk(&mut self) -> DomainResult<Option<Vec<u8>>>;
}

#[async_trait]
pub trait FileStore: Send + Sync {
    async fn create(&self, key: &FileKey) -> DomainResult<Box<dyn FileWriter>>;

    /// Opens the object, or the given range of it. `NotFound` when missing,
    /// `Invalid` when the range lies outside the object.
    async fn open(
        &self,
        key: &FileKey,
        range: Option<ByteRange>,
    ) -> DomainResult<Box<dyn FileReader>>;

    /// Size in bytes of a stored object; `NotFound` when missing.
    async fn size(&self, key: &FileKey) -> DomainResult<u64>;

    /// Removes the object; removing a missing object is not an error.
    async fn delete(&self, key: &FileKey) -> DomainResult<()>;

    /// A link that fetches the object straight from the store (an object
    /// store's presigned GET), valid for `ttl`; `None` when the store cannot
    /// sign one and files are served through the API.
    async fn direct_link(&self, key: &FileKey, ttl: Duration) -> DomainResult<Option<String>> {
        let _ = (key, ttl);
        Ok(None)
    }

    /// Writes a small object in one call.
    async fn put(&self, key: &FileKey, bytes: &[u8]) -> DomainResult<u64> {
        let mut writer = self.create(key).await?;
        if let Err(error) = writer.write(bytes).await {
            writer.abort().await?;
            return Err(error);
        }
        writer.finish().await
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accepts_nested_plain_keys() {
        for key in ["a", "avatars/0192-abc.webp", "w/x_y/z.pdf"] {
            assert_eq!(
                FileKey::parse(key).map(|k| k.to_string()),
                Ok(key.to_owned())
            );
        }
    }

    #[test]
    fn refuses_keys_that_could_escape_the_root() {
        let long = "a".repeat(201);
        for key in [
            "",
            "/etc/passwd",
            "a/../b",
            "..",
            "a//b",
            "a/",
            "a\\b",
            "ä",
            "a b",
            &long,
        ] {
            assert!(FileKey::parse(key).is_err(), "{key:?} was accepted");
        }
    }

    #[test]
    fn content_type_follows_the_extension() {
        for (key, expected) in [
            ("workbooks/a.PDF", "application/pdf"),
            ("avatars/x.jpg", "image/jpeg"),
            ("videos/v.webm", "video/webm"),
            ("videos/v.mp4", "video/mp4"),
            ("no-extension", "application/octet-stream"),
        ] {
            assert_eq!(FileKey::parse(key).unwrap().content_type(), expected);
        }
    }

    #[test]
    fn resolves_the_three_range_forms() {
        let range = |first, last| Some(ByteRange { first, last });
        assert_eq!(
            RangeRequest::Bounded { first: 0, last: 9 }.resolve(100),
            range(0, 9)
        );
        assert_eq!(
            RangeRequest::Bounded {
                first: 90,
                last: 500
            }
            .resolve(100),
            range(90, 99)
        );
        assert_eq!(RangeRequest::From { first: 10 }.resolve(100), range(10, 99));
        assert_eq!(
            RangeRequest::Suffix { count: 10 }.resolve(100),
            range(90, 99)
        );
        assert_eq!(
            RangeRequest::Suffix { count: 500 }.resolve(100),
            range(0, 99)
        );
    }

    #[test]
    fn refuses_unsatisfiable_ranges() {
        assert_eq!(RangeRequest::From { first: 100 }.resolve(100), None);
        assert_eq!(
            RangeRequest::Bounded { first: 5, last: 4 }.resolve(100),
            None
        );
        assert_eq!(RangeRequest::Suffix { count: 0 }.resolve(100), None);
        assert_eq!(RangeRequest::From { first: 0 }.resolve(0), None);
    }

    #[test]
    fn range_length_is_inclusive() {
        assert_eq!(ByteRange { first: 0, last: 0 }.len(), 1);
        assert_eq!(
            ByteRange {
                first: 10,
                last: 19
            }
            .len(),
            10
        );
    }
}
