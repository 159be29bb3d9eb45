//! The catalogue ports on sea-orm: `SeaCatalogueReader`, `SeaCatalogueWriter`
//! and `SeaVideoRepository`.
//!
//! Videos are kept apart: every statement that touches the `videos` table is in
//! `videos.rs`. The reader never does (a course page or a lesson page shows no
//! video; the contract tests record every statement of `course_tree` and
//! `lesson` to prove it), and the writer calls into `videos.rs` for the keys of
//! stored videos it removes and for `set_video`.
//!
//! Course trees may be kept in memory (`tree_cache.rs`), valid while the
//! catalogue revision that triggers bump on every change stays the same.
//!
//! Positions of directions, modules and lessons stay `1..=n` among siblings; see
//! `positions.rs`.

mod mapping;
mod positions;
mod reader;
mod tree_cache;
mod videos;
mod writer;

pub use reader::SeaCatalogueReader;
pub use videos::SeaVideoRepository;
pub(crate) use videos::module_progress;
pub use writer::SeaCatalogueWriter;

pub(crate) use mapping::title_search;
pub(crate) use writer::{exists, write_error};

/// The escape character of search patterns.
const LIKE_ESCAPE: char = '\\';

/// Makes `%`, `_` and the escape character itself literal in a `LIKE` pattern
/// (the same rule as the user directory's search).
fn escape_like(text: &str) -> String {
    let mut escaped = String::with_capacity(text.len());
    for c in text.chars() {
        if matches!(c, '%' | '_' | LIKE_ESCAPE) {
            escaped.push(LIKE_ESCAPE);
        }
        escaped.push(c);
    }
    escaped
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn like_wildcards_and_the_escape_become_literal() {
        assert_eq!(escape_like("100%_a\\"), "100\\%\\_a\\\\");
        assert_eq!(escape_like("алгебра"), "алгебра");
    }
}
