//! The PostgreSQL pool after its connections are killed under it (a restart or
//! a failover): requests fail as `Unavailable` (503), never as internal errors,
//! and the pool heals by itself; connections that sat idle through the outage
//! are replaced before use. Needs `TEST_DATABASE_URL`.

use crate::users::{Fixture, migrated_database};
use bilim_domain::DomainError;
use bilim_domain::ports::CatalogueReader;
use bilim_repository::catalogue::SeaCatalogueReader;
use sea_orm::{ConnectionTrait, Statement};
use std::sync::Arc;
use std::time::Duration;

/// A reader whose pool holds several open connections, and the fixture behind
/// it; `None` on SQLite.
async fn reader_with_open_connections() -> Option<(Fixture, Arc<SeaCatalogueReader>)> {
    let fixture = migrated_database().await;
    if !fixture.is_postgres() {
        println!("skipped: TEST_DATABASE_URL is not set");
        return None;
    }
    let reader = Arc::new(SeaCatalogueReader::new(fixture.db.clone()));
    // Open several pooled connections, all in use at once.
    let mut warm = tokio::task::JoinSet::new();
    for _ in 0..6 {
        let reader = Arc::clone(&reader);
        warm.spawn(async move { reader.directions().await.map(|_| ()) });
    }
    while let Some(result) = warm.join_next().await {
        result.unwrap().unwrap();
    }
    Some((fixture, reader))
}

/// Terminates every other backend of the test's database, as a restart would.
async fn kill_pooled_connections(fixture: &Fixture) {
    let killer = fixture.another_instance().await;
    let statement = Statement::from_string(
        killer.backend(),
        "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity \
         WHERE datname = current_database() AND pid <> pg_backend_pid()",
    );
    let killed: i64 = killer
        .connection()
        .query_one_raw(statement)
        .await
        .unwrap()
        .unwrap()
        .try_get_by_index(0)
        .unwrap();
    assert!(killed >= 2, "killed {killed}");
}

#[tokio::test]
async fn killed_connections_answer_unavailable_then_the_pool_heals() {
    let Some((fixture, reader)) = reader_with_open_connections().await else {
        return;
    };
    kill_pooled_connections(&fixture).await;

    // Used again at once, before the idle check applies: they fail, as 503.
    let mut failures = 0;
    loop {
        match reader.directions().await {
            Ok(_) => break,
            Err(DomainError::Unavailable { .. }) => failures += 1,
            Err(other) => panic!("a killed connection gave {other:?}"),
        }
        assert!(failures <= 16, "the pool did not heal");
    }
    println!("{failures} requests failed before the pool healed");
    for _ in 0..20 {
        reader.directions().await.unwrap();
    }
}

#[tokio::test]
async fn connections_idle_through_an_outage_are_replaced_before_use() {
    let Some((fixture, reader)) = reader_with_open_connections().await else {
        return;
    };
    kill_pooled_connections(&fixture).await;
    // Longer than the pool's idle check (1 s): each dead connection is pinged
    // on checkout, found dead and replaced, so no request sees it.
    tokio::time::sleep(Duration::from_millis(1200)).await;
    for attempt in 0..20 {
        if let Err(error) = reader.directions().await {
            panic!("request {attempt} after the outage failed: {error:?}");
        }
    }
}
