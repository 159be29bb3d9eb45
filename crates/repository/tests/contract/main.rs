//! Port contract suites: every adapter of a port must pass the same tests.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod admins;
mod audit;
mod catalogue;
mod catalogue_cache;
mod catalogue_queries;
mod catalogue_seed;
mod directory;
mod ephemeral;
mod files;
mod learning;
mod learning_progress;
mod orders;
mod pool;
mod seed;
mod sessions;
mod telegram;
mod users;
mod wallet;
mod wallet_property;
