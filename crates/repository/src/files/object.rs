//! File storage in an object store (`BILIM_STORAGE_URL=s3://bucket/prefix` or
//! `gs://bucket/prefix`) through the `object_store` crate. A small file is one
//! PUT; a larger one a multipart upload of 8 MiB parts, which the store
//! publishes only when it completes, so nothing is visible before `finish`.
//! Reads are one GET, ranged when asked, streamed. Every call has a deadline, so
//! a hung store fails a request with 503 (`storage`) instead of holding it.

use async_trait::async_trait;
use bilim_domain::ports::{ByteRange, FileKey, FileReader, FileStore, FileWriter};
use bilim_domain::{DomainError, DomainResult};
use bytes::Bytes;
use futures_util::StreamExt;
use futures_util::stream::BoxStream;
use object_store::aws::{AmazonS3Builder, AmazonS3ConfigKey};
use object_store::gcp::{GoogleCloudStorageBuilder, GoogleConfigKey};
use object_store::path::Path;
use object_store::signer::Signer;
use object_store::{
    Attribute, Attributes, BackoffConfig, ClientConfigKey, ClientOptions, GetOptions, GetRange,
    MultipartUpload, ObjectStore, ObjectStoreExt, PutPayload, RetryConfig,
};
use std::future::Future;
use std::str::FromStr;
use std::sync::Arc;
use std::time::Duration;

const SERVICE: &str = "storage";

/// Size of each part of a multipart upload (S3 wants at least 5 MiB for all
/// but the last); also the most an upload holds in memory.
const PART_SIZE: usize = 8 * 1024 * 1024;

/// Makes ring rustls's process-wide crypto provider, which object_store's HTTP
/// client (reqwest without a provider of its own) needs before it is built;
/// ring is the provider lettre and sqlx use too. Idempotent; the server calls
/// it at start, since every reqwest client in the process needs it.
pub fn use_ring_for_tls() {
    let _ = rustls::crypto::ring::default_provider().install_default();
}

/// How long each call to the store may take.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Deadlines {
    /// A call that moves no file bytes: HEAD, DELETE, a GET until its first
    /// byte, starting or aborting an upload, signing a link.
    pub call: Duration,
    /// One part of an upload (or a whole small file), completing an upload,
    /// and each wait for the next chunk of a download.
    pub transfer: Duration,
}

impl Default for Deadlines {
    fn default() -> Self {
        Self {
            call: Duration::from_secs(5),
            transfer: Duration::from_secs(60),
        }
    }
}

/// An S3 or GCS bucket, optionally under a prefix.
pub struct ObjectFileStore {
    store: Arc<dyn ObjectStore>,
    /// `None` when direct links are turned off: files go through the API.
    signer: Option<Arc<dyn Signer>>,
    /// `""` or `prefix/`.
    prefix: String,
    deadlines: Deadlines,
    /// `scheme://bucket/prefix`, for logs.
    shown: String,
}

impl ObjectFileStore {
    /// `url` is `s3://bucket[/prefix]` or `gs://bucket[/prefix]`. `options` are
    /// the store's settings by the names `object_store` reads from the
    /// environment (`AWS_ENDPOINT`, `AWS_REGION`, `AWS_ACCESS_KEY_ID`,
    /// `AWS_SECRET_ACCESS_KEY`, `AWS_ALLOW_HTTP`, `GOOGLE_SERVICE_ACCOUNT`, …);
    /// names it does not know are ignored. Nothing is contacted until first use.
    pub fn connect(url: &str, options: &[(String, String)]) -> DomainResult<Self> {
        let invalid = |message: &str| DomainError::invalid("storage_url", "invalid_url", message);
        let (scheme, rest) = url
            .split_once("://")
            .ok_or_else(|| invalid("expected s3://bucket/prefix or gs://bucket/prefix"))?;
        let (bucket, prefix) = rest.split_once('/').unwrap_or((rest, ""));
        let prefix = prefix.trim_matches('/');
        if bucket.is_empty() {
            return Err(invalid("names no bucket"));
        }
        if !prefix.is_empty() {
            FileKey::parse(prefix).map_err(|_| {
                invalid("the prefix may hold only letters, digits, '.', '_', '-' and '/'")
            })?;
        }
        use_ring_for_tls();
        let built = |error: object_store::Error| {
            DomainError::invalid("storage_url", "invalid_url", error.to_string())
        };
        let (store, signer): (Arc<dyn ObjectStore>, Arc<dyn Signer>) = match scheme {
            "s3" => {
                let (keys, client) = split_options(options, |key| match key {
                    AmazonS3ConfigKey::Client(key) => Some(*key),
                    _ => None,
                });
                let builder = keys
                    .into_iter()
                    .fold(AmazonS3Builder::new(), |b, (key, value)| {
                        b.with_config(key, value)
                    });
                let s3 = Arc::new(
                    builder
                        .with_bucket_name(bucket)
                        .with_client_options(client)
                        .with_retry(retry())
                        .build()
                        .map_err(built)?,
                );
                (s3.clone(), s3)
            }
            "gs" => {
                let (keys, client) = split_options(options, |key| match key {
                    GoogleConfigKey::Client(key) => Some(*key),
                    _ => None,
                });
                let builder = keys
                    .into_iter()
                    .fold(GoogleCloudStorageBuilder::new(), |b, (key, value)| {
                        b.with_config(key, value)
                    });
                let gcs = Arc::new(
                    builder
                        .with_bucket_name(bucket)
                        .with_client_options(client)
                        .with_retry(retry())
                        .build()
                        .map_err(built)?,
                );
                (gcs.clone(), gcs)
            }
            _ => return Err(invalid("the scheme must be s3 or gs")),
        };
        Ok(Self {
            store,
            signer: Some(signer),
            prefix: if prefix.is_empty() {
                String::new()
            } else {
                format!("{prefix}/")
            },
            deadlines: Deadlines::default(),
            shown: format!("{scheme}://{bucket}/{prefix}"),
        })
    }

    pub fn with_deadlines(mut self, deadlines: Deadlines) -> Self {
        self.deadlines = deadlines;
        self
    }

    /// Hands out no presigned links, for stores clients cannot reach: every
    /// download goes through the API.
    pub fn without_direct_links(mut self) -> Self {
        self.signer = None;
        self
    }

    fn path_of(&self, key: &FileKey) -> DomainResult<Path> {
        Path::parse(format!("{}{}", self.prefix, key.as_str()))
            .map_err(|e| DomainError::internal(format!("object path: {e}")))
    }
}

impl std::fmt::Debug for ObjectFileStore {
    // The store's own Debug may show credentials.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ObjectFileStore")
            .field("url", &self.shown)
            .field("direct_links", &self.signer.is_some())
            .field("deadlines", &self.deadlines)
            .finish_non_exhaustive()
    }
}

/// The options that configure the store, parsed, and the HTTP client's own
/// (`AWS_ALLOW_HTTP`, timeouts, proxies) applied over this adapter's defaults.
fn split_options<K: FromStr>(
    options: &[(String, String)],
    client_key: impl Fn(&K) -> Option<ClientConfigKey>,
) -> (Vec<(K, String)>, ClientOptions) {
    let mut client = ClientOptions::new()
        .with_connect_timeout(Duration::from_secs(5))
        // No limit on a whole request: a download streams for as long as its
        // client reads; each wait for the store is bounded by `Deadlines`.
        .with_timeout_disabled();
    let mut keys = Vec::new();
    for (name, value) in options {
        let Ok(key) = name.to_ascii_lowercase().parse::<K>() else {
            continue;
        };
        match client_key(&key) {
            Some(client_key) => client = client.with_config(client_key, value),
            None => keys.push((key, value.clone())),
        }
    }
    (keys, client)
}

/// A failed call is retried twice, within 10 s, before it counts as failed.
fn retry() -> RetryConfig {
    RetryConfig {
        backoff: BackoffConfig::default(),
        max_retries: 2,
        retry_timeout: Duration::from_secs(10),
    }
}

/// Runs one call to the store within `limit`.
async fn within<T>(
    limit: Duration,
    call: impl Future<Output = object_store::Result<T>>,
) -> DomainResult<T> {
    match tokio::time::timeout(limit, call).await {
        Ok(result) => result.map_err(store_error),
        Err(_) => Err(DomainError::unavailable(
            SERVICE,
            format!("no answer within {limit:?}"),
        )),
    }
}

fn store_error(error: object_store::Error) -> DomainError {
    match error {
        object_store::Error::NotFound { .. } => DomainError::NotFound,
        other => DomainError::unavailable(SERVICE, other),
    }
}

fn attributes_of(key: &FileKey) -> Attributes {
    let mut attributes = Attributes::new();
    attributes.insert(Attribute::ContentType, key.content_type().into());
    attributes
}

#[async_trait]
impl FileStore for ObjectFileStore {
    async fn create(&self, key: &FileKey) -> DomainResult<Box<dyn FileWriter>> {
        Ok(Box::new(ObjectWriter {
            store: Arc::clone(&self.store),
            path: self.path_of(key)?,
            attributes: attributes_of(key),
            deadlines: self.deadlines,
            buffer: Vec::new(),
            upload: None,
            written: 0,
        }))
    }

    async fn open(
        &self,
        key: &FileKey,
        range: Option<ByteRange>,
    ) -> DomainResult<Box<dyn FileReader>> {
        let options = GetOptions {
            range: range.map(|r| GetRange::Bounded(r.first..r.last + 1)),
            ..GetOptions::default()
        };
        let path = self.path_of(key)?;
        let result = within(self.deadlines.call, self.store.get_opts(&path, options)).await?;
        let object_size = result.meta.size;
        if range.is_some_and(|range| range.last >= object_size) {
            return Err(DomainError::invalid(
                "range",
                "file.range_invalid",
                "range lies outside the file",
            ));
        }
        Ok(Box::new(ObjectReader {
            object_size,
            remaining: result.range.end - result.range.start,
            wait: self.deadlines.transfer,
            stream: result.into_stream(),
        }))
    }

    async fn size(&self, key: &FileKey) -> DomainResult<u64> {
        let path = self.path_of(key)?;
        let meta = within(self.deadlines.call, self.store.head(&path)).await?;
        Ok(meta.size)
    }

    async fn delete(&self, key: &FileKey) -> DomainResult<()> {
        let path = self.path_of(key)?;
        match within(self.deadlines.call, self.store.delete(&path)).await {
            Err(DomainError::NotFound) => Ok(()),
            other => other,
        }
    }

    async fn direct_link(&self, key: &FileKey, ttl: Duration) -> DomainResult<Option<String>> {
        let Some(signer) = &self.signer else {
            return Ok(None);
        };
        let path = self.path_of(key)?;
        let url = within(
            self.deadlines.call,
            signer.signed_url(http::Method::GET, &path, ttl),
        )
        .await?;
        Ok(Some(url.to_string()))
    }
}

struct ObjectWriter {
    store: Arc<dyn ObjectStore>,
    path: Path,
    attributes: Attributes,
    deadlines: Deadlines,
    /// Bytes not yet sent: less than one part.
    buffer: Vec<u8>,
    /// Started when the first full part is ready.
    upload: Option<Box<dyn MultipartUpload>>,
    written: u64,
}

impl ObjectWriter {
    async fn send_part(&mut self, part: Vec<u8>) -> DomainResult<()> {
        let upload = match &mut self.upload {
            Some(upload) => upload,
            None => {
                let started = self
                    .store
                    .put_multipart_opts(&self.path, self.attributes.clone().into());
                self.upload
                    .insert(within(self.deadlines.call, started).await?)
            }
        };
        within(
            self.deadlines.transfer,
            upload.put_part(PutPayload::from(part)),
        )
        .await
    }
}

#[async_trait]
impl FileWriter for ObjectWriter {
    async fn write(&mut self, chunk: &[u8]) -> DomainResult<()> {
        self.buffer.extend_from_slice(chunk);
        self.written += chunk.len() as u64;
        while self.buffer.len() >= PART_SIZE {
            let rest = self.buffer.split_off(PART_SIZE);
            let part = std::mem::replace(&mut self.buffer, rest);
            self.send_part(part).await?;
        }
        Ok(())
    }

    async fn finish(mut self: Box<Self>) -> DomainResult<u64> {
        let last = std::mem::take(&mut self.buffer);
        if self.upload.is_none() {
            let payload = PutPayload::from(last);
            let put = self
                .store
                .put_opts(&self.path, payload, self.attributes.clone().into());
            within(self.deadlines.transfer, put).await?;
            return Ok(self.written);
        }
        if !last.is_empty() {
            self.send_part(last).await?;
        }
        if let Some(upload) = &mut self.upload {
            within(self.deadlines.transfer, upload.complete()).await?;
        }
        Ok(self.written)
    }

    async fn abort(mut self: Box<Self>) -> DomainResult<()> {
        match self.upload.take() {
            Some(mut upload) => within(self.deadlines.call, upload.abort()).await,
            None => Ok(()),
        }
    }
}

struct ObjectReader {
    stream: BoxStream<'static, object_store::Result<Bytes>>,
    object_size: u64,
    remaining: u64,
    wait: Duration,
}

#[async_trait]
impl FileReader for ObjectReader {
    fn object_size(&self) -> u64 {
        self.object_size
    }

    async fn next_chunk(&mut self) -> DomainResult<Option<Vec<u8>>> {
        if self.remaining == 0 {
            return Ok(None);
        }
        let chunk = match tokio::time::timeout(self.wait, self.stream.next()).await {
            Ok(Some(chunk)) => chunk.map_err(store_error)?,
            Ok(None) => return Err(DomainError::internal("object ended before its size")),
            Err(_) => {
                return Err(DomainError::unavailable(
                    SERVICE,
                    format!("no data within {:?}", self.wait),
                ));
            }
        };
        self.remaining = self.remaining.saturating_sub(chunk.len() as u64);
        Ok(Some(chunk.to_vec()))
    }
}
