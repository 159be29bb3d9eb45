//! Stored files reached through signed, expiring links: `{key}.{expiry}.{mac}`,
//! each part base64url, the MAC an HMAC-SHA256 over key and expiry. A forged,
//! altered or expired link is indistinguishable from a missing file (404).
//! Downloads (videos, workbooks, certificates) go straight to an object store
//! instead, by its own presigned link, when the store can sign one.

use crate::crypto::{derive_key, mac, mac_matches};
use crate::{ServiceError, ServiceResult};
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use bilim_domain::ports::{ByteRange, Clock, FileKey, FileReader, FileStore, RangeRequest};
use chrono::{DateTime, Duration, Utc};
use std::sync::Arc;

/// Signs and checks file references. Its key is derived from the server secret
/// so a file link can never double as any other signed value.
#[derive(Clone)]
pub struct FileLinks {
    key: Arc<[u8]>,
}

impl FileLinks {
    pub fn new(secret: &[u8]) -> Self {
        Self {
            key: derive_key(secret, "file-links/v1").into(),
        }
    }

    pub fn sign(&self, key: &FileKey, expires_at: DateTime<Utc>) -> String {
        let expiry = expires_at.timestamp().to_string();
        let tag = mac(
            &self.key,
            &[key.as_str().as_bytes(), b"\n", expiry.as_bytes()],
        );
        format!(
            "{}.{}.{}",
            URL_SAFE_NO_PAD.encode(key.as_str()),
            expiry,
            URL_SAFE_NO_PAD.encode(tag)
        )
    }

    /// The key a link names, when the link is genuine and not expired at `now`.
    pub fn verify(&self, token: &str, now: DateTime<Utc>) -> Option<FileKey> {
        let mut parts = token.splitn(3, '.');
        let (encoded_key, expiry, encoded_mac) = (parts.next()?, parts.next()?, parts.next()?);
        let raw_key = String::from_utf8(URL_SAFE_NO_PAD.decode(encoded_key).ok()?).ok()?;
        let tag = URL_SAFE_NO_PAD.decode(encoded_mac).ok()?;
        // Constant-time comparison of the MAC, before anything else is trusted.
        if !mac_matches(
            &self.key,
            &[raw_key.as_bytes(), b"\n", expiry.as_bytes()],
            &tag,
        ) {
            return None;
        }
        let expires_at = DateTime::from_timestamp(expiry.parse().ok()?, 0)?;
        if now >= expires_at {
            return None;
        }
        FileKey::parse(&raw_key).ok()
    }
}

/// A link handed to a client.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SignedLink {
    pub url: String,
    pub expires_at: DateTime<Utc>,
}

/// What a signed link opens to.
pub enum FileDownload {
    Whole {
        key: FileKey,
        reader: Box<dyn FileReader>,
    },
    Partial {
        key: FileKey,
        reader: Box<dyn FileReader>,
        range: ByteRange,
    },
    /// The file exists but the requested range lies outside it (HTTP 416).
    Unsatisfiable { size: u64 },
}

#[derive(Clone)]
pub struct FileService {
    store: Arc<dyn FileStore>,
    clock: Arc<dyn Clock>,
    links: FileLinks,
    link_base: String,
}

impl FileService {
    pub fn new(
        store: Arc<dyn FileStore>,
        clock: Arc<dyn Clock>,
        secret: &[u8],
        link_base: String,
    ) -> Self {
        Self {
            store,
            clock,
            links: FileLinks::new(secret),
            link_base,
        }
    }

    /// The store links point into, for services that also write files.
    pub(crate) fn store(&self) -> &Arc<dyn FileStore> {
        &self.store
    }

    /// A link to `key` that works for `ttl` from now.
    pub fn link(&self, key: &FileKey, ttl: Duration) -> SignedLink {
        let expires_at = self.clock.now() + ttl;
        SignedLink {
            url: format!("{}{}", self.link_base, self.links.sign(key, expires_at)),
            expires_at,
        }
    }

    /// A link for a download that may be large: the store's own presigned link
    /// when it can sign one, so the bytes never pass through this server;
    /// otherwise (or when signing fails, which is logged) a link through the API.
    pub async fn download_link(&self, key: &FileKey, ttl: Duration) -> SignedLink {
        let expires_at = self.clock.now() + ttl;
        match self
            .store
            .direct_link(key, ttl.to_std().unwrap_or_default())
            .await
        {
            Ok(Some(url)) => SignedLink { url, expires_at },
            Ok(None) => self.link(key, ttl),
            Err(error) => {
                tracing::warn!(%error, %key, "presigning failed; linking through the API");
                self.link(key, ttl)
            }
        }
    }

    /// Opens the file a link names, or the requested range of it.
    #[tracing::instrument(skip_all)]
    pub async fn open_signed(
        &self,
        token: &str,
        range: Option<RangeRequest>,
    ) -> ServiceResult<FileDownload> {
        let not_found = ServiceError::NotFound {
            code: "file.not_found",
        };
        let key = self
            .links
            .verify(token, self.clock.now())
            .ok_or(not_found)?;
        let Some(range) = range else {
            let reader = self.store.open(&key, None).await.map_err(file_error)?;
            return Ok(FileDownload::Whole { key, reader });
        };
        let size = self.store.size(&key).await.map_err(file_error)?;
        let Some(range) = range.resolve(size) else {
            return Ok(FileDownload::Unsatisfiable { size });
        };
        let reader = self
            .store
            .open(&key, Some(range))
            .await
            .map_err(file_error)?;
        Ok(FileDownload::Partial { key, reader, range })
    }
}

fn file_error(error: bilim_domain::DomainError) -> ServiceError {
    match error {
        bilim_domain::DomainError::NotFound => ServiceError::NotFound {
            code: "file.not_found",
        },
        other => other.into(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn links() -> FileLinks {
        FileLinks::new(b"a test secret of at least thirty-two bytes!!")
    }

    fn key() -> FileKey {
        FileKey::parse("workbooks/algebra.pdf").unwrap()
    }

    #[test]
    fn a_signed_link_opens_until_it_expires() {
        let now = Utc::now();
        let token = links().sign(&key(), now + Duration::minutes(15));
        assert_eq!(links().verify(&token, now), Some(key()));
        assert_eq!(links().verify(&token, now + Duration::minutes(15)), None);
    }

    #[test]
    fn a_changed_key_expiry_or_mac_is_refused() {
        let now = Utc::now();
        let token = links().sign(&key(), now + Duration::minutes(15));
        let parts: Vec<&str> = token.split('.').collect();
        let other_key = URL_SAFE_NO_PAD.encode("workbooks/other.pdf");
        let later = (now + Duration::days(365)).timestamp().to_string();
        for forged in [
            format!("{other_key}.{}.{}", parts[1], parts[2]),
            format!("{}.{later}.{}", parts[0], parts[2]),
            format!(
                "{}.{}.{}",
                parts[0],
                parts[1],
                URL_SAFE_NO_PAD.encode([0u8; 32])
            ),
            format!("{}.{}", parts[0], parts[1]),
            "garbage".to_owned(),
            String::new(),
        ] {
            assert_eq!(links().verify(&forged, now), None, "{forged} was accepted");
        }
    }

    #[test]
    fn another_secret_cannot_verify() {
        let now = Utc::now();
        let token = links().sign(&key(), now + Duration::minutes(15));
        let other = FileLinks::new(b"another secret of at least thirty-two bytes!");
        assert_eq!(other.verify(&token, now), None);
    }
}
