//! What holds a file: a lesson's video (set, replaced and read only through
//! `VideoRepository`), workbooks, the one certificate, and the storage keys
//! removals hand back; the database's own cascades.

use super::{invalid_field, names, setup, title};
use bilim_domain::DomainError;
use bilim_domain::catalogue::{OutlineLevel, Video, VideoSource, Workbook};
use sea_orm::{ConnectionTrait, DatabaseBackend, Statement};
use uuid::Uuid;

const LESSON: OutlineLevel = OutlineLevel::Lesson;

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
        setup
            .writer
            .set_video(lesson.id, url.clone(), 600, &setup.entry())
            .await,
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
        setup
            .writer
            .set_video(lesson.id, a.clone(), 700, &setup.entry())
            .await,
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
        setup
            .writer
            .set_video(lesson.id, b.clone(), 800, &setup.entry())
            .await,
        Ok(Some("videos/a.mp4".to_owned()))
    );
    // The same file again: not handed back (the caller would delete it).
    assert_eq!(
        setup
            .writer
            .set_video(lesson.id, b.clone(), 900, &setup.entry())
            .await,
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
                60,
                &setup.entry()
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
                1,
                &setup.entry()
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
        invalid_field(setup.writer.create_workbook(&stray, &setup.entry()).await),
        "lesson_id"
    );
    let orphan = Workbook {
        id: Uuid::now_v7(),
        course_id: Uuid::now_v7(),
        ..general.clone()
    };
    assert_eq!(
        setup.writer.create_workbook(&orphan, &setup.entry()).await,
        Err(DomainError::NotFound)
    );

    assert_eq!(
        setup
            .writer
            .delete_workbook(general.id, &setup.entry())
            .await,
        Ok("workbooks/general.pdf".to_owned())
    );
    assert_eq!(
        setup
            .writer
            .delete_workbook(general.id, &setup.entry())
            .await,
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
        .put_certificate(course.id, &title("Algebra sertifikati"), &setup.entry())
        .await
        .unwrap();
    assert_eq!(
        (created.course_id, created.title.as_str()),
        (course.id, "Algebra sertifikati")
    );
    let renamed = setup
        .writer
        .put_certificate(
            course.id,
            &title("Algebra: yakuniy sertifikat"),
            &setup.entry(),
        )
        .await
        .unwrap();
    assert_eq!(renamed.id, created.id, "an upsert keeps the id");
    assert_eq!(renamed.title, "Algebra: yakuniy sertifikat");
    assert_eq!(setup.count("certificates").await, 1);
    let tree = setup.reader.course_tree(course.id).await.unwrap().unwrap();
    assert_eq!(tree.certificate, Some(renamed));

    assert_eq!(
        setup
            .writer
            .put_certificate(Uuid::now_v7(), &title("X"), &setup.entry())
            .await,
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
            &setup.entry(),
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
        setup
            .writer
            .set_video(lesson.id, source, 60, &setup.entry())
            .await
            .unwrap();
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
        .put_certificate(course.id, &title("Sertifikat"), &setup.entry())
        .await
        .unwrap();

    // A lesson: its video goes (the stored file handed back); its workbook
    // stays, as the course's.
    assert_eq!(
        setup
            .writer
            .delete_outline(LESSON, l11.id, &setup.entry())
            .await,
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
    assert_eq!(
        setup
            .writer
            .delete_outline(LESSON, l12.id, &setup.entry())
            .await,
        Ok(vec![])
    );

    // A module: its lessons and their videos go.
    let mut keys = setup
        .writer
        .delete_outline(OutlineLevel::Module, m2.id, &setup.entry())
        .await
        .unwrap();
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
    let mut keys = setup
        .writer
        .delete_course(course.id, &setup.entry())
        .await
        .unwrap();
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
            &setup.entry(),
        )
        .await
        .unwrap();
    let workbook = setup.workbook(course.id, Some(lesson.id), "w/1.pdf").await;
    setup
        .writer
        .put_certificate(course.id, &title("S"), &setup.entry())
        .await
        .unwrap();

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
