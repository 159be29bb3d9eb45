//! The three ways to complete one order, at once: an admin's complete, a
//! balance payment and Payme's PerformTransaction. Twenty rounds: each time
//! exactly one wins, the order is fulfilled once and money is taken at most
//! once (the losers are refused and take nothing).

use super::fakes::FakePayme;
use super::helpers::{PRICE, market};
use crate::support::json_of;
use bilim_domain::ports::Clock;
use serde_json::json;

#[tokio::test]
async fn admin_balance_and_payme_race_for_one_order_twenty_times() {
    let market = market().await;
    let buyer = market.buyer("poyga@example.uz").await;
    let payme = FakePayme::new(&market.app);
    let mut wins = [0usize; 3];
    for round in 0..20 {
        let order = market.order(&buyer, &market.offering).await;
        let id = order["id"].as_str().unwrap().to_owned();
        market.top_up(&buyer, PRICE).await;
        let before = market.checked_balance(&buyer).await;
        let payme_id = format!("race{round:020}");
        let time = market.app.clock.now().timestamp_millis();
        assert_eq!(
            payme.create(&payme_id, &id, PRICE * 100, time).await["result"]["state"],
            1
        );

        let complete = format!("/api/v1/admin/orders/{id}/complete");
        let (admin, balance, perform) = tokio::join!(
            market.admin_post(&complete),
            market.pay_balance(&buyer, &id),
            payme.call("PerformTransaction", json!({"id": payme_id})),
        );
        let admin_won = admin.status() == 200;
        let balance_status = balance.status().as_u16();
        let balance_won = balance_status == 200;
        let payme_won = perform["error"].is_null();
        assert_eq!(
            usize::from(admin_won) + usize::from(balance_won) + usize::from(payme_won),
            1,
            "round {round}: admin {} balance {balance_status} payme {perform}",
            admin.status()
        );
        if !admin_won {
            assert_eq!(admin.status(), 409);
        }
        if !balance_won {
            assert_eq!(balance_status, 409);
        }
        if !payme_won {
            assert_eq!(perform["error"]["code"], -31008);
        }
        let settled = market.order_of(&buyer, &id).await;
        assert_eq!(settled["status"], "completed");
        let via = if admin_won {
            "admin"
        } else if balance_won {
            "balance"
        } else {
            "payme"
        };
        assert_eq!(settled["paid_via"], via);
        let after = market.checked_balance(&buyer).await;
        assert_eq!(
            after,
            if balance_won { before - PRICE } else { before },
            "round {round}"
        );
        let check = payme.ok("CheckTransaction", json!({"id": payme_id})).await;
        assert_eq!(check["state"], if payme_won { 2 } else { 1 });
        if !payme_won {
            // Payme cancels the refused transaction; the order stays completed.
            payme
                .ok("CancelTransaction", json!({"id": payme_id, "reason": 3}))
                .await;
            assert_eq!(market.order_of(&buyer, &id).await["status"], "completed");
        }
        wins[usize::from(balance_won) + 2 * usize::from(payme_won)] += 1;
        // The grant is one row, extended.
        assert_eq!(market.access(&buyer).await, (1, true));
    }
    let completed = json_of(
        crate::support::get(
            &market.app,
            &format!(
                "/api/v1/admin/orders?status=completed&user_id={}&limit=100",
                buyer.id
            ),
            &market.admin,
        )
        .await,
        200,
    )
    .await;
    assert_eq!(completed["items"].as_array().unwrap().len(), 20);
    let _ = market.app.clock.now();
    println!("wins (admin, balance, payme): {wins:?}");
}
