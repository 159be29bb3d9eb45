//! What the catalogue reader reads: course filters, search and keyset pages,
//! and the statements of a course page (a fixed number, never `videos`).

use crate::catalogue::{new_course, outline, setup, title};
use bilim_domain::catalogue::{
    CoursePatch, CourseStatus, Level, NewCourse, OutlineLevel, VideoSource,
};
use bilim_domain::ports::VideoRepository;
use bilim_domain::ports::{CatalogueReader, CourseQuery};
use bilim_repository::catalogue::{SeaCatalogueReader, SeaVideoRepository};
use std::sync::{Arc, Mutex};
use uuid::Uuid;

fn query() -> CourseQuery {
    CourseQuery {
        limit: 100,
        ..CourseQuery::default()
    }
}

fn search(text: &str) -> CourseQuery {
    CourseQuery {
        search: Some(text.to_owned()),
        ..query()
    }
}

async fn titles(reader: &dyn CatalogueReader, query: CourseQuery) -> Vec<String> {
    let courses = reader.courses(&query).await.unwrap();
    courses.into_iter().map(|course| course.title).collect()
}

fn sorted(mut titles: Vec<String>) -> Vec<String> {
    titles.sort();
    titles
}

fn names(list: &[&str]) -> Vec<String> {
    let mut names: Vec<String> = list.iter().map(|s| (*s).to_owned()).collect();
    names.sort();
    names
}

#[tokio::test]
async fn courses_are_filtered_by_direction_status_and_level() {
    let setup = setup().await;
    let matematika = setup.direction("Matematika").await;
    let dasturlash = setup.direction("Dasturlash").await;
    for (direction, title, level, status) in [
        (
            matematika.id,
            "Algebra",
            Level::Beginner,
            CourseStatus::Published,
        ),
        (
            matematika.id,
            "Geometriya",
            Level::Advanced,
            CourseStatus::Published,
        ),
        (
            matematika.id,
            "Analiz",
            Level::Advanced,
            CourseStatus::Draft,
        ),
        (
            dasturlash.id,
            "Python",
            Level::Beginner,
            CourseStatus::Published,
        ),
        (
            dasturlash.id,
            "Rust",
            Level::Advanced,
            CourseStatus::Archived,
        ),
    ] {
        let new = NewCourse {
            level,
            status,
            ..new_course(direction, title)
        };
        setup
            .writer
            .create_course(Uuid::now_v7(), new, crate::users::now(), &setup.entry())
            .await
            .unwrap();
    }
    let reader = setup.reader.as_ref();
    let cases = [
        (
            query(),
            vec!["Algebra", "Geometriya", "Analiz", "Python", "Rust"],
        ),
        (
            CourseQuery {
                status: Some(CourseStatus::Published),
                ..query()
            },
            vec!["Algebra", "Geometriya", "Python"],
        ),
        (
            CourseQuery {
                direction_id: Some(matematika.id),
                ..query()
            },
            vec!["Algebra", "Geometriya", "Analiz"],
        ),
        (
            CourseQuery {
                direction_id: Some(matematika.id),
                status: Some(CourseStatus::Published),
                ..query()
            },
            vec!["Algebra", "Geometriya"],
        ),
        (
            CourseQuery {
                level: Some(Level::Advanced),
                ..query()
            },
            vec!["Geometriya", "Analiz", "Rust"],
        ),
        (
            CourseQuery {
                direction_id: Some(matematika.id),
                status: Some(CourseStatus::Published),
                level: Some(Level::Advanced),
                ..query()
            },
            vec!["Geometriya"],
        ),
        (
            CourseQuery {
                direction_id: Some(Uuid::now_v7()),
                ..query()
            },
            vec![],
        ),
        (
            CourseQuery {
                status: Some(CourseStatus::Archived),
                search: Some("rus".to_owned()),
                ..query()
            },
            vec!["Rust"],
        ),
    ];
    for (query, expected) in cases {
        assert_eq!(
            sorted(titles(reader, query.clone()).await),
            names(&expected),
            "{query:?}"
        );
    }
}

#[tokio::test]
async fn the_search_ignores_case_in_latin_and_cyrillic_and_takes_wildcards_literally() {
    let setup = setup().await;
    let direction = setup.direction("Aralash").await;
    for title in [
        "Алгебра асослари",
        "Геометрия",
        "Python ASOSLARI",
        "Oʻzbek tili",
        "100% natija",
        "100 natija",
        "snake_case nomlar",
        "snakeXcase nomlar",
        "Yoʻl\\belgilari",
    ] {
        setup.course(direction.id, title).await;
    }
    let reader = setup.reader.as_ref();
    for (text, expected) in [
        ("алг", vec!["Алгебра асослари"]),
        ("АЛГЕБРА", vec!["Алгебра асослари"]),
        ("асосл", vec!["Алгебра асослари"]),
        ("pyth", vec!["Python ASOSLARI"]),
        ("Asoslari", vec!["Python ASOSLARI"]),
        ("oʻzbek", vec!["Oʻzbek tili"]),
        ("100%", vec!["100% natija"]),
        ("%", vec!["100% natija"]),
        ("snake_", vec!["snake_case nomlar"]),
        ("_", vec!["snake_case nomlar"]),
        ("\\b", vec!["Yoʻl\\belgilari"]),
        ("natija", vec!["100% natija", "100 natija"]),
        ("yoʻq", vec![]),
    ] {
        assert_eq!(
            sorted(titles(reader, search(text)).await),
            names(&expected),
            "{text:?}"
        );
    }
    // An empty search is no filter.
    assert_eq!(titles(reader, search("")).await.len(), 9);

    // A new title is searchable at once.
    let course = reader.courses(&search("геометрия")).await.unwrap()[0].clone();
    setup
        .writer
        .update_course(
            course.id,
            CoursePatch {
                title: Some(title("Тригонометрия")),
                ..CoursePatch::default()
            },
            crate::users::now(),
            &setup.entry(),
        )
        .await
        .unwrap();
    assert_eq!(titles(reader, search("геометрия")).await, names(&[]));
    assert_eq!(
        titles(reader, search("ТРИГ")).await,
        names(&["Тригонометрия"])
    );
}

#[tokio::test]
async fn keyset_pages_list_every_course_once_newest_first() {
    let setup = setup().await;
    let direction = setup.direction("Matematika").await;
    let mut ids = Vec::new();
    for n in 0..7 {
        ids.push(setup.course(direction.id, &format!("Kurs {n}")).await.id);
    }
    ids.reverse();
    let mut page_query = CourseQuery {
        limit: 3,
        ..CourseQuery::default()
    };
    let mut pages = Vec::new();
    loop {
        let page: Vec<Uuid> = setup
            .reader
            .courses(&page_query)
            .await
            .unwrap()
            .into_iter()
            .map(|course| course.id)
            .collect();
        let Some(&last) = page.last() else { break };
        page_query.after = Some(last);
        pages.push(page);
    }
    assert_eq!(
        pages.iter().map(Vec::len).collect::<Vec<_>>(),
        vec![3, 3, 1]
    );
    assert_eq!(pages.concat(), ids);
    let none = CourseQuery {
        limit: 0,
        ..CourseQuery::default()
    };
    assert!(setup.reader.courses(&none).await.unwrap().is_empty());
}

/// Every SQL statement run through one database handle.
#[derive(Clone, Default)]
struct Recorder(Arc<Mutex<Vec<String>>>);

impl Recorder {
    fn take(&self) -> Vec<String> {
        std::mem::take(&mut *self.0.lock().unwrap())
    }
}

#[tokio::test]
async fn a_course_page_is_a_fixed_number_of_statements_and_never_reads_videos() {
    let setup = setup().await;
    let direction = setup.direction("Dasturlash").await;
    let teacher = setup.teacher("ustoz@example.uz").await;
    let with_teacher = |title: &str| NewCourse {
        teacher_id: Some(teacher),
        ..new_course(direction.id, title)
    };
    let writer = &setup.writer;
    let mut courses = Vec::new();
    let mut some_lesson = None;
    for (title, modules, lessons) in [("Kichik", 1, 1), ("Katta", 8, 10)] {
        let course = writer
            .create_course(
                Uuid::now_v7(),
                with_teacher(title),
                crate::users::now(),
                &setup.entry(),
            )
            .await
            .unwrap();
        for m in 1..=modules {
            let module = setup.module(course.id, &format!("{m}-modul")).await;
            for l in 1..=lessons {
                let lesson = writer
                    .create_outline(
                        OutlineLevel::Lesson,
                        Uuid::now_v7(),
                        module.id,
                        outline(&format!("{l}-dars"), None),
                        &setup.entry(),
                    )
                    .await
                    .unwrap();
                let source =
                    VideoSource::Url(format!("https://videos.bilim.test/{}.mp4", lesson.id));
                writer
                    .set_video(lesson.id, source, 600, &setup.entry())
                    .await
                    .unwrap();
                some_lesson = Some(lesson.id);
            }
        }
        setup
            .workbook(course.id, None, &format!("w/{title}-1.pdf"))
            .await;
        setup
            .workbook(course.id, some_lesson, &format!("w/{title}-2.pdf"))
            .await;
        writer
            .put_certificate(
                course.id,
                &crate::catalogue::title("Sertifikat"),
                &setup.entry(),
            )
            .await
            .unwrap();
        courses.push(course);
    }

    let recorder = Recorder::default();
    let mut db = setup.fixture.db.clone();
    let sink = recorder.clone();
    db.set_metric_callback(move |info| {
        sink.0.lock().unwrap().push(info.statement.sql.clone());
    });
    let reader = SeaCatalogueReader::new(db.clone());

    let small = reader.course_tree(courses[0].id).await.unwrap().unwrap();
    let small_statements = recorder.take();
    let large = reader.course_tree(courses[1].id).await.unwrap().unwrap();
    let large_statements = recorder.take();
    assert_eq!(small.modules.len(), 1);
    assert_eq!(small.modules[0].lessons.len(), 1);
    assert_eq!(large.modules.len(), 8);
    assert!(large.modules.iter().all(|m| m.lessons.len() == 10));
    assert_eq!(large.workbooks.len(), 2);
    assert!(large.certificate.is_some());
    assert_eq!(large.teacher.as_ref().map(|t| t.id), Some(teacher));
    assert_eq!(
        large
            .teacher
            .as_ref()
            .map(|t| (t.first_name.as_str(), t.last_name.as_str())),
        Some(("Dilnoza", "Karimova"))
    );
    // Lessons and modules come in position order.
    for (m, module) in large.modules.iter().enumerate() {
        assert_eq!(module.module.position, m as i32 + 1);
        let positions: Vec<i32> = module.lessons.iter().map(|l| l.position).collect();
        assert_eq!(positions, (1..=10).collect::<Vec<_>>());
        assert!(
            module
                .lessons
                .iter()
                .all(|l| l.module_id == module.module.id)
        );
    }

    assert_eq!(
        small_statements.len(),
        large_statements.len(),
        "{small_statements:#?}\n{large_statements:#?}"
    );
    assert_eq!(large_statements.len(), 8, "{large_statements:#?}");
    for sql in small_statements.iter().chain(&large_statements) {
        assert!(!sql.to_lowercase().contains("videos"), "{sql}");
    }
    // The users table is read for three columns only.
    let teacher_sql = large_statements
        .iter()
        .find(|sql| sql.contains("users"))
        .unwrap();
    assert!(!teacher_sql.contains("password_hash"), "{teacher_sql}");

    // A lesson page neither.
    let lesson_id = some_lesson.unwrap();
    let view = reader.lesson(lesson_id).await.unwrap().unwrap();
    assert_eq!(view.workbooks.len(), 1);
    let lesson_statements = recorder.take();
    assert_eq!(lesson_statements.len(), 5, "{lesson_statements:#?}");
    for sql in &lesson_statements {
        assert!(!sql.to_lowercase().contains("videos"), "{sql}");
    }

    // The recorder does see the videos table when it is read.
    let video = SeaVideoRepository::new(db)
        .video_of(lesson_id)
        .await
        .unwrap();
    assert!(video.is_some());
    let video_statements = recorder.take();
    assert_eq!(video_statements.len(), 1);
    assert!(video_statements[0].contains("videos"));
}
