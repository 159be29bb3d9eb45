//! Bilim's use cases. Each module owns one area and sees the domain ports only;
//! no web framework, database driver, Redis client or mail library in here.
//! Each use case has a constructor taking the ports and values it uses; the
//! server (the one composition root) builds them all.

pub mod accounts;
pub mod admin;
pub mod avatar;
pub mod catalogue;
pub mod challenges;
pub mod codes;
pub mod cpu_pool;
pub mod crypto;
pub mod error;
pub mod files;
pub mod health;
pub mod idempotency;
pub mod input;
pub mod learning;
pub mod limits;
pub mod olympiads;
pub mod orders;
pub mod outbox;
pub mod paging;
pub mod passwords;
pub mod profiles;
pub mod quizzes;
pub mod search;
pub mod sessions;
pub mod shop;
pub mod telegram;
pub mod tokens;
pub mod uploads;
pub mod wallet;

pub use error::{FieldError, ServiceError, ServiceResult};
