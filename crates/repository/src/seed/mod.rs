//! Demo data, fast: multi-row `INSERT`s of up to `BATCH` rows.
//!
//! `seed_users`: one transaction per batch, the totals raised once per batch in
//! the same transaction. Meant for an empty or a demo database. Demo users are
//! `demo{n}@bilim.test` (`.test` is a reserved top-level domain, so no mail can
//! reach anyone); a run starts after the highest `n` already stored, so running
//! it again adds more users instead of failing on taken emails. It checks
//! nothing else: on a database with real users, a demo phone (`+99890` and the
//! last seven digits of `n`) may equal a real one.
//!
//! `seed_catalogue`: the three directions of the product with published
//! courses, in one transaction; it does nothing when a demo direction exists.
//!
//! `seed_grants`: opens published courses to the first demo students, with
//! their workbook and certificate claims; a repeat run adds nothing.
//!
//! `seed_wallets`: balances with their ledgers for the first demo users, and
//! `kundalik-mobile` subscriptions bought from them; a repeat run adds nothing.
//!
//! `seed_quizzes`: a test on the first lesson of every demo course and two
//! olympiads; a repeat run adds nothing.

mod catalogue;
mod grants;
mod quizzes;
mod users;
mod wallets;

pub use catalogue::seed_catalogue;
pub use grants::seed_grants;
pub use quizzes::seed_quizzes;
pub use users::seed_users;
pub use wallets::seed_wallets;

/// Users per `INSERT`: 1000 rows × 15 columns stays under SQLite's 32 766 and
/// PostgreSQL's 65 535 bind parameters.
const BATCH: u64 = 1000;

const DOMAIN: &str = "@bilim.test";

/// A cheap, well-mixed hash of `n`, so neighbours get unrelated names.
fn splitmix64(n: u64) -> u64 {
    let mut z = n.wrapping_add(0x9E37_79B9_7F4A_7C15);
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}
