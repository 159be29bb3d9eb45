//! Files of removed or replaced items (docs/architecture.md "Files of
//! removed items"): deleted from the FileStore after the change commits,
//! never when it fails.

use crate::support::{CatalogueKit, catalogue_kit, err_code, form, mp4, part};
use bilim_domain::DomainError;
use bilim_domain::catalogue::OutlineLevel;
use bilim_testkit::fakes::CatalogueCommand;

const KEPT: &str = "avatars/someone-else.webp";

/// Stores each file, and one that nothing removed holds.
fn store(kit: &CatalogueKit, keys: &[&str]) {
    for key in keys.iter().chain([&KEPT]) {
        kit.files.insert(key, b"bytes");
    }
}

fn sorted(keys: &[&str]) -> Vec<String> {
    let mut keys: Vec<String> = keys.iter().map(|key| (*key).to_owned()).collect();
    keys.sort();
    keys
}

#[tokio::test]
async fn removing_a_course_deletes_its_files_after_the_commit() {
    let kit = catalogue_kit();
    let files = ["videos/a.mp4", "workbooks/b.pdf", "certificates/c.pdf"];
    store(&kit, &files);
    kit.writer.holds_files(kit.lesson.id, &files[..1]);
    kit.writer.holds_files(kit.course.id, &files[1..]);

    kit.catalogue
        .delete_course(&kit.actor(), kit.course.id)
        .await
        .unwrap();

    assert_eq!(kit.files.keys(), [KEPT]);
    assert_eq!(kit.actions(), ["course.delete"]);
}

#[tokio::test]
async fn a_refused_removal_deletes_no_file() {
    let kit = catalogue_kit();
    let files = ["videos/a.mp4", "workbooks/b.pdf"];
    store(&kit, &files);
    kit.writer.holds_files(kit.course.id, &files);
    kit.writer.fail_next(DomainError::Conflict {
        what: "course.has_students".into(),
    });

    let refused = kit
        .catalogue
        .delete_course(&kit.actor(), kit.course.id)
        .await;

    assert_eq!(err_code(refused), "course.has_students");
    assert_eq!(kit.files.keys(), sorted(&[files[0], files[1], KEPT]));
    assert_eq!(kit.writer.recorded(), Vec::new());
}

#[tokio::test]
async fn removing_a_module_or_a_lesson_deletes_the_files_it_held() {
    let kit = catalogue_kit();
    let files = ["videos/lesson.mp4", "workbooks/module.pdf"];
    store(&kit, &files);
    kit.writer.holds_files(kit.lesson.id, &files[..1]);
    kit.writer.holds_files(kit.module.id, &files[1..]);

    let actor = kit.actor();
    kit.catalogue
        .delete_outline(&actor, OutlineLevel::Lesson, kit.lesson.id)
        .await
        .unwrap();
    assert_eq!(kit.files.keys(), sorted(&[files[1], KEPT]));
    kit.catalogue
        .delete_outline(&actor, OutlineLevel::Module, kit.module.id)
        .await
        .unwrap();
    assert_eq!(kit.files.keys(), [KEPT]);

    // A removal that fails deletes nothing.
    let again = kit
        .catalogue
        .delete_outline(&actor, OutlineLevel::Module, kit.module.id)
        .await;
    assert_eq!(err_code(again), "module.not_found");
    assert_eq!(kit.files.keys(), [KEPT]);
}

#[tokio::test]
async fn replacing_a_stored_video_deletes_the_old_file() {
    let kit = catalogue_kit();
    let actor = kit.actor();
    let upload = form(vec![
        part("duration_seconds", b"90"),
        part("file", &mp4(100)),
    ]);
    kit.catalogue
        .upload_video(&actor, kit.lesson.id, None, upload)
        .await
        .unwrap();
    let first = kit.files.keys();
    assert_eq!(first.len(), 1);

    let upload = form(vec![
        part("file", &mp4(200)),
        part("duration_seconds", b"95"),
    ]);
    kit.catalogue
        .upload_video(&actor, kit.lesson.id, None, upload)
        .await
        .unwrap();
    let second = kit.files.keys();
    assert_eq!(second.len(), 1);
    assert_ne!(second, first);
    assert_eq!(kit.files.contents(&second[0]).map(|b| b.len()), Some(200));

    // An external URL replaces the stored video, whose file goes too.
    let url = "https://video.example.uz/2".to_owned();
    kit.catalogue
        .set_video_url(&actor, kit.lesson.id, url, 60)
        .await
        .unwrap();
    assert!(kit.files.keys().is_empty());
    assert_eq!(kit.actions(), ["video.set", "video.set", "video.set"]);
}

#[tokio::test]
async fn a_refused_video_change_keeps_the_old_file_and_drops_the_new() {
    let kit = catalogue_kit();
    let actor = kit.actor();
    let upload = form(vec![
        part("duration_seconds", b"90"),
        part("file", &mp4(100)),
    ]);
    kit.catalogue
        .upload_video(&actor, kit.lesson.id, None, upload)
        .await
        .unwrap();
    let old = kit.files.keys();

    kit.writer
        .fail_next(DomainError::unavailable("database", "down"));
    let upload = form(vec![
        part("duration_seconds", b"90"),
        part("file", &mp4(300)),
    ]);
    let refused = kit
        .catalogue
        .upload_video(&actor, kit.lesson.id, None, upload)
        .await;
    assert_eq!(err_code(refused), "unavailable");
    kit.writer
        .fail_next(DomainError::unavailable("database", "down"));
    let url = "https://video.example.uz/2".to_owned();
    let refused = kit
        .catalogue
        .set_video_url(&actor, kit.lesson.id, url, 60)
        .await;
    assert_eq!(err_code(refused), "unavailable");

    assert_eq!(kit.files.keys(), old);
    assert_eq!(kit.files.open_writers(), 0);
    assert_eq!(kit.writer.recorded().len(), 1);
}

#[tokio::test]
async fn removing_a_workbook_deletes_its_file() {
    let kit = catalogue_kit();
    let actor = kit.actor();
    store(&kit, &[]);
    let upload = form(vec![
        part("title", b"Mashqlar"),
        part("file", &crate::support::pdf(64)),
    ]);
    let workbook = kit
        .catalogue
        .upload_workbook(&actor, kit.course.id, None, upload)
        .await
        .unwrap();
    assert_eq!(kit.files.keys(), sorted(&[KEPT, &workbook.storage_key]));

    kit.writer
        .fail_next(DomainError::unavailable("database", "down"));
    let refused = kit.catalogue.delete_workbook(&actor, workbook.id).await;
    assert_eq!(err_code(refused), "unavailable");
    assert_eq!(kit.files.keys(), sorted(&[KEPT, &workbook.storage_key]));

    kit.catalogue
        .delete_workbook(&actor, workbook.id)
        .await
        .unwrap();
    assert_eq!(kit.files.keys(), [KEPT]);
    let recorded = kit.writer.recorded();
    let deleted = &recorded[1];
    assert_eq!(
        deleted.command,
        CatalogueCommand::DeleteWorkbook { id: workbook.id }
    );
    assert_eq!(deleted.audit.action, "workbook.delete");
    assert_eq!(deleted.audit.target_id, workbook.id.to_string());
}
