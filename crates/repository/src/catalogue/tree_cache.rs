//! Course trees kept in memory, valid for one catalogue revision.
//!
//! `catalogue_revision` (migration 000005) grows with every committed change to
//! what a course page shows, on whichever instance it was made. A tree is kept
//! with the revision it was read at and served only while the database still
//! says that revision; the first request that sees another one empties the
//! cache. So a cached tree costs one primary-key read instead of seven queries,
//! and no instance serves a page older than the revision it has just read.
//!
//! "Another", not only "a newer": after a restore the database's number can be
//! lower than the one the cache holds, and then climb back to it with other
//! data. The first request after the restore sees the lower number and empties
//! the cache, so no tree from before the restore survives it.
//!
//! Bounded by the number of trees; when full, the least recently served one
//! goes. Only trees that exist are kept: unknown ids cannot fill it.

use bilim_domain::catalogue::CourseTree;
use std::collections::HashMap;
use std::sync::{Arc, Mutex, MutexGuard};
use uuid::Uuid;

pub(crate) struct TreeCache {
    capacity: usize,
    state: Mutex<State>,
}

#[derive(Default)]
struct State {
    /// The revision last read by a request; every kept tree was read at it.
    revision: i64,
    trees: HashMap<Uuid, Kept>,
    /// Counts serves, to find the least recently served tree.
    clock: u64,
}

struct Kept {
    tree: Arc<CourseTree>,
    last_served: u64,
}

impl TreeCache {
    /// `capacity` trees at most; at least one.
    pub(crate) fn new(capacity: usize) -> Self {
        Self {
            capacity: capacity.max(1),
            state: Mutex::new(State::default()),
        }
    }

    fn state(&self) -> MutexGuard<'_, State> {
        // A panic while holding the lock leaves no half-written entry behind
        // (every change is a single insert or clear), so the state is usable.
        self.state
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    /// The tree of `id` read at exactly `revision`, if kept. Any other
    /// revision (newer, or older after a restore) empties the cache and becomes
    /// the one it keeps trees of. A request that read an older number just
    /// before a change costs one more emptying, never a stale page.
    pub(crate) fn get(&self, id: Uuid, revision: i64) -> Option<Arc<CourseTree>> {
        let mut state = self.state();
        if revision != state.revision {
            state.revision = revision;
            state.trees.clear();
            return None;
        }
        state.clock += 1;
        let now = state.clock;
        let kept = state.trees.get_mut(&id)?;
        kept.last_served = now;
        Some(Arc::clone(&kept.tree))
    }

    /// Keeps `tree`, read at `revision` (which `get` saw first); ignored when
    /// another revision has been seen since.
    pub(crate) fn put(&self, id: Uuid, revision: i64, tree: Arc<CourseTree>) {
        let mut state = self.state();
        if revision != state.revision {
            return;
        }
        if state.trees.len() >= self.capacity && !state.trees.contains_key(&id) {
            let oldest = state
                .trees
                .iter()
                .min_by_key(|(_, kept)| kept.last_served)
                .map(|(id, _)| *id);
            if let Some(oldest) = oldest {
                state.trees.remove(&oldest);
            }
        }
        state.clock += 1;
        let last_served = state.clock;
        state.trees.insert(id, Kept { tree, last_served });
    }

    #[cfg(test)]
    fn len(&self) -> usize {
        self.state().trees.len()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use bilim_domain::catalogue::{Course, CourseStatus, Direction, Level};
    use chrono::Utc;

    fn tree(title: &str) -> Arc<CourseTree> {
        let now = Utc::now();
        let direction = Direction {
            id: Uuid::now_v7(),
            name: "Matematika".into(),
            description: None,
            position: 1,
            created_at: now,
            updated_at: now,
        };
        Arc::new(CourseTree {
            course: Course {
                id: Uuid::now_v7(),
                direction_id: direction.id,
                title: title.into(),
                description: String::new(),
                level: Level::Beginner,
                status: CourseStatus::Published,
                teacher_id: None,
                access_months: 6,
                created_at: now,
                updated_at: now,
            },
            direction,
            teacher: None,
            modules: Vec::new(),
            workbooks: Vec::new(),
            certificate: None,
            tests: Vec::new(),
        })
    }

    #[test]
    fn serves_a_tree_only_at_the_revision_it_was_read_at() {
        let cache = TreeCache::new(4);
        let id = Uuid::now_v7();
        assert!(cache.get(id, 7).is_none());
        cache.put(id, 7, tree("Algebra"));
        assert_eq!(cache.get(id, 7).unwrap().course.title, "Algebra");
        // A newer revision empties the cache for good.
        assert!(cache.get(id, 8).is_none());
        assert!(cache.get(id, 7).is_none());
        assert_eq!(cache.len(), 0);
    }

    #[test]
    fn a_tree_read_at_an_older_revision_is_not_kept() {
        let cache = TreeCache::new(4);
        let id = Uuid::now_v7();
        assert!(cache.get(id, 9).is_none());
        cache.put(id, 8, tree("Eski"));
        assert!(cache.get(id, 8).is_none());
        assert!(cache.get(id, 9).is_none());
        assert_eq!(cache.len(), 0);
    }

    #[test]
    fn when_full_the_least_recently_served_tree_goes() {
        let cache = TreeCache::new(2);
        let (a, b, c) = (Uuid::now_v7(), Uuid::now_v7(), Uuid::now_v7());
        assert!(cache.get(a, 1).is_none());
        cache.put(a, 1, tree("A"));
        cache.put(b, 1, tree("B"));
        assert!(cache.get(a, 1).is_some());
        cache.put(c, 1, tree("C"));
        assert_eq!(cache.len(), 2);
        assert!(cache.get(a, 1).is_some());
        assert!(cache.get(b, 1).is_none());
        assert!(cache.get(c, 1).is_some());
    }

    #[test]
    fn a_revision_that_goes_back_empties_the_cache_for_good() {
        // A restore: the database says 5 while the cache holds trees of 7, and
        // later climbs back to 7 with other data.
        let cache = TreeCache::new(4);
        let id = Uuid::now_v7();
        assert!(cache.get(id, 7).is_none());
        cache.put(id, 7, tree("Tiklashdan oldin"));
        assert!(cache.get(id, 5).is_none());
        assert!(cache.get(id, 7).is_none());
        assert_eq!(cache.len(), 0);
    }
}
