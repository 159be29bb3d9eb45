//! `OrderRepository` and `OfferingRepository` on a fresh database per test
//! (SQLite, or PostgreSQL with `TEST_DATABASE_URL`): an order leaves
//! `pending` once however many completions race, the balance is debited at
//! most once, and a product order extends one subscription.

use crate::catalogue::audit_entry;
use crate::users::now;
use crate::wallet::{MOBILE, change, wallets};
use bilim_domain::DomainError;
use bilim_domain::orders::{
    Completion, NewOffering, NewOrder, OfferingTerms, OrderStatus, PaidVia, Removal,
};
use bilim_domain::ports::{
    OfferingRepository, OrderRepository, SubscriptionRepository, WalletRepository,
};
use bilim_domain::values::{Amount, Description, DeviceId, Months, Title};
use bilim_domain::wallet::EntryKind;
use bilim_repository::orders::{SeaOfferingRepository, SeaOrderRepository};
use chrono::{DateTime, Utc};
use std::sync::Arc;
use uuid::Uuid;

fn completion(via: PaidVia, admin_id: Option<Uuid>, at: DateTime<Utc>) -> Completion {
    Completion {
        via,
        admin_id,
        entry_id: Uuid::now_v7(),
        subscription_id: Uuid::now_v7(),
        licence_key_hash: format!("{:064x}", Uuid::now_v7().as_u128()),
        now: at,
    }
}

fn offering(price: i64, terms: OfferingTerms) -> NewOffering {
    NewOffering {
        name: Title::parse("name", "Kundalikcom mobil: 2 oy").unwrap(),
        description: Description::parse("description", "").unwrap(),
        price: Amount::parse("price", price).unwrap(),
        terms,
    }
}

#[tokio::test]
async fn fifty_concurrent_completions_complete_once_and_debit_at_most_once() {
    let w = Arc::new(wallets().await);
    let db = w.fixture.db.clone();
    let offerings = SeaOfferingRepository::new(db.clone());
    let orders = Arc::new(SeaOrderRepository::new(db));
    let id = Uuid::now_v7();
    let months = Months::parse("months", "months.invalid", 2).unwrap();
    offerings
        .create(
            id,
            &offering(
                30_000,
                OfferingTerms::Product {
                    product_id: MOBILE.parse().unwrap(),
                    months,
                },
            ),
            now(),
            &audit_entry(w.admin, "offering.create", &id.to_string()),
        )
        .await
        .unwrap();
    w.wallet
        .apply(&change(w.user, 100_000, EntryKind::TopUp), None)
        .await
        .unwrap();
    let order = orders
        .create(&NewOrder {
            id: Uuid::now_v7(),
            user_id: w.user,
            offering_id: id,
            device_id: Some(DeviceId::parse("device_id", "ANDROID-1").unwrap()),
            now: now(),
        })
        .await
        .unwrap();
    let at = now();
    let tasks: Vec<_> = (0..50)
        .map(|n| {
            let (w, orders, order_id) = (Arc::clone(&w), Arc::clone(&orders), order.id);
            tokio::spawn(async move {
                if n % 2 == 0 {
                    orders
                        .complete(
                            order_id,
                            Some(w.user),
                            &completion(PaidVia::Balance, None, at),
                            None,
                        )
                        .await
                } else {
                    let audit = audit_entry(w.admin, "order.complete", &order_id.to_string());
                    orders
                        .complete(
                            order_id,
                            None,
                            &completion(PaidVia::Admin, Some(w.admin), at),
                            Some(&audit),
                        )
                        .await
                }
            })
        })
        .collect();
    let mut winners = Vec::new();
    for task in tasks {
        match task.await.unwrap() {
            Ok(done) => winners.push(done),
            Err(DomainError::Conflict { what }) => assert_eq!(what, "order.not_pending"),
            Err(other) => panic!("{other:?}"),
        }
    }
    assert_eq!(winners.len(), 1);
    let winner = &winners[0];
    assert_eq!(winner.status, OrderStatus::Completed);
    let balance = w.checked_balance().await;
    match winner.paid_via {
        Some(PaidVia::Balance) => assert_eq!(balance, 70_000),
        _ => assert_eq!(balance, 100_000),
    }
    let subscriptions = w.subscriptions.of_user(w.user).await.unwrap();
    assert_eq!(subscriptions.len(), 1);
    assert_eq!(
        subscriptions[0].ends_at,
        at.checked_add_months(chrono::Months::new(2)).unwrap()
    );

    // Ordered once: the offering is archived, not deleted.
    let removal = offerings
        .remove(
            id,
            now(),
            &audit_entry(w.admin, "offering.delete", &id.to_string()),
        )
        .await
        .unwrap();
    assert_eq!(removal, Removal::Archived);
    assert!(offerings.list(false).await.unwrap().is_empty());
    assert_eq!(offerings.list(true).await.unwrap().len(), 1);
}
