//! Prices and purchases: the document's `price_months` and `buy`, its three
//! Uzbek messages, extension from the end, and fifty purchases at once.

use super::helpers::{Buyer, MY_SUBSCRIPTIONS, Shop, shop};
use crate::support::{field_errors, get, json_of, patch, problem};
use bilim_domain::ports::Clock;
use chrono::{DateTime, Months, Utc};
use serde_json::{Value, json};
use std::sync::Arc;

fn at(value: &Value) -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(value.as_str().unwrap())
        .unwrap()
        .to_utc()
}

async fn buy(shop: &Shop, buyer: &Buyer, product: &str, body: Value) -> reqwest::Response {
    let key = uuid::Uuid::now_v7().to_string();
    shop.purchase(buyer, product, &key, &body).await
}

#[tokio::test]
async fn the_four_products_and_their_prices() {
    let shop = shop().await;
    let list = json_of(shop.app.get("/api/v1/products").await, 200).await;
    let mut codes: Vec<&str> = list["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["code"].as_str().unwrap())
        .collect();
    codes.sort_unstable();
    assert_eq!(
        codes,
        [
            "kundalik-mobile",
            "kundalik-pc",
            "testmax-center",
            "testmax-teacher"
        ]
    );

    let pc = shop.product("kundalik-pc").await;
    let price = |months: &str| {
        format!(
            "/api/v1/products/{}/price?months={months}",
            pc["id"].as_str().unwrap()
        )
    };
    let three = json_of(shop.app.get(&price("3")).await, 200).await;
    assert_eq!(three["months"], 3);
    assert_eq!(three["monthly_price"], pc["monthly_price"]);
    assert_eq!(three["total"], pc["monthly_price"].as_i64().unwrap() * 3);
    for bad in ["0", "13", "1.5", "-1", "x"] {
        let body = problem(shop.app.get(&price(bad)).await, 400, "validation").await;
        assert!(
            field_errors(&body).contains(&("months".into(), "months.invalid".into())),
            "{bad}: {body}"
        );
    }
    let missing = format!("/api/v1/products/{}/price", pc["id"].as_str().unwrap());
    problem(shop.app.get(&missing).await, 400, "validation").await;
    let unknown = format!("/api/v1/products/{}/price?months=1", uuid::Uuid::now_v7());
    problem(shop.app.get(&unknown).await, 404, "product.not_found").await;
    let subjects = json_of(shop.app.get("/api/v1/subjects").await, 200).await;
    assert!(
        subjects["items"]
            .as_array()
            .unwrap()
            .iter()
            .any(|s| s["code"] == "matematika")
    );
}

#[tokio::test]
async fn a_purchase_debits_records_and_extends_from_the_end() {
    let shop = shop().await;
    let buyer = shop.buyer("ilhom@example.uz").await;
    let pc = shop.product("kundalik-pc").await;
    let id = pc["id"].as_str().unwrap();
    let price = pc["monthly_price"].as_i64().unwrap();
    shop.top_up(&buyer.id, price * 5).await;
    let now = shop.app.clock.now();

    let first = json_of(
        buy(&shop, &buyer, id, json!({"months": 2, "device_id": "PC-1"})).await,
        200,
    )
    .await;
    assert_eq!(first["ok"], true);
    assert_eq!(first["message"], "To'lov muvaffaqiyatli amalga oshirildi.");
    assert_eq!(first["balance"], price * 3);
    assert_eq!(first["subscription"]["device_id"], "PC-1");
    assert_eq!(first["subscription"]["active"], true);
    assert_eq!(
        at(&first["subscription"]["ends_at"]),
        now.checked_add_months(Months::new(2)).unwrap()
    );

    // Later, the same product and device: extended from its end, not from now.
    shop.app.clock.advance(chrono::Duration::minutes(10));
    let again = json_of(
        buy(
            &shop,
            &buyer,
            id,
            json!({"months": 1.0, "device_id": "PC-1"}),
        )
        .await,
        200,
    )
    .await;
    assert_eq!(again["subscription"]["id"], first["subscription"]["id"]);
    assert_eq!(
        at(&again["subscription"]["ends_at"]),
        now.checked_add_months(Months::new(3)).unwrap()
    );
    assert_eq!(shop.checked_balance(&buyer).await, price * 2);
    let kinds: Vec<String> = shop
        .entries(&buyer)
        .await
        .iter()
        .map(|e| e["kind"].as_str().unwrap().to_owned())
        .collect();
    assert_eq!(kinds, ["purchase", "purchase", "top_up"]);

    let mine = json_of(get(&shop.app, MY_SUBSCRIPTIONS, &buyer.token).await, 200).await;
    let items = mine["items"].as_array().unwrap();
    assert_eq!(items.len(), 1);
    let key = items[0]["licence_key"].as_str().unwrap();
    assert!(key.replace('-', "").len() >= 32, "at least 128 bits: {key}");
}

#[tokio::test]
async fn a_short_balance_is_409_in_the_documents_words_and_changes_nothing() {
    let shop = shop().await;
    let buyer = shop.buyer("jasur@example.uz").await;
    let mobile = shop.product("kundalik-mobile").await;
    shop.top_up(&buyer.id, mobile["monthly_price"].as_i64().unwrap() - 1)
        .await;
    let short = buy(
        &shop,
        &buyer,
        mobile["id"].as_str().unwrap(),
        json!({"months": 1, "device_id": "phone"}),
    )
    .await;
    let body = problem(short, 409, "wallet.insufficient_funds").await;
    assert_eq!(body["detail"], "Balansingizga yetarli mablag' mavjud emas!");
    assert_eq!(shop.entries(&buyer).await.len(), 1);
    let mine = json_of(get(&shop.app, MY_SUBSCRIPTIONS, &buyer.token).await, 200).await;
    assert_eq!(mine["items"], json!([]));
}

#[tokio::test]
async fn bad_purchases_are_refused_naming_the_field_and_change_nothing() {
    let shop = shop().await;
    let buyer = shop.buyer("kamola@example.uz").await;
    shop.top_up(&buyer.id, 10_000_000).await;
    let pc = shop.product("kundalik-pc").await;
    let id = pc["id"].as_str().unwrap();
    let cases = [
        (
            json!({"months": 0, "device_id": "d"}),
            "months",
            "months.invalid",
        ),
        (
            json!({"months": 13, "device_id": "d"}),
            "months",
            "months.invalid",
        ),
        (
            json!({"months": 1.5, "device_id": "d"}),
            "months",
            "months.invalid",
        ),
        (
            json!({"months": 1, "device_id": ""}),
            "device_id",
            "text.length",
        ),
        (
            json!({"months": 1, "device_id": "d".repeat(10 * 1024)}),
            "device_id",
            "text.length",
        ),
        (
            json!({"months": 1, "device_id": "d", "subjects": ["matematika"]}),
            "subjects",
            "subjects.not_allowed",
        ),
    ];
    for (body, field, code) in cases {
        let refused = problem(
            buy(&shop, &buyer, id, body.clone()).await,
            400,
            "validation",
        )
        .await;
        assert!(
            field_errors(&refused).contains(&(field.into(), code.into())),
            "{body}: {refused}"
        );
        assert_eq!(refused["detail"], "Nimadur xato ketdi");
    }
    let teacher = shop.product("testmax-teacher").await;
    let no_subjects = buy(
        &shop,
        &buyer,
        teacher["id"].as_str().unwrap(),
        json!({"months": 1, "device_id": "d"}),
    )
    .await;
    problem(no_subjects, 400, "validation").await;
    let unknown = buy(
        &shop,
        &buyer,
        &uuid::Uuid::now_v7().to_string(),
        json!({"months": 1, "device_id": "d"}),
    )
    .await;
    let body = problem(unknown, 404, "product.not_found").await;
    assert_eq!(body["detail"], "Nimadur xato ketdi");
    let off = patch(
        &shop.app,
        &format!("/api/v1/admin/products/{id}"),
        &shop.admin,
        &json!({"active": false}),
    )
    .await;
    json_of(off, 200).await;
    problem(
        buy(&shop, &buyer, id, json!({"months": 1, "device_id": "d"})).await,
        404,
        "product.not_found",
    )
    .await;
    assert_eq!(shop.checked_balance(&buyer).await, 10_000_000);
    assert_eq!(shop.entries(&buyer).await.len(), 1);

    let picked = buy(
        &shop,
        &buyer,
        teacher["id"].as_str().unwrap(),
        json!({"months": 1, "device_id": "d", "subjects": ["fizika", "matematika"]}),
    )
    .await;
    let picked = json_of(picked, 200).await;
    assert_eq!(
        picked["subscription"]["subjects"],
        json!(["fizika", "matematika"])
    );
}

#[tokio::test]
async fn a_purchase_retried_with_its_key_is_charged_once() {
    let shop = shop().await;
    let buyer = shop.buyer("lola@example.uz").await;
    let mobile = shop.product("kundalik-mobile").await;
    let id = mobile["id"].as_str().unwrap();
    shop.top_up(&buyer.id, 1_000_000).await;
    let body = json!({"months": 1, "device_id": "phone-1"});
    let first = json_of(shop.purchase(&buyer, id, "buy-1", &body).await, 200).await;
    let again = json_of(shop.purchase(&buyer, id, "buy-1", &body).await, 200).await;
    assert_eq!(again, first);
    assert_eq!(shop.entries(&buyer).await.len(), 2);
    let other = shop
        .purchase(
            &buyer,
            id,
            "buy-1",
            &json!({"months": 2, "device_id": "phone-1"}),
        )
        .await;
    problem(other, 422, "idempotency.mismatch").await;
}

/// The balance covers three purchases: of fifty at once, three go through.
#[tokio::test]
async fn fifty_concurrent_purchases_covered_three_times_make_three() {
    let shop = Arc::new(shop().await);
    let buyer = Arc::new(shop.buyer("malika@example.uz").await);
    let mobile = shop.product("kundalik-mobile").await;
    let id = mobile["id"].as_str().unwrap().to_owned();
    let price = mobile["monthly_price"].as_i64().unwrap();
    shop.top_up(&buyer.id, price * 3).await;
    let tasks: Vec<_> = (0..50)
        .map(|n| {
            let (shop, buyer, id) = (Arc::clone(&shop), Arc::clone(&buyer), id.clone());
            tokio::spawn(async move {
                let body = json!({"months": 1, "device_id": format!("phone-{n}")});
                buy(&shop, &buyer, &id, body).await.status().as_u16()
            })
        })
        .collect();
    let mut statuses = Vec::new();
    for task in tasks {
        statuses.push(task.await.unwrap());
    }
    assert_eq!(
        statuses.iter().filter(|s| **s == 200).count(),
        3,
        "{statuses:?}"
    );
    assert!(
        statuses.iter().all(|s| *s == 200 || *s == 409),
        "{statuses:?}"
    );
    assert_eq!(shop.checked_balance(&buyer).await, 0);
    let mine = json_of(get(&shop.app, MY_SUBSCRIPTIONS, &buyer.token).await, 200).await;
    assert_eq!(mine["items"].as_array().unwrap().len(), 3);
}
