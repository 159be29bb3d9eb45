//! The service's rules through its public constructors, over the in-memory
//! fakes of `bilim-testkit`: no server, database, Redis or mail. Time is a
//! `ManualClock` that the tests move; nothing sleeps.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod catalogue_changes;
mod catalogue_files;
mod catalogue_public;
mod catalogue_uploads;
mod challenges;
mod codes;
mod resend;
mod sessions;
mod shop;
mod support;
mod wallet;
