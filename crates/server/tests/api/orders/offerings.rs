//! Offerings and orders without a provider: admin CRUD and archiving, the
//! amount fixed at order time, `Idempotency-Key`, payment from the balance,
//! admin completion (course and product fulfilment) and cancellation, and
//! the providers switched off by unset settings.

use super::helpers::{Market, PAYME_MERCHANT, PRICE, market, market_with};
use crate::support::{AUDIT, delete, field_errors, get, json_of, patch, post, problem, with_query};
use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use serde_json::{Value, json};

const ADMIN_OFFERINGS: &str = "/api/v1/admin/offerings";

async fn offering(market: &Market, body: Value) -> Value {
    json_of(
        post(&market.app, ADMIN_OFFERINGS, &market.admin, &body).await,
        201,
    )
    .await
}

fn listed(list: &Value, id: &str) -> bool {
    list["items"]
        .as_array()
        .unwrap()
        .iter()
        .any(|o| o["id"] == id)
}

#[tokio::test]
async fn admins_manage_offerings_and_one_with_orders_is_archived() {
    let market = market().await;
    let app = &market.app;
    // Each kind says what it needs.
    let refused = problem(
        post(
            app,
            ADMIN_OFFERINGS,
            &market.admin,
            &json!({"name": "Maslahat", "price": 50000, "kind": "custom", "months": 2}),
        )
        .await,
        400,
        "validation",
    )
    .await;
    assert!(
        field_errors(&refused).contains(&("months".into(), "offering.field_not_allowed".into()))
    );
    let refused = problem(
        post(
            app,
            ADMIN_OFFERINGS,
            &market.admin,
            &json!({"name": "X", "price": 0, "kind": "course_access"}),
        )
        .await,
        400,
        "validation",
    )
    .await;
    let fields = field_errors(&refused);
    for expected in [
        ("price", "amount.invalid"),
        ("course_id", "required"),
        ("months", "required"),
    ] {
        assert!(
            fields.contains(&(expected.0.into(), expected.1.into())),
            "{refused}"
        );
    }
    let unknown = uuid::Uuid::now_v7().to_string();
    let refused = problem(
        post(app, ADMIN_OFFERINGS, &market.admin, &json!({"name": "X", "price": 1000, "kind": "course_access", "course_id": unknown, "months": 1})).await,
        400,
        "course.not_found",
    )
    .await;
    assert_eq!(refused["errors"][0]["field"], "course_id");

    let custom = offering(
        &market,
        json!({"name": "Shaxsiy maslahat", "price": 50000, "kind": "custom"}),
    )
    .await;
    assert_eq!(custom["kind"], "custom");
    let custom_id = custom["id"].as_str().unwrap();
    let public = json_of(app.get("/api/v1/offerings").await, 200).await;
    assert!(listed(&public, custom_id) && listed(&public, &market.offering));

    let changed = json_of(
        patch(
            app,
            &format!("{ADMIN_OFFERINGS}/{}", market.offering),
            &market.admin,
            &json!({"price": 400000}),
        )
        .await,
        200,
    )
    .await;
    assert_eq!(changed["price"], 400000);
    problem(
        patch(
            app,
            &format!("{ADMIN_OFFERINGS}/{custom_id}"),
            &market.admin,
            &json!({"months": 3}),
        )
        .await,
        400,
        "months.not_allowed",
    )
    .await;

    // The one without orders is deleted; the one with orders is archived.
    let buyer = market.buyer("dilnoza@example.uz").await;
    market.order(&buyer, &market.offering).await;
    let gone = delete(
        app,
        &format!("{ADMIN_OFFERINGS}/{custom_id}"),
        &market.admin,
    )
    .await;
    assert_eq!(gone.status(), 204);
    assert!(gone.headers().get("X-Bilim-Archived").is_none());
    let archived = delete(
        app,
        &format!("{ADMIN_OFFERINGS}/{}", market.offering),
        &market.admin,
    )
    .await;
    assert_eq!(archived.status(), 204);
    assert_eq!(archived.headers()["X-Bilim-Archived"], "true");
    let public = json_of(app.get("/api/v1/offerings").await, 200).await;
    assert!(!listed(&public, custom_id) && !listed(&public, &market.offering));
    let all = json_of(get(app, ADMIN_OFFERINGS, &market.admin).await, 200).await;
    let kept = all["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|o| o["id"] == market.offering.as_str())
        .unwrap();
    assert!(kept["archived_at"].is_string());
    assert!(!listed(&all, custom_id));
    problem(
        delete(
            app,
            &format!("{ADMIN_OFFERINGS}/{}", market.offering),
            &market.admin,
        )
        .await,
        404,
        "offering.not_found",
    )
    .await;
    // An archived offering is not sold any more.
    let key = uuid::Uuid::now_v7().to_string();
    problem(
        market
            .order_raw(&buyer, &key, &json!({"offering_id": market.offering}))
            .await,
        404,
        "offering.not_found",
    )
    .await;
    let audit = json_of(get(app, AUDIT, &market.admin).await, 200).await;
    let actions: Vec<&str> = audit["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["action"].as_str().unwrap())
        .collect();
    for action in ["offering.create", "offering.update", "offering.delete"] {
        assert!(actions.contains(&action), "{actions:?}");
    }
}

#[tokio::test]
async fn an_order_keeps_its_amount_and_is_paid_from_the_balance_once() {
    let market = market().await;
    let app = &market.app;
    let buyer = market.buyer("bobur@example.uz").await;
    let key = "order-1";
    let body = json!({"offering_id": market.offering});
    let order = json_of(market.order_raw(&buyer, key, &body).await, 201).await;
    let id = order["id"].as_str().unwrap();
    assert_eq!(order["status"], "pending");
    assert_eq!(order["amount"], PRICE);
    // The same key and body: the same order, not a second one.
    let again = market.order_raw(&buyer, key, &body).await;
    assert_eq!(again.headers()["Idempotent-Replayed"], "true");
    assert_eq!(json_of(again, 201).await["id"], id);
    problem(
        market
            .order_raw(&buyer, key, &json!({"offering_id": uuid::Uuid::now_v7()}))
            .await,
        422,
        "idempotency.mismatch",
    )
    .await;
    let mine = json_of(get(app, "/api/v1/users/me/orders", &buyer.token).await, 200).await;
    assert_eq!(mine["items"].as_array().unwrap().len(), 1);

    // The Payme link is the base64 of m=…;ac.order_id=…;a=… (tiyin).
    let link = order["pay"]["payme_url"].as_str().unwrap();
    let encoded = link.strip_prefix("https://checkout.paycom.uz/").unwrap();
    let decoded = String::from_utf8(STANDARD.decode(encoded).unwrap()).unwrap();
    assert_eq!(
        decoded,
        format!("m={PAYME_MERCHANT};ac.order_id={id};a={}", PRICE * 100)
    );
    assert!(
        order["pay"]["click_url"]
            .as_str()
            .unwrap()
            .contains(&format!("transaction_param={id}"))
    );

    // A later price change does not move the amount.
    json_of(
        patch(
            app,
            &format!("{ADMIN_OFFERINGS}/{}", market.offering),
            &market.admin,
            &json!({"price": 999000}),
        )
        .await,
        200,
    )
    .await;
    let short = problem(
        market.pay_balance(&buyer, id).await,
        409,
        "wallet.insufficient_funds",
    )
    .await;
    assert_eq!(
        short["detail"],
        "Balansingizga yetarli mablag' mavjud emas!"
    );
    assert_eq!(market.order_of(&buyer, id).await["status"], "pending");
    market.top_up(&buyer, PRICE + 1000).await;
    let paid = json_of(market.pay_balance(&buyer, id).await, 200).await;
    assert_eq!(paid["status"], "completed");
    assert_eq!(paid["paid_via"], "balance");
    assert_eq!(paid["amount"], PRICE);
    assert!(paid["pay"]["payme_url"].is_null());
    assert_eq!(market.checked_balance(&buyer).await, 1000);
    let entries = json_of(
        get(app, "/api/v1/users/me/wallet/entries", &buyer.token).await,
        200,
    )
    .await;
    assert_eq!(entries["items"][0]["kind"], "order");
    assert_eq!(entries["items"][0]["amount"], -PRICE);
    assert_eq!(market.access(&buyer).await, (1, true));

    // Done once: paying, completing or cancelling again is refused.
    market.top_up(&buyer, PRICE).await;
    problem(
        market.pay_balance(&buyer, id).await,
        409,
        "order.not_pending",
    )
    .await;
    problem(
        post(
            app,
            &format!("/api/v1/orders/{id}/cancel"),
            &buyer.token,
            &json!(null),
        )
        .await,
        409,
        "order.not_pending",
    )
    .await;
    problem(
        market
            .admin_post(&format!("/api/v1/admin/orders/{id}/complete"))
            .await,
        409,
        "order.not_pending",
    )
    .await;
    assert_eq!(market.checked_balance(&buyer).await, PRICE + 1000);

    // Another user's order is not found.
    let other = market.buyer("sardor@example.uz").await;
    problem(
        get(app, &format!("/api/v1/orders/{id}"), &other.token).await,
        404,
        "order.not_found",
    )
    .await;
    problem(market.pay_balance(&other, id).await, 404, "order.not_found").await;
}

#[tokio::test]
async fn admins_complete_and_cancel_and_a_product_order_extends_the_subscription() {
    let market = market().await;
    let app = &market.app;
    let products = json_of(app.get("/api/v1/products").await, 200).await;
    let mobile = products["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["code"] == "kundalik-mobile")
        .unwrap()["id"]
        .clone();
    let product = offering(&market, json!({"name": "Kundalikcom mobil: 3 oy", "price": 40000, "kind": "product", "product_id": mobile, "months": 3})).await;
    let product_id = product["id"].as_str().unwrap();
    let buyer = market.buyer("nodira@example.uz").await;

    let key = uuid::Uuid::now_v7().to_string();
    let missing = problem(
        market
            .order_raw(&buyer, &key, &json!({"offering_id": product_id}))
            .await,
        400,
        "validation",
    )
    .await;
    assert!(field_errors(&missing).contains(&("device_id".into(), "required".into())));
    let key = uuid::Uuid::now_v7().to_string();
    let extra = problem(
        market
            .order_raw(
                &buyer,
                &key,
                &json!({"offering_id": market.offering, "device_id": "A1"}),
            )
            .await,
        400,
        "validation",
    )
    .await;
    assert!(field_errors(&extra).contains(&("device_id".into(), "device_id.not_allowed".into())));

    let mut ends = Vec::new();
    for _ in 0..2 {
        let key = uuid::Uuid::now_v7().to_string();
        let order = json_of(
            market
                .order_raw(
                    &buyer,
                    &key,
                    &json!({"offering_id": product_id, "device_id": "ANDROID-77"}),
                )
                .await,
            201,
        )
        .await;
        let done = json_of(
            market
                .admin_post(&format!(
                    "/api/v1/admin/orders/{}/complete",
                    order["id"].as_str().unwrap()
                ))
                .await,
            200,
        )
        .await;
        assert_eq!(done["paid_via"], "admin");
        let subs = json_of(
            get(app, "/api/v1/users/me/subscriptions", &buyer.token).await,
            200,
        )
        .await;
        assert_eq!(
            subs["items"].as_array().unwrap().len(),
            1,
            "one subscription, extended"
        );
        ends.push(subs["items"][0]["ends_at"].as_str().unwrap().to_owned());
    }
    let start = crate::helpers::start_time();
    assert_eq!(
        ends[0],
        (start + chrono::Months::new(3)).to_rfc3339_opts(chrono::SecondsFormat::AutoSi, true)
    );
    assert_eq!(
        ends[1],
        (start + chrono::Months::new(6)).to_rfc3339_opts(chrono::SecondsFormat::AutoSi, true)
    );

    // An admin cancels a pending order, once.
    let pending = market.order(&buyer, &market.offering).await;
    let pending_id = pending["id"].as_str().unwrap();
    let cancelled = json_of(
        market
            .admin_post(&format!("/api/v1/admin/orders/{pending_id}/cancel"))
            .await,
        200,
    )
    .await;
    assert_eq!(cancelled["status"], "cancelled");
    problem(
        market
            .admin_post(&format!("/api/v1/admin/orders/{pending_id}/cancel"))
            .await,
        409,
        "order.not_pending",
    )
    .await;
    assert_eq!(market.access(&buyer).await, (0, false));

    let list = |query: &[(&str, &str)]| with_query("/api/v1/admin/orders", query);
    let completed = json_of(
        get(
            app,
            &list(&[("status", "completed"), ("user_id", &buyer.id)]),
            &market.admin,
        )
        .await,
        200,
    )
    .await;
    assert_eq!(completed["items"].as_array().unwrap().len(), 2);
    let cancelled = json_of(
        get(app, &list(&[("status", "cancelled")]), &market.admin).await,
        200,
    )
    .await;
    assert_eq!(cancelled["items"].as_array().unwrap().len(), 1);
    let page = json_of(get(app, &list(&[("limit", "2")]), &market.admin).await, 200).await;
    assert!(page["next_cursor"].is_string());
    problem(
        get(app, &list(&[("status", "paid")]), &market.admin).await,
        400,
        "validation",
    )
    .await;
    let audit = json_of(get(app, AUDIT, &market.admin).await, 200).await;
    let actions: Vec<&str> = audit["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["action"].as_str().unwrap())
        .collect();
    assert!(
        actions.contains(&"order.complete") && actions.contains(&"order.cancel"),
        "{actions:?}"
    );
}

#[tokio::test]
async fn a_user_cancels_a_pending_order_and_a_custom_order_only_records() {
    let market = market().await;
    let buyer = market.buyer("aziza@example.uz").await;
    let order = market.order(&buyer, &market.offering).await;
    let id = order["id"].as_str().unwrap();
    let other = market.buyer("jamshid@example.uz").await;
    problem(
        post(
            &market.app,
            &format!("/api/v1/orders/{id}/cancel"),
            &other.token,
            &json!(null),
        )
        .await,
        404,
        "order.not_found",
    )
    .await;
    let cancelled = json_of(
        post(
            &market.app,
            &format!("/api/v1/orders/{id}/cancel"),
            &buyer.token,
            &json!(null),
        )
        .await,
        200,
    )
    .await;
    assert_eq!(cancelled["status"], "cancelled");
    assert!(cancelled["pay"]["payme_url"].is_null());
    market.top_up(&buyer, PRICE).await;
    problem(
        market.pay_balance(&buyer, id).await,
        409,
        "order.not_pending",
    )
    .await;
    assert_eq!(market.checked_balance(&buyer).await, PRICE);

    let custom = offering(
        &market,
        json!({"name": "Shaxsiy maslahat", "price": 50000, "kind": "custom"}),
    )
    .await;
    let order = market.order(&buyer, custom["id"].as_str().unwrap()).await;
    let paid = json_of(
        market
            .pay_balance(&buyer, order["id"].as_str().unwrap())
            .await,
        200,
    )
    .await;
    assert_eq!(paid["status"], "completed");
    assert_eq!(market.checked_balance(&buyer).await, PRICE - 50000);
    assert_eq!(market.access(&buyer).await, (0, false));
}

#[tokio::test]
async fn unset_provider_settings_switch_the_routes_and_links_off() {
    let market = market_with(|_| {}).await;
    for path in [
        "/api/v1/payments/payme",
        "/api/v1/payments/click/prepare",
        "/api/v1/payments/click/complete",
    ] {
        let answer = market.app.post_raw(path, "application/json", "{}").await;
        problem(answer, 404, "route.not_found").await;
    }
    let buyer = market.buyer("olim@example.uz").await;
    let order = market.order(&buyer, &market.offering).await;
    assert!(
        order["pay"]["payme_url"].is_null() && order["pay"]["click_url"].is_null(),
        "{order}"
    );
}
