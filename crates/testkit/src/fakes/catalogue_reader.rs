//! A `CatalogueReader` over course trees a test puts in: every read is
//! derived from them (and from directions put in on their own), the way the
//! real reader derives them from its tables.

use async_trait::async_trait;
use bilim_domain::DomainResult;
use bilim_domain::catalogue::{Course, CourseTree, Direction, LessonView, Module, Workbook};
use bilim_domain::ports::{CatalogueReader, CourseQuery};
use std::collections::BTreeMap;
use std::sync::{Mutex, MutexGuard, PoisonError};
use uuid::Uuid;

#[derive(Default)]
struct State {
    directions: BTreeMap<Uuid, Direction>,
    trees: BTreeMap<Uuid, CourseTree>,
}

#[derive(Default)]
pub struct InMemoryCatalogueReader {
    state: Mutex<State>,
}

impl InMemoryCatalogueReader {
    pub fn new() -> Self {
        Self::default()
    }

    pub fn put_direction(&self, direction: Direction) {
        self.lock().directions.insert(direction.id, direction);
    }

    /// Puts (or replaces) a course with everything in it, and its direction.
    pub fn put_tree(&self, tree: CourseTree) {
        let mut state = self.lock();
        state
            .directions
            .insert(tree.direction.id, tree.direction.clone());
        state.trees.insert(tree.course.id, tree);
    }

    fn lock(&self) -> MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// The first thing `find` picks out of any course tree.
    fn find<T>(&self, find: impl Fn(&CourseTree) -> Option<T>) -> Option<T> {
        self.lock().trees.values().find_map(find)
    }
}

fn matches(course: &Course, query: &CourseQuery) -> bool {
    query
        .direction_id
        .is_none_or(|id| course.direction_id == id)
        && query.level.is_none_or(|level| course.level == level)
        && query.status.is_none_or(|status| course.status == status)
        && query.after.is_none_or(|after| course.id < after)
        && query
            .search
            .as_ref()
            .is_none_or(|text| course.title.to_lowercase().contains(text.as_str()))
}

#[async_trait]
impl CatalogueReader for InMemoryCatalogueReader {
    /// By position, then name.
    async fn directions(&self) -> DomainResult<Vec<Direction>> {
        let mut directions: Vec<Direction> = self.lock().directions.values().cloned().collect();
        directions.sort_by(|a, b| (a.position, &a.name).cmp(&(b.position, &b.name)));
        Ok(directions)
    }

    async fn direction(&self, id: Uuid) -> DomainResult<Option<Direction>> {
        Ok(self.lock().directions.get(&id).cloned())
    }

    /// Newest first (ids are UUID v7).
    async fn courses(&self, query: &CourseQuery) -> DomainResult<Vec<Course>> {
        let state = self.lock();
        let courses = state.trees.values().rev().map(|tree| &tree.course);
        Ok(courses
            .filter(|course| matches(course, query))
            .take(usize::try_from(query.limit).unwrap_or(usize::MAX))
            .cloned()
            .collect())
    }

    async fn course(&self, id: Uuid) -> DomainResult<Option<Course>> {
        Ok(self.lock().trees.get(&id).map(|tree| tree.course.clone()))
    }

    async fn course_tree(&self, id: Uuid) -> DomainResult<Option<CourseTree>> {
        Ok(self.lock().trees.get(&id).cloned())
    }

    async fn module(&self, id: Uuid) -> DomainResult<Option<Module>> {
        Ok(self.find(|tree| {
            let mut modules = tree.modules.iter().map(|m| &m.module);
            modules.find(|module| module.id == id).cloned()
        }))
    }

    async fn lesson(&self, id: Uuid) -> DomainResult<Option<LessonView>> {
        Ok(self.find(|tree| {
            tree.modules.iter().find_map(|m| {
                let lesson = m.lessons.iter().find(|lesson| lesson.id == id)?;
                Some(LessonView {
                    lesson: lesson.clone(),
                    module: m.module.clone(),
                    course: tree.course.clone(),
                    workbooks: tree
                        .workbooks
                        .iter()
                        .filter(|w| w.lesson_id == Some(id))
                        .cloned()
                        .collect(),
                    tests: tree
                        .tests
                        .iter()
                        .filter(|t| t.lesson_id == id)
                        .cloned()
                        .collect(),
                })
            })
        }))
    }

    async fn workbook(&self, id: Uuid) -> DomainResult<Option<Workbook>> {
        Ok(self.find(|tree| tree.workbooks.iter().find(|w| w.id == id).cloned()))
    }
}
