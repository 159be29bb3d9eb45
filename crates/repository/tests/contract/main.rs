//! Port contract suites: every adapter of a port must pass the same tests.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod ephemeral;
mod files;
mod sessions;
mod users;
