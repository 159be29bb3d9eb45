//! A property of the wallet: whatever sequence of top-ups, adjustments and
//! purchases runs, the balance is never negative, it is what a model of the
//! rules says, and the ledger sums to it.

use crate::users::now;
use crate::wallet::{MOBILE_PRICE, change, purchase, wallets};
use bilim_domain::DomainError;
use bilim_domain::ports::{INSUFFICIENT_FUNDS, SubscriptionRepository, WalletRepository};
use bilim_domain::wallet::EntryKind;
use proptest::prelude::*;

#[derive(Debug, Clone)]
enum Op {
    TopUp(i64),
    Adjust(i64),
    Buy(i64),
}

fn op() -> impl Strategy<Value = Op> {
    prop_oneof![
        (1i64..=60_000).prop_map(Op::TopUp),
        (-60_000i64..=60_000)
            .prop_filter("not 0", |a| *a != 0)
            .prop_map(Op::Adjust),
        (1i64..=4).prop_map(Op::Buy),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 12, ..ProptestConfig::default() })]

    #[test]
    fn the_ledger_always_sums_to_a_balance_that_is_never_negative(ops in proptest::collection::vec(op(), 1..25)) {
        let runtime = tokio::runtime::Runtime::new().unwrap();
        runtime.block_on(async {
            let w = wallets().await;
            let mut model: i64 = 0;
            for (n, op) in ops.iter().enumerate() {
                let (delta, result) = match op {
                    Op::TopUp(a) => (*a, w.wallet.apply(&change(w.user, *a, EntryKind::TopUp), None).await.map(|_| ())),
                    Op::Adjust(a) => (*a, w.wallet.apply(&change(w.user, *a, EntryKind::Adjustment), None).await.map(|_| ())),
                    Op::Buy(m) => (
                        -MOBILE_PRICE * m,
                        w.subscriptions.purchase(&purchase(w.user, &format!("d{}", n % 3), *m, now())).await.map(|_| ()),
                    ),
                };
                if model + delta >= 0 {
                    assert_eq!(result, Ok(()), "{op:?} with {model}");
                    model += delta;
                } else {
                    assert_eq!(result, Err(DomainError::Conflict { what: INSUFFICIENT_FUNDS.into() }), "{op:?} with {model}");
                }
                assert_eq!(w.checked_balance().await, model);
            }
        });
    }
}
