//! A `FileStore` in memory with the object-storage shape of the port: a
//! writer's bytes become visible under the key only on `finish`, `abort` drops
//! them, reads come in chunks and may be ranged. It counts the writers still
//! open, so a test can tell that a refused upload left nothing half-written.

use async_trait::async_trait;
use bilim_domain::ports::{ByteRange, FileKey, FileReader, FileStore, FileWriter};
use bilim_domain::{DomainError, DomainResult};
use std::collections::BTreeMap;
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};

/// Bytes a reader hands out per chunk.
const READ_CHUNK: usize = 4;

#[derive(Default)]
struct State {
    objects: BTreeMap<String, Vec<u8>>,
    open_writers: usize,
}

#[derive(Default, Clone)]
pub struct InMemoryFileStore {
    state: Arc<Mutex<State>>,
}

fn lock(state: &Mutex<State>) -> MutexGuard<'_, State> {
    state.lock().unwrap_or_else(PoisonError::into_inner)
}

impl InMemoryFileStore {
    pub fn new() -> Self {
        Self::default()
    }

    /// Stores an object at once, for a test's starting state.
    pub fn insert(&self, key: &str, bytes: &[u8]) {
        lock(&self.state)
            .objects
            .insert(key.to_owned(), bytes.to_vec());
    }

    /// The keys of the published objects, sorted.
    pub fn keys(&self) -> Vec<String> {
        lock(&self.state).objects.keys().cloned().collect()
    }

    pub fn contents(&self, key: &str) -> Option<Vec<u8>> {
        lock(&self.state).objects.get(key).cloned()
    }

    /// Writers created and neither finished nor aborted.
    pub fn open_writers(&self) -> usize {
        lock(&self.state).open_writers
    }
}

struct MemoryWriter {
    state: Arc<Mutex<State>>,
    key: String,
    bytes: Vec<u8>,
}

#[async_trait]
impl FileWriter for MemoryWriter {
    async fn write(&mut self, chunk: &[u8]) -> DomainResult<()> {
        self.bytes.extend_from_slice(chunk);
        Ok(())
    }

    async fn finish(self: Box<Self>) -> DomainResult<u64> {
        let size = self.bytes.len() as u64;
        let mut state = lock(&self.state);
        state.open_writers -= 1;
        state.objects.insert(self.key, self.bytes);
        Ok(size)
    }

    async fn abort(self: Box<Self>) -> DomainResult<()> {
        lock(&self.state).open_writers -= 1;
        Ok(())
    }
}

struct MemoryReader {
    object_size: u64,
    /// The requested bytes not handed out yet.
    remaining: Vec<u8>,
}

#[async_trait]
impl FileReader for MemoryReader {
    fn object_size(&self) -> u64 {
        self.object_size
    }

    async fn next_chunk(&mut self) -> DomainResult<Option<Vec<u8>>> {
        if self.remaining.is_empty() {
            return Ok(None);
        }
        let rest = self
            .remaining
            .split_off(self.remaining.len().min(READ_CHUNK));
        Ok(Some(std::mem::replace(&mut self.remaining, rest)))
    }
}

#[async_trait]
impl FileStore for InMemoryFileStore {
    async fn create(&self, key: &FileKey) -> DomainResult<Box<dyn FileWriter>> {
        lock(&self.state).open_writers += 1;
        Ok(Box::new(MemoryWriter {
            state: Arc::clone(&self.state),
            key: key.to_string(),
            bytes: Vec::new(),
        }))
    }

    async fn open(
        &self,
        key: &FileKey,
        range: Option<ByteRange>,
    ) -> DomainResult<Box<dyn FileReader>> {
        let bytes = self.contents(key.as_str()).ok_or(DomainError::NotFound)?;
        let object_size = bytes.len() as u64;
        let remaining = match range {
            None => bytes,
            Some(range) if range.last < object_size => {
                // Both ends lie within the object, which is in memory: they fit.
                bytes[range.first as usize..=range.last as usize].to_vec()
            }
            Some(_) => {
                return Err(DomainError::invalid(
                    "range",
                    "file.range_invalid",
                    "range lies outside the file",
                ));
            }
        };
        Ok(Box::new(MemoryReader {
            object_size,
            remaining,
        }))
    }

    async fn size(&self, key: &FileKey) -> DomainResult<u64> {
        let bytes = self.contents(key.as_str()).ok_or(DomainError::NotFound)?;
        Ok(bytes.len() as u64)
    }

    async fn delete(&self, key: &FileKey) -> DomainResult<()> {
        lock(&self.state).objects.remove(key.as_str());
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    async fn read_all(mut reader: Box<dyn FileReader>) -> DomainResult<Vec<u8>> {
        let mut bytes = Vec::new();
        while let Some(chunk) = reader.next_chunk().await? {
            bytes.extend(chunk);
        }
        Ok(bytes)
    }

    #[tokio::test]
    async fn an_object_appears_only_when_its_writer_finishes() -> DomainResult<()> {
        let store = InMemoryFileStore::new();
        let key = FileKey::parse("w/a.pdf")?;
        let mut writer = store.create(&key).await?;
        writer.write(b"hello ").await?;
        writer.write(b"world").await?;
        assert_eq!(store.size(&key).await, Err(DomainError::NotFound));
        assert_eq!(store.open_writers(), 1);
        assert_eq!(writer.finish().await?, 11);
        assert_eq!(store.open_writers(), 0);
        assert_eq!(
            read_all(store.open(&key, None).await?).await?,
            b"hello world"
        );
        let range = ByteRange { first: 6, last: 10 };
        assert_eq!(
            read_all(store.open(&key, Some(range)).await?).await?,
            b"world"
        );
        let outside = ByteRange { first: 6, last: 11 };
        assert!(store.open(&key, Some(outside)).await.is_err());
        Ok(())
    }

    #[tokio::test]
    async fn an_aborted_writer_leaves_nothing() -> DomainResult<()> {
        let store = InMemoryFileStore::new();
        let key = FileKey::parse("w/a.pdf")?;
        let mut writer = store.create(&key).await?;
        writer.write(b"half").await?;
        writer.abort().await?;
        assert!(store.keys().is_empty());
        assert_eq!(store.open_writers(), 0);
        store.delete(&key).await?;
        Ok(())
    }
}
