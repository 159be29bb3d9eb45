//! The course-tree cache: one statement while the catalogue is unchanged, and
//! every change to a course page seen at the next read, also by a reader on
//! another pool (another server instance) sharing the database.

use crate::catalogue::{
    Setup, direction_name, moved_to, new_course, outline, retitled, setup, title,
};
use crate::users::now;
use bilim_domain::catalogue::{
    CoursePatch, CourseTree, DirectionPatch, NewCourse, OutlineLevel, VideoSource,
};
use bilim_domain::ports::{CatalogueReader, CatalogueWriter, UserRepository};
use bilim_domain::users::ProfileChanges;
use bilim_domain::values::PersonName;
use bilim_repository::catalogue::SeaCatalogueReader;
use bilim_repository::database::Database;
use bilim_repository::users::SeaUserRepository;
use sea_orm::{ConnectionTrait, Statement, TransactionTrait};
use std::sync::{Arc, Mutex};
use uuid::Uuid;

async fn revision(db: &Database) -> i64 {
    let statement = Statement::from_string(
        db.backend(),
        "SELECT revision FROM catalogue_revision WHERE id = 1",
    );
    let row = db.connection().query_one_raw(statement).await.unwrap();
    row.unwrap().try_get_by_index(0).unwrap()
}

/// A published course with one module of two lessons, taught by a teacher.
async fn course_with_outline(setup: &Setup) -> (Uuid, Uuid, Uuid) {
    let direction = setup.direction("Matematika").await;
    let teacher = setup.teacher("ustoz@example.uz").await;
    let new = NewCourse {
        teacher_id: Some(teacher),
        ..new_course(direction.id, "Algebra")
    };
    let course = setup
        .writer
        .create_course(Uuid::now_v7(), new, now(), &setup.entry())
        .await
        .unwrap();
    let module = setup.module(course.id, "Tenglamalar").await;
    let lesson = setup.lesson(module.id, "Chiziqli tenglama").await;
    setup.lesson(module.id, "Kvadrat tenglama").await;
    (course.id, lesson.id, teacher)
}

#[tokio::test]
async fn a_cached_course_page_is_one_statement_until_the_catalogue_changes() {
    let setup = setup().await;
    let (course_id, lesson_id, _) = course_with_outline(&setup).await;
    let statements = Arc::new(Mutex::new(Vec::<String>::new()));
    let mut db = setup.fixture.db.clone();
    let sink = Arc::clone(&statements);
    db.set_metric_callback(move |info| sink.lock().unwrap().push(info.statement.sql.clone()));
    let reader = SeaCatalogueReader::new(db).caching_trees(8);
    let take = || std::mem::take(&mut *statements.lock().unwrap());

    let first = reader.course_tree(course_id).await.unwrap().unwrap();
    let cold = take();
    assert_eq!(
        cold.len(),
        9,
        "the revision, then the eight of the tree: {cold:#?}"
    );
    let second = reader.course_tree(course_id).await.unwrap().unwrap();
    let warm = take();
    assert_eq!(second, first);
    assert_eq!(warm.len(), 1, "{warm:#?}");
    assert!(warm[0].contains("catalogue_revision"), "{warm:#?}");

    // A change made through another pool: the next read is a full one again.
    let writer = bilim_repository::catalogue::SeaCatalogueWriter::new(
        setup.fixture.another_instance().await,
    );
    let patch = retitled("Chiziqli tenglamalar");
    writer
        .update_outline(OutlineLevel::Lesson, lesson_id, patch, &setup.entry())
        .await
        .unwrap();
    let third = reader.course_tree(course_id).await.unwrap().unwrap();
    assert_eq!(take().len(), 9);
    assert_eq!(third.modules[0].lessons[0].title, "Chiziqli tenglamalar");

    for sql in cold.iter().chain(&warm) {
        assert!(!sql.to_lowercase().contains("videos"), "{sql}");
    }
    // Unknown courses are read each time and not kept.
    assert_eq!(reader.course_tree(Uuid::now_v7()).await.unwrap(), None);
    assert_eq!(take().len(), 2);
}

/// Runs `change`, then checks that the cached reader of another instance shows
/// it (`seen` holds on the tree) and that the revision grew.
async fn seen_after(
    reader: &SeaCatalogueReader,
    db: &Database,
    course_id: Uuid,
    what: &str,
    seen: impl Fn(&CourseTree) -> bool,
) {
    let tree = reader.course_tree(course_id).await.unwrap().unwrap();
    assert!(seen(&tree), "{what}: not seen through the cache: {tree:#?}");
    let cached_at = revision(db).await;
    let again = reader.course_tree(course_id).await.unwrap().unwrap();
    assert_eq!(again, tree, "{what}: a second read differs");
    assert_eq!(revision(db).await, cached_at);
}

#[tokio::test]
async fn every_change_to_a_course_page_reaches_the_cache_of_another_instance() {
    let setup = setup().await;
    let (course_id, lesson_id, teacher) = course_with_outline(&setup).await;
    let db = &setup.fixture.db;
    let reader = SeaCatalogueReader::new(setup.fixture.another_instance().await).caching_trees(8);
    let writer = &setup.writer;
    let tree = reader.course_tree(course_id).await.unwrap().unwrap();
    let direction_id = tree.course.direction_id;
    let module_id = tree.modules[0].module.id;

    let patch = DirectionPatch {
        name: Some(direction_name("Aniq fanlar")),
        ..DirectionPatch::default()
    };
    writer
        .update_direction(direction_id, patch, now(), &setup.entry())
        .await
        .unwrap();
    seen_after(&reader, db, course_id, "direction renamed", |t| {
        t.direction.name == "Aniq fanlar"
    })
    .await;

    let patch = CoursePatch {
        title: Some(title("Algebra asoslari")),
        ..CoursePatch::default()
    };
    writer
        .update_course(course_id, patch, now(), &setup.entry())
        .await
        .unwrap();
    seen_after(&reader, db, course_id, "course retitled", |t| {
        t.course.title == "Algebra asoslari"
    })
    .await;

    let added = setup.module(course_id, "Tengsizliklar").await;
    seen_after(&reader, db, course_id, "module added", |t| {
        t.modules.iter().any(|m| m.module.id == added.id)
    })
    .await;

    writer
        .update_outline(OutlineLevel::Module, added.id, moved_to(1), &setup.entry())
        .await
        .unwrap();
    seen_after(&reader, db, course_id, "module moved", |t| {
        t.modules[0].module.id == added.id
    })
    .await;

    let lesson = setup.lesson(added.id, "Modul tengsizlik").await;
    seen_after(&reader, db, course_id, "lesson added", |t| {
        t.modules[0].lessons.iter().any(|l| l.id == lesson.id)
    })
    .await;

    writer
        .delete_outline(OutlineLevel::Lesson, lesson_id, &setup.entry())
        .await
        .unwrap();
    seen_after(&reader, db, course_id, "lesson deleted", |t| {
        t.modules
            .iter()
            .all(|m| m.lessons.iter().all(|l| l.id != lesson_id))
    })
    .await;

    let workbook = setup.workbook(course_id, None, "w/daftar.pdf").await;
    seen_after(&reader, db, course_id, "workbook added", |t| {
        t.workbooks.iter().any(|w| w.id == workbook.id)
    })
    .await;

    writer
        .delete_workbook(workbook.id, &setup.entry())
        .await
        .unwrap();
    seen_after(&reader, db, course_id, "workbook deleted", |t| {
        t.workbooks.is_empty()
    })
    .await;

    writer
        .put_certificate(course_id, &title("Algebra sertifikati"), &setup.entry())
        .await
        .unwrap();
    seen_after(&reader, db, course_id, "certificate set", |t| {
        t.certificate.as_ref().map(|c| c.title.as_str()) == Some("Algebra sertifikati")
    })
    .await;

    let users = SeaUserRepository::new(db.clone());
    let renamed = ProfileChanges {
        first_name: Some(PersonName::parse("first_name", "Nodira").unwrap()),
        ..ProfileChanges::default()
    };
    users.update_profile(teacher, renamed, now()).await.unwrap();
    seen_after(&reader, db, course_id, "teacher renamed", |t| {
        t.teacher.as_ref().map(|t| t.first_name.as_str()) == Some("Nodira")
    })
    .await;

    writer
        .delete_outline(OutlineLevel::Module, module_id, &setup.entry())
        .await
        .unwrap();
    seen_after(&reader, db, course_id, "module deleted", |t| {
        t.modules.len() == 1
    })
    .await;

    writer
        .delete_course(course_id, &setup.entry())
        .await
        .unwrap();
    assert_eq!(reader.course_tree(course_id).await.unwrap(), None);
}

#[tokio::test]
async fn what_a_course_page_does_not_show_leaves_the_revision_alone() {
    let setup = setup().await;
    let (_, lesson_id, _) = course_with_outline(&setup).await;
    let db = &setup.fixture.db;
    let before = revision(db).await;

    let source = VideoSource::Url("https://videos.bilim.test/1.mp4".into());
    setup
        .writer
        .set_video(lesson_id, source, 600, &setup.entry())
        .await
        .unwrap();
    let student = setup.teacher("talaba@example.uz").await;
    let renamed = ProfileChanges {
        last_name: Some(PersonName::parse("last_name", "Aliyeva").unwrap()),
        ..ProfileChanges::default()
    };
    SeaUserRepository::new(db.clone())
        .update_profile(student, renamed, now())
        .await
        .unwrap();
    assert_eq!(
        revision(db).await,
        before,
        "a video or the name of a user who teaches nothing is not on a course page"
    );
}

#[tokio::test]
async fn concurrent_catalogue_writers_each_bump_the_revision_once() {
    let setup = Arc::new(setup().await);
    let direction = setup.direction("Tillar").await;
    let mut courses = Vec::new();
    for n in 0..12 {
        courses.push(setup.course(direction.id, &format!("Kurs {n}")).await.id);
    }
    let module = setup.module(courses[0], "Birinchi").await;
    for n in 0..4 {
        setup.lesson(module.id, &format!("{n}-dars")).await;
    }
    let before = revision(&setup.fixture.db).await;

    let mut tasks = Vec::new();
    for (n, course_id) in courses.iter().copied().enumerate() {
        let setup = Arc::clone(&setup);
        tasks.push(tokio::spawn(async move {
            let patch = CoursePatch {
                title: Some(title(&format!("Yangi kurs {n}"))),
                ..CoursePatch::default()
            };
            let entry = setup.entry();
            setup
                .writer
                .update_course(course_id, patch, now(), &entry)
                .await
        }));
    }
    // One more transaction that renumbers the four lessons of a module.
    let renumbering = {
        let setup = Arc::clone(&setup);
        tokio::spawn(async move {
            let new = outline("Kirish", Some(1));
            let entry = setup.entry();
            setup
                .writer
                .create_outline(OutlineLevel::Lesson, Uuid::now_v7(), module.id, new, &entry)
                .await
                .map(|_| ())
        })
    };
    for task in tasks {
        task.await.unwrap().unwrap();
    }
    renumbering.await.unwrap().unwrap();

    let grown = revision(&setup.fixture.db).await - before;
    if setup.fixture.is_postgres() {
        // Deferred triggers: one bump per transaction, however many rows.
        assert_eq!(grown, 13);
    } else {
        // Row triggers: the renumbering bumps once per row it wrote.
        assert!(grown >= 13, "grew by {grown}");
    }
}

/// Runs `sql` on a connection of its own, as an operator would.
async fn run_sql(setup: &Setup, sql: &str) {
    let db = setup.fixture.another_instance().await;
    db.connection().execute_unprepared(sql).await.unwrap();
}

#[tokio::test]
async fn a_restore_that_takes_the_revision_back_leaves_no_tree_behind() {
    let setup = setup().await;
    let (course_id, lesson_id, _) = course_with_outline(&setup).await;
    let reader = SeaCatalogueReader::new(setup.fixture.another_instance().await).caching_trees(8);
    reader.course_tree(course_id).await.unwrap().unwrap();
    let cached_at = revision(&setup.fixture.db).await;

    // A restore: the number goes back, and the next request sees it.
    let restored = format!(
        "UPDATE catalogue_revision SET revision = {} WHERE id = 1",
        cached_at - 1
    );
    run_sql(&setup, &restored).await;
    reader.course_tree(course_id).await.unwrap().unwrap();
    // Then other changes bring it back to the very number the cache was at.
    setup
        .writer
        .update_outline(
            OutlineLevel::Lesson,
            lesson_id,
            retitled("Tiklangan dars"),
            &setup.entry(),
        )
        .await
        .unwrap();
    let climbed_back = format!("UPDATE catalogue_revision SET revision = {cached_at} WHERE id = 1");
    run_sql(&setup, &climbed_back).await;

    let tree = reader.course_tree(course_id).await.unwrap().unwrap();
    assert_eq!(tree.modules[0].lessons[0].title, "Tiklangan dars");
}

#[tokio::test]
async fn truncating_a_catalogue_table_bumps_the_revision() {
    let setup = setup().await;
    if !setup.fixture.is_postgres() {
        println!("skipped: SQLite has no TRUNCATE");
        return;
    }
    course_with_outline(&setup).await;
    let before = revision(&setup.fixture.db).await;
    run_sql(&setup, "TRUNCATE certificates CASCADE").await;
    assert!(revision(&setup.fixture.db).await > before);
}

#[tokio::test]
async fn a_teacher_given_by_hand_waits_for_a_rename_in_flight() {
    let setup = setup().await;
    if !setup.fixture.is_postgres() {
        println!("skipped: SQLite has one writer at a time");
        return;
    }
    let (course_id, _, _) = course_with_outline(&setup).await;
    let second = setup.teacher("ikkinchi@example.uz").await;
    let reader = SeaCatalogueReader::new(setup.fixture.another_instance().await).caching_trees(8);
    reader.course_tree(course_id).await.unwrap().unwrap();

    // The rename is written but not committed when the course gets the teacher.
    let renaming = setup.fixture.another_instance().await;
    let rename = renaming.connection().begin().await.unwrap();
    let sql = format!("UPDATE users SET first_name = 'Yangiismli' WHERE id = '{second}'");
    rename.execute_unprepared(&sql).await.unwrap();
    let assigning = setup.fixture.another_instance().await;
    let sql = format!("UPDATE courses SET teacher_id = '{second}' WHERE id = '{course_id}'");
    let assignment = tokio::spawn(async move {
        assigning
            .connection()
            .execute_unprepared(&sql)
            .await
            .map(|_| ())
    });
    tokio::time::sleep(std::time::Duration::from_millis(300)).await;
    assert!(
        !assignment.is_finished(),
        "the assignment must wait for the rename, or the rename's bump can be missed"
    );
    rename.commit().await.unwrap();
    assignment.await.unwrap().unwrap();

    let tree = reader.course_tree(course_id).await.unwrap().unwrap();
    let teacher = tree.teacher.unwrap();
    assert_eq!(
        (teacher.id, teacher.first_name.as_str()),
        (second, "Yangiismli")
    );
}
