//! Directions: created, read, updated and deleted in position order; unique
//! names; never deleted while courses use them.

use super::{conflict, description, direction_name, names, new_direction, position, setup};
use crate::users::now;
use bilim_domain::DomainError;
use bilim_domain::catalogue::{DirectionPatch, NewDirection};
use uuid::Uuid;

#[tokio::test]
async fn directions_are_created_read_updated_and_deleted_in_position_order() {
    let setup = setup().await;
    let at = now();
    let created = setup
        .writer
        .create_direction(
            Uuid::now_v7(),
            NewDirection {
                name: direction_name("Matematika"),
                description: Some(description("Algebra va geometriya")),
                position: None,
            },
            at,
            &setup.entry(),
        )
        .await
        .unwrap();
    assert_eq!(created.position, 1);
    assert_eq!(
        created.description.as_deref(),
        Some("Algebra va geometriya")
    );
    assert_eq!((created.created_at, created.updated_at), (at, at));
    assert_eq!(
        setup.reader.direction(created.id).await.unwrap(),
        Some(created.clone())
    );
    setup.direction("Ingliz tili").await;
    setup.direction("Dasturlash").await;
    assert_eq!(
        setup.direction_names().await,
        names(&["Matematika", "Ingliz tili", "Dasturlash"])
    );

    // Created at a position: the others make room.
    let first = setup
        .writer
        .create_direction(
            Uuid::now_v7(),
            NewDirection {
                position: Some(position(1)),
                ..new_direction("Fizika")
            },
            now(),
            &setup.entry(),
        )
        .await
        .unwrap();
    assert_eq!(first.position, 1);
    assert_eq!(
        setup.direction_names().await,
        names(&["Fizika", "Matematika", "Ingliz tili", "Dasturlash"])
    );

    // Updated: renamed, description cleared, moved to the end.
    let later = now() + chrono::Duration::seconds(5);
    let updated = setup
        .writer
        .update_direction(
            created.id,
            DirectionPatch {
                name: Some(direction_name("Oliy matematika")),
                description: Some(None),
                position: Some(position(4)),
            },
            later,
            &setup.entry(),
        )
        .await
        .unwrap();
    assert_eq!(
        (updated.name.as_str(), updated.description, updated.position),
        ("Oliy matematika", None, 4)
    );
    assert_eq!((updated.created_at, updated.updated_at), (at, later));
    assert_eq!(
        setup.direction_names().await,
        names(&["Fizika", "Ingliz tili", "Dasturlash", "Oliy matematika"])
    );
    // An empty update changes only `updated_at`.
    let same = setup
        .writer
        .update_direction(first.id, DirectionPatch::default(), later, &setup.entry())
        .await
        .unwrap();
    assert_eq!((same.name.as_str(), same.position), ("Fizika", 1));

    // Names are unique.
    assert_eq!(
        setup
            .writer
            .create_direction(
                Uuid::now_v7(),
                new_direction("Fizika"),
                now(),
                &setup.entry()
            )
            .await,
        Err(conflict("direction.name"))
    );
    let taken = DirectionPatch {
        name: Some(direction_name("Fizika")),
        ..DirectionPatch::default()
    };
    assert_eq!(
        setup
            .writer
            .update_direction(created.id, taken, now(), &setup.entry())
            .await,
        Err(conflict("direction.name"))
    );
    assert_eq!(
        setup
            .writer
            .update_direction(
                Uuid::now_v7(),
                DirectionPatch::default(),
                now(),
                &setup.entry()
            )
            .await,
        Err(DomainError::NotFound)
    );
    // The refused writes left the positions as they were.
    assert_eq!(setup.direction_names().await.len(), 4);

    // Deleted: the rest close up.
    let ingliz = setup.reader.directions().await.unwrap()[1].id;
    setup
        .writer
        .delete_direction(ingliz, &setup.entry())
        .await
        .unwrap();
    assert_eq!(setup.reader.direction(ingliz).await.unwrap(), None);
    assert_eq!(
        setup.direction_names().await,
        names(&["Fizika", "Dasturlash", "Oliy matematika"])
    );
    assert_eq!(
        setup.writer.delete_direction(ingliz, &setup.entry()).await,
        Err(DomainError::NotFound)
    );

    // Equal positions (never written by the adapter) fall back to the name.
    setup
        .execute("UPDATE directions SET position = 1", vec![])
        .await
        .unwrap();
    let listed: Vec<String> = setup
        .reader
        .directions()
        .await
        .unwrap()
        .into_iter()
        .map(|d| d.name)
        .collect();
    assert_eq!(listed, names(&["Dasturlash", "Fizika", "Oliy matematika"]));
}

#[tokio::test]
async fn a_direction_created_or_moved_past_the_end_goes_last() {
    let setup = setup().await;
    setup.direction("Matematika").await;
    let far = NewDirection {
        position: Some(position(10_000)),
        ..new_direction("Fizika")
    };
    let created = setup
        .writer
        .create_direction(Uuid::now_v7(), far, now(), &setup.entry())
        .await
        .unwrap();
    assert_eq!(created.position, 2);
    let first = setup.reader.directions().await.unwrap()[0].id;
    let moved = DirectionPatch {
        position: Some(position(99)),
        ..DirectionPatch::default()
    };
    let moved = setup
        .writer
        .update_direction(first, moved, now(), &setup.entry())
        .await
        .unwrap();
    assert_eq!(moved.position, 2);
    assert_eq!(
        setup.direction_names().await,
        names(&["Fizika", "Matematika"])
    );
}

#[tokio::test]
async fn a_direction_with_courses_is_not_deleted() {
    let setup = setup().await;
    let direction = setup.direction("Matematika").await;
    let course = setup.course(direction.id, "Algebra").await;
    assert_eq!(
        setup
            .writer
            .delete_direction(direction.id, &setup.entry())
            .await,
        Err(conflict("direction.has_courses"))
    );
    // The database refuses it too (ON DELETE RESTRICT), on both backends.
    assert!(
        setup
            .execute(
                "DELETE FROM directions WHERE id = ?",
                vec![direction.id.into()]
            )
            .await
            .is_err()
    );
    assert_eq!(setup.count("directions").await, 1);
    setup
        .writer
        .delete_course(course.id, &setup.entry())
        .await
        .unwrap();
    setup
        .writer
        .delete_direction(direction.id, &setup.entry())
        .await
        .unwrap();
    assert_eq!(setup.count("directions").await, 0);
}
