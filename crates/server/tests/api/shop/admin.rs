//! Admins: products and users' subscriptions, each change audited.

use super::helpers::shop;
use crate::support::{AUDIT, delete, get, json_of, patch, post, problem, put, with_query};
use serde_json::json;

#[tokio::test]
async fn admins_manage_products_and_subscriptions() {
    let shop = shop().await;
    let created = post(
        &shop.app,
        "/api/v1/admin/products",
        &shop.admin,
        &json!({"code": "testmax-school", "name": "TestMax (maktab)", "monthly_price": 90000, "max_months": 6}),
    )
    .await;
    let product = json_of(created, 201).await;
    assert_eq!(product["active"], true);
    let taken = post(
        &shop.app,
        "/api/v1/admin/products",
        &shop.admin,
        &json!({"code": "testmax-school", "name": "x", "monthly_price": 1, "max_months": 1}),
    )
    .await;
    problem(taken, 409, "product.code_taken").await;
    let bad = post(
        &shop.app,
        "/api/v1/admin/products",
        &shop.admin,
        &json!({"code": "Bad Code", "name": "", "monthly_price": 0, "max_months": 61}),
    )
    .await;
    problem(bad, 400, "validation").await;
    let id = product["id"].as_str().unwrap();
    let changed = patch(
        &shop.app,
        &format!("/api/v1/admin/products/{id}"),
        &shop.admin,
        &json!({"monthly_price": 95000}),
    )
    .await;
    assert_eq!(json_of(changed, 200).await["monthly_price"], 95000);
    let all = json_of(
        get(&shop.app, "/api/v1/admin/products", &shop.admin).await,
        200,
    )
    .await;
    assert_eq!(all["items"].as_array().unwrap().len(), 5);

    let buyer = shop.buyer("rustam@example.uz").await;
    shop.top_up(&buyer.id, 1_000_000).await;
    let bought = shop
        .purchase(&buyer, id, "p-1", &json!({"months": 1, "device_id": "D-1"}))
        .await;
    let sub = json_of(bought, 200).await["subscription"]["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let listed = json_of(
        get(
            &shop.app,
            &format!("/api/v1/admin/users/{}/subscriptions", buyer.id),
            &shop.admin,
        )
        .await,
        200,
    )
    .await;
    assert_eq!(listed["items"][0]["id"], sub.as_str());
    let moved = put(
        &shop.app,
        &format!("/api/v1/admin/subscriptions/{sub}"),
        &shop.admin,
        &json!({"device_id": "D-2", "ends_at": "2030-01-01T00:00:00Z"}),
    )
    .await;
    let moved = json_of(moved, 200).await;
    assert_eq!(moved["device_id"], "D-2");
    assert_eq!(moved["ends_at"], "2030-01-01T00:00:00Z");
    let gone = delete(
        &shop.app,
        &format!("/api/v1/admin/subscriptions/{sub}"),
        &shop.admin,
    )
    .await;
    assert_eq!(gone.status().as_u16(), 204);
    let again = delete(
        &shop.app,
        &format!("/api/v1/admin/subscriptions/{sub}"),
        &shop.admin,
    )
    .await;
    problem(again, 404, "subscription.not_found").await;
    let audit = json_of(
        get(
            &shop.app,
            &with_query(AUDIT, &[("target_id", &sub)]),
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
    assert_eq!(actions, ["subscription.delete", "subscription.update"]);
}
