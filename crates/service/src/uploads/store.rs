//! Streaming uploads into the FileStore: the type is decided by the first
//! bytes, the size is capped while streaming, the SHA-256 is computed on the
//! way, and nothing is held in memory beyond one chunk.

use crate::{ServiceError, ServiceResult};
use bilim_domain::ports::{FileKey, FileStore, FileWriter};
use futures_util::{Stream, StreamExt};
use sha2::{Digest, Sha256};
use std::sync::Arc;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum UploadKind {
    /// `%PDF-`
    Workbook,
    /// MP4 (`ftyp` box) or WebM (EBML header).
    Video,
}

#[derive(Debug, Clone, Copy)]
pub struct UploadLimits {
    pub workbook_bytes: u64,
    pub video_bytes: u64,
}

/// A file now in the store, not yet attached to anything.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredUpload {
    pub key: String,
    pub size_bytes: i64,
    pub sha256: String,
}

/// Bytes needed before the type can be judged.
const SNIFF_BYTES: usize = 12;

fn sniff(kind: UploadKind, head: &[u8]) -> Option<&'static str> {
    match kind {
        UploadKind::Workbook if head.starts_with(b"%PDF-") => Some("pdf"),
        UploadKind::Video if head.len() >= 8 && &head[4..8] == b"ftyp" => Some("mp4"),
        UploadKind::Video if head.starts_with(&[0x1A, 0x45, 0xDF, 0xA3]) => Some("webm"),
        _ => None,
    }
}

fn wrong_type(kind: UploadKind) -> ServiceError {
    let message = match kind {
        UploadKind::Workbook => "Workbooks must be PDF files.",
        UploadKind::Video => "Videos must be MP4 or WebM files.",
    };
    ServiceError::UnsupportedMedia {
        code: "file.type_not_allowed",
        message: message.into(),
    }
}

impl UploadLimits {
    pub fn of(&self, kind: UploadKind) -> u64 {
        match kind {
            UploadKind::Workbook => self.workbook_bytes,
            UploadKind::Video => self.video_bytes,
        }
    }
}

/// 413 for a file over `limit` bytes.
pub(super) fn too_large(limit: u64) -> ServiceError {
    ServiceError::TooLarge {
        code: "file.too_large",
        message: format!(
            "This file is over the limit of {} MiB.",
            limit / 1024 / 1024
        ),
    }
}

/// Streams `chunks` into the store under a fresh key. On any failure what was
/// written is removed.
pub(super) async fn store_upload<S, E>(
    store: &Arc<dyn FileStore>,
    limits: UploadLimits,
    kind: UploadKind,
    mut chunks: S,
) -> ServiceResult<StoredUpload>
where
    S: Stream<Item = Result<Vec<u8>, E>> + Unpin,
    E: std::fmt::Display,
{
    let limit = limits.of(kind);
    let mut head = Vec::with_capacity(SNIFF_BYTES);
    let mut held = Vec::new();
    // Read until the type can be judged, before anything is written.
    while head.len() < SNIFF_BYTES {
        match chunks.next().await {
            Some(chunk) => {
                let chunk = chunk.map_err(|e| {
                    ServiceError::validation("file", "upload.interrupted", e.to_string())
                })?;
                head.extend_from_slice(&chunk[..chunk.len().min(SNIFF_BYTES - head.len())]);
                held.push(chunk);
            }
            None => break,
        }
    }
    let extension = sniff(kind, &head).ok_or_else(|| wrong_type(kind))?;
    let prefix = match kind {
        UploadKind::Workbook => "workbooks",
        UploadKind::Video => "videos",
    };
    let key = FileKey::parse(&format!(
        "{prefix}/{}.{extension}",
        uuid::Uuid::new_v4().simple()
    ))?;
    let mut writer = store.create(&key).await?;
    let written = write_all(&mut *writer, held, &mut chunks, limit).await;
    match written {
        Ok((size, sha256)) => {
            writer.finish().await?;
            Ok(StoredUpload {
                key: key.to_string(),
                size_bytes: i64::try_from(size).unwrap_or(i64::MAX),
                sha256,
            })
        }
        Err(error) => {
            if let Err(abort) = writer.abort().await {
                tracing::warn!(%abort, "upload not cleaned up");
            }
            Err(error)
        }
    }
}

async fn write_all<S, E>(
    writer: &mut dyn FileWriter,
    held: Vec<Vec<u8>>,
    chunks: &mut S,
    limit: u64,
) -> ServiceResult<(u64, String)>
where
    S: Stream<Item = Result<Vec<u8>, E>> + Unpin,
    E: std::fmt::Display,
{
    let mut size = 0u64;
    let mut hash = Sha256::new();
    let mut held = held.into_iter();
    loop {
        let chunk = match held.next() {
            Some(chunk) => chunk,
            None => match chunks.next().await {
                Some(chunk) => chunk.map_err(|e| {
                    ServiceError::validation("file", "upload.interrupted", e.to_string())
                })?,
                None => break,
            },
        };
        size += chunk.len() as u64;
        if size > limit {
            return Err(too_large(limit));
        }
        hash.update(&chunk);
        writer.write(&chunk).await?;
    }
    let hex: String = hash.finalize().iter().map(|b| format!("{b:02x}")).collect();
    Ok((size, hex))
}

/// `50 MiB`, `64 KiB`: a limit as people read it.
pub fn human_size(bytes: u64) -> String {
    if bytes >= 1024 * 1024 && bytes.is_multiple_of(1024 * 1024) {
        format!("{} MiB", bytes / 1024 / 1024)
    } else if bytes >= 1024 {
        format!("{} KiB", bytes / 1024)
    } else {
        format!("{bytes} bytes")
    }
}
