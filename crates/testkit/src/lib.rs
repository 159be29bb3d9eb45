//! Test-only helpers shared by the test suites of several crates. Only ever a
//! dev-dependency.

mod relay;

pub use relay::{TcpRelay, split_authority};
