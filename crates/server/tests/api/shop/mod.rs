//! Document 002 end to end: the wallet (top-ups, adjustments, the ledger,
//! `Idempotency-Key`), products, purchases and subscriptions, the licence
//! check and the user's school. Each money rule is checked with the ledger
//! summed against the balance.

mod admin;
mod helpers;
mod purchases;
mod subscriptions;
mod wallet;
