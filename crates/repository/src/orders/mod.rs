//! Offerings, orders and provider payments on sea-orm.
//!
//! Every way an order is completed (an admin, the balance, Payme's perform,
//! Click's complete) goes through [`fulfil::complete_in`] inside its own
//! transaction: one conditional `UPDATE orders SET status = 'completed' …
//! WHERE id = ? AND status = 'pending'`, then the debit (balance), then the
//! fulfilment through the same functions an admin's grant and a purchase use
//! (`learning::access::grant_in`, `shop::subscriptions::extend_in`). Of
//! concurrent completions exactly one changes the row; the others roll back
//! having taken nothing.

mod fulfil;
mod mapping;
mod offerings;
mod payments;
mod placed;

pub use offerings::SeaOfferingRepository;
pub use payments::SeaPaymentRepository;
pub use placed::SeaOrderRepository;
