//! Test-only helpers shared by the test suites of several crates. Only ever a
//! dev-dependency.

mod database;
pub mod fakes;
mod relay;
mod s3;

pub use database::TestDatabase;
pub use relay::{TcpRelay, split_authority};
pub use s3::TestBucket;
