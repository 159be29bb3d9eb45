//! The audit entry every writer call is given: written in the transaction of
//! the change, so a committed change has its entry (listed by `AuditLog`) and
//! a refused change, or an entry that cannot be written, leaves neither.

use super::{
    Setup, audit_entry, conflict, moved_to, new_course, new_direction, outline, retitled, setup,
    title,
};
use crate::users::now;
use bilim_domain::DomainError;
use bilim_domain::catalogue::{
    CoursePatch, DirectionPatch, NewDirection, OutlineLevel, VideoSource, Workbook,
};
use bilim_domain::ports::{AuditEntry, AuditLog, AuditQuery};
use bilim_repository::audit::SeaAuditLog;
use uuid::Uuid;

const MODULE: OutlineLevel = OutlineLevel::Module;
const LESSON: OutlineLevel = OutlineLevel::Lesson;

impl Setup {
    fn audit_log(&self) -> SeaAuditLog {
        SeaAuditLog::new(self.fixture.db.clone())
    }

    /// Every entry of the setup's admin, newest first.
    async fn entries(&self) -> Vec<AuditEntry> {
        let query = AuditQuery {
            admin_id: Some(self.admin),
            limit: 1000,
            ..AuditQuery::default()
        };
        self.audit_log().list(&query).await.unwrap()
    }

    /// An entry of the setup's admin for `action` on `target`.
    fn entry_for(&self, action: &str, target: Uuid) -> AuditEntry {
        audit_entry(self.admin, action, &target.to_string())
    }
}

fn workbook(course_id: Uuid, lesson_id: Option<Uuid>, key: &str) -> Workbook {
    Workbook {
        id: Uuid::now_v7(),
        course_id,
        lesson_id,
        title: "Daftar".to_owned(),
        storage_key: key.to_owned(),
        size_bytes: 1000,
        sha256: "cd".repeat(32),
    }
}

#[tokio::test]
async fn every_change_is_listed_with_its_entry_as_given() {
    let setup = setup().await;
    let writer = &setup.writer;
    let mut given = Vec::new();
    let mut entry = |action: &str, target: Uuid| {
        let entry = setup.entry_for(action, target);
        given.push(entry.clone());
        entry
    };

    let direction_id = Uuid::now_v7();
    let new = new_direction("Matematika");
    let e = entry("direction.create", direction_id);
    writer
        .create_direction(direction_id, new, now(), &e)
        .await
        .unwrap();
    let e = entry("direction.update", direction_id);
    writer
        .update_direction(direction_id, DirectionPatch::default(), now(), &e)
        .await
        .unwrap();
    let course_id = Uuid::now_v7();
    let e = entry("course.create", course_id);
    let new = new_course(direction_id, "Algebra");
    writer
        .create_course(course_id, new, now(), &e)
        .await
        .unwrap();
    let e = entry("course.update", course_id);
    writer
        .update_course(course_id, CoursePatch::default(), now(), &e)
        .await
        .unwrap();
    let module_id = Uuid::now_v7();
    let e = entry("module.create", module_id);
    let new = outline("1-modul", None);
    writer
        .create_outline(MODULE, module_id, course_id, new, &e)
        .await
        .unwrap();
    let e = entry("module.update", module_id);
    writer
        .update_outline(MODULE, module_id, retitled("Birinchi modul"), &e)
        .await
        .unwrap();
    let lesson_id = Uuid::now_v7();
    let e = entry("lesson.create", lesson_id);
    let new = outline("1-dars", None);
    writer
        .create_outline(LESSON, lesson_id, module_id, new, &e)
        .await
        .unwrap();
    let e = entry("lesson.update", lesson_id);
    writer
        .update_outline(LESSON, lesson_id, moved_to(1), &e)
        .await
        .unwrap();
    let e = entry("lesson.video", lesson_id);
    let source = VideoSource::Stored("videos/1.mp4".to_owned());
    writer.set_video(lesson_id, source, 60, &e).await.unwrap();
    let book = workbook(course_id, Some(lesson_id), "workbooks/1.pdf");
    let e = entry("workbook.create", book.id);
    writer.create_workbook(&book, &e).await.unwrap();
    let e = entry("workbook.delete", book.id);
    writer.delete_workbook(book.id, &e).await.unwrap();
    let e = entry("certificate.put", course_id);
    writer
        .put_certificate(course_id, &title("Sertifikat"), &e)
        .await
        .unwrap();
    let e = entry("lesson.delete", lesson_id);
    let keys = writer.delete_outline(LESSON, lesson_id, &e).await.unwrap();
    assert_eq!(keys, vec!["videos/1.mp4".to_owned()]);
    let e = entry("module.delete", module_id);
    writer.delete_outline(MODULE, module_id, &e).await.unwrap();
    let e = entry("course.delete", course_id);
    writer.delete_course(course_id, &e).await.unwrap();
    let e = entry("direction.delete", direction_id);
    writer.delete_direction(direction_id, &e).await.unwrap();

    given.reverse();
    assert_eq!(setup.entries().await, given);
    // Found by target as any other entry.
    let by_target = AuditQuery {
        target_id: Some(lesson_id.to_string()),
        limit: 100,
        ..AuditQuery::default()
    };
    let actions: Vec<String> = setup
        .audit_log()
        .list(&by_target)
        .await
        .unwrap()
        .into_iter()
        .map(|entry| entry.action)
        .collect();
    assert_eq!(
        actions,
        [
            "lesson.delete",
            "lesson.video",
            "lesson.update",
            "lesson.create"
        ]
    );
}

#[tokio::test]
async fn a_refused_change_writes_no_entry() {
    let setup = setup().await;
    let writer = &setup.writer;
    let direction = setup.direction("Matematika").await;
    let course = setup.course(direction.id, "Algebra").await;
    let other = setup.course(direction.id, "Geometriya").await;
    let module = setup.module(course.id, "1-modul").await;
    let stray_lesson = setup
        .lesson(setup.module(other.id, "Boshqa").await.id, "Boshqa dars")
        .await;
    let before = setup.entries().await;
    let nobody = Uuid::now_v7();
    let mut refused = Vec::new();
    let mut entry = |action: &str| {
        let entry = setup.entry_for(action, nobody);
        refused.push(entry.id);
        entry
    };

    let e = entry("direction.delete");
    assert_eq!(
        writer.delete_direction(direction.id, &e).await,
        Err(conflict("direction.has_courses"))
    );
    let e = entry("direction.create");
    assert_eq!(
        writer
            .create_direction(nobody, new_direction("Matematika"), now(), &e)
            .await,
        Err(conflict("direction.name"))
    );
    let e = entry("lesson.create");
    assert_eq!(
        writer
            .create_outline(LESSON, nobody, nobody, outline("X", None), &e)
            .await,
        Err(DomainError::NotFound)
    );
    let e = entry("module.create");
    assert_eq!(
        writer
            .create_outline(MODULE, nobody, nobody, outline("X", None), &e)
            .await,
        Err(DomainError::NotFound)
    );
    let e = entry("module.update");
    assert_eq!(
        writer.update_outline(MODULE, nobody, moved_to(1), &e).await,
        Err(DomainError::NotFound)
    );
    let e = entry("course.create");
    assert!(matches!(
        writer
            .create_course(nobody, new_course(nobody, "X"), now(), &e)
            .await,
        Err(DomainError::Invalid {
            field: "direction_id",
            ..
        })
    ));
    let e = entry("course.delete");
    assert_eq!(
        writer.delete_course(nobody, &e).await,
        Err(DomainError::NotFound)
    );
    let e = entry("lesson.video");
    let source = VideoSource::Url("https://videos.bilim.test/x.mp4".to_owned());
    assert_eq!(
        writer.set_video(nobody, source, 60, &e).await,
        Err(DomainError::NotFound)
    );
    let e = entry("workbook.create");
    let stray = workbook(course.id, Some(stray_lesson.id), "workbooks/x.pdf");
    assert!(matches!(
        writer.create_workbook(&stray, &e).await,
        Err(DomainError::Invalid {
            field: "lesson_id",
            ..
        })
    ));
    let e = entry("workbook.delete");
    assert_eq!(
        writer.delete_workbook(nobody, &e).await,
        Err(DomainError::NotFound)
    );
    let e = entry("certificate.put");
    assert_eq!(
        writer.put_certificate(nobody, &title("X"), &e).await,
        Err(DomainError::NotFound)
    );

    assert_eq!(refused.len(), 11);
    assert_eq!(setup.entries().await, before);
    assert_eq!(setup.count("workbooks").await, 0);
    assert_eq!(setup.module_titles(course.id).await, ["1-modul"]);
    assert_eq!(setup.lesson_titles(course.id, module.id).await.len(), 0);
}

/// The other half of one transaction: an entry the log refuses (its id used
/// already, or an admin that does not exist) takes the change back with it.
#[tokio::test]
async fn a_change_whose_entry_cannot_be_written_is_not_made() {
    let setup = setup().await;
    let writer = &setup.writer;
    let direction = setup.direction("Matematika").await;
    let course = setup.course(direction.id, "Algebra").await;
    setup.module(course.id, "A").await;
    let written = setup.entries().await;
    let reused = written[0].clone();
    let stranger = audit_entry(Uuid::now_v7(), "module.create", "x");

    let first = NewDirection {
        position: Some(super::position(1)),
        ..new_direction("Fizika")
    };
    assert_eq!(
        writer
            .create_direction(Uuid::now_v7(), first, now(), &reused)
            .await,
        Err(conflict("audit_entry"))
    );
    let new = outline("B", Some(1));
    let refused = writer
        .create_outline(MODULE, Uuid::now_v7(), course.id, new, &stranger)
        .await;
    assert!(
        matches!(refused, Err(DomainError::Internal(_))),
        "{refused:?}"
    );
    let renamed = CoursePatch {
        title: Some(title("Algebra 2")),
        ..CoursePatch::default()
    };
    assert_eq!(
        writer
            .update_course(course.id, renamed, now(), &reused)
            .await,
        Err(conflict("audit_entry"))
    );
    assert!(writer.delete_course(course.id, &stranger).await.is_err());

    // Nothing moved, nothing was added or removed, no entry was added.
    assert_eq!(setup.direction_names().await, ["Matematika"]);
    assert_eq!(setup.module_titles(course.id).await, ["A"]);
    let kept = setup.reader.course(course.id).await.unwrap().unwrap();
    assert_eq!(kept, course);
    assert_eq!(setup.entries().await, written);
}
