//! Courses: created with what the command says, updated field by field,
//! unknown references refused with their field, deleted.

use super::{description, invalid_field, months, new_course, setup, title};
use crate::users::now;
use bilim_domain::DomainError;
use bilim_domain::catalogue::{CoursePatch, CourseStatus, Level, NewCourse};
use uuid::Uuid;

#[tokio::test]
async fn courses_are_created_read_updated_and_deleted() {
    let setup = setup().await;
    let matematika = setup.direction("Matematika").await;
    let dasturlash = setup.direction("Dasturlash").await;
    let teacher = setup.teacher("ustoz@example.uz").await;
    let at = now();

    // The HTTP layer's defaults: draft, no teacher, six months, no description.
    let minimal = setup
        .writer
        .create_course(
            Uuid::now_v7(),
            new_course(matematika.id, "Algebra"),
            at,
            &setup.entry(),
        )
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
            NewCourse {
                direction_id: dasturlash.id,
                title: title("Python asoslari"),
                description: description("Noldan boshlab"),
                level: Level::Intermediate,
                status: CourseStatus::Published,
                teacher_id: Some(teacher),
                access_months: months(12),
            },
            at,
            &setup.entry(),
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
            CoursePatch {
                direction_id: Some(matematika.id),
                title: Some(title("Python: chuqur")),
                level: Some(Level::Advanced),
                status: Some(CourseStatus::Archived),
                teacher_id: Some(None),
                ..CoursePatch::default()
            },
            later,
            &setup.entry(),
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
    let rewritten = setup
        .writer
        .update_course(
            full.id,
            CoursePatch {
                description: Some(description("Yangi tavsif")),
                access_months: Some(months(3)),
                ..CoursePatch::default()
            },
            later,
            &setup.entry(),
        )
        .await
        .unwrap();
    assert_eq!(
        (rewritten.description.as_str(), rewritten.access_months),
        ("Yangi tavsif", 3)
    );

    // Unknown references are invalid fields; unknown courses are not found.
    let nobody = Uuid::now_v7();
    assert_eq!(
        invalid_field(
            setup
                .writer
                .create_course(
                    Uuid::now_v7(),
                    new_course(nobody, "X"),
                    now(),
                    &setup.entry()
                )
                .await
        ),
        "direction_id"
    );
    let with_stranger = NewCourse {
        teacher_id: Some(nobody),
        ..new_course(matematika.id, "X")
    };
    assert_eq!(
        invalid_field(
            setup
                .writer
                .create_course(Uuid::now_v7(), with_stranger, now(), &setup.entry())
                .await
        ),
        "teacher_id"
    );
    for (patch, field) in [
        (
            CoursePatch {
                direction_id: Some(nobody),
                ..CoursePatch::default()
            },
            "direction_id",
        ),
        (
            CoursePatch {
                teacher_id: Some(Some(nobody)),
                ..CoursePatch::default()
            },
            "teacher_id",
        ),
    ] {
        assert_eq!(
            invalid_field(
                setup
                    .writer
                    .update_course(minimal.id, patch, now(), &setup.entry())
                    .await
            ),
            field
        );
    }
    assert_eq!(
        setup
            .writer
            .update_course(nobody, CoursePatch::default(), now(), &setup.entry())
            .await,
        Err(DomainError::NotFound)
    );
    assert_eq!(
        setup.writer.delete_course(nobody, &setup.entry()).await,
        Err(DomainError::NotFound)
    );
    assert_eq!(setup.count("courses").await, 2);

    // Deleting a user who teaches leaves the course without a teacher.
    let taught = setup
        .writer
        .update_course(
            minimal.id,
            CoursePatch {
                teacher_id: Some(Some(teacher)),
                ..CoursePatch::default()
            },
            now(),
            &setup.entry(),
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

    assert_eq!(
        setup.writer.delete_course(minimal.id, &setup.entry()).await,
        Ok(vec![])
    );
    assert_eq!(setup.reader.course(minimal.id).await.unwrap(), None);
    assert_eq!(setup.count("courses").await, 1);
}
