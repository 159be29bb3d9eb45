//! Black-box tests of the whole server: each test spawns its own app on port 0
//! through `Application::build`, with a fresh database (SQLite, or PostgreSQL when
//! `TEST_DATABASE_URL` is set), a fresh Redis prefix when `TEST_REDIS_URL` is set,
//! a file outbox and a clock the test moves.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod accounts;
mod admin;
mod catalogue;
mod cli;
mod errors;
mod files;
mod hangs;
mod harness;
mod health;
mod helpers;
mod json_bodies;
mod learning;
mod openapi;
mod orders;
mod outages;
mod quizzes;
mod shop;
mod support;
mod telegram;
