//! Catalogue changes (`AdminCatalogue`): the teacher rule, the audit entry
//! every change hands the writer, and the writer's refusals mapped to the
//! documented codes with nothing recorded.

use crate::support::{CatalogueKit, IP, catalogue_kit, err_code, field_code, minutes, start};
use bilim_domain::DomainError;
use bilim_domain::catalogue::{
    CoursePatch, CourseStatus, DirectionPatch, Level, NewCourse, NewDirection, NewOutlineItem,
    OutlineLevel, OutlinePatch,
};
use bilim_domain::users::UserRole;
use bilim_domain::values::{Description, DirectionName, Months, Position, Title};
use bilim_testkit::fakes::CatalogueCommand;
use serde_json::{Value, json};
use uuid::Uuid;

fn new_course(kit: &CatalogueKit, teacher_id: Option<Uuid>) -> NewCourse {
    NewCourse {
        direction_id: kit.direction.id,
        title: Title::parse("title", "Geometriya").unwrap(),
        description: Description::empty(),
        level: Level::Intermediate,
        status: CourseStatus::Draft,
        teacher_id,
        access_months: Months::DEFAULT,
    }
}

fn new_direction(name: &str) -> NewDirection {
    NewDirection {
        name: DirectionName::parse("name", name).unwrap(),
        description: None,
        position: None,
    }
}

fn new_item(title: &str) -> NewOutlineItem {
    NewOutlineItem {
        title: Title::parse("title", title).unwrap(),
        description: Description::empty(),
        position: None,
    }
}

fn retitle(title: &str) -> OutlinePatch {
    OutlinePatch {
        title: Some(Title::parse("title", title).unwrap()),
        ..OutlinePatch::default()
    }
}

#[tokio::test]
async fn a_teacher_must_be_a_user_with_the_teacher_role() {
    let kit = catalogue_kit();
    let student = kit
        .users
        .add("student@example.uz", UserRole::Student, start());
    let teacher = kit
        .users
        .add("teacher@example.uz", UserRole::Teacher, start());
    let actor = kit.actor();

    for refused in [Some(student.id), Some(Uuid::now_v7())] {
        let created = kit
            .catalogue
            .create_course(&actor, new_course(&kit, refused))
            .await;
        assert_eq!(
            field_code(created),
            ("teacher_id".into(), "teacher.invalid".into())
        );
        let patch = CoursePatch {
            teacher_id: Some(refused),
            ..CoursePatch::default()
        };
        let updated = kit
            .catalogue
            .update_course(&actor, kit.course.id, patch)
            .await;
        assert_eq!(
            field_code(updated),
            ("teacher_id".into(), "teacher.invalid".into())
        );
    }
    assert_eq!(kit.writer.recorded(), Vec::new());

    let course = kit
        .catalogue
        .create_course(&actor, new_course(&kit, Some(teacher.id)))
        .await;
    assert_eq!(course.unwrap().teacher_id, Some(teacher.id));
    // Removing the teacher needs no check.
    let patch = CoursePatch {
        teacher_id: Some(None),
        ..CoursePatch::default()
    };
    let updated = kit
        .catalogue
        .update_course(&actor, kit.course.id, patch)
        .await;
    assert_eq!(updated.unwrap().teacher_id, None);
    assert_eq!(kit.actions(), ["course.create", "course.update"]);
}

#[tokio::test]
async fn every_change_hands_the_writer_its_audit_entry() {
    let kit = catalogue_kit();
    let actor = kit.actor();
    let catalogue = &kit.catalogue;
    let (course, module, lesson) = (kit.course.id, kit.module.id, kit.lesson.id);
    let mut expected: Vec<(&str, &str, Uuid)> = Vec::new();
    let step = |expected: &mut Vec<_>, action, target_type, target_id| {
        expected.push((action, target_type, target_id));
        kit.clock.advance(minutes(1));
    };

    let direction = catalogue
        .create_direction(&actor, new_direction("Fizika"))
        .await
        .unwrap();
    step(&mut expected, "direction.create", "direction", direction.id);
    let patch = DirectionPatch {
        position: Some(Position::parse(1).unwrap()),
        ..DirectionPatch::default()
    };
    catalogue
        .update_direction(&actor, direction.id, patch)
        .await
        .unwrap();
    step(&mut expected, "direction.update", "direction", direction.id);
    let created = catalogue
        .create_course(&actor, new_course(&kit, None))
        .await
        .unwrap();
    step(&mut expected, "course.create", "course", created.id);
    let publish = CoursePatch {
        status: Some(CourseStatus::Published),
        ..CoursePatch::default()
    };
    catalogue
        .update_course(&actor, course, publish)
        .await
        .unwrap();
    step(&mut expected, "course.update", "course", course);
    let new_module = catalogue
        .create_outline(&actor, OutlineLevel::Module, course, new_item("Burchaklar"))
        .await
        .unwrap();
    step(&mut expected, "module.create", "module", new_module.id);
    let new_lesson = catalogue
        .create_outline(&actor, OutlineLevel::Lesson, module, new_item("Uchburchak"))
        .await
        .unwrap();
    step(&mut expected, "lesson.create", "lesson", new_lesson.id);
    catalogue
        .update_outline(&actor, OutlineLevel::Module, module, retitle("Tenglama"))
        .await
        .unwrap();
    step(&mut expected, "module.update", "module", module);
    let url = "https://video.example.uz/1".to_owned();
    catalogue
        .set_video_url(&actor, lesson, url, 120)
        .await
        .unwrap();
    step(&mut expected, "video.set", "lesson", lesson);
    catalogue
        .put_certificate(&actor, course, "Sertifikat")
        .await
        .unwrap();
    step(&mut expected, "certificate.put", "course", course);
    catalogue
        .delete_outline(&actor, OutlineLevel::Lesson, new_lesson.id)
        .await
        .unwrap();
    step(&mut expected, "lesson.delete", "lesson", new_lesson.id);
    catalogue.delete_course(&actor, created.id).await.unwrap();
    step(&mut expected, "course.delete", "course", created.id);
    catalogue
        .delete_direction(&actor, direction.id)
        .await
        .unwrap();
    step(&mut expected, "direction.delete", "direction", direction.id);

    let recorded = kit.writer.recorded();
    assert_eq!(recorded.len(), expected.len());
    for (i, (r, (action, target_type, target_id))) in recorded.iter().zip(&expected).enumerate() {
        let audit = &r.audit;
        assert_eq!(audit.action, *action);
        assert_eq!(audit.target_type, *target_type, "{action}");
        assert_eq!(audit.target_id, target_id.to_string(), "{action}");
        assert_eq!(audit.admin_id, kit.admin.id, "{action}");
        assert_eq!(audit.ip, Some(IP.to_string()), "{action}");
        assert_eq!(audit.at, start() + minutes(i as i64), "{action}");
        serde_json::from_str::<Value>(&audit.details).unwrap();
    }
    // Each entry went with the very change it names.
    for r in &recorded {
        let (action, id) = names(&r.command);
        assert_eq!(
            (action, id.to_string()),
            (r.audit.action.clone(), r.audit.target_id.clone())
        );
    }
    let details = |i: usize| serde_json::from_str::<Value>(&recorded[i].audit.details).unwrap();
    assert_eq!(
        details(3),
        json!({ "changed": ["status"], "status": "published" })
    );
    assert_eq!(details(4), json!({ "course_id": course }));
    assert_eq!(details(5), json!({ "module_id": module }));
    assert_eq!(details(7), json!({ "duration_seconds": 120 }));
    // The entry is written with the change, never on its own.
    assert!(kit.audit.entries().is_empty());
}

/// The action and target a command's audit entry must name.
fn names(command: &CatalogueCommand) -> (String, Uuid) {
    use CatalogueCommand as C;
    let item = |level: &OutlineLevel, verb: &str| format!("{}.{verb}", level.as_str());
    match command {
        C::CreateDirection { id, .. } => ("direction.create".into(), *id),
        C::UpdateDirection { id, .. } => ("direction.update".into(), *id),
        C::DeleteDirection { id } => ("direction.delete".into(), *id),
        C::CreateCourse { id, .. } => ("course.create".into(), *id),
        C::UpdateCourse { id, .. } => ("course.update".into(), *id),
        C::DeleteCourse { id } => ("course.delete".into(), *id),
        C::CreateOutline { level, id, .. } => (item(level, "create"), *id),
        C::UpdateOutline { level, id, .. } => (item(level, "update"), *id),
        C::DeleteOutline { level, id } => (item(level, "delete"), *id),
        C::SetVideo { lesson_id, .. } => ("video.set".into(), *lesson_id),
        C::CreateWorkbook { workbook } => ("workbook.create".into(), workbook.id),
        C::DeleteWorkbook { id } => ("workbook.delete".into(), *id),
        C::PutCertificate { course_id, .. } => ("certificate.put".into(), *course_id),
    }
}

/// The code a refused change answers, and that nothing was committed.
async fn refused<T: std::fmt::Debug>(
    kit: &CatalogueKit,
    result: Result<T, bilim_service::ServiceError>,
) -> &'static str {
    let code = err_code(result);
    assert_eq!(kit.writer.recorded(), Vec::new(), "{code}");
    assert!(kit.audit.entries().is_empty(), "{code}");
    code
}

#[tokio::test]
async fn an_unknown_item_answers_the_not_found_code_of_its_kind() {
    let kit = catalogue_kit();
    let (actor, catalogue, nobody) = (kit.actor(), &kit.catalogue, Uuid::now_v7());

    let course = catalogue
        .update_course(&actor, nobody, CoursePatch::default())
        .await;
    assert_eq!(refused(&kit, course).await, "course.not_found");
    let direction = catalogue
        .update_direction(&actor, nobody, DirectionPatch::default())
        .await;
    assert_eq!(refused(&kit, direction).await, "direction.not_found");
    for level in [OutlineLevel::Module, OutlineLevel::Lesson] {
        let item = catalogue
            .update_outline(&actor, level, nobody, retitle("X"))
            .await;
        assert_eq!(refused(&kit, item).await, level.not_found());
        let item = catalogue.delete_outline(&actor, level, nobody).await;
        assert_eq!(refused(&kit, item).await, level.not_found());
        let child = catalogue
            .create_outline(&actor, level, nobody, new_item("X"))
            .await;
        assert_eq!(refused(&kit, child).await, level.parent_not_found());
    }
    assert_eq!(OutlineLevel::Lesson.parent_not_found(), "module.not_found");
    let video = catalogue
        .set_video_url(&actor, nobody, "https://v.uz/1".into(), 60)
        .await;
    assert_eq!(refused(&kit, video).await, "lesson.not_found");
    let workbook = catalogue.delete_workbook(&actor, nobody).await;
    assert_eq!(refused(&kit, workbook).await, "workbook.not_found");
    let certificate = catalogue
        .put_certificate(&actor, nobody, "Sertifikat")
        .await;
    assert_eq!(refused(&kit, certificate).await, "course.not_found");
    let deleted = catalogue.delete_course(&actor, nobody).await;
    assert_eq!(refused(&kit, deleted).await, "course.not_found");
}

#[tokio::test]
async fn conflicts_answer_their_documented_codes() {
    let kit = catalogue_kit();
    let (actor, catalogue) = (kit.actor(), &kit.catalogue);

    let used = catalogue.delete_direction(&actor, kit.direction.id).await;
    assert_eq!(refused(&kit, used).await, "direction.has_courses");
    let taken = catalogue
        .create_direction(&actor, new_direction("Matematika"))
        .await;
    assert_eq!(refused(&kit, taken).await, "direction.name_taken");
    kit.writer.fail_next(DomainError::Conflict {
        what: "course.has_students".into(),
    });
    let held = catalogue.delete_course(&actor, kit.course.id).await;
    assert_eq!(refused(&kit, held).await, "course.has_students");
    kit.writer.fail_next(DomainError::Conflict {
        what: "something.new".into(),
    });
    let other = catalogue
        .update_course(&actor, kit.course.id, CoursePatch::default())
        .await;
    assert_eq!(refused(&kit, other).await, "conflict");

    // The refused removals removed nothing.
    let retitled = catalogue
        .update_course(&actor, kit.course.id, CoursePatch::default())
        .await;
    assert!(retitled.is_ok(), "{retitled:?}");
}

#[tokio::test]
async fn other_writer_failures_keep_their_meaning() {
    let kit = catalogue_kit();
    let (actor, catalogue) = (kit.actor(), &kit.catalogue);

    kit.writer
        .fail_next(DomainError::unavailable("database", "connection refused"));
    let down = catalogue
        .put_certificate(&actor, kit.course.id, "Sertifikat")
        .await;
    assert_eq!(refused(&kit, down).await, "unavailable");

    let mut course = new_course(&kit, None);
    course.direction_id = Uuid::now_v7();
    let unknown_direction = catalogue.create_course(&actor, course).await;
    assert_eq!(
        field_code(unknown_direction),
        ("direction_id".into(), "direction.not_found".into())
    );
    assert_eq!(kit.writer.recorded(), Vec::new());
}

#[tokio::test]
async fn bad_input_is_refused_before_the_writer() {
    let kit = catalogue_kit();
    let (actor, catalogue, lesson) = (kit.actor(), &kit.catalogue, kit.lesson.id);

    for url in ["http://v.uz/1", "https://", "ftp://v.uz", "https:// v.uz"] {
        let video = catalogue
            .set_video_url(&actor, lesson, url.into(), 60)
            .await;
        assert_eq!(
            field_code(video),
            ("url".into(), "validation".into()),
            "{url}"
        );
    }
    for seconds in [0, -1, 24 * 3600 + 1] {
        let video = catalogue
            .set_video_url(&actor, lesson, "https://v.uz/1".into(), seconds)
            .await;
        assert_eq!(field_code(video).0, "duration_seconds", "{seconds}");
    }
    let certificate = catalogue.put_certificate(&actor, kit.course.id, "  ").await;
    assert_eq!(field_code(certificate).0, "title");
    assert_eq!(kit.writer.recorded(), Vec::new());
}
