//! `FileMailer`: a `Mailer` that writes each message as one `.eml` file into an
//! outbox directory. For development and end-to-end tests, which read the
//! outbox instead of running an SMTP server.

use crate::{MailError, Mailbox, build_message, parse_from};
use async_trait::async_trait;
use bilim_domain::ports::{Mailer, OutgoingMail};
use bilim_domain::{DomainError, DomainResult};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{SystemTime, UNIX_EPOCH};
use tokio::fs;
use tokio::io::AsyncWriteExt;

/// Last timestamp handed out, process-wide, so two messages sent within the same
/// clock tick (or across a clock step back) still get increasing names.
static LAST_STAMP: AtomicU64 = AtomicU64::new(0);

#[derive(Debug, Clone)]
pub struct FileMailer {
    dir: PathBuf,
    from: Mailbox,
}

impl FileMailer {
    /// Creates `dir` (and its parents) if missing.
    pub fn new(dir: impl Into<PathBuf>, from: &str) -> Result<Self, MailError> {
        let dir = dir.into();
        let from = parse_from(from)?;
        // Synchronous on purpose: runs once at start-up, possibly outside a runtime.
        std::fs::create_dir_all(&dir).map_err(|source| MailError::Outbox {
            dir: dir.clone(),
            source,
        })?;
        Ok(Self { dir, from })
    }

    /// The outbox directory.
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    async fn write(&self, name: &str, bytes: &[u8]) -> std::io::Result<()> {
        // A dot-prefixed temporary name in the same directory: readers listing
        // `*.eml` skip it, and the rename below is atomic on one file system.
        let tmp = self.dir.join(format!(".{name}.tmp"));
        let written = async {
            let mut file = fs::OpenOptions::new()
                .write(true)
                .create_new(true)
                .open(&tmp)
                .await?;
            file.write_all(bytes).await?;
            // On disk before the rename, so a crash never leaves an empty `.eml`.
            file.sync_all().await?;
            fs::rename(&tmp, self.dir.join(name)).await
        }
        .await;
        if written.is_err() {
            // Best effort; the original error is the one worth reporting.
            let _ = fs::remove_file(&tmp).await;
        }
        written
    }
}

/// `{unix_nanos:020}-{uuid}.eml`: fixed-width so that sorting names sorts by time.
fn next_file_name() -> String {
    let now = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| u64::try_from(d.as_nanos()).unwrap_or(u64::MAX));
    let previous = LAST_STAMP
        .fetch_update(Ordering::SeqCst, Ordering::SeqCst, |last| {
            Some(now.max(last.saturating_add(1)))
        })
        .unwrap_or_else(|last| last);
    let stamp = now.max(previous.saturating_add(1));
    format!("{stamp:020}-{}.eml", uuid::Uuid::new_v4().simple())
}

#[async_trait]
impl Mailer for FileMailer {
    async fn send(&self, mail: &OutgoingMail) -> DomainResult<()> {
        let message = build_message(&self.from, mail)?;
        let name = next_file_name();
        self.write(&name, &message.formatted()).await.map_err(|e| {
            DomainError::unavailable("mail", format!("outbox {}: {e}", self.dir.display()))
        })?;
        tracing::debug!(to = %mail.to, file = %name, "mail written to outbox");
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_strictly_increase_within_a_tick() {
        let names: Vec<String> = (0..1000).map(|_| next_file_name()).collect();
        let mut sorted = names.clone();
        sorted.sort();
        sorted.dedup();
        assert_eq!(names, sorted);
        assert!(
            names.iter().all(|n| n.len() == 20 + 1 + 32 + 4),
            "{}",
            names[0]
        );
    }
}
