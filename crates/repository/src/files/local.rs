//! File storage in a local directory (`BILIM_STORAGE_URL=./data/files`). Writes go
//! to a temporary file that is renamed into place, so a reader never sees half a
//! file; reads stream in chunks.

use async_trait::async_trait;
use bilim_domain::ports::{ByteRange, FileKey, FileReader, FileStore, FileWriter};
use bilim_domain::{DomainError, DomainResult};
use std::io::{ErrorKind, SeekFrom};
use std::path::{Path, PathBuf};
use tokio::fs::{self, File};
use tokio::io::{AsyncReadExt, AsyncSeekExt, AsyncWriteExt};

const CHUNK: usize = 64 * 1024;
const TEMP_DIR: &str = ".incoming";

#[derive(Debug, Clone)]
pub struct LocalFileStore {
    root: PathBuf,
}

impl LocalFileStore {
    /// Uses `root` (created if missing) for every object.
    pub fn new(root: impl Into<PathBuf>) -> DomainResult<Self> {
        let root = root.into();
        std::fs::create_dir_all(root.join(TEMP_DIR)).map_err(|error| storage_error(&error))?;
        Ok(Self { root })
    }

    fn path_of(&self, key: &FileKey) -> PathBuf {
        // FileKey admits no absolute paths and no `..`, so this stays under root.
        self.root.join(key.as_str())
    }
}

fn storage_error(error: &std::io::Error) -> DomainError {
    DomainError::unavailable("storage", error)
}

fn read_error(error: std::io::Error) -> DomainError {
    if error.kind() == ErrorKind::NotFound {
        DomainError::NotFound
    } else {
        storage_error(&error)
    }
}

#[async_trait]
impl FileStore for LocalFileStore {
    async fn create(&self, key: &FileKey) -> DomainResult<Box<dyn FileWriter>> {
        let temp = self
            .root
            .join(TEMP_DIR)
            .join(uuid::Uuid::new_v4().simple().to_string());
        let file = File::create(&temp).await.map_err(|e| storage_error(&e))?;
        Ok(Box::new(LocalWriter {
            file,
            temp,
            target: self.path_of(key),
            written: 0,
        }))
    }

    async fn open(
        &self,
        key: &FileKey,
        range: Option<ByteRange>,
    ) -> DomainResult<Box<dyn FileReader>> {
        let mut file = File::open(self.path_of(key)).await.map_err(read_error)?;
        let object_size = file.metadata().await.map_err(read_error)?.len();
        let (first, remaining) = match range {
            None => (0, object_size),
            Some(range) if range.last < object_size => (range.first, range.len()),
            Some(_) => {
                return Err(DomainError::invalid(
                    "range",
                    "file.range_invalid",
                    "range lies outside the file",
                ));
            }
        };
        file.seek(SeekFrom::Start(first))
            .await
            .map_err(read_error)?;
        Ok(Box::new(LocalReader {
            file,
            object_size,
            remaining,
        }))
    }

    async fn size(&self, key: &FileKey) -> DomainResult<u64> {
        let metadata = fs::metadata(self.path_of(key)).await.map_err(read_error)?;
        if metadata.is_file() {
            Ok(metadata.len())
        } else {
            Err(DomainError::NotFound)
        }
    }

    async fn delete(&self, key: &FileKey) -> DomainResult<()> {
        match fs::remove_file(self.path_of(key)).await {
            Err(error) if error.kind() != ErrorKind::NotFound => Err(storage_error(&error)),
            _ => Ok(()),
        }
    }
}

struct LocalWriter {
    file: File,
    temp: PathBuf,
    target: PathBuf,
    written: u64,
}

#[async_trait]
impl FileWriter for LocalWriter {
    async fn write(&mut self, chunk: &[u8]) -> DomainResult<()> {
        self.file
            .write_all(chunk)
            .await
            .map_err(|e| storage_error(&e))?;
        self.written += chunk.len() as u64;
        Ok(())
    }

    async fn finish(mut self: Box<Self>) -> DomainResult<u64> {
        let published = publish(&mut self.file, &self.temp, &self.target).await;
        if let Err(error) = published {
            let _ = fs::remove_file(&self.temp).await;
            return Err(storage_error(&error));
        }
        Ok(self.written)
    }

    async fn abort(self: Box<Self>) -> DomainResult<()> {
        drop(self.file);
        match fs::remove_file(&self.temp).await {
            Err(error) if error.kind() != ErrorKind::NotFound => Err(storage_error(&error)),
            _ => Ok(()),
        }
    }
}

async fn publish(file: &mut File, temp: &Path, target: &Path) -> std::io::Result<()> {
    file.flush().await?;
    file.sync_all().await?;
    if let Some(parent) = target.parent() {
        fs::create_dir_all(parent).await?;
    }
    fs::rename(temp, target).await
}

struct LocalReader {
    file: File,
    object_size: u64,
    remaining: u64,
}

#[async_trait]
impl FileReader for LocalReader {
    fn object_size(&self) -> u64 {
        self.object_size
    }

    async fn next_chunk(&mut self) -> DomainResult<Option<Vec<u8>>> {
        if self.remaining == 0 {
            return Ok(None);
        }
        let want = usize::try_from(self.remaining).unwrap_or(CHUNK).min(CHUNK);
        let mut buffer = vec![0; want];
        let read = self.file.read(&mut buffer).await.map_err(read_error)?;
        if read == 0 {
            return Err(DomainError::internal("file ended before its recorded size"));
        }
        buffer.truncate(read);
        self.remaining -= read as u64;
        Ok(Some(buffer))
    }
}
