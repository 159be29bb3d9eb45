//! Bilim's domain: entities, value objects, domain errors and the ports (traits)
//! that the outer crates implement. Depends on std-level crates only.

pub mod admins;
pub mod catalogue;
pub mod error;
pub mod idempotency;
pub mod learning;
pub mod olympiads;
pub mod orders;
pub mod ports;
pub mod quizzes;
pub mod search;
pub mod sessions;
pub mod shop;
pub mod stats;
pub mod telegram;
pub mod users;
pub mod values;
pub mod wallet;

pub use error::{DomainError, DomainResult};
