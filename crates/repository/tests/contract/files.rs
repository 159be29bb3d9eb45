//! The FileStore contract, run against the local-directory adapter. An object
//! storage adapter added later runs the same functions.

use bilim_domain::DomainError;
use bilim_domain::ports::{ByteRange, FileKey, FileReader, FileStore};
use bilim_repository::files::LocalFileStore;
use std::sync::Arc;

fn local_store() -> (tempfile::TempDir, Arc<dyn FileStore>) {
    let dir = tempfile::tempdir().unwrap();
    let store = LocalFileStore::new(dir.path().join("files")).unwrap();
    (dir, Arc::new(store))
}

fn key(raw: &str) -> FileKey {
    FileKey::parse(raw).unwrap()
}

async fn read_all(mut reader: Box<dyn FileReader>) -> Vec<u8> {
    let mut out = Vec::new();
    while let Some(chunk) = reader.next_chunk().await.unwrap() {
        out.extend(chunk);
    }
    out
}

/// 200 KiB of non-repeating bytes: several chunks, and any misplaced byte shows.
fn sample() -> Vec<u8> {
    (0..200 * 1024u32)
        .map(|i| (i.wrapping_mul(31) % 251) as u8)
        .collect()
}

#[tokio::test]
async fn a_written_object_reads_back_whole_and_in_ranges() {
    let (_dir, store) = local_store();
    let data = sample();
    let written = store.put(&key("workbooks/a/b.pdf"), &data).await.unwrap();
    assert_eq!(written, data.len() as u64);
    assert_eq!(
        store.size(&key("workbooks/a/b.pdf")).await.unwrap(),
        data.len() as u64
    );

    let whole = store.open(&key("workbooks/a/b.pdf"), None).await.unwrap();
    assert_eq!(whole.object_size(), data.len() as u64);
    assert_eq!(read_all(whole).await, data);

    let range = ByteRange {
        first: 70_000,
        last: 140_000,
    };
    let part = store
        .open(&key("workbooks/a/b.pdf"), Some(range))
        .await
        .unwrap();
    assert_eq!(part.object_size(), data.len() as u64);
    assert_eq!(read_all(part).await, data[70_000..=140_000]);
}

#[tokio::test]
async fn nothing_is_visible_before_finish_and_abort_leaves_nothing() {
    let (_dir, store) = local_store();
    let mut writer = store.create(&key("videos/v.mp4")).await.unwrap();
    writer.write(b"half of a video").await.unwrap();
    assert_eq!(
        store.size(&key("videos/v.mp4")).await,
        Err(DomainError::NotFound)
    );
    writer.abort().await.unwrap();
    assert_eq!(
        store.size(&key("videos/v.mp4")).await,
        Err(DomainError::NotFound)
    );

    let mut writer = store.create(&key("videos/v.mp4")).await.unwrap();
    writer.write(b"one ").await.unwrap();
    writer.write(b"two").await.unwrap();
    assert_eq!(writer.finish().await.unwrap(), 7);
    let reader = store.open(&key("videos/v.mp4"), None).await.unwrap();
    assert_eq!(read_all(reader).await, b"one two");
}

#[tokio::test]
async fn missing_objects_are_not_found_and_delete_is_idempotent() {
    let (_dir, store) = local_store();
    assert!(matches!(
        store.open(&key("nope"), None).await,
        Err(DomainError::NotFound)
    ));
    assert_eq!(store.size(&key("nope")).await, Err(DomainError::NotFound));
    store.delete(&key("nope")).await.unwrap();

    store.put(&key("avatars/x.webp"), b"img").await.unwrap();
    store.delete(&key("avatars/x.webp")).await.unwrap();
    assert_eq!(
        store.size(&key("avatars/x.webp")).await,
        Err(DomainError::NotFound)
    );
}

#[tokio::test]
async fn a_range_outside_the_object_is_refused() {
    let (_dir, store) = local_store();
    store.put(&key("small"), b"0123456789").await.unwrap();
    let outside = ByteRange { first: 5, last: 10 };
    assert!(matches!(
        store.open(&key("small"), Some(outside)).await,
        Err(DomainError::Invalid { .. })
    ));
}

#[tokio::test]
async fn replacing_an_object_swaps_it_whole() {
    let (_dir, store) = local_store();
    store.put(&key("doc"), b"first version").await.unwrap();
    store.put(&key("doc"), b"second").await.unwrap();
    let reader = store.open(&key("doc"), None).await.unwrap();
    assert_eq!(read_all(reader).await, b"second");
}
