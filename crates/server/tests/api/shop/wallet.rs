//! Top-ups and adjustments: idempotent, audited, never below 0, the ledger
//! always summing to the balance.

use super::helpers::{WALLET, shop};
use crate::support::{AUDIT, field_errors, get, json_of, problem, with_query};
use serde_json::json;

#[tokio::test]
async fn a_top_up_credits_once_and_a_retry_with_its_key_answers_the_same() {
    let shop = shop().await;
    let buyer = shop.buyer("aziza@example.uz").await;
    let body = json!({"amount": 100000, "note": "Naqd pul orqali toʻlov"});

    let first = shop.top_up_raw(&buyer.id, "topup-1", &body).await;
    assert!(first.headers().get("idempotent-replayed").is_none());
    let first = json_of(first, 201).await;
    assert_eq!(first["balance"], 100000);
    assert_eq!(first["entry"]["kind"], "top_up");
    assert_eq!(first["entry"]["amount"], 100000);
    assert_eq!(first["entry"]["balance_after"], 100000);

    let again = shop.top_up_raw(&buyer.id, "topup-1", &body).await;
    assert_eq!(again.headers().get("idempotent-replayed").unwrap(), "true");
    assert_eq!(json_of(again, 201).await, first, "the first answer again");

    assert_eq!(shop.checked_balance(&buyer).await, 100000);
    assert_eq!(shop.entries(&buyer).await.len(), 1);
    let wallet = json_of(get(&shop.app, WALLET, &buyer.token).await, 200).await;
    assert_eq!(wallet, json!({"balance": 100000, "currency": "UZS"}));
    let me = json_of(get(&shop.app, "/api/v1/users/me", &buyer.token).await, 200).await;
    assert_eq!(me["balance"], 100000);
    let seen = json_of(
        get(
            &shop.app,
            &format!("/api/v1/admin/users/{}", buyer.id),
            &shop.admin,
        )
        .await,
        200,
    )
    .await;
    assert_eq!(
        seen["user"]["balance"]
            .as_i64()
            .or(seen["balance"].as_i64()),
        Some(100000)
    );
    let audit = json_of(
        get(
            &shop.app,
            &with_query(AUDIT, &[("target_id", &buyer.id)]),
            &shop.admin,
        )
        .await,
        200,
    )
    .await;
    let actions: Vec<&str> = audit["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["action"].as_str().unwrap())
        .collect();
    assert_eq!(actions, ["wallet.top_up"], "one change, one entry");
}

#[tokio::test]
async fn a_key_used_for_another_body_is_a_mismatch_and_changes_nothing() {
    let shop = shop().await;
    let buyer = shop.buyer("bobur@example.uz").await;
    json_of(
        shop.top_up_raw(&buyer.id, "k-1", &json!({"amount": 5000}))
            .await,
        201,
    )
    .await;
    let other = shop
        .top_up_raw(&buyer.id, "k-1", &json!({"amount": 6000}))
        .await;
    problem(other, 422, "idempotency.mismatch").await;
    assert_eq!(shop.checked_balance(&buyer).await, 5000);
}

#[tokio::test]
async fn bad_amounts_and_keys_are_400_naming_the_field_and_change_nothing() {
    let shop = shop().await;
    let buyer = shop.buyer("dilshod@example.uz").await;
    for amount in [
        json!(0),
        json!(-5),
        json!(34.5),
        json!(1e30),
        json!(100_000_001),
        json!(18446744073709551615u64),
    ] {
        let refused = shop
            .top_up_raw(&buyer.id, "bad", &json!({"amount": amount}))
            .await;
        let body = problem(refused, 400, "validation").await;
        assert!(
            field_errors(&body).contains(&("amount".into(), "amount.invalid".into())),
            "{amount}: {body}"
        );
    }
    let text = shop
        .top_up_raw(&buyer.id, "bad", &json!({"amount": "100"}))
        .await;
    problem(text, 400, "validation").await;
    let too_long = shop
        .top_up_raw(&buyer.id, &"k".repeat(65), &json!({"amount": 100}))
        .await;
    problem(too_long, 400, "validation").await;
    let unkeyed = shop
        .app
        .client
        .post(
            shop.app
                .url(&format!("/api/v1/admin/users/{}/wallet/top-ups", buyer.id)),
        )
        .bearer_auth(&shop.admin)
        .json(&json!({"amount": 100}))
        .send()
        .await
        .unwrap();
    let body = problem(unkeyed, 400, "validation").await;
    assert!(
        field_errors(&body)
            .contains(&("Idempotency-Key".into(), "idempotency.key_required".into()))
    );
    assert_eq!(shop.checked_balance(&buyer).await, 0);
    assert!(shop.entries(&buyer).await.is_empty());
    // The key of a refused request is free: it did nothing.
    json_of(
        shop.top_up_raw(&buyer.id, "bad", &json!({"amount": 100}))
            .await,
        201,
    )
    .await;
}

#[tokio::test]
async fn an_adjustment_never_takes_the_balance_below_zero() {
    let shop = shop().await;
    let buyer = shop.buyer("feruza@example.uz").await;
    shop.top_up(&buyer.id, 1000).await;
    let short = shop
        .adjust(
            &buyer.id,
            "adj-1",
            &json!({"amount": -2000, "note": "Qaytarish"}),
        )
        .await;
    let body = problem(short, 409, "wallet.insufficient_funds").await;
    assert_eq!(body["detail"], "Balansingizga yetarli mablag' mavjud emas!");
    let unexplained = shop
        .adjust(&buyer.id, "adj-2", &json!({"amount": -400}))
        .await;
    let body = problem(unexplained, 400, "validation").await;
    assert!(field_errors(&body).contains(&("note".into(), "required".into())));
    let zero = shop
        .adjust(&buyer.id, "adj-3", &json!({"amount": 0, "note": "x"}))
        .await;
    problem(zero, 400, "validation").await;
    assert_eq!(shop.checked_balance(&buyer).await, 1000);

    let done = shop
        .adjust(
            &buyer.id,
            "adj-4",
            &json!({"amount": -400, "note": "Xato toʻlov"}),
        )
        .await;
    let done = json_of(done, 201).await;
    assert_eq!(done["balance"], 600);
    assert_eq!(done["entry"]["kind"], "adjustment");
    assert_eq!(done["entry"]["note"], "Xato toʻlov");
    assert_eq!(shop.checked_balance(&buyer).await, 600);
}

#[tokio::test]
async fn fifty_concurrent_top_ups_with_one_key_make_one_entry() {
    let shop = std::sync::Arc::new(shop().await);
    let buyer = shop.buyer("gulnora@example.uz").await;
    let tasks: Vec<_> = (0..50)
        .map(|_| {
            let shop = std::sync::Arc::clone(&shop);
            let user = buyer.id.clone();
            tokio::spawn(async move {
                shop.top_up_raw(&user, "one-key", &json!({"amount": 7000}))
                    .await
                    .status()
                    .as_u16()
            })
        })
        .collect();
    let mut statuses = Vec::new();
    for task in tasks {
        statuses.push(task.await.unwrap());
    }
    assert!(
        statuses.iter().all(|s| *s == 201 || *s == 409),
        "{statuses:?}"
    );
    assert!(statuses.contains(&201));
    assert_eq!(shop.entries(&buyer).await.len(), 1, "one effect");
    assert_eq!(shop.checked_balance(&buyer).await, 7000);
}

#[tokio::test]
async fn only_admins_top_up_and_unknown_users_are_404() {
    let shop = shop().await;
    let buyer = shop.buyer("hasan@example.uz").await;
    let path = format!("/api/v1/admin/users/{}/wallet/top-ups", buyer.id);
    let by_user = shop
        .keyed(&path, &buyer.token, "u-1", &json!({"amount": 100}))
        .await;
    assert_eq!(by_user.status().as_u16(), 401);
    let nobody = shop
        .top_up_raw(
            &uuid::Uuid::now_v7().to_string(),
            "n-1",
            &json!({"amount": 100}),
        )
        .await;
    problem(nobody, 404, "user.not_found").await;
    let ledger = get(
        &shop.app,
        &format!("/api/v1/admin/users/{}/wallet/entries", buyer.id),
        &shop.admin,
    )
    .await;
    assert_eq!(json_of(ledger, 200).await["items"], json!([]));
}
