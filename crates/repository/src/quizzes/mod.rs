//! Tests, questions, attempts and points on sea-orm (document 003).
//!
//! The once-only rules are the database's (migration 9): one unsubmitted
//! attempt per user and test (a partial unique index), attempt numbers
//! unique and at most `max_attempts` (so a race of starts makes one), a
//! submit is one conditional `UPDATE … WHERE submitted_at IS NULL`, and
//! points are unique per user and source.

mod attempts;
mod mapping;
mod points;
mod tests;

pub use attempts::SeaAttemptRepository;
pub(crate) use mapping::select_tests as tests_where;
pub use points::SeaPointsRepository;
pub use tests::SeaQuizRepository;
