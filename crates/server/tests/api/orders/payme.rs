//! Payme's merchant sandbox, scripted: the checks it makes before a
//! merchant goes live (wrong auth, wrong amount, unknown order, create →
//! check → perform → check, perform twice, cancel before and after perform,
//! a second transaction for a paid or waiting order, the 12-hour timeout,
//! GetStatement), then bad input.

use super::fakes::{FakePayme, PAYME, error_code};
use super::helpers::{PRICE, market};
use bilim_domain::ports::Clock;
use serde_json::json;

const TIYIN: i64 = PRICE * 100;

#[tokio::test]
async fn the_sandbox_checks_create_check_perform_and_statement() {
    let market = market().await;
    let buyer = market.buyer("lola@example.uz").await;
    let order = market.order(&buyer, &market.offering).await;
    let id = order["id"].as_str().unwrap();
    let payme = FakePayme::new(&market.app);
    let account = FakePayme::account(id);

    // Wrong auth.
    let intruder = FakePayme {
        app: &market.app,
        key: "not-the-key".into(),
    };
    assert_eq!(
        intruder
            .error(
                "CheckPerformTransaction",
                json!({"amount": TIYIN, "account": account})
            )
            .await,
        -32504
    );
    // Wrong amount, unknown order.
    assert_eq!(
        payme
            .error(
                "CheckPerformTransaction",
                json!({"amount": TIYIN - 100, "account": account})
            )
            .await,
        -31001
    );
    let unknown = uuid::Uuid::now_v7().to_string();
    let answer = payme
        .call(
            "CheckPerformTransaction",
            json!({"amount": TIYIN, "account": FakePayme::account(&unknown)}),
        )
        .await;
    assert_eq!(error_code(&answer), -31050);
    assert_eq!(answer["error"]["data"], "order_id");
    assert_eq!(
        payme
            .ok(
                "CheckPerformTransaction",
                json!({"amount": TIYIN, "account": account})
            )
            .await,
        json!({"allow": true})
    );

    // Create → check → perform → check.
    let time = market.app.clock.now().timestamp_millis();
    let created = payme
        .create("64a1f0c2b7e4d5a6c7b8e9f0", id, TIYIN, time)
        .await["result"]
        .clone();
    assert_eq!(created["state"], 1);
    assert_eq!(created["create_time"], time);
    // A repeat of the same create answers the same.
    assert_eq!(
        payme
            .create("64a1f0c2b7e4d5a6c7b8e9f0", id, TIYIN, time)
            .await["result"],
        created
    );
    let checked = payme
        .ok(
            "CheckTransaction",
            json!({"id": "64a1f0c2b7e4d5a6c7b8e9f0"}),
        )
        .await;
    assert_eq!(checked["state"], 1);
    assert_eq!(checked["perform_time"], 0);
    assert!(checked["reason"].is_null());
    assert_eq!(market.access(&buyer).await, (0, false));

    market.app.clock.advance(chrono::Duration::minutes(2));
    let performed = payme
        .ok(
            "PerformTransaction",
            json!({"id": "64a1f0c2b7e4d5a6c7b8e9f0"}),
        )
        .await;
    assert_eq!(performed["state"], 2);
    assert_eq!(performed["transaction"], created["transaction"]);
    assert_eq!(performed["perform_time"], time + 120_000);
    // Perform twice: the same answer, fulfilled once.
    market.app.clock.advance(chrono::Duration::minutes(1));
    assert_eq!(
        payme
            .ok(
                "PerformTransaction",
                json!({"id": "64a1f0c2b7e4d5a6c7b8e9f0"})
            )
            .await,
        performed
    );
    let checked = payme
        .ok(
            "CheckTransaction",
            json!({"id": "64a1f0c2b7e4d5a6c7b8e9f0"}),
        )
        .await;
    assert_eq!(checked["state"], 2);
    assert_eq!(checked["perform_time"], time + 120_000);
    let paid = market.order_of(&buyer, id).await;
    assert_eq!(paid["status"], "completed");
    assert_eq!(paid["paid_via"], "payme");
    assert_eq!(market.access(&buyer).await, (1, true));
    assert_eq!(market.checked_balance(&buyer).await, 0);

    // A second transaction for a paid order.
    let second = payme
        .create("64a1f0c2b7e4d5a6c7b8e9f1", id, TIYIN, time + 1)
        .await;
    assert_eq!(error_code(&second), -31050);
    assert_eq!(
        payme
            .error(
                "PerformTransaction",
                json!({"id": "64a1f0c2b7e4d5a6c7b8e9f1"})
            )
            .await,
        -31003
    );
    assert_eq!(
        payme
            .error(
                "CheckTransaction",
                json!({"id": "64a1f0c2b7e4d5a6c7b8e9f1"})
            )
            .await,
        -31003
    );

    // GetStatement over a period.
    let statement = payme
        .ok(
            "GetStatement",
            json!({"from": time - 1000, "to": time + 1000}),
        )
        .await;
    let transactions = statement["transactions"].as_array().unwrap();
    assert_eq!(transactions.len(), 1);
    assert_eq!(transactions[0]["id"], "64a1f0c2b7e4d5a6c7b8e9f0");
    assert_eq!(transactions[0]["amount"], TIYIN);
    assert_eq!(transactions[0]["account"]["order_id"], id);
    assert_eq!(transactions[0]["state"], 2);
    let later = payme
        .ok("GetStatement", json!({"from": time + 1, "to": time + 1000}))
        .await;
    assert_eq!(later["transactions"], json!([]));
}

#[tokio::test]
async fn cancel_before_perform_and_after_perform_undoes_the_fulfilment() {
    let market = market().await;
    let buyer = market.buyer("kamola@example.uz").await;
    let payme = FakePayme::new(&market.app);
    let time = market.app.clock.now().timestamp_millis();

    // Before perform: -1, and the transaction can no longer be performed.
    let first = market.order(&buyer, &market.offering).await;
    let first_id = first["id"].as_str().unwrap();
    payme
        .create("aaaa00000000000000000001", first_id, TIYIN, time)
        .await;
    let cancelled = payme
        .ok(
            "CancelTransaction",
            json!({"id": "aaaa00000000000000000001", "reason": 3}),
        )
        .await;
    assert_eq!(cancelled["state"], -1);
    assert_eq!(
        payme
            .error(
                "PerformTransaction",
                json!({"id": "aaaa00000000000000000001"})
            )
            .await,
        -31008
    );
    let checked = payme
        .ok(
            "CheckTransaction",
            json!({"id": "aaaa00000000000000000001"}),
        )
        .await;
    assert_eq!(
        (checked["state"].clone(), checked["reason"].clone()),
        (json!(-1), json!(3))
    );
    assert_eq!(market.order_of(&buyer, first_id).await["status"], "pending");
    // Cancelling again answers the same.
    assert_eq!(
        payme
            .ok(
                "CancelTransaction",
                json!({"id": "aaaa00000000000000000001", "reason": 3})
            )
            .await,
        cancelled
    );

    // After perform: -2, the order cancelled, the access revoked, audited.
    let second = market.order(&buyer, &market.offering).await;
    let second_id = second["id"].as_str().unwrap();
    payme
        .create("aaaa00000000000000000002", second_id, TIYIN, time)
        .await;
    payme
        .ok(
            "PerformTransaction",
            json!({"id": "aaaa00000000000000000002"}),
        )
        .await;
    assert_eq!(market.access(&buyer).await, (1, true));
    let refunded = payme
        .ok(
            "CancelTransaction",
            json!({"id": "aaaa00000000000000000002", "reason": 5}),
        )
        .await;
    assert_eq!(refunded["state"], -2);
    let order = market.order_of(&buyer, second_id).await;
    assert_eq!(order["status"], "cancelled");
    assert!(order["refunded_at"].is_string());
    assert_eq!(market.access(&buyer).await, (1, false));
    assert_eq!(
        payme
            .ok(
                "CancelTransaction",
                json!({"id": "aaaa00000000000000000002", "reason": 5})
            )
            .await,
        refunded
    );
    assert_eq!(
        payme
            .error(
                "PerformTransaction",
                json!({"id": "aaaa00000000000000000002"})
            )
            .await,
        -31008
    );
    assert_eq!(
        payme
            .error(
                "CancelTransaction",
                json!({"id": "bbbb00000000000000000002", "reason": 5})
            )
            .await,
        -31003
    );
}

#[tokio::test]
async fn one_waiting_transaction_per_order_and_the_twelve_hour_timeout() {
    let market = market().await;
    let buyer = market.buyer("shahzod@example.uz").await;
    let order = market.order(&buyer, &market.offering).await;
    let id = order["id"].as_str().unwrap();
    // Placed now: the user's token does not outlive the hours moved below.
    let third = market.order(&buyer, &market.offering).await;
    let payme = FakePayme::new(&market.app);
    let time = market.app.clock.now().timestamp_millis();
    assert_eq!(
        payme
            .create("cccc00000000000000000001", id, TIYIN, time)
            .await["result"]["state"],
        1
    );
    // Another transaction while the first waits: -31050.
    let busy = payme
        .create("cccc00000000000000000002", id, TIYIN, time)
        .await;
    assert_eq!(error_code(&busy), -31050);

    // Twelve hours and a minute later the first has timed out: cancelled
    // with reason 4, not performed.
    market
        .app
        .clock
        .advance(chrono::Duration::hours(12) + chrono::Duration::minutes(1));
    assert_eq!(
        payme
            .error(
                "PerformTransaction",
                json!({"id": "cccc00000000000000000001"})
            )
            .await,
        -31008
    );
    let checked = payme
        .ok(
            "CheckTransaction",
            json!({"id": "cccc00000000000000000001"}),
        )
        .await;
    assert_eq!(
        (checked["state"].clone(), checked["reason"].clone()),
        (json!(-1), json!(4))
    );
    // Now another may pay it.
    let now = market.app.clock.now().timestamp_millis();
    assert_eq!(
        payme
            .create("cccc00000000000000000002", id, TIYIN, now)
            .await["result"]["state"],
        1
    );
    assert_eq!(
        payme
            .ok(
                "PerformTransaction",
                json!({"id": "cccc00000000000000000002"})
            )
            .await["state"],
        2
    );
    let statement = payme
        .ok("GetStatement", json!({"from": time, "to": now}))
        .await;
    let states: Vec<i64> = statement["transactions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["state"].as_i64().unwrap())
        .collect();
    assert_eq!(states, [-1, 2]);
    // A create repeated after the timeout is refused too.
    payme
        .create(
            "cccc00000000000000000003",
            third["id"].as_str().unwrap(),
            TIYIN,
            now,
        )
        .await;
    market.app.clock.advance(chrono::Duration::hours(13));
    let late = payme
        .create(
            "cccc00000000000000000003",
            third["id"].as_str().unwrap(),
            TIYIN,
            now,
        )
        .await;
    assert_eq!(error_code(&late), -31008);
}

#[tokio::test]
async fn bad_input_gets_payme_errors_and_is_kept_with_its_answer() {
    let market = market().await;
    let buyer = market.buyer("ulugbek@example.uz").await;
    let order = market.order(&buyer, &market.offering).await;
    let id = order["id"].as_str().unwrap();
    let payme = FakePayme::new(&market.app);

    for malformed in ["{\"method\": ", "not json", "", "[1, 2"] {
        let answer = payme.raw(malformed.to_owned()).await;
        assert_eq!(error_code(&answer), -32700, "{malformed}");
        assert!(answer["id"].is_null());
    }
    let answer = payme.call("ChangeEverything", json!({})).await;
    assert_eq!(error_code(&answer), -32601);
    assert_eq!(answer["error"]["data"], "ChangeEverything");
    let no_params = payme
        .raw(json!({"id": 3, "method": "CheckTransaction"}).to_string())
        .await;
    assert_eq!(error_code(&no_params), -32600);
    assert_eq!(no_params["id"], 3);
    let account = FakePayme::account(id);
    for amount in [
        json!(TIYIN.to_string()),
        json!(4500000.5),
        json!(-TIYIN),
        json!(0),
    ] {
        assert_eq!(
            payme
                .error(
                    "CheckPerformTransaction",
                    json!({"amount": amount, "account": account})
                )
                .await,
            -31001,
            "{amount}"
        );
    }
    assert_eq!(
        payme
            .error("CheckPerformTransaction", json!({"account": account}))
            .await,
        -32600
    );
    let huge = "f".repeat(10_000);
    assert_eq!(
        payme.error("CheckTransaction", json!({"id": huge})).await,
        -32600
    );
    assert_eq!(payme.error("CreateTransaction", json!({"id": "dddd00000000000000000001", "time": 1, "amount": TIYIN, "account": {"order_id": huge}})).await, -31050);
    assert_eq!(payme.error("CreateTransaction", json!({"id": "dddd00000000000000000001", "time": "soon", "amount": TIYIN, "account": account})).await, -32600);
    assert_eq!(
        payme
            .error(
                "CancelTransaction",
                json!({"id": "dddd00000000000000000001", "reason": 1e12})
            )
            .await,
        -32600
    );
    // A huge JSON-RPC id is echoed as it came.
    let big_id = payme.raw(json!({"id": 9_007_199_254_740_993_i64, "method": "CheckTransaction", "params": {"id": "x"}}).to_string()).await;
    assert_eq!(big_id["id"], 9_007_199_254_740_993_i64);
    assert_eq!(market.order_of(&buyer, id).await["status"], "pending");

    // A body over the limit is refused before the protocol reads it.
    let huge_body = format!(
        "{{\"id\": 1, \"method\": \"CheckTransaction\", \"params\": {{\"id\": \"{}\"}}}}",
        "a".repeat(300 * 1024)
    );
    let response = market
        .app
        .post_raw(PAYME, "application/json", huge_body)
        .await;
    assert_eq!(response.status(), 413);

    // Every request is kept raw with its answer; none holds the key.
    let db = sea_orm::Database::connect(market.app.database_url())
        .await
        .unwrap();
    use sea_orm::ConnectionTrait;
    let rows = db
        .query_all_raw(sea_orm::Statement::from_string(
            db.get_database_backend(),
            "SELECT request, response FROM payment_requests WHERE provider = 'payme'",
        ))
        .await
        .unwrap();
    assert!(rows.len() >= 15, "{} kept", rows.len());
    for row in rows {
        let request: String = row.try_get("", "request").unwrap();
        let response: String = row.try_get("", "response").unwrap();
        assert!(response.contains("\"error\""));
        assert!(
            !request.contains(super::helpers::PAYME_KEY)
                && !response.contains(super::helpers::PAYME_KEY)
        );
    }
}
