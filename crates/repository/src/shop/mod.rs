//! The shop of document 002 on sea-orm: `SeaProductRepository` (products,
//! admin changes audited) and `SeaSubscriptionRepository` (purchases, device
//! moves, admin changes, the licence check). A purchase debits the wallet
//! through `wallet::apply_change` in its own transaction.

mod mapping;
mod products;
pub(crate) mod subscriptions;

pub use products::SeaProductRepository;
pub use subscriptions::SeaSubscriptionRepository;
