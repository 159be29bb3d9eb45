//! The learning ports on sea-orm: `SeaAccessRepository` (grants and the
//! expiry job's notices), `SeaClaimRepository` (once-only workbook downloads
//! and certificates) and `SeaProgressRepository` (lesson progress).
//!
//! Every statement on `user_take_workbook` and `certificate_open_user` is in
//! `claims.rs` and `claims/opening.rs` (the ones the grant and the catalogue
//! writer run in their transactions to open claims). Once-only rules are single conditional
//! `UPDATE`s (`… WHERE available = true`), so of any number of concurrent
//! takers exactly one wins, on both backends.

pub(crate) mod access;
pub(crate) mod claims;
mod mapping;
mod progress;

pub use access::SeaAccessRepository;
pub use claims::SeaClaimRepository;
pub use progress::SeaProgressRepository;

use sea_orm::sea_query::{Alias, Expr, IntoIden};

/// `excluded.<column>` in an upsert's `DO UPDATE`: the value the insert
/// proposed (the same spelling on SQLite and PostgreSQL).
fn excluded(column: impl IntoIden) -> Expr {
    Expr::col((Alias::new("excluded"), column))
}
