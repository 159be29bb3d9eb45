//! `CatalogueReader` on sea-orm. Never touches the `videos` table.
//!
//! A course list is one query served by an index on PostgreSQL:
//!
//! ```sql
//! SELECT … FROM courses
//! WHERE direction_id = ? AND status = ?                     -- courses_direction_id_status_id_idx
//!   AND level = ?
//!   AND title_search LIKE '%' || ? || '%' ESCAPE '\'        -- courses_title_search_trgm_idx
//!   AND id < ?                                              -- keyset
//! ORDER BY id DESC LIMIT ?
//! ```
//!
//! A course tree is eight queries whatever the size of the course (`tree_in`),
//! in one read snapshot. With the tree cache on (`caching_trees`, as the server
//! runs) a tree read before is one query: the catalogue revision, which must
//! still be the one the kept tree was read at (`tree_cache.rs`).

use super::tree_cache::TreeCache;
use super::{LIKE_ESCAPE, escape_like};
use crate::database::{Database, db_error};
use crate::entities::{certificates, courses, directions, lessons, modules, users, workbooks};
use async_trait::async_trait;
use bilim_domain::catalogue::{
    Course, CourseTree, Direction, Lesson, LessonView, Module, ModuleTree, TeacherSummary, Workbook,
};
use bilim_domain::ports::{CatalogueReader, CourseQuery};
use bilim_domain::{DomainError, DomainResult};
use sea_orm::sea_query::LikeExpr;
use sea_orm::{
    AccessMode, ColumnTrait, ConnectionTrait, DatabaseBackend, EntityTrait, IsolationLevel,
    QueryFilter, QueryOrder, QuerySelect, RelationTrait, Statement, TransactionOptions,
    TransactionTrait,
};
use std::collections::HashMap;
use std::sync::Arc;
use uuid::Uuid;

pub struct SeaCatalogueReader {
    db: Database,
    trees: Option<TreeCache>,
}

impl SeaCatalogueReader {
    /// Reads every course tree from the database.
    pub fn new(db: Database) -> Self {
        Self { db, trees: None }
    }

    /// Keeps up to `capacity` course trees in memory (0: none), each served
    /// while the catalogue revision is the one it was read at.
    pub fn caching_trees(mut self, capacity: usize) -> Self {
        self.trees = (capacity > 0).then(|| TreeCache::new(capacity));
        self
    }
}

/// The workbooks of a course, or of one lesson: oldest first.
async fn workbooks_where<C: ConnectionTrait>(
    connection: &C,
    column: workbooks::Column,
    id: Uuid,
) -> DomainResult<Vec<Workbook>> {
    let rows = workbooks::Entity::find()
        .filter(column.eq(id))
        .order_by_asc(workbooks::Column::CreatedAt)
        .order_by_asc(workbooks::Column::Id)
        .all(connection)
        .await
        .map_err(db_error)?;
    Ok(rows.into_iter().map(Workbook::from).collect())
}

async fn course_row<C: ConnectionTrait>(connection: &C, id: Uuid) -> DomainResult<Option<Course>> {
    let row = courses::Entity::find_by_id(id)
        .one(connection)
        .await
        .map_err(db_error)?;
    row.map(Course::try_from).transpose()
}

/// The catalogue's revision: it grows with every committed change to a course
/// page (triggers of migration 000005).
async fn catalogue_revision<C: ConnectionTrait>(connection: &C) -> DomainResult<i64> {
    let statement = Statement::from_string(
        connection.get_database_backend(),
        "SELECT revision FROM catalogue_revision WHERE id = 1",
    );
    let row = connection
        .query_one_raw(statement)
        .await
        .map_err(db_error)?
        .ok_or_else(|| DomainError::internal("catalogue_revision has no row (migration 000005)"))?;
    row.try_get_by_index(0).map_err(db_error)
}

/// A course with everything a course page shows, in eight queries whatever its
/// size: the course, its direction, its teacher (three columns of `users`), its
/// modules, the lessons of all its modules (one join), its workbooks and its
/// certificate and its lessons' tests.
async fn tree_in<C: ConnectionTrait>(connection: &C, id: Uuid) -> DomainResult<Option<CourseTree>> {
    let Some(course) = course_row(connection, id).await? else {
        return Ok(None);
    };
    let direction = directions::Entity::find_by_id(course.direction_id)
        .one(connection)
        .await
        .map_err(db_error)?
        .map(Direction::from)
        .ok_or_else(|| {
            DomainError::internal(format!("course {id} has no direction (foreign key)"))
        })?;
    let teacher = match course.teacher_id {
        Some(teacher_id) => users::Entity::find_by_id(teacher_id)
            .select_only()
            .columns([
                users::Column::Id,
                users::Column::FirstName,
                users::Column::LastName,
            ])
            .into_tuple::<(Uuid, String, String)>()
            .one(connection)
            .await
            .map_err(db_error)?
            .map(|(id, first_name, last_name)| TeacherSummary {
                id,
                first_name,
                last_name,
            }),
        None => None,
    };
    let modules: Vec<Module> = modules::Entity::find()
        .filter(modules::Column::CourseId.eq(id))
        .order_by_asc(modules::Column::Position)
        .order_by_asc(modules::Column::Id)
        .all(connection)
        .await
        .map_err(db_error)?
        .into_iter()
        .map(Module::from)
        .collect();
    // One query for the lessons of every module.
    let lesson_rows = lessons::Entity::find()
        .join(
            sea_orm::JoinType::InnerJoin,
            lessons::Relation::Modules.def(),
        )
        .filter(modules::Column::CourseId.eq(id))
        .order_by_asc(lessons::Column::Position)
        .order_by_asc(lessons::Column::Id)
        .all(connection)
        .await
        .map_err(db_error)?;
    let mut lessons_by_module: HashMap<Uuid, Vec<Lesson>> = HashMap::new();
    for row in lesson_rows {
        lessons_by_module
            .entry(row.module_id)
            .or_default()
            .push(Lesson::from(row));
    }
    let modules = modules
        .into_iter()
        .map(|module| ModuleTree {
            lessons: lessons_by_module.remove(&module.id).unwrap_or_default(),
            module,
        })
        .collect();
    let workbooks = workbooks_where(connection, workbooks::Column::CourseId, id).await?;
    let certificate = certificates::Entity::find()
        .filter(certificates::Column::CourseId.eq(id))
        .one(connection)
        .await
        .map_err(db_error)?
        .map(Into::into);
    let tests = crate::quizzes::tests_where(connection, "m.course_id = $1", id).await?;
    Ok(Some(CourseTree {
        course,
        direction,
        teacher,
        modules,
        workbooks,
        certificate,
        tests,
    }))
}

impl SeaCatalogueReader {
    /// One snapshot (a read-only repeatable-read transaction on PostgreSQL, a
    /// read transaction on SQLite) on one pooled connection: no lesson shows
    /// without its module, and the connection is checked out once.
    async fn read_tree(&self, id: Uuid) -> DomainResult<Option<CourseTree>> {
        let postgres = self.db.backend() == DatabaseBackend::Postgres;
        let options = TransactionOptions {
            isolation_level: postgres.then_some(IsolationLevel::RepeatableRead),
            access_mode: postgres.then_some(AccessMode::ReadOnly),
            sqlite_transaction_mode: None,
        };
        let txn = self
            .db
            .connection()
            .begin_with_options(options)
            .await
            .map_err(db_error)?;
        let tree = tree_in(&txn, id).await?;
        txn.commit().await.map_err(db_error)?;
        Ok(tree)
    }
}

#[async_trait]
impl CatalogueReader for SeaCatalogueReader {
    #[tracing::instrument(skip(self))]
    async fn directions(&self) -> DomainResult<Vec<Direction>> {
        let rows = directions::Entity::find()
            .order_by_asc(directions::Column::Position)
            .order_by_asc(directions::Column::Name)
            .all(self.db.connection())
            .await
            .map_err(db_error)?;
        Ok(rows.into_iter().map(Direction::from).collect())
    }

    #[tracing::instrument(skip(self))]
    async fn direction(&self, id: Uuid) -> DomainResult<Option<Direction>> {
        let row = directions::Entity::find_by_id(id)
            .one(self.db.connection())
            .await
            .map_err(db_error)?;
        Ok(row.map(Direction::from))
    }

    #[tracing::instrument(skip(self))]
    async fn courses(&self, query: &CourseQuery) -> DomainResult<Vec<Course>> {
        if query.limit == 0 {
            return Ok(Vec::new());
        }
        let mut select = courses::Entity::find();
        if let Some(direction_id) = query.direction_id {
            select = select.filter(courses::Column::DirectionId.eq(direction_id));
        }
        if let Some(status) = query.status {
            select = select.filter(courses::Column::Status.eq(status.as_str()));
        }
        if let Some(level) = query.level {
            select = select.filter(courses::Column::Level.eq(level.as_str()));
        }
        if let Some(search) = query.search.as_deref().filter(|search| !search.is_empty()) {
            let pattern = format!("%{}%", escape_like(&search.to_lowercase()));
            select = select.filter(
                courses::Column::TitleSearch.like(LikeExpr::new(pattern).escape(LIKE_ESCAPE)),
            );
        }
        if let Some(after) = query.after {
            select = select.filter(courses::Column::Id.lt(after));
        }
        let rows = select
            .order_by_desc(courses::Column::Id)
            .limit(query.limit)
            .all(self.db.connection())
            .await
            .map_err(db_error)?;
        rows.into_iter().map(Course::try_from).collect()
    }

    #[tracing::instrument(skip(self))]
    async fn course(&self, id: Uuid) -> DomainResult<Option<Course>> {
        course_row(self.db.connection(), id).await
    }

    /// Served from the tree cache while the catalogue revision is unchanged
    /// (one query); otherwise read in one snapshot and kept under the revision
    /// read first. The snapshot is at least that new, so a tree kept under an
    /// older number than its contents is only ever dropped, never served stale.
    #[tracing::instrument(skip(self))]
    async fn course_tree(&self, id: Uuid) -> DomainResult<Option<CourseTree>> {
        let Some(cache) = &self.trees else {
            return self.read_tree(id).await;
        };
        let revision = catalogue_revision(self.db.connection()).await?;
        if let Some(tree) = cache.get(id, revision) {
            return Ok(Some(CourseTree::clone(&tree)));
        }
        let tree = self.read_tree(id).await?;
        if let Some(tree) = &tree {
            cache.put(id, revision, Arc::new(tree.clone()));
        }
        Ok(tree)
    }

    #[tracing::instrument(skip(self))]
    async fn module(&self, id: Uuid) -> DomainResult<Option<Module>> {
        let row = modules::Entity::find_by_id(id)
            .one(self.db.connection())
            .await
            .map_err(db_error)?;
        Ok(row.map(Module::from))
    }

    /// Five queries by key: the lesson, its module, its course, its workbooks,
    /// its tests.
    #[tracing::instrument(skip(self))]
    async fn lesson(&self, id: Uuid) -> DomainResult<Option<LessonView>> {
        let connection = self.db.connection();
        let Some(lesson) = lessons::Entity::find_by_id(id)
            .one(connection)
            .await
            .map_err(db_error)?
        else {
            return Ok(None);
        };
        // A lesson removed between these statements is simply not found.
        let Some(module) = modules::Entity::find_by_id(lesson.module_id)
            .one(connection)
            .await
            .map_err(db_error)?
        else {
            return Ok(None);
        };
        let Some(course) = course_row(connection, module.course_id).await? else {
            return Ok(None);
        };
        let workbooks = workbooks_where(connection, workbooks::Column::LessonId, id).await?;
        let tests = crate::quizzes::tests_where(connection, "t.lesson_id = $1", id).await?;
        Ok(Some(LessonView {
            lesson: lesson.into(),
            module: module.into(),
            course,
            workbooks,
            tests,
        }))
    }

    #[tracing::instrument(skip(self))]
    async fn workbook(&self, id: Uuid) -> DomainResult<Option<Workbook>> {
        let row = workbooks::Entity::find_by_id(id)
            .one(self.db.connection())
            .await
            .map_err(db_error)?;
        Ok(row.map(Workbook::from))
    }
}
