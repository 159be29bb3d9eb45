//! Adapters for the domain ports: the sea-orm database (SQLite or PostgreSQL),
//! the ephemeral stores (Redis or in-process) and file storage.

pub mod admins;
pub mod audit;
pub mod catalogue;
pub mod database;
pub mod directory;
pub mod entities;
pub mod ephemeral;
pub mod files;
pub mod idempotency;
pub mod learning;
pub mod olympiads;
pub mod orders;
pub mod quizzes;
pub mod search;
pub mod seed;
pub mod sessions;
pub mod shop;
pub mod stats;
pub mod telegram;
pub mod users;
pub mod wallet;
