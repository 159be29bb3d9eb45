//! The catalogue ports (`CatalogueReader`, `CatalogueWriter`, `VideoRepository`)
//! on a fresh database per test: SQLite, or PostgreSQL when `TEST_DATABASE_URL`
//! is set. Writes, positions, references and cascades; the queries are in
//! `catalogue_queries.rs`, the seed in `catalogue_seed.rs`.

use crate::users::{Fixture, migrated_database, now};
use bilim_domain::DomainError;
use bilim_domain::catalogue::{
    Course, CourseStatus, Direction, Lesson, Level, Module, Video, VideoSource, Workbook,
};
use bilim_domain::ports::{
    CatalogueReader, CatalogueWriter, CourseFields, DirectionFields, OutlineFields, UserRepository,
    VideoRepository,
};
use bilim_domain::users::{NewUser, UserRole};
use bilim_domain::values::{Email, PersonName};
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
}

pub async fn setup() -> Setup {
    let fixture = migrated_database().await;
    Setup {
        reader: Arc::new(SeaCatalogueReader::new(fixture.db.clone())),
        writer: Arc::new(SeaCatalogueWriter::new(fixture.db.clone())),
        videos: Arc::new(SeaVideoRepository::new(fixture.db.clone())),
        fixture,
    }
}

pub fn outline(title: &str, position: Option<i32>) -> OutlineFields {
    OutlineFields {
        title: Some(title.to_owned()),
        description: None,
        position,
    }
}

pub fn moved_to(position: i32) -> OutlineFields {
    OutlineFields {
        position: Some(position),
        ..OutlineFields::default()
    }
}

pub fn course_fields(direction_id: Uuid, title: &str) -> CourseFields {
    CourseFields {
        direction_id: Some(direction_id),
        title: Some(title.to_owned()),
        level: Some(Level::Beginner),
        ..CourseFields::default()
    }
}

impl Setup {
    pub async fn direction(&self, name: &str) -> Direction {
        let fields = DirectionFields {
            name: Some(name.to_owned()),
            ..DirectionFields::default()
        };
        self.writer
            .create_direction(Uuid::now_v7(), fields, now())
            .await
            .unwrap()
    }

    pub async fn course(&self, direction_id: Uuid, title: &str) -> Course {
        self.writer
            .create_course(Uuid::now_v7(), course_fields(direction_id, title), now())
            .await
            .unwrap()
    }

    pub async fn module(&self, course_id: Uuid, title: &str) -> Module {
        self.writer
            .create_module(Uuid::now_v7(), course_id, outline(title, None))
            .await
            .unwrap()
    }

    pub async fn lesson(&self, module_id: Uuid, title: &str) -> Lesson {
        self.writer
            .create_lesson(Uuid::now_v7(), module_id, outline(title, None))
            .await
            .unwrap()
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
        self.writer.create_workbook(&workbook).await.unwrap();
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

#[tokio::test]
async fn directions_are_created_read_updated_and_deleted_in_position_order() {
    let setup = setup().await;
    let at = now();
    let created = setup
        .writer
        .create_direction(
            Uuid::now_v7(),
            DirectionFields {
                name: Some("Matematika".to_owned()),
                description: Some(Some("Algebra va geometriya".to_owned())),
                position: None,
            },
            at,
        )
        .await
        .unwrap();
    assert_eq!(created.position, 1);
    assert_eq!(
        created.description.as_deref(),
        Some("Algebra va geometriya")
    );
    assert_eq!((created.created_at, created.updated_at), (at, at));
    assert_eq!(
        setup.reader.direction(created.id).await.unwrap(),
        Some(created.clone())
    );
    setup.direction("Ingliz tili").await;
    setup.direction("Dasturlash").await;
    assert_eq!(
        setup.direction_names().await,
        names(&["Matematika", "Ingliz tili", "Dasturlash"])
    );

    // Created at a position: the others make room.
    let first = setup
        .writer
        .create_direction(
            Uuid::now_v7(),
            DirectionFields {
                name: Some("Fizika".to_owned()),
                description: None,
                position: Some(1),
            },
            now(),
        )
        .await
        .unwrap();
    assert_eq!(first.position, 1);
    assert_eq!(
        setup.direction_names().await,
        names(&["Fizika", "Matematika", "Ingliz tili", "Dasturlash"])
    );

    // Updated: renamed, description cleared, moved to the end.
    let later = now() + chrono::Duration::seconds(5);
    let updated = setup
        .writer
        .update_direction(
            created.id,
            DirectionFields {
                name: Some("Oliy matematika".to_owned()),
                description: Some(None),
                position: Some(4),
            },
            later,
        )
        .await
        .unwrap();
    assert_eq!(
        (updated.name.as_str(), updated.description, updated.position),
        ("Oliy matematika", None, 4)
    );
    assert_eq!((updated.created_at, updated.updated_at), (at, later));
    assert_eq!(
        setup.direction_names().await,
        names(&["Fizika", "Ingliz tili", "Dasturlash", "Oliy matematika"])
    );
    // An empty update changes only `updated_at`.
    let same = setup
        .writer
        .update_direction(first.id, DirectionFields::default(), later)
        .await
        .unwrap();
    assert_eq!((same.name.as_str(), same.position), ("Fizika", 1));

    // Names are unique.
    let taken = DirectionFields {
        name: Some("Fizika".to_owned()),
        ..DirectionFields::default()
    };
    assert_eq!(
        setup
            .writer
            .create_direction(Uuid::now_v7(), taken.clone(), now())
            .await,
        Err(conflict("direction.name"))
    );
    assert_eq!(
        setup
            .writer
            .update_direction(created.id, taken, now())
            .await,
        Err(conflict("direction.name"))
    );
    assert_eq!(
        invalid_field(
            setup
                .writer
                .create_direction(Uuid::now_v7(), DirectionFields::default(), now())
                .await
        ),
        "name"
    );
    assert_eq!(
        setup
            .writer
            .update_direction(Uuid::now_v7(), DirectionFields::default(), now())
            .await,
        Err(DomainError::NotFound)
    );
    // The refused writes left the positions as they were.
    assert_eq!(setup.direction_names().await.len(), 4);

    // Deleted: the rest close up.
    let ingliz = setup.reader.directions().await.unwrap()[1].id;
    setup.writer.delete_direction(ingliz).await.unwrap();
    assert_eq!(setup.reader.direction(ingliz).await.unwrap(), None);
    assert_eq!(
        setup.direction_names().await,
        names(&["Fizika", "Dasturlash", "Oliy matematika"])
    );
    assert_eq!(
        setup.writer.delete_direction(ingliz).await,
        Err(DomainError::NotFound)
    );

    // Equal positions (never written by the adapter) fall back to the name.
    setup
        .execute("UPDATE directions SET position = 1", vec![])
        .await
        .unwrap();
    let listed: Vec<String> = setup
        .reader
        .directions()
        .await
        .unwrap()
        .into_iter()
        .map(|d| d.name)
        .collect();
    assert_eq!(listed, names(&["Dasturlash", "Fizika", "Oliy matematika"]));
}

#[tokio::test]
async fn a_direction_with_courses_is_not_deleted() {
    let setup = setup().await;
    let direction = setup.direction("Matematika").await;
    let course = setup.course(direction.id, "Algebra").await;
    assert_eq!(
        setup.writer.delete_direction(direction.id).await,
        Err(conflict("direction.has_courses"))
    );
    // The database refuses it too (ON DELETE RESTRICT), on both backends.
    assert!(
        setup
            .execute(
                "DELETE FROM directions WHERE id = ?",
                vec![direction.id.into()]
            )
            .await
            .is_err()
    );
    assert_eq!(setup.count("directions").await, 1);
    setup.writer.delete_course(course.id).await.unwrap();
    setup.writer.delete_direction(direction.id).await.unwrap();
    assert_eq!(setup.count("directions").await, 0);
}

#[tokio::test]
async fn courses_are_created_read_updated_and_deleted() {
    let setup = setup().await;
    let matematika = setup.direction("Matematika").await;
    let dasturlash = setup.direction("Dasturlash").await;
    let teacher = setup.teacher("ustoz@example.uz").await;
    let at = now();

    // Defaults: draft, no teacher, six months, empty description.
    let minimal = setup
        .writer
        .create_course(Uuid::now_v7(), course_fields(matematika.id, "Algebra"), at)
        .await
        .unwrap();
    assert_eq!(minimal.status, CourseStatus::Draft);
    assert_eq!(minimal.teacher_id, None);
    assert_eq!(minimal.access_months, 6);
    assert_eq!(minimal.description, "");
    assert_eq!((minimal.created_at, minimal.updated_at), (at, at));
    assert_eq!(
        setup.reader.course(minimal.id).await.unwrap(),
        Some(minimal.clone())
    );

    let full = setup
        .writer
        .create_course(
            Uuid::now_v7(),
            CourseFields {
                direction_id: Some(dasturlash.id),
                title: Some("Python asoslari".to_owned()),
                description: Some("Noldan boshlab".to_owned()),
                level: Some(Level::Intermediate),
                status: Some(CourseStatus::Published),
                teacher_id: Some(Some(teacher)),
                access_months: Some(12),
            },
            at,
        )
        .await
        .unwrap();
    assert_eq!(
        (
            full.direction_id,
            full.title.as_str(),
            full.description.as_str(),
            full.level,
            full.status,
            full.teacher_id,
            full.access_months
        ),
        (
            dasturlash.id,
            "Python asoslari",
            "Noldan boshlab",
            Level::Intermediate,
            CourseStatus::Published,
            Some(teacher),
            12
        )
    );
    assert_eq!(
        setup.reader.course(full.id).await.unwrap(),
        Some(full.clone())
    );

    // Updated field by field; `None` leaves a field alone.
    let later = at + chrono::Duration::seconds(3);
    let updated = setup
        .writer
        .update_course(
            full.id,
            CourseFields {
                direction_id: Some(matematika.id),
                title: Some("Python: chuqur".to_owned()),
                level: Some(Level::Advanced),
                status: Some(CourseStatus::Archived),
                teacher_id: Some(None),
                ..CourseFields::default()
            },
            later,
        )
        .await
        .unwrap();
    assert_eq!(updated.direction_id, matematika.id);
    assert_eq!(updated.title, "Python: chuqur");
    assert_eq!(updated.description, "Noldan boshlab");
    assert_eq!(updated.level, Level::Advanced);
    assert_eq!(updated.status, CourseStatus::Archived);
    assert_eq!(updated.teacher_id, None);
    assert_eq!(updated.access_months, 12);
    assert_eq!((updated.created_at, updated.updated_at), (at, later));
    assert_eq!(
        setup.reader.course(full.id).await.unwrap(),
        Some(updated.clone())
    );

    // Unknown references are invalid fields; unknown courses are not found.
    let nobody = Uuid::now_v7();
    assert_eq!(
        invalid_field(
            setup
                .writer
                .create_course(Uuid::now_v7(), course_fields(nobody, "X"), now())
                .await
        ),
        "direction_id"
    );
    let with_stranger = CourseFields {
        teacher_id: Some(Some(nobody)),
        ..course_fields(matematika.id, "X")
    };
    assert_eq!(
        invalid_field(
            setup
                .writer
                .create_course(Uuid::now_v7(), with_stranger, now())
                .await
        ),
        "teacher_id"
    );
    for (fields, field) in [
        (
            CourseFields {
                direction_id: Some(nobody),
                ..CourseFields::default()
            },
            "direction_id",
        ),
        (
            CourseFields {
                teacher_id: Some(Some(nobody)),
                ..CourseFields::default()
            },
            "teacher_id",
        ),
    ] {
        assert_eq!(
            invalid_field(setup.writer.update_course(minimal.id, fields, now()).await),
            field
        );
    }
    for (fields, field) in [
        (
            CourseFields {
                direction_id: None,
                ..course_fields(matematika.id, "X")
            },
            "direction_id",
        ),
        (
            CourseFields {
                title: None,
                ..course_fields(matematika.id, "X")
            },
            "title",
        ),
        (
            CourseFields {
                level: None,
                ..course_fields(matematika.id, "X")
            },
            "level",
        ),
    ] {
        assert_eq!(
            invalid_field(
                setup
                    .writer
                    .create_course(Uuid::now_v7(), fields, now())
                    .await
            ),
            field
        );
    }
    assert_eq!(
        setup
            .writer
            .update_course(nobody, CourseFields::default(), now())
            .await,
        Err(DomainError::NotFound)
    );
    assert_eq!(
        setup.writer.delete_course(nobody).await,
        Err(DomainError::NotFound)
    );
    assert_eq!(setup.count("courses").await, 2);

    // Deleting a user who teaches leaves the course without a teacher.
    let taught = setup
        .writer
        .update_course(
            minimal.id,
            CourseFields {
                teacher_id: Some(Some(teacher)),
                ..CourseFields::default()
            },
            now(),
        )
        .await
        .unwrap();
    assert_eq!(taught.teacher_id, Some(teacher));
    setup
        .execute("DELETE FROM users WHERE id = ?", vec![teacher.into()])
        .await
        .unwrap();
    assert_eq!(
        setup
            .reader
            .course(minimal.id)
            .await
            .unwrap()
            .unwrap()
            .teacher_id,
        None
    );

    assert_eq!(setup.writer.delete_course(minimal.id).await, Ok(vec![]));
    assert_eq!(setup.reader.course(minimal.id).await.unwrap(), None);
    assert_eq!(setup.count("courses").await, 1);
}

#[tokio::test]
async fn module_positions_stay_one_to_n_through_inserts_moves_and_deletes() {
    let setup = setup().await;
    let direction = setup.direction("Matematika").await;
    let course = setup.course(direction.id, "Algebra").await;
    let other = setup.course(direction.id, "Geometriya").await;
    let other_module = setup.module(other.id, "Boshqa").await;

    let a = setup.module(course.id, "A").await;
    let b = setup.module(course.id, "B").await;
    let c = setup.module(course.id, "C").await;
    assert_eq!((a.position, b.position, c.position), (1, 2, 3));
    assert_eq!(setup.reader.module(b.id).await.unwrap(), Some(b.clone()));

    // Inserted in the middle, at the front, past the end (appended).
    let d = setup
        .writer
        .create_module(Uuid::now_v7(), course.id, outline("D", Some(2)))
        .await
        .unwrap();
    assert_eq!(d.position, 2);
    assert_eq!(
        setup.module_titles(course.id).await,
        names(&["A", "D", "B", "C"])
    );
    setup
        .writer
        .create_module(Uuid::now_v7(), course.id, outline("E", Some(1)))
        .await
        .unwrap();
    let f = setup
        .writer
        .create_module(Uuid::now_v7(), course.id, outline("F", Some(99)))
        .await
        .unwrap();
    assert_eq!(f.position, 6);
    assert_eq!(
        setup.module_titles(course.id).await,
        names(&["E", "A", "D", "B", "C", "F"])
    );

    // Moved down, up, past the end (to the end), renamed in place.
    let moved = setup.writer.update_module(a.id, moved_to(5)).await.unwrap();
    assert_eq!(moved.position, 5);
    assert_eq!(
        setup.module_titles(course.id).await,
        names(&["E", "D", "B", "C", "A", "F"])
    );
    setup.writer.update_module(f.id, moved_to(1)).await.unwrap();
    assert_eq!(
        setup.module_titles(course.id).await,
        names(&["F", "E", "D", "B", "C", "A"])
    );
    let last = setup
        .writer
        .update_module(f.id, moved_to(1000))
        .await
        .unwrap();
    assert_eq!(last.position, 6);
    let renamed = setup
        .writer
        .update_module(d.id, outline("D2", None))
        .await
        .unwrap();
    assert_eq!((renamed.title.as_str(), renamed.position), ("D2", 2));
    let unchanged = setup
        .writer
        .update_module(b.id, OutlineFields::default())
        .await
        .unwrap();
    assert_eq!(unchanged.position, 3);
    assert_eq!(
        setup.module_titles(course.id).await,
        names(&["E", "D2", "B", "C", "A", "F"])
    );

    // Deleted: first, middle, last.
    for (id, expected) in [
        (
            setup.module_titles_ids(course.id).await[0],
            vec!["D2", "B", "C", "A", "F"],
        ),
        (c.id, vec!["D2", "B", "A", "F"]),
        (f.id, vec!["D2", "B", "A"]),
    ] {
        assert_eq!(setup.writer.delete_module(id).await, Ok(vec![]));
        assert_eq!(setup.module_titles(course.id).await, names(&expected));
    }

    // Another course's modules were never renumbered.
    assert_eq!(
        setup.reader.module(other_module.id).await.unwrap(),
        Some(other_module)
    );

    let nobody = Uuid::now_v7();
    assert_eq!(
        setup
            .writer
            .create_module(Uuid::now_v7(), nobody, outline("X", None))
            .await,
        Err(DomainError::NotFound)
    );
    assert_eq!(
        invalid_field(
            setup
                .writer
                .create_module(Uuid::now_v7(), course.id, OutlineFields::default())
                .await
        ),
        "title"
    );
    assert_eq!(
        setup.writer.update_module(nobody, moved_to(1)).await,
        Err(DomainError::NotFound)
    );
    assert_eq!(
        setup.writer.delete_module(nobody).await,
        Err(DomainError::NotFound)
    );
    assert_eq!(setup.reader.module(nobody).await.unwrap(), None);
}

impl Setup {
    async fn module_titles_ids(&self, course_id: Uuid) -> Vec<Uuid> {
        let tree = self.reader.course_tree(course_id).await.unwrap().unwrap();
        tree.modules.into_iter().map(|m| m.module.id).collect()
    }
}

#[tokio::test]
async fn lesson_positions_stay_one_to_n_within_their_module() {
    let setup = setup().await;
    let direction = setup.direction("Matematika").await;
    let course = setup.course(direction.id, "Algebra").await;
    let first = setup.module(course.id, "1-modul").await;
    let second = setup.module(course.id, "2-modul").await;
    let untouched = setup.lesson(second.id, "Boshqa").await;

    let a = setup.lesson(first.id, "A").await;
    let b = setup.lesson(first.id, "B").await;
    let c = setup
        .writer
        .create_lesson(
            Uuid::now_v7(),
            first.id,
            OutlineFields {
                title: Some("C".to_owned()),
                description: Some("Tavsif".to_owned()),
                position: Some(1),
            },
        )
        .await
        .unwrap();
    assert_eq!((c.position, c.description.as_str()), (1, "Tavsif"));
    assert_eq!(a.description, "");
    assert_eq!(
        setup.lesson_titles(course.id, first.id).await,
        names(&["C", "A", "B"])
    );

    let moved = setup
        .writer
        .update_lesson(
            c.id,
            OutlineFields {
                title: Some("C2".to_owned()),
                description: Some("Yangi".to_owned()),
                position: Some(3),
            },
        )
        .await
        .unwrap();
    assert_eq!(
        (
            moved.title.as_str(),
            moved.description.as_str(),
            moved.position
        ),
        ("C2", "Yangi", 3)
    );
    assert_eq!(
        setup.lesson_titles(course.id, first.id).await,
        names(&["A", "B", "C2"])
    );
    setup.writer.update_lesson(b.id, moved_to(1)).await.unwrap();
    assert_eq!(
        setup.lesson_titles(course.id, first.id).await,
        names(&["B", "A", "C2"])
    );

    assert_eq!(setup.writer.delete_lesson(b.id).await, Ok(vec![]));
    assert_eq!(
        setup.lesson_titles(course.id, first.id).await,
        names(&["A", "C2"])
    );
    assert_eq!(
        setup.lesson_titles(course.id, second.id).await,
        names(&["Boshqa"])
    );
    let view = setup.reader.lesson(untouched.id).await.unwrap().unwrap();
    assert_eq!(view.lesson, untouched);

    let nobody = Uuid::now_v7();
    assert_eq!(
        setup
            .writer
            .create_lesson(Uuid::now_v7(), nobody, outline("X", None))
            .await,
        Err(DomainError::NotFound)
    );
    assert_eq!(
        setup.writer.update_lesson(nobody, moved_to(1)).await,
        Err(DomainError::NotFound)
    );
    assert_eq!(
        setup.writer.delete_lesson(nobody).await,
        Err(DomainError::NotFound)
    );
}

/// Without the lock on the parent (PostgreSQL) or `BEGIN IMMEDIATE` (SQLite),
/// racing renumberings would read the same positions and leave duplicates.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn concurrent_inserts_moves_and_deletes_keep_positions_one_to_n() {
    let setup = setup().await;
    let direction = setup.direction("Matematika").await;
    let course = setup.course(direction.id, "Algebra").await;
    let module = setup.module(course.id, "1-modul").await;
    let tasks: Vec<_> = (0..12)
        .map(|n| {
            let writer = Arc::clone(&setup.writer);
            let module_id = module.id;
            tokio::spawn(async move {
                let position = (n % 2 == 0).then_some(1);
                writer
                    .create_lesson(
                        Uuid::now_v7(),
                        module_id,
                        outline(&format!("{n}"), position),
                    )
                    .await
            })
        })
        .collect();
    let mut lessons = Vec::new();
    for task in tasks {
        lessons.push(task.await.unwrap().unwrap());
    }
    assert_eq!(setup.lesson_titles(course.id, module.id).await.len(), 12);

    let tasks: Vec<_> = lessons
        .iter()
        .enumerate()
        .map(|(n, lesson)| {
            let writer = Arc::clone(&setup.writer);
            let id = lesson.id;
            tokio::spawn(async move {
                if n % 4 == 3 {
                    writer.delete_lesson(id).await.map(|_| ())
                } else {
                    let to = (n as i32 * 5) % 13 + 1;
                    writer.update_lesson(id, moved_to(to)).await.map(|_| ())
                }
            })
        })
        .collect();
    for task in tasks {
        task.await.unwrap().unwrap();
    }
    assert_eq!(setup.lesson_titles(course.id, module.id).await.len(), 9);
}

#[tokio::test]
async fn videos_are_set_replaced_and_read_only_through_the_video_repository() {
    let setup = setup().await;
    let direction = setup.direction("Matematika").await;
    let course = setup.course(direction.id, "Algebra").await;
    let module = setup.module(course.id, "1-modul").await;
    let lesson = setup.lesson(module.id, "1-dars").await;
    assert_eq!(setup.videos.video_of(lesson.id).await, Ok(None));

    let url = VideoSource::Url("https://videos.bilim.test/a.mp4".to_owned());
    assert_eq!(
        setup.writer.set_video(lesson.id, url.clone(), 600).await,
        Ok(None)
    );
    assert_eq!(
        setup.videos.video_of(lesson.id).await,
        Ok(Some(Video {
            lesson_id: lesson.id,
            source: url,
            duration_seconds: 600
        }))
    );
    // URL → file: nothing to delete.
    let a = VideoSource::Stored("videos/a.mp4".to_owned());
    assert_eq!(
        setup.writer.set_video(lesson.id, a.clone(), 700).await,
        Ok(None)
    );
    assert_eq!(
        setup
            .videos
            .video_of(lesson.id)
            .await
            .unwrap()
            .unwrap()
            .source,
        a
    );
    // File → another file: the old one is handed back.
    let b = VideoSource::Stored("videos/b.mp4".to_owned());
    assert_eq!(
        setup.writer.set_video(lesson.id, b.clone(), 800).await,
        Ok(Some("videos/a.mp4".to_owned()))
    );
    // The same file again: not handed back (the caller would delete it).
    assert_eq!(
        setup.writer.set_video(lesson.id, b.clone(), 900).await,
        Ok(None)
    );
    assert_eq!(
        setup.videos.video_of(lesson.id).await.unwrap().unwrap(),
        Video {
            lesson_id: lesson.id,
            source: b,
            duration_seconds: 900
        }
    );
    // File → URL: the file is handed back.
    assert_eq!(
        setup
            .writer
            .set_video(
                lesson.id,
                VideoSource::Url("https://videos.bilim.test/c.mp4".to_owned()),
                60
            )
            .await,
        Ok(Some("videos/b.mp4".to_owned()))
    );
    assert_eq!(setup.count("videos").await, 1);

    assert_eq!(
        setup
            .writer
            .set_video(
                Uuid::now_v7(),
                VideoSource::Url("https://x.test/".to_owned()),
                1
            )
            .await,
        Err(DomainError::NotFound)
    );
    assert_eq!(setup.videos.video_of(Uuid::now_v7()).await, Ok(None));

    // The table holds exactly one source per row.
    for (url, key) in [
        (None, None),
        (Some("https://x.test/a.mp4"), Some("videos/x.mp4")),
    ] {
        let lesson_id = setup.lesson(module.id, "check").await.id;
        let inserted = setup
            .execute(
                "INSERT INTO videos (lesson_id, url, storage_key, duration_seconds) \
                 VALUES (?, ?, ?, 1)",
                vec![
                    lesson_id.into(),
                    url.map(str::to_owned).into(),
                    key.map(str::to_owned).into(),
                ],
            )
            .await;
        assert!(inserted.is_err(), "{url:?} {key:?}");
    }
}

#[tokio::test]
async fn workbooks_belong_to_a_course_or_one_of_its_lessons() {
    let setup = setup().await;
    let direction = setup.direction("Matematika").await;
    let course = setup.course(direction.id, "Algebra").await;
    let other = setup.course(direction.id, "Geometriya").await;
    let module = setup.module(course.id, "1-modul").await;
    let lesson = setup.lesson(module.id, "1-dars").await;
    let other_lesson = setup
        .lesson(setup.module(other.id, "Boshqa").await.id, "Boshqa dars")
        .await;

    let general = setup
        .workbook(course.id, None, "workbooks/general.pdf")
        .await;
    let of_lesson = setup
        .workbook(course.id, Some(lesson.id), "workbooks/lesson.pdf")
        .await;
    assert_eq!(
        setup.reader.workbook(general.id).await.unwrap(),
        Some(general.clone())
    );
    assert_eq!(
        setup.reader.workbook(of_lesson.id).await.unwrap(),
        Some(of_lesson.clone())
    );

    let tree = setup.reader.course_tree(course.id).await.unwrap().unwrap();
    assert_eq!(tree.workbooks, vec![general.clone(), of_lesson.clone()]);
    let view = setup.reader.lesson(lesson.id).await.unwrap().unwrap();
    assert_eq!(view.workbooks, vec![of_lesson.clone()]);

    // A lesson of another course, or no such course.
    let stray = Workbook {
        id: Uuid::now_v7(),
        lesson_id: Some(other_lesson.id),
        ..general.clone()
    };
    assert_eq!(
        invalid_field(setup.writer.create_workbook(&stray).await),
        "lesson_id"
    );
    let orphan = Workbook {
        id: Uuid::now_v7(),
        course_id: Uuid::now_v7(),
        ..general.clone()
    };
    assert_eq!(
        setup.writer.create_workbook(&orphan).await,
        Err(DomainError::NotFound)
    );

    assert_eq!(
        setup.writer.delete_workbook(general.id).await,
        Ok("workbooks/general.pdf".to_owned())
    );
    assert_eq!(
        setup.writer.delete_workbook(general.id).await,
        Err(DomainError::NotFound)
    );
    assert_eq!(setup.reader.workbook(general.id).await.unwrap(), None);
    assert_eq!(setup.count("workbooks").await, 1);
}

#[tokio::test]
async fn a_course_has_at_most_one_certificate_put_by_course() {
    let setup = setup().await;
    let direction = setup.direction("Matematika").await;
    let course = setup.course(direction.id, "Algebra").await;
    let tree = setup.reader.course_tree(course.id).await.unwrap().unwrap();
    assert_eq!(tree.certificate, None);

    let created = setup
        .writer
        .put_certificate(course.id, "Algebra sertifikati")
        .await
        .unwrap();
    assert_eq!(
        (created.course_id, created.title.as_str()),
        (course.id, "Algebra sertifikati")
    );
    let renamed = setup
        .writer
        .put_certificate(course.id, "Algebra: yakuniy sertifikat")
        .await
        .unwrap();
    assert_eq!(renamed.id, created.id, "an upsert keeps the id");
    assert_eq!(renamed.title, "Algebra: yakuniy sertifikat");
    assert_eq!(setup.count("certificates").await, 1);
    let tree = setup.reader.course_tree(course.id).await.unwrap().unwrap();
    assert_eq!(tree.certificate, Some(renamed));

    assert_eq!(
        setup.writer.put_certificate(Uuid::now_v7(), "X").await,
        Err(DomainError::NotFound)
    );
}

#[tokio::test]
async fn removals_cascade_and_hand_back_the_keys_of_their_files() {
    let setup = setup().await;
    if setup.fixture.db.backend() == DatabaseBackend::Sqlite {
        let row = setup
            .fixture
            .db
            .connection()
            .query_one_raw(Statement::from_string(
                DatabaseBackend::Sqlite,
                "PRAGMA foreign_keys",
            ))
            .await
            .unwrap()
            .unwrap();
        assert_eq!(row.try_get_by_index::<i64>(0).unwrap(), 1);
    }
    let direction = setup.direction("Dasturlash").await;
    let course = setup.course(direction.id, "Python").await;
    let kept = setup.course(direction.id, "Rust").await;
    let kept_lesson = setup
        .lesson(setup.module(kept.id, "Rust 1").await.id, "Rust dars")
        .await;
    setup
        .writer
        .set_video(
            kept_lesson.id,
            VideoSource::Stored("videos/rust.mp4".to_owned()),
            60,
        )
        .await
        .unwrap();

    let m1 = setup.module(course.id, "M1").await;
    let m2 = setup.module(course.id, "M2").await;
    let m3 = setup.module(course.id, "M3").await;
    let l11 = setup.lesson(m1.id, "L11").await;
    let l12 = setup.lesson(m1.id, "L12").await;
    let l21 = setup.lesson(m2.id, "L21").await;
    let l22 = setup.lesson(m2.id, "L22").await;
    let l31 = setup.lesson(m3.id, "L31").await;
    let stored = |key: &str| VideoSource::Stored(key.to_owned());
    for (lesson, source) in [
        (&l11, stored("videos/11.mp4")),
        (
            &l12,
            VideoSource::Url("https://videos.bilim.test/12.mp4".to_owned()),
        ),
        (&l21, stored("videos/21.mp4")),
        (&l22, stored("videos/22.mp4")),
        (&l31, stored("videos/31.mp4")),
    ] {
        setup.writer.set_video(lesson.id, source, 60).await.unwrap();
    }
    let general = setup
        .workbook(course.id, None, "workbooks/general.pdf")
        .await;
    let of_l11 = setup
        .workbook(course.id, Some(l11.id), "workbooks/11.pdf")
        .await;
    let of_l21 = setup
        .workbook(course.id, Some(l21.id), "workbooks/21.pdf")
        .await;
    setup
        .writer
        .put_certificate(course.id, "Sertifikat")
        .await
        .unwrap();

    // A lesson: its video goes (the stored file handed back); its workbook
    // stays, as the course's.
    assert_eq!(
        setup.writer.delete_lesson(l11.id).await,
        Ok(vec!["videos/11.mp4".to_owned()])
    );
    assert_eq!(setup.videos.video_of(l11.id).await, Ok(None));
    assert_eq!(
        setup
            .reader
            .workbook(of_l11.id)
            .await
            .unwrap()
            .unwrap()
            .lesson_id,
        None
    );
    // An external video hands back nothing.
    assert_eq!(setup.writer.delete_lesson(l12.id).await, Ok(vec![]));

    // A module: its lessons and their videos go.
    let mut keys = setup.writer.delete_module(m2.id).await.unwrap();
    keys.sort();
    assert_eq!(keys, names(&["videos/21.mp4", "videos/22.mp4"]));
    assert_eq!(setup.reader.lesson(l21.id).await.unwrap(), None);
    assert_eq!(setup.reader.lesson(l22.id).await.unwrap(), None);
    assert_eq!(setup.videos.video_of(l22.id).await, Ok(None));
    assert_eq!(
        setup
            .reader
            .workbook(of_l21.id)
            .await
            .unwrap()
            .unwrap()
            .lesson_id,
        None
    );
    assert_eq!(setup.module_titles(course.id).await, names(&["M1", "M3"]));
    assert_eq!(setup.count("lessons").await, 2);
    assert_eq!(setup.count("videos").await, 2);

    // The course: everything under it goes, every file handed back.
    let mut keys = setup.writer.delete_course(course.id).await.unwrap();
    keys.sort();
    assert_eq!(
        keys,
        names(&[
            "videos/31.mp4",
            "workbooks/11.pdf",
            "workbooks/21.pdf",
            "workbooks/general.pdf"
        ])
    );
    assert_eq!(setup.reader.course_tree(course.id).await.unwrap(), None);
    assert_eq!(setup.reader.workbook(general.id).await.unwrap(), None);
    for (table, left) in [
        ("courses", 1),
        ("modules", 1),
        ("lessons", 1),
        ("videos", 1),
        ("workbooks", 0),
        ("certificates", 0),
    ] {
        assert_eq!(setup.count(table).await, left, "{table}");
    }
    assert_eq!(
        setup
            .videos
            .video_of(kept_lesson.id)
            .await
            .unwrap()
            .unwrap()
            .source,
        stored("videos/rust.mp4")
    );
}

#[tokio::test]
async fn the_database_cascades_on_its_own_on_both_backends() {
    let setup = setup().await;
    let direction = setup.direction("Matematika").await;
    let course = setup.course(direction.id, "Algebra").await;
    let module = setup.module(course.id, "M").await;
    let lesson = setup.lesson(module.id, "L").await;
    setup
        .writer
        .set_video(
            lesson.id,
            VideoSource::Url("https://v.test/1.mp4".to_owned()),
            5,
        )
        .await
        .unwrap();
    let workbook = setup.workbook(course.id, Some(lesson.id), "w/1.pdf").await;
    setup.writer.put_certificate(course.id, "S").await.unwrap();

    // Plain SQL, no adapter: the foreign keys do the work.
    setup
        .execute("DELETE FROM lessons WHERE id = ?", vec![lesson.id.into()])
        .await
        .unwrap();
    assert_eq!(setup.count("videos").await, 0);
    assert_eq!(
        setup
            .reader
            .workbook(workbook.id)
            .await
            .unwrap()
            .unwrap()
            .lesson_id,
        None
    );
    setup
        .execute("DELETE FROM courses WHERE id = ?", vec![course.id.into()])
        .await
        .unwrap();
    for table in ["modules", "workbooks", "certificates"] {
        assert_eq!(setup.count(table).await, 0, "{table}");
    }
    // And refuses rows that point nowhere.
    assert!(
        setup
            .execute(
                "INSERT INTO modules (id, course_id, title, position) VALUES (?, ?, 'x', 1)",
                vec![Uuid::now_v7().into(), Uuid::now_v7().into()]
            )
            .await
            .is_err()
    );
}

#[tokio::test]
async fn a_lesson_view_is_the_lesson_its_module_course_and_workbooks() {
    let setup = setup().await;
    let direction = setup.direction("Ingliz tili").await;
    let course = setup.course(direction.id, "IELTS").await;
    let module = setup.module(course.id, "Reading").await;
    let lesson = setup.lesson(module.id, "Skimming").await;
    let other = setup.lesson(module.id, "Scanning").await;
    let workbook = setup
        .workbook(course.id, Some(lesson.id), "w/skim.pdf")
        .await;
    setup
        .workbook(course.id, Some(other.id), "w/scan.pdf")
        .await;
    setup.workbook(course.id, None, "w/all.pdf").await;

    let view = setup.reader.lesson(lesson.id).await.unwrap().unwrap();
    assert_eq!(view.lesson, lesson);
    assert_eq!(view.module, module);
    assert_eq!(view.course, course);
    assert_eq!(view.workbooks, vec![workbook]);
    assert_eq!(setup.reader.lesson(Uuid::now_v7()).await.unwrap(), None);
}
