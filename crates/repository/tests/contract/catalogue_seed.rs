//! `seed_catalogue` on a fresh database per test: SQLite, or PostgreSQL when
//! `TEST_DATABASE_URL` is set.

use crate::catalogue::setup;
use crate::users::now;
use bilim_domain::catalogue::{CourseStatus, VideoSource};
use bilim_domain::ports::CourseQuery;
use bilim_repository::seed::{seed_catalogue, seed_users};
use std::collections::{HashMap, HashSet};
use std::time::Instant;

const HASH: &str = "$argon2id$v=19$m=19456,t=2,p=1$c2FsdA$aGFzaA";

#[tokio::test]
async fn the_demo_catalogue_is_three_directions_of_full_published_courses_once() {
    let setup = setup().await;
    // 40 demo users hold two teachers (one in twenty).
    seed_users(&setup.fixture.db, 40, HASH, now())
        .await
        .unwrap();
    let started = Instant::now();
    assert_eq!(seed_catalogue(&setup.fixture.db, 50, now()).await, Ok(50));
    println!(
        "seeded 50 courses on {:?} in {:?}",
        setup.fixture.db.backend(),
        started.elapsed()
    );

    for (table, rows) in [
        ("directions", 3),
        ("courses", 50),
        ("modules", 500),
        ("lessons", 5000),
        ("videos", 5000),
        ("workbooks", 100),
        ("certificates", 50),
    ] {
        assert_eq!(setup.count(table).await, rows, "{table}");
    }
    let directions = setup.reader.directions().await.unwrap();
    let names: Vec<&str> = directions.iter().map(|d| d.name.as_str()).collect();
    assert_eq!(names, ["Matematika", "Ingliz tili", "Dasturlash"]);

    let courses = setup
        .reader
        .courses(&CourseQuery {
            status: Some(CourseStatus::Published),
            limit: 100,
            ..CourseQuery::default()
        })
        .await
        .unwrap();
    assert_eq!(courses.len(), 50, "all published");
    let titles: HashSet<&str> = courses.iter().map(|c| c.title.as_str()).collect();
    assert_eq!(titles.len(), 50, "titles differ");
    let mut per_direction: HashMap<_, usize> = HashMap::new();
    for course in &courses {
        *per_direction.entry(course.direction_id).or_default() += 1;
    }
    let mut counts: Vec<usize> = per_direction.into_values().collect();
    counts.sort();
    assert_eq!(counts, [16, 17, 17]);
    let teachers: HashSet<_> = courses.iter().filter_map(|c| c.teacher_id).collect();
    assert_eq!(teachers.len(), 2);
    assert!(courses.iter().all(|c| c.teacher_id.is_some()));

    // One course, in full.
    let tree = setup
        .reader
        .course_tree(courses[7].id)
        .await
        .unwrap()
        .unwrap();
    assert!(tree.teacher.is_some());
    assert_eq!(tree.modules.len(), 10);
    for (m, module) in tree.modules.iter().enumerate() {
        assert_eq!(module.module.position, m as i32 + 1);
        assert!(
            module
                .module
                .title
                .starts_with(&format!("{}-modul: ", m + 1))
        );
        let positions: Vec<i32> = module.lessons.iter().map(|l| l.position).collect();
        assert_eq!(positions, (1..=10).collect::<Vec<_>>());
    }
    assert_eq!(tree.workbooks.len(), 2);
    assert!(
        tree.workbooks
            .iter()
            .all(|w| w.storage_key.starts_with("demo/workbook-") && w.storage_key.ends_with(".pdf"))
    );
    assert_eq!(
        tree.workbooks
            .iter()
            .filter(|w| w.lesson_id.is_some())
            .count(),
        1
    );
    assert!(tree.certificate.is_some());
    let lesson = &tree.modules[3].lessons[4];
    let video = setup.videos.video_of(lesson.id).await.unwrap().unwrap();
    assert_eq!(
        video.source,
        VideoSource::Url(format!("https://videos.bilim.test/{}.mp4", lesson.id))
    );
    assert!((300..=1800).contains(&video.duration_seconds));

    // Cyrillic-free Latin search works on the seeded titles.
    let found = setup
        .reader
        .courses(&CourseQuery {
            search: Some("ielts".to_owned()),
            limit: 100,
            ..CourseQuery::default()
        })
        .await
        .unwrap();
    assert!(!found.is_empty());
    assert!(found.iter().all(|c| c.title.contains("IELTS")));

    // Again: nothing added.
    assert_eq!(seed_catalogue(&setup.fixture.db, 50, now()).await, Ok(0));
    assert_eq!(setup.count("courses").await, 50);
    assert_eq!(setup.count("directions").await, 3);
}

#[tokio::test]
async fn the_demo_directions_follow_existing_ones_and_more_courses_take_streams() {
    let setup = setup().await;
    setup.direction("Fizika").await;
    assert_eq!(seed_catalogue(&setup.fixture.db, 40, now()).await, Ok(40));
    let names: Vec<String> = setup
        .reader
        .directions()
        .await
        .unwrap()
        .into_iter()
        .map(|d| format!("{} {}", d.position, d.name))
        .collect();
    assert_eq!(
        names,
        ["1 Fizika", "2 Matematika", "3 Ingliz tili", "4 Dasturlash"]
    );
    // No teachers among the users: courses without one.
    let courses = setup
        .reader
        .courses(&CourseQuery {
            limit: 100,
            ..CourseQuery::default()
        })
        .await
        .unwrap();
    assert!(courses.iter().all(|c| c.teacher_id.is_none()));
    // 14 courses of Matematika: the twelve titles, then a second stream.
    assert!(
        courses
            .iter()
            .any(|c| c.title == "Algebra asoslari (2-oqim)")
    );
    assert_eq!(seed_catalogue(&setup.fixture.db, 0, now()).await, Ok(0));
}

#[tokio::test]
async fn demo_tests_and_olympiads_are_seeded_once() {
    let setup = setup().await;
    seed_users(&setup.fixture.db, 40, HASH, now())
        .await
        .unwrap();
    assert_eq!(seed_catalogue(&setup.fixture.db, 6, now()).await, Ok(6));
    let seeded = bilim_repository::seed::seed_quizzes(&setup.fixture.db, now()).await;
    assert_eq!(seeded, Ok((6, 2)));
    for (table, rows) in [("tests", 6), ("questions", 24), ("olympiads", 2)] {
        assert_eq!(setup.count(table).await, rows, "{table}");
    }
    let again = bilim_repository::seed::seed_quizzes(&setup.fixture.db, now()).await;
    assert_eq!(again, Ok((0, 0)));
    assert_eq!(setup.count("tests").await, 6);
}
