//! `ProgressRepository` and `VideoRepository::lessons_with_video` on a fresh
//! database per test: SQLite, or PostgreSQL when `TEST_DATABASE_URL` is set.

use crate::learning::learning;
use crate::users::now;
use bilim_domain::DomainError;
use bilim_domain::catalogue::{OutlineLevel, VideoSource};
use bilim_domain::ports::{ProgressRepository, VideoRepository};
use bilim_repository::catalogue::SeaVideoRepository;
use bilim_repository::learning::SeaProgressRepository;
use chrono::Duration;
use std::sync::{Arc, Mutex};
use uuid::Uuid;

#[tokio::test]
async fn progress_is_upserted_and_a_completion_is_never_undone() {
    let l = learning().await;
    let progress = SeaProgressRepository::new(l.catalogue.fixture.db.clone());
    let user = l.student("aziza@example.uz").await;
    let direction = l.catalogue.direction("Matematika").await;
    let course = l.catalogue.course(direction.id, "Algebra").await;
    let module = l.catalogue.module(course.id, "1-modul").await;
    let lesson = l.catalogue.lesson(module.id, "1-dars").await;
    let t0 = now();

    let first = progress
        .record(user, lesson.id, 30, false, t0)
        .await
        .unwrap();
    assert_eq!(
        (first.user_id, first.lesson_id, first.position_seconds),
        (user, lesson.id, 30)
    );
    assert_eq!((first.completed_at, first.updated_at), (None, t0));

    let t1 = t0 + Duration::minutes(5);
    let done = progress
        .record(user, lesson.id, 290, true, t1)
        .await
        .unwrap();
    assert_eq!(done.position_seconds, 290);
    assert_eq!(done.completed_at, Some(t1));

    // Watching again from the start, then finishing again: still the first
    // completion.
    let t2 = t1 + Duration::days(1);
    let rewatch = progress
        .record(user, lesson.id, 10, false, t2)
        .await
        .unwrap();
    assert_eq!(rewatch.position_seconds, 10);
    assert_eq!(rewatch.completed_at, Some(t1));
    assert_eq!(rewatch.updated_at, t2);
    let t3 = t2 + Duration::minutes(5);
    let again = progress
        .record(user, lesson.id, 300, true, t3)
        .await
        .unwrap();
    assert_eq!(again.completed_at, Some(t1));
    assert_eq!(l.count("lesson_progress").await, 1);

    assert_eq!(
        progress.record(user, Uuid::now_v7(), 1, true, t3).await,
        Err(DomainError::NotFound)
    );
    assert_eq!(
        progress
            .record(Uuid::now_v7(), lesson.id, 1, true, t3)
            .await,
        Err(DomainError::NotFound)
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn concurrent_reports_keep_one_row_and_the_completion() {
    let l = learning().await;
    let progress: Arc<dyn ProgressRepository> =
        Arc::new(SeaProgressRepository::new(l.catalogue.fixture.db.clone()));
    let user = l.student("aziza@example.uz").await;
    let direction = l.catalogue.direction("Matematika").await;
    let course = l.catalogue.course(direction.id, "Algebra").await;
    let module = l.catalogue.module(course.id, "1-modul").await;
    let lesson = l.catalogue.lesson(module.id, "1-dars").await;
    let tasks: Vec<_> = (0..20)
        .map(|n| {
            let progress = Arc::clone(&progress);
            tokio::spawn(async move {
                progress
                    .record(user, lesson.id, n * 10, n % 5 == 0, now())
                    .await
            })
        })
        .collect();
    for task in tasks {
        task.await.unwrap().unwrap();
    }
    assert_eq!(l.count("lesson_progress").await, 1);
    assert_eq!(
        progress.completed_lessons(user, course.id).await,
        Ok(vec![lesson.id])
    );
}

#[tokio::test]
async fn completed_lessons_are_the_users_completed_lessons_of_that_course_only() {
    let l = learning().await;
    let progress = SeaProgressRepository::new(l.catalogue.fixture.db.clone());
    let user = l.student("aziza@example.uz").await;
    let other = l.student("boshqa@example.uz").await;
    let direction = l.catalogue.direction("Matematika").await;
    let algebra = l.catalogue.course(direction.id, "Algebra").await;
    let geometry = l.catalogue.course(direction.id, "Geometriya").await;
    let first = l.catalogue.module(algebra.id, "1-modul").await;
    let second = l.catalogue.module(algebra.id, "2-modul").await;
    let a1 = l.catalogue.lesson(first.id, "1-dars").await;
    let a2 = l.catalogue.lesson(first.id, "2-dars").await;
    let a3 = l.catalogue.lesson(second.id, "3-dars").await;
    let g1 = l
        .catalogue
        .lesson(
            l.catalogue.module(geometry.id, "1-modul").await.id,
            "1-dars",
        )
        .await;
    let t0 = now();
    for (lesson, completed) in [(a3.id, true), (a1.id, true), (a2.id, false), (g1.id, true)] {
        progress
            .record(user, lesson, 100, completed, t0)
            .await
            .unwrap();
    }
    progress.record(other, a2.id, 100, true, t0).await.unwrap();

    assert_eq!(
        progress.completed_lessons(user, algebra.id).await,
        Ok(vec![a1.id, a3.id]),
        "in outline order"
    );
    assert_eq!(
        progress.completed_lessons(user, geometry.id).await,
        Ok(vec![g1.id])
    );
    assert_eq!(
        progress.completed_lessons(other, algebra.id).await,
        Ok(vec![a2.id])
    );
    assert_eq!(
        progress.completed_lessons(user, Uuid::now_v7()).await,
        Ok(vec![])
    );

    // A removed lesson takes its progress with it.
    l.catalogue
        .writer
        .delete_outline(OutlineLevel::Lesson, a1.id, &l.catalogue.entry())
        .await
        .unwrap();
    assert_eq!(
        progress.completed_lessons(user, algebra.id).await,
        Ok(vec![a3.id])
    );
}

#[tokio::test]
async fn lessons_with_video_are_the_course_lessons_that_have_one_ids_only() {
    let l = learning().await;
    let direction = l.catalogue.direction("Matematika").await;
    let algebra = l.catalogue.course(direction.id, "Algebra").await;
    let geometry = l.catalogue.course(direction.id, "Geometriya").await;
    let first = l.catalogue.module(algebra.id, "1-modul").await;
    let second = l.catalogue.module(algebra.id, "2-modul").await;
    let a1 = l.catalogue.lesson(first.id, "1-dars").await;
    let a2 = l.catalogue.lesson(first.id, "2-dars").await;
    let a3 = l.catalogue.lesson(second.id, "3-dars").await;
    let g1 = l
        .catalogue
        .lesson(
            l.catalogue.module(geometry.id, "1-modul").await.id,
            "1-dars",
        )
        .await;
    for (lesson, source) in [
        (a3.id, VideoSource::Stored("videos/a3.mp4".to_owned())),
        (
            a1.id,
            VideoSource::Url("https://videos.bilim.test/a1.mp4".to_owned()),
        ),
        (
            g1.id,
            VideoSource::Url("https://videos.bilim.test/g1.mp4".to_owned()),
        ),
    ] {
        l.catalogue
            .writer
            .set_video(lesson, source, 60, &l.catalogue.entry())
            .await
            .unwrap();
    }

    let recorded = Arc::new(Mutex::new(Vec::<String>::new()));
    let mut db = l.catalogue.fixture.db.clone();
    let sink = Arc::clone(&recorded);
    db.set_metric_callback(move |info| {
        sink.lock().unwrap().push(info.statement.sql.clone());
    });
    let videos = SeaVideoRepository::new(db);

    assert_eq!(
        videos.lessons_with_video(algebra.id).await,
        Ok(vec![a1.id, a3.id]),
        "not {a2:?}, which has none; in outline order"
    );
    let statements = recorded.lock().unwrap().clone();
    assert_eq!(statements.len(), 1);
    assert!(statements[0].contains("videos"), "{}", statements[0]);
    for column in ["url", "storage_key", "duration_seconds"] {
        assert!(
            !statements[0].contains(&format!("\"{column}\"")),
            "{}",
            statements[0]
        );
    }
    assert_eq!(
        videos.lessons_with_video(geometry.id).await,
        Ok(vec![g1.id])
    );
    assert_eq!(videos.lessons_with_video(Uuid::now_v7()).await, Ok(vec![]));
}

/// A course of `modules` modules of two lessons, each with a video; returns
/// the lessons, module by module.
async fn course_of(
    l: &crate::learning::Learning,
    title: &str,
    modules: usize,
) -> (Uuid, Vec<Uuid>) {
    let direction = match l.catalogue.reader.directions().await.unwrap().first() {
        Some(direction) => direction.clone(),
        None => l.catalogue.direction("Matematika").await,
    };
    let course = l.catalogue.course(direction.id, title).await;
    let mut lessons = Vec::new();
    for m in 1..=modules {
        let module = l.catalogue.module(course.id, &format!("{m}-modul")).await;
        for n in 1..=2 {
            let lesson = l.catalogue.lesson(module.id, &format!("{n}-dars")).await;
            let source = VideoSource::Url(format!("https://videos.bilim.test/{}.mp4", lesson.id));
            l.catalogue
                .writer
                .set_video(lesson.id, source, 60, &l.catalogue.entry())
                .await
                .unwrap();
            lessons.push(lesson.id);
        }
    }
    (course.id, lessons)
}

#[tokio::test]
async fn a_progress_report_is_two_statements_for_one_course_or_fifty() {
    let l = learning().await;
    let few = l.student("aziza@example.uz").await;
    let many = l.student("bobur@example.uz").await;
    let never = l.student("hech@example.uz").await;
    let progress = SeaProgressRepository::new(l.catalogue.fixture.db.clone());
    let until = now() + Duration::days(30);
    let mut courses = Vec::new();
    for n in 0..50 {
        let (course, lessons) = course_of(&l, &format!("{n}-kurs"), 2).await;
        l.grant(many, &[(course, until)], now()).await.unwrap();
        if n == 0 {
            l.grant(few, &[(course, until)], now()).await.unwrap();
        }
        // Bobur watches the first lesson of every course, Aziza none.
        progress
            .record(many, lessons[0], 60, true, now())
            .await
            .unwrap();
        courses.push(course);
    }
    // A course without modules is listed with nothing to do.
    let empty = l
        .catalogue
        .course(
            l.catalogue.reader.directions().await.unwrap()[0].id,
            "Boʻsh kurs",
        )
        .await;
    l.grant(many, &[(empty.id, until)], now() + Duration::seconds(1))
        .await
        .unwrap();

    let recorded = Arc::new(Mutex::new(Vec::<String>::new()));
    let mut db = l.catalogue.fixture.db.clone();
    let sink = Arc::clone(&recorded);
    db.set_metric_callback(move |info| {
        sink.lock().unwrap().push(info.statement.sql.clone());
    });
    let counted = SeaProgressRepository::new(db);
    let take = || std::mem::take(&mut *recorded.lock().unwrap());

    let small = counted.report(few).await.unwrap();
    let small_statements = take();
    let large = counted.report(many).await.unwrap();
    let large_statements = take();
    assert_eq!(small_statements.len(), 2, "{small_statements:#?}");
    assert_eq!(large_statements.len(), 2, "{large_statements:#?}");
    for sql in &large_statements {
        for column in ["url", "storage_key", "duration_seconds"] {
            assert!(!sql.contains(column), "{sql}");
        }
    }

    assert_eq!(small.len(), 1);
    assert_eq!(small[0].course_id, courses[0]);
    let counts = small[0].counts();
    assert_eq!((counts.lessons_watched, counts.lessons_total), (0, 4));
    assert_eq!(counts.percent(), 0);
    assert_eq!(large.len(), 51);
    // Newest grant first.
    assert_eq!(large[0].course_id, empty.id);
    assert!(large[0].modules.is_empty());
    assert_eq!(large[0].counts().percent(), 0);
    for course in &large[1..] {
        assert_eq!(course.modules.len(), 2);
        let titles: Vec<&str> = course.modules.iter().map(|m| m.title.as_str()).collect();
        assert_eq!(titles, ["1-modul", "2-modul"]);
        assert_eq!(course.modules[0].counts.lessons_watched, 1);
        assert_eq!(course.modules[1].counts.lessons_watched, 0);
        let counts = course.counts();
        assert_eq!((counts.lessons_watched, counts.lessons_total), (1, 4));
        assert_eq!((counts.tests_passed, counts.tests_total), (0, 0));
        assert_eq!(counts.percent(), 25);
    }
    assert_eq!(counted.report(never).await, Ok(vec![]));
}
