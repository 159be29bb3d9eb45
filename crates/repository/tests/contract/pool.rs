//! The PostgreSQL pool after its connections are killed under it (a restart or
//! a failover): requests fail as `Unavailable` (503), never as internal errors,
//! and the pool heals by itself. Needs `TEST_DATABASE_URL`.

use crate::users::migrated_database;
use bilim_domain::DomainError;
use bilim_domain::ports::CatalogueReader;
use bilim_repository::catalogue::SeaCatalogueReader;
use sea_orm::{ConnectionTrait, Statement};
use std::sync::Arc;

#[tokio::test]
async fn killed_connections_answer_unavailable_then_the_pool_heals() {
    let fixture = migrated_database().await;
    if !fixture.is_postgres() {
        println!("skipped: TEST_DATABASE_URL is not set");
        return;
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
