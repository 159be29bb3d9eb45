//! The three ways to complete one order, at once: an admin's complete, a
//! balance payment and Payme's PerformTransaction. Twenty rounds: each time
//! exactly one wins, the order is fulfilled once and money is taken at most
//! once (the losers are refused and take nothing).

use super::fakes::FakePayme;
use super::helpers::{PRICE, market};
use crate::support::json_of;
use bilim_domain::ports::Clock;
use serde_json::json;
use std::future::Future;
use std::pin::Pin;

/// One way to complete the order: which, whether it won, its status, Payme's code.
type Racer<'a> = Pin<Box<dyn Future<Output = (usize, bool, u16, String)> + 'a>>;

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
        // Each way is sent first in turn, so each gets rounds to win.
        let admin = async {
            let response = market.admin_post(&complete).await;
            (
                0,
                response.status() == 200,
                response.status().as_u16(),
                String::new(),
            )
        };
        let balance = async {
            let response = market.pay_balance(&buyer, &id).await;
            (
                1,
                response.status() == 200,
                response.status().as_u16(),
                String::new(),
            )
        };
        let perform = async {
            let answer = payme
                .call("PerformTransaction", json!({"id": payme_id}))
                .await;
            (
                2,
                answer["error"].is_null(),
                200,
                answer["error"]["code"].to_string(),
            )
        };
        let mut racers: Vec<Racer<'_>> =
            vec![Box::pin(admin), Box::pin(balance), Box::pin(perform)];
        racers.rotate_left(round % 3);
        let outcomes = futures_util::future::join_all(racers).await;
        let winners: Vec<usize> = outcomes.iter().filter(|o| o.1).map(|o| o.0).collect();
        assert_eq!(winners.len(), 1, "round {round}: {outcomes:?}");
        let winner = winners[0];
        for (way, won, status, code) in &outcomes {
            if !won {
                match way {
                    2 => assert_eq!(code, "-31008", "round {round}"),
                    _ => assert_eq!(*status, 409, "round {round}"),
                }
            }
        }
        let (admin_won, balance_won, payme_won) = (winner == 0, winner == 1, winner == 2);
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
        wins[winner] += 1;
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
