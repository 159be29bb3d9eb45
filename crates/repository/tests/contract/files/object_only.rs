//! What only the object store does: presigned links, aborting a multipart
//! upload, and deadlines on a store that hangs. Needs `TEST_S3_ENDPOINT`.

use super::{key, object_store, read_all};
use bilim_domain::DomainError;
use bilim_domain::ports::FileStore;
use bilim_repository::files::Deadlines;
use bilim_testkit::{TcpRelay, TestBucket};
use std::time::{Duration, Instant};

#[tokio::test]
async fn a_direct_link_fetches_the_object_with_its_type_and_ranges() {
    let Some(bucket) = TestBucket::fresh("a_direct_link_fetches_the_object") else {
        return;
    };
    let store = object_store(&bucket);
    let workbook = key("workbooks/algebra.pdf");
    store.put(&workbook, b"%PDF-1.7 a workbook").await.unwrap();

    let url = store
        .direct_link(&workbook, Duration::from_secs(60))
        .await
        .unwrap()
        .expect("an object store signs links");
    // Checking the signature is the store's work (moto does not check it).
    assert!(url.contains("X-Amz-Signature="), "{url}");
    assert!(url.contains("X-Amz-Expires=60&"), "{url}");
    let client = reqwest::Client::new();
    let whole = client.get(&url).send().await.unwrap();
    assert_eq!(whole.status(), 200);
    assert_eq!(whole.headers()["content-type"], "application/pdf");
    assert_eq!(whole.bytes().await.unwrap(), &b"%PDF-1.7 a workbook"[..]);
    let part = client
        .get(&url)
        .header("range", "bytes=0-3")
        .send()
        .await
        .unwrap();
    assert_eq!(part.status(), 206);
    assert_eq!(part.bytes().await.unwrap(), &b"%PDF"[..]);

    let without = store.without_direct_links();
    assert_eq!(
        without
            .direct_link(&workbook, Duration::from_secs(60))
            .await
            .unwrap(),
        None
    );
}

#[tokio::test]
async fn aborting_a_multipart_upload_leaves_nothing() {
    let Some(bucket) = TestBucket::fresh("aborting_a_multipart_upload_leaves_nothing") else {
        return;
    };
    let store = object_store(&bucket);
    let video = key("videos/aborted.mp4");
    let mut writer = store.create(&video).await.unwrap();
    // Past one 8 MiB part: the multipart upload has started.
    for _ in 0..(9 * 16) {
        writer.write(&[7u8; 64 * 1024]).await.unwrap();
    }
    writer.abort().await.unwrap();
    assert_eq!(store.size(&video).await, Err(DomainError::NotFound));
}

#[tokio::test]
async fn a_prefix_keeps_stores_apart() {
    let Some(bucket) = TestBucket::fresh("a_prefix_keeps_stores_apart") else {
        return;
    };
    let other = TestBucket::fresh("a_prefix_keeps_stores_apart").unwrap();
    let (first, second) = (object_store(&bucket), object_store(&other));
    first.put(&key("avatars/a.jpg"), b"jpeg").await.unwrap();
    assert_eq!(
        second.size(&key("avatars/a.jpg")).await,
        Err(DomainError::NotFound)
    );
    let reader = first.open(&key("avatars/a.jpg"), None).await.unwrap();
    assert_eq!(read_all(reader).await, b"jpeg");
}

/// A store that accepts connections and never answers fails each call with
/// `Unavailable` at its deadline, not after the HTTP client's own limits.
#[tokio::test]
async fn a_hung_store_fails_each_call_at_its_deadline() {
    let Some(bucket) = TestBucket::fresh("a_hung_store_fails_each_call_at_its_deadline") else {
        return;
    };
    let relay = TcpRelay::start(&bucket.authority().unwrap()).await.unwrap();
    let through = bucket.through(&format!("http://{}", relay.address()));
    let deadlines = Deadlines {
        call: Duration::from_secs(1),
        transfer: Duration::from_secs(1),
    };
    let workbook = key("workbooks/w.pdf");
    // Written at the usual deadlines: 20 MiB, more than socket buffers hold.
    let writer = object_store(&through);
    writer.put(&workbook, &vec![1u8; 20 << 20]).await.unwrap();
    let store = writer.with_deadlines(deadlines);
    let mut reader = store.open(&workbook, None).await.unwrap();

    relay.freeze();
    for (what, result) in [
        ("size", store.size(&workbook).await.map(|_| ())),
        ("open", store.open(&workbook, None).await.map(|_| ())),
        ("put", store.put(&key("w2.pdf"), b"x").await.map(|_| ())),
        // Held, not lost: the relay delivers it when thawed.
        ("delete", store.delete(&key("w3.pdf")).await),
    ] {
        assert!(
            matches!(result, Err(DomainError::Unavailable { .. })),
            "{what}: {result:?}"
        );
    }
    // A download in flight: the wait for the next chunk is bounded too.
    let started = Instant::now();
    let read = loop {
        match reader.next_chunk().await {
            Ok(Some(_)) => continue,
            other => break other,
        }
    };
    assert!(
        matches!(read, Err(DomainError::Unavailable { .. })),
        "{read:?}"
    );
    assert!(
        started.elapsed() < Duration::from_secs(5),
        "{:?}",
        started.elapsed()
    );

    relay.thaw();
    let usual = object_store(&through);
    assert_eq!(usual.size(&workbook).await.unwrap(), 20 << 20);
}
