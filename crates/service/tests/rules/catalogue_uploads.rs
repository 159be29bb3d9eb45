//! Uploads (docs/architecture.md "Uploads"): the type judged by content, the
//! size capped while streaming, and a stored file deleted again whenever the
//! form or the change it is for fails.

use crate::support::{UPLOAD_LIMITS, catalogue_kit, err_code, field_code, form, mp4, part, pdf};
use bilim_domain::DomainError;
use bilim_domain::catalogue::VideoSource;
use bilim_service::ServiceError;
use bilim_testkit::fakes::CatalogueCommand;
use futures_util::stream;
use sha2::{Digest, Sha256};
use uuid::Uuid;

fn sha256_hex(bytes: &[u8]) -> String {
    Sha256::digest(bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

#[tokio::test]
async fn a_workbook_is_stored_checked_and_attached_with_its_audit_entry() {
    let kit = catalogue_kit();
    let bytes = pdf(300);
    let lesson = kit.lesson.id.to_string();
    let upload = form(vec![
        part("title", "  Mashqlar to‘plami ".as_bytes()),
        part("lesson_id", lesson.as_bytes()),
        part("file", &bytes),
    ]);

    let workbook = kit
        .catalogue
        .upload_workbook(&kit.actor(), kit.course.id, Some(400), upload)
        .await
        .unwrap();

    assert_eq!(workbook.title, "Mashqlar to‘plami");
    assert_eq!(workbook.lesson_id, Some(kit.lesson.id));
    assert_eq!(workbook.size_bytes, 300);
    assert_eq!(workbook.sha256, sha256_hex(&bytes));
    let name = workbook.storage_key.strip_prefix("workbooks/").unwrap();
    let hex = name.strip_suffix(".pdf").unwrap();
    assert!(
        hex.len() == 32 && hex.chars().all(|c| c.is_ascii_hexdigit()),
        "{name}"
    );
    assert_eq!(
        kit.files.keys(),
        std::slice::from_ref(&workbook.storage_key)
    );
    assert_eq!(kit.files.contents(&workbook.storage_key), Some(bytes));
    let recorded = kit.writer.recorded();
    assert_eq!(recorded.len(), 1);
    assert_eq!(
        recorded[0].command,
        CatalogueCommand::CreateWorkbook {
            workbook: workbook.clone()
        }
    );
    assert_eq!(recorded[0].audit.action, "workbook.create");
    assert_eq!(recorded[0].audit.target_type, "workbook");
    assert_eq!(recorded[0].audit.target_id, workbook.id.to_string());
}

#[tokio::test]
async fn an_upload_whose_attach_fails_is_deleted_from_storage() {
    let kit = catalogue_kit();
    let other_course_lesson = Uuid::now_v7().to_string();
    for (lesson_id, title) in [
        ("not a uuid", "Mashqlar"),
        (other_course_lesson.as_str(), "Mashqlar"),
        ("", "   "),
    ] {
        let upload = form(vec![
            part("lesson_id", lesson_id.as_bytes()),
            part("title", title.as_bytes()),
            part("file", &pdf(100)),
        ]);
        let refused = kit
            .catalogue
            .upload_workbook(&kit.actor(), kit.course.id, None, upload)
            .await;
        let (field, code) = field_code(refused);
        assert_eq!(code, "validation");
        assert!(["lesson_id", "title"].contains(&field.as_str()), "{field}");
        kit.assert_untouched();
    }
}

#[tokio::test]
async fn an_upload_for_an_unknown_course_or_a_failed_write_leaves_no_file() {
    let kit = catalogue_kit();
    let upload = form(vec![part("title", b"Mashqlar"), part("file", &pdf(100))]);
    let unknown = kit
        .catalogue
        .upload_workbook(&kit.actor(), Uuid::now_v7(), None, upload)
        .await;
    assert_eq!(err_code(unknown), "course.not_found");
    kit.assert_untouched();

    kit.writer.fail_next(DomainError::NotFound);
    let upload = form(vec![part("title", b"Mashqlar"), part("file", &pdf(100))]);
    let gone = kit
        .catalogue
        .upload_workbook(&kit.actor(), kit.course.id, None, upload)
        .await;
    assert_eq!(err_code(gone), "course.not_found");
    kit.assert_untouched();

    let upload = form(vec![
        part("file", &mp4(100)),
        part("duration_seconds", b"soon"),
    ]);
    let no_duration = kit
        .catalogue
        .upload_video(&kit.actor(), kit.lesson.id, None, upload)
        .await;
    assert_eq!(field_code(no_duration).0, "duration_seconds");
    let upload = form(vec![
        part("file", &mp4(100)),
        part("duration_seconds", b"60"),
    ]);
    let no_lesson = kit
        .catalogue
        .upload_video(&kit.actor(), Uuid::now_v7(), None, upload)
        .await;
    assert_eq!(err_code(no_lesson), "lesson.not_found");
    kit.assert_untouched();
}

#[tokio::test]
async fn a_file_of_the_wrong_type_is_415_and_never_stored() {
    let kit = catalogue_kit();
    let png = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR".to_vec();
    let webm = [0x1A, 0x45, 0xDF, 0xA3, 0, 0, 0, 0, 0, 0, 0, 0].to_vec();
    for bytes in [
        png.clone(),
        mp4(64),
        webm.clone(),
        b"%PDF".to_vec(),
        Vec::new(),
    ] {
        let upload = form(vec![part("title", b"Mashqlar"), part("file", &bytes)]);
        let refused = kit
            .catalogue
            .upload_workbook(&kit.actor(), kit.course.id, None, upload)
            .await;
        match refused {
            Err(ServiceError::UnsupportedMedia { code, .. }) => {
                assert_eq!(code, "file.type_not_allowed");
            }
            other => panic!("expected 415, got {other:?}"),
        }
        kit.assert_untouched();
    }
    for bytes in [png, pdf(64)] {
        let upload = form(vec![part("duration_seconds", b"60"), part("file", &bytes)]);
        let refused = kit
            .catalogue
            .upload_video(&kit.actor(), kit.lesson.id, None, upload)
            .await;
        assert_eq!(err_code(refused), "file.type_not_allowed");
        kit.assert_untouched();
    }
    // Both video containers are taken.
    let upload = form(vec![part("duration_seconds", b"60"), part("file", &webm)]);
    kit.catalogue
        .upload_video(&kit.actor(), kit.lesson.id, None, upload)
        .await
        .unwrap();
    let recorded = kit.writer.recorded();
    let CatalogueCommand::SetVideo {
        source: VideoSource::Stored(key),
        ..
    } = &recorded[0].command
    else {
        panic!("{:?}", recorded[0].command);
    };
    assert!(
        key.starts_with("videos/") && key.ends_with(".webm"),
        "{key}"
    );
}

#[tokio::test]
async fn a_file_over_the_limit_is_413_and_leaves_nothing_stored() {
    let kit = catalogue_kit();
    let limit = UPLOAD_LIMITS.workbook_bytes as usize;
    let upload = form(vec![
        part("title", b"Mashqlar"),
        part("file", &pdf(limit + 1)),
    ]);

    let refused = kit
        .catalogue
        .upload_workbook(&kit.actor(), kit.course.id, None, upload)
        .await;

    match refused {
        Err(ServiceError::TooLarge { code, .. }) => assert_eq!(code, "file.too_large"),
        other => panic!("expected 413, got {other:?}"),
    }
    kit.assert_untouched();

    let upload = form(vec![part("title", b"Mashqlar"), part("file", &pdf(limit))]);
    let at_limit = kit
        .catalogue
        .upload_workbook(&kit.actor(), kit.course.id, None, upload)
        .await;
    assert_eq!(at_limit.unwrap().size_bytes, limit as i64);

    let video = UPLOAD_LIMITS.video_bytes as usize;
    let upload = form(vec![
        part("duration_seconds", b"60"),
        part("file", &mp4(video + 1)),
    ]);
    let too_long = kit
        .catalogue
        .upload_video(&kit.actor(), kit.lesson.id, None, upload)
        .await;
    assert_eq!(err_code(too_long), "file.too_large");
    assert_eq!(kit.files.keys().len(), 1);
    assert_eq!(kit.files.open_writers(), 0);
}

#[tokio::test]
async fn a_body_announced_too_large_is_refused_before_it_is_read() {
    let kit = catalogue_kit();
    let announced = UPLOAD_LIMITS.workbook_bytes + 64 * 1024 + 1;
    // A form that would be accepted, were it read.
    let upload = form(vec![part("title", b"Mashqlar"), part("file", &pdf(100))]);

    let refused = kit
        .catalogue
        .upload_workbook(&kit.actor(), kit.course.id, Some(announced), upload)
        .await;

    assert_eq!(err_code(refused), "file.too_large");
    kit.assert_untouched();
}

#[tokio::test]
async fn a_form_with_no_file_or_two_files_stores_nothing() {
    let kit = catalogue_kit();
    let no_file = form(vec![part("title", b"Mashqlar")]);
    let refused = kit
        .catalogue
        .upload_workbook(&kit.actor(), kit.course.id, None, no_file)
        .await;
    assert_eq!(err_code(refused), "validation");
    kit.assert_untouched();

    let two = form(vec![
        part("file", &pdf(100)),
        part("file", &pdf(100)),
        part("title", b"X"),
    ]);
    let refused = kit
        .catalogue
        .upload_workbook(&kit.actor(), kit.course.id, None, two)
        .await;
    assert_eq!(err_code(refused), "validation");
    kit.assert_untouched();
}

#[tokio::test]
async fn an_interrupted_upload_leaves_nothing_stored() {
    let kit = catalogue_kit();
    let chunks: Vec<Result<Vec<u8>, String>> = vec![
        Ok(pdf(40)),
        Ok(vec![b'y'; 40]),
        Err("connection reset by peer".into()),
    ];
    let broken = bilim_service::uploads::FormPart {
        name: "file".to_owned(),
        chunks: stream::iter(chunks),
    };
    let upload = form(vec![part("title", b"Mashqlar"), Ok(broken)]);

    let refused = kit
        .catalogue
        .upload_workbook(&kit.actor(), kit.course.id, None, upload)
        .await;

    assert_eq!(
        field_code(refused),
        ("file".into(), "upload.interrupted".into())
    );
    kit.assert_untouched();
}
