//! The catalogue ports (`CatalogueReader`, `CatalogueWriter`, `VideoRepository`)
//! on a fresh database per test: SQLite, or PostgreSQL when `TEST_DATABASE_URL`
//! is set. What the suites share is here; the tests are by behaviour in
//! `catalogue/`: directions, courses, the outline (modules and lessons),
//! files (videos, workbooks, the certificate, removals and cascades) and the
//! audit entries the writer writes with each change. The queries are in
//! `catalogue_queries.rs`, the cache in `catalogue_cache.rs`, the seed in
//! `catalogue_seed.rs`.

mod audit;
mod courses;
mod directions;
mod files;
mod outline;

use crate::admins::new_admin;
use crate::users::{Fixture, migrated_database, now};
use bilim_domain::DomainError;
use bilim_domain::catalogue::{
    Course, CourseStatus, Direction, Lesson, Level, Module, NewCourse, NewDirection,
    NewOutlineItem, OutlineLevel, OutlinePatch, Workbook,
};
use bilim_domain::ports::{
    AdminRepository, AuditEntry, CatalogueReader, CatalogueWriter, UserRepository, VideoRepository,
};
use bilim_domain::users::{NewUser, UserRole};
use bilim_domain::values::{
    Description, DirectionName, Email, Months, PersonName, Position, Title,
};
use bilim_repository::admins::SeaAdminRepository;
use bilim_repository::catalogue::{SeaCatalogueReader, SeaCatalogueWriter, SeaVideoRepository};
use bilim_repository::users::SeaUserRepository;
use sea_orm::{ConnectionTrait, DatabaseBackend, Statement};
use std::sync::Arc;
use uuid::Uuid;

pub struct Setup {
    pub fixture: Fixture,
    pub reader: Arc<dyn CatalogueReader>,
    pub writer: Arc<dyn CatalogueWriter>,
    pub videos: Arc<dyn VideoRepository>,
    /// The admin every writer call's audit entry names (the foreign key of
    /// `audit_log.admin_id` wants one).
    pub admin: Uuid,
}

pub async fn setup() -> Setup {
    let fixture = migrated_database().await;
    let admin = SeaAdminRepository::new(fixture.db.clone())
        .insert(new_admin("katalog", "katalog@bilim.uz"), None)
        .await
        .unwrap()
        .id;
    Setup {
        reader: Arc::new(SeaCatalogueReader::new(fixture.db.clone())),
        writer: Arc::new(SeaCatalogueWriter::new(fixture.db.clone())),
        videos: Arc::new(SeaVideoRepository::new(fixture.db.clone())),
        fixture,
        admin,
    }
}

/// An audit entry of `admin`, with a fresh id: one per writer call.
pub fn audit_entry(admin_id: Uuid, action: &str, target_id: &str) -> AuditEntry {
    AuditEntry {
        id: Uuid::now_v7(),
        admin_id,
        action: action.to_owned(),
        target_type: action.split('.').next().unwrap_or(action).to_owned(),
        target_id: target_id.to_owned(),
        details: "{}".to_owned(),
        ip: Some("203.0.113.7".to_owned()),
        at: now(),
    }
}

pub fn title(text: &str) -> Title {
    Title::parse("title", text).unwrap()
}

pub fn direction_name(text: &str) -> DirectionName {
    DirectionName::parse("name", text).unwrap()
}

pub fn description(text: &str) -> Description {
    Description::parse("description", text).unwrap()
}

pub fn position(n: i32) -> Position {
    Position::parse(n).unwrap()
}

pub fn months(n: i64) -> Months {
    Months::parse("access_months", "access_months.invalid", n).unwrap()
}

pub fn new_direction(name: &str) -> NewDirection {
    NewDirection {
        name: direction_name(name),
        description: None,
        position: None,
    }
}

/// A new module or lesson without a description.
pub fn outline(name: &str, at: Option<i32>) -> NewOutlineItem {
    NewOutlineItem {
        title: title(name),
        description: Description::empty(),
        position: at.map(position),
    }
}

pub fn moved_to(at: i32) -> OutlinePatch {
    OutlinePatch {
        position: Some(position(at)),
        ..OutlinePatch::default()
    }
}

pub fn retitled(name: &str) -> OutlinePatch {
    OutlinePatch {
        title: Some(title(name)),
        ..OutlinePatch::default()
    }
}

/// A draft beginner course without a teacher, description or access months of
/// its own (six, the default the HTTP layer fills in).
pub fn new_course(direction_id: Uuid, name: &str) -> NewCourse {
    NewCourse {
        direction_id,
        title: title(name),
        description: Description::empty(),
        level: Level::Beginner,
        status: CourseStatus::Draft,
        teacher_id: None,
        access_months: Months::DEFAULT,
    }
}

impl Setup {
    /// A fresh audit entry for one writer call.
    pub fn entry(&self) -> AuditEntry {
        audit_entry(self.admin, "catalogue.change", "test")
    }

    pub async fn direction(&self, name: &str) -> Direction {
        self.writer
            .create_direction(Uuid::now_v7(), new_direction(name), now(), &self.entry())
            .await
            .unwrap()
    }

    pub async fn course(&self, direction_id: Uuid, title: &str) -> Course {
        self.writer
            .create_course(
                Uuid::now_v7(),
                new_course(direction_id, title),
                now(),
                &self.entry(),
            )
            .await
            .unwrap()
    }

    pub async fn module(&self, course_id: Uuid, title: &str) -> Module {
        self.writer
            .create_outline(
                OutlineLevel::Module,
                Uuid::now_v7(),
                course_id,
                outline(title, None),
                &self.entry(),
            )
            .await
            .unwrap()
            .into_module()
    }

    pub async fn lesson(&self, module_id: Uuid, title: &str) -> Lesson {
        self.writer
            .create_outline(
                OutlineLevel::Lesson,
                Uuid::now_v7(),
                module_id,
                outline(title, None),
                &self.entry(),
            )
            .await
            .unwrap()
            .into_lesson()
    }

    pub async fn workbook(&self, course_id: Uuid, lesson_id: Option<Uuid>, key: &str) -> Workbook {
        let workbook = Workbook {
            id: Uuid::now_v7(),
            course_id,
            lesson_id,
            title: format!("Daftar {key}"),
            storage_key: key.to_owned(),
            size_bytes: 123_456,
            sha256: "ab".repeat(32),
        };
        self.writer
            .create_workbook(&workbook, &self.entry())
            .await
            .unwrap();
        workbook
    }

    pub async fn teacher(&self, email: &str) -> Uuid {
        let user = NewUser {
            id: Uuid::now_v7(),
            first_name: PersonName::parse("first_name", "Dilnoza").unwrap(),
            last_name: PersonName::parse("last_name", "Karimova").unwrap(),
            email: Email::parse(email).unwrap(),
            phone: None,
            password_hash: "$argon2id$v=19$m=19456,t=2,p=1$c2FsdA$aGFzaA".to_owned(),
            role: UserRole::Teacher,
            email_verified_at: None,
            now: now(),
        };
        SeaUserRepository::new(self.fixture.db.clone())
            .insert(user)
            .await
            .unwrap()
            .id
    }

    /// The titles of the course's modules in position order, checking that
    /// positions are exactly `1..=n`.
    pub async fn module_titles(&self, course_id: Uuid) -> Vec<String> {
        let tree = self.reader.course_tree(course_id).await.unwrap().unwrap();
        let positions: Vec<i32> = tree.modules.iter().map(|m| m.module.position).collect();
        assert_eq!(positions, (1..=positions.len() as i32).collect::<Vec<_>>());
        tree.modules.into_iter().map(|m| m.module.title).collect()
    }

    /// The ids of the course's modules in position order.
    pub async fn module_ids(&self, course_id: Uuid) -> Vec<Uuid> {
        let tree = self.reader.course_tree(course_id).await.unwrap().unwrap();
        tree.modules.into_iter().map(|m| m.module.id).collect()
    }

    /// As `module_titles`, for the lessons of a module.
    pub async fn lesson_titles(&self, course_id: Uuid, module_id: Uuid) -> Vec<String> {
        let tree = self.reader.course_tree(course_id).await.unwrap().unwrap();
        let module = tree
            .modules
            .into_iter()
            .find(|m| m.module.id == module_id)
            .unwrap();
        let positions: Vec<i32> = module.lessons.iter().map(|l| l.position).collect();
        assert_eq!(positions, (1..=positions.len() as i32).collect::<Vec<_>>());
        module.lessons.into_iter().map(|l| l.title).collect()
    }

    pub async fn direction_names(&self) -> Vec<String> {
        let directions = self.reader.directions().await.unwrap();
        let positions: Vec<i32> = directions.iter().map(|d| d.position).collect();
        assert_eq!(positions, (1..=positions.len() as i32).collect::<Vec<_>>());
        directions.into_iter().map(|d| d.name).collect()
    }

    pub async fn count(&self, table: &str) -> i64 {
        let row = self
            .fixture
            .db
            .connection()
            .query_one_raw(Statement::from_string(
                self.fixture.db.backend(),
                format!("SELECT COUNT(*) FROM {table}"),
            ))
            .await
            .unwrap()
            .unwrap();
        row.try_get_by_index::<i64>(0).unwrap()
    }

    /// Runs `sql` with `?` placeholders (numbered for PostgreSQL) bound to `values`.
    pub async fn execute(
        &self,
        sql: &str,
        values: Vec<sea_orm::Value>,
    ) -> Result<u64, sea_orm::DbErr> {
        let backend = self.fixture.db.backend();
        let sql = match backend {
            DatabaseBackend::Postgres => {
                let mut numbered = String::new();
                for (n, part) in sql.split('?').enumerate() {
                    if n > 0 {
                        numbered.push_str(&format!("${n}"));
                    }
                    numbered.push_str(part);
                }
                numbered
            }
            _ => sql.to_owned(),
        };
        self.fixture
            .db
            .connection()
            .execute_raw(Statement::from_sql_and_values(backend, sql, values))
            .await
            .map(|result| result.rows_affected())
    }
}

fn names(list: &[&str]) -> Vec<String> {
    list.iter().map(|s| (*s).to_owned()).collect()
}

fn conflict(what: &str) -> DomainError {
    DomainError::Conflict {
        what: what.to_owned(),
    }
}

fn invalid_field<T: std::fmt::Debug>(result: Result<T, DomainError>) -> &'static str {
    match result {
        Err(DomainError::Invalid { field, .. }) => field,
        other => panic!("expected Invalid, got {other:?}"),
    }
}
