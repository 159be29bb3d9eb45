//! Click's SHOP API, scripted: bad signature, wrong amount, unknown order,
//! prepare → complete, complete twice, complete after a cancel, and bad input.

use super::fakes::{CLICK_COMPLETE, CLICK_PREPARE, ClickCall, FakeClick};
use super::helpers::{PRICE, market};
use serde_json::Value;

fn prepare<'a>(trans: &'a str, order: &'a str, amount: &'a str) -> ClickCall<'a> {
    ClickCall {
        click_trans_id: trans,
        order,
        amount,
        prepare_id: None,
        error: "0",
    }
}

fn error(answer: &Value) -> i64 {
    answer["error"].as_i64().unwrap()
}

#[tokio::test]
async fn prepare_then_complete_once_and_a_repeat_answers_the_same() {
    let market = market().await;
    let buyer = market.buyer("zarina@example.uz").await;
    let order = market.order(&buyer, &market.offering).await;
    let id = order["id"].as_str().unwrap();
    let amount = format!("{PRICE}.00");
    let click = FakeClick::new(&market.app);

    // A wrong secret is a bad signature.
    let forger = FakeClick {
        app: &market.app,
        secret: "guessed".into(),
    };
    let forged = forger.send(&prepare("2600000001", id, &amount)).await;
    assert_eq!(
        (error(&forged), forged["error_note"].as_str()),
        (-1, Some("SIGN CHECK FAILED!"))
    );
    let wrong = click.send(&prepare("2600000001", id, "1000.00")).await;
    assert_eq!(error(&wrong), -2);
    let unknown = uuid::Uuid::now_v7().to_string();
    assert_eq!(
        error(&click.send(&prepare("2600000001", &unknown, &amount)).await),
        -5
    );
    assert_eq!(
        error(
            &click
                .send(&prepare("2600000001", "not-an-order", &amount))
                .await
        ),
        -5
    );

    let prepared = click.send(&prepare("2600000001", id, &amount)).await;
    assert_eq!(error(&prepared), 0, "{prepared}");
    assert_eq!(prepared["error_note"], "Success");
    assert_eq!(prepared["merchant_trans_id"], id);
    assert_eq!(prepared["click_trans_id"], 2_600_000_001_i64);
    let prepare_id = prepared["merchant_prepare_id"]
        .as_i64()
        .unwrap()
        .to_string();
    assert_eq!(market.order_of(&buyer, id).await["status"], "pending");

    let complete = ClickCall {
        prepare_id: Some(&prepare_id),
        ..prepare("2600000001", id, &amount)
    };
    let completed = click.send(&complete).await;
    assert_eq!(error(&completed), 0, "{completed}");
    assert_eq!(
        completed["merchant_confirm_id"]
            .as_i64()
            .unwrap()
            .to_string(),
        prepare_id
    );
    let paid = market.order_of(&buyer, id).await;
    assert_eq!(
        (paid["status"].as_str(), paid["paid_via"].as_str()),
        (Some("completed"), Some("click"))
    );
    assert_eq!(market.access(&buyer).await, (1, true));
    // Complete twice: the same answer, fulfilled once.
    assert_eq!(click.send(&complete).await, completed);
    assert_eq!(market.access(&buyer).await, (1, true));
    // The paid order cannot be prepared again.
    assert_eq!(
        error(&click.send(&prepare("2600000002", id, &amount)).await),
        -4
    );
    // An unknown prepare id.
    let stray = ClickCall {
        prepare_id: Some("999999"),
        ..prepare("2600000001", id, &amount)
    };
    assert_eq!(error(&click.send(&stray).await), -6);
}

#[tokio::test]
async fn complete_after_a_cancel_is_refused() {
    let market = market().await;
    let buyer = market.buyer("feruza@example.uz").await;
    let order = market.order(&buyer, &market.offering).await;
    let id = order["id"].as_str().unwrap();
    let amount = PRICE.to_string();
    let click = FakeClick::new(&market.app);
    let prepared = click.send(&prepare("2600000101", id, &amount)).await;
    let prepare_id = prepared["merchant_prepare_id"]
        .as_i64()
        .unwrap()
        .to_string();
    // Click reports the payment failed: the prepare is cancelled.
    let failed = ClickCall {
        prepare_id: Some(&prepare_id),
        error: "-5017",
        ..prepare("2600000101", id, &amount)
    };
    assert_eq!(error(&click.send(&failed).await), -9);
    let retried = ClickCall {
        prepare_id: Some(&prepare_id),
        ..prepare("2600000101", id, &amount)
    };
    let refused = click.send(&retried).await;
    assert_eq!(
        (error(&refused), refused["error_note"].as_str()),
        (-9, Some("Transaction cancelled"))
    );
    assert_eq!(market.order_of(&buyer, id).await["status"], "pending");

    // An order cancelled by its owner between prepare and complete.
    let prepared = click.send(&prepare("2600000102", id, &amount)).await;
    let prepare_id = prepared["merchant_prepare_id"]
        .as_i64()
        .unwrap()
        .to_string();
    crate::support::json_of(
        crate::support::post(
            &market.app,
            &format!("/api/v1/orders/{id}/cancel"),
            &buyer.token,
            &serde_json::json!(null),
        )
        .await,
        200,
    )
    .await;
    let late = ClickCall {
        prepare_id: Some(&prepare_id),
        ..prepare("2600000102", id, &amount)
    };
    assert_eq!(error(&click.send(&late).await), -9);
    assert_eq!(market.access(&buyer).await, (0, false));
}

#[tokio::test]
async fn bad_click_input_is_refused_with_click_codes() {
    let market = market().await;
    let buyer = market.buyer("rustam@example.uz").await;
    let order = market.order(&buyer, &market.offering).await;
    let id = order["id"].as_str().unwrap();
    let amount = PRICE.to_string();
    let click = FakeClick::new(&market.app);

    // Fields missing.
    let answer = click
        .post(CLICK_PREPARE, &[("click_trans_id".into(), "1".into())])
        .await;
    assert_eq!(error(&answer), -8);
    let answer = click.post(CLICK_COMPLETE, &[]).await;
    assert_eq!(error(&answer), -8);
    // A prepare posted to complete's URL names the wrong action.
    let mut fields = click.fields(&prepare("2600000201", id, &amount));
    fields.push(("merchant_prepare_id".into(), "1".into()));
    assert_eq!(error(&click.post(CLICK_COMPLETE, &fields).await), -1);
    let mut as_complete = click.fields(&ClickCall {
        prepare_id: Some("1"),
        ..prepare("2600000201", id, &amount)
    });
    as_complete.retain(|(k, _)| k != "merchant_prepare_id");
    assert_eq!(error(&click.post(CLICK_PREPARE, &as_complete).await), -1);
    // A huge id, amounts that are not whole so'm.
    let huge = "9".repeat(40);
    assert_eq!(error(&click.send(&prepare(&huge, id, &amount)).await), -8);
    for bad in ["450000.5", "-450000", "abc", "1e6"] {
        assert_eq!(
            error(&click.send(&prepare("2600000202", id, bad)).await),
            -2,
            "{bad}"
        );
    }
    let prepared = click.send(&prepare("2600000203", id, &amount)).await;
    assert_eq!(error(&prepared), 0);
    let huge_prepare = ClickCall {
        prepare_id: Some(&huge),
        ..prepare("2600000203", id, &amount)
    };
    assert_eq!(error(&click.send(&huge_prepare).await), -6);
    let wrong_amount = ClickCall {
        prepare_id: Some(
            &prepared["merchant_prepare_id"]
                .as_i64()
                .unwrap()
                .to_string(),
        ),
        ..prepare("2600000203", id, "1000")
    };
    // Signed with the changed amount, so the signature passes and the amount does not.
    let answer = click.send(&wrong_amount).await;
    assert_eq!(error(&answer), -2);
    assert_eq!(market.order_of(&buyer, id).await["status"], "pending");
}
