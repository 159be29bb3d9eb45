//! The FileStore contract: one suite, run against the local directory always
//! and against an S3 bucket when `TEST_S3_ENDPOINT` is set (moto's server in
//! CI, `scripts/s3-suite.sh`; each test under a fresh prefix), plus what only
//! the object store does (`object_only`).

mod object_only;

use bilim_domain::DomainError;
use bilim_domain::ports::{ByteRange, FileKey, FileReader, FileStore};
use bilim_repository::files::{LocalFileStore, ObjectFileStore};
use bilim_testkit::TestBucket;
use std::sync::Arc;

/// The store, and what must live as long as it (a temporary directory).
type Store = (Option<tempfile::TempDir>, Arc<dyn FileStore>);

fn local_store() -> Store {
    let dir = tempfile::tempdir().unwrap();
    let store = LocalFileStore::new(dir.path().join("files")).unwrap();
    (Some(dir), Arc::new(store))
}

fn object_store(bucket: &TestBucket) -> ObjectFileStore {
    ObjectFileStore::connect(&bucket.url, &bucket.options).unwrap()
}

/// Runs each suite function once per adapter: `local::name` and `s3::name`.
macro_rules! contract_suite {
    ($($test:ident),* $(,)?) => {
        mod local {
            $(
                #[tokio::test]
                async fn $test() {
                    super::$test(super::local_store()).await;
                }
            )*
        }
        mod s3 {
            $(
                #[tokio::test]
                async fn $test() {
                    if let Some(bucket) = bilim_testkit::TestBucket::fresh(stringify!($test)) {
                        let store = super::object_store(&bucket);
                        super::$test((None, std::sync::Arc::new(store))).await;
                    }
                }
            )*
        }
    };
}

contract_suite!(
    a_written_object_reads_back_whole_and_in_ranges,
    nothing_is_visible_before_finish_and_abort_leaves_nothing,
    missing_objects_are_not_found_and_delete_is_idempotent,
    a_range_outside_the_object_is_refused,
    replacing_an_object_swaps_it_whole,
    a_large_object_is_written_in_parts_and_read_back,
);

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

async fn a_written_object_reads_back_whole_and_in_ranges((_dir, store): Store) {
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

async fn nothing_is_visible_before_finish_and_abort_leaves_nothing((_dir, store): Store) {
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

async fn missing_objects_are_not_found_and_delete_is_idempotent((_dir, store): Store) {
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

async fn a_range_outside_the_object_is_refused((_dir, store): Store) {
    store.put(&key("small"), b"0123456789").await.unwrap();
    let outside = ByteRange { first: 5, last: 10 };
    assert!(matches!(
        store.open(&key("small"), Some(outside)).await,
        Err(DomainError::Invalid { .. })
    ));
}

async fn replacing_an_object_swaps_it_whole((_dir, store): Store) {
    store.put(&key("doc"), b"first version").await.unwrap();
    store.put(&key("doc"), b"second").await.unwrap();
    let reader = store.open(&key("doc"), None).await.unwrap();
    assert_eq!(read_all(reader).await, b"second");
}

/// 20 MiB written in 64 KiB chunks: several parts of a multipart upload,
/// published only by `finish`.
async fn a_large_object_is_written_in_parts_and_read_back((_dir, store): Store) {
    let data: Vec<u8> = (0..20 * 1024 * 1024u32)
        .map(|i| (i.wrapping_mul(7) % 253) as u8)
        .collect();
    let key = key("videos/large.mp4");
    let mut writer = store.create(&key).await.unwrap();
    for chunk in data.chunks(64 * 1024) {
        writer.write(chunk).await.unwrap();
    }
    assert_eq!(store.size(&key).await, Err(DomainError::NotFound));
    assert_eq!(writer.finish().await.unwrap(), data.len() as u64);
    assert_eq!(store.size(&key).await.unwrap(), data.len() as u64);

    let range = ByteRange {
        first: 8 * 1024 * 1024 - 10,
        last: 16 * 1024 * 1024 + 10,
    };
    let part = store.open(&key, Some(range)).await.unwrap();
    assert_eq!(
        read_all(part).await,
        data[range.first as usize..=range.last as usize]
    );
    let whole = store.open(&key, None).await.unwrap();
    assert!(read_all(whole).await == data, "the whole object differs");
}
