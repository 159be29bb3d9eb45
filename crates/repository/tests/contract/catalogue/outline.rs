//! The outline: modules of a course and lessons of a module, written through
//! one API for both levels. Positions stay `1..=n` through inserts, moves and
//! deletes, also concurrent ones.

use super::{description, moved_to, names, outline, position, retitled, setup, title};
use bilim_domain::DomainError;
use bilim_domain::catalogue::{NewOutlineItem, OutlineLevel, OutlinePatch};
use std::sync::Arc;
use uuid::Uuid;

const MODULE: OutlineLevel = OutlineLevel::Module;
const LESSON: OutlineLevel = OutlineLevel::Lesson;

#[tokio::test]
async fn module_positions_stay_one_to_n_through_inserts_moves_and_deletes() {
    let setup = setup().await;
    let writer = &setup.writer;
    let direction = setup.direction("Matematika").await;
    let course = setup.course(direction.id, "Algebra").await;
    let other = setup.course(direction.id, "Geometriya").await;
    let other_module = setup.module(other.id, "Boshqa").await;

    let a = setup.module(course.id, "A").await;
    let b = setup.module(course.id, "B").await;
    let c = setup.module(course.id, "C").await;
    assert_eq!((a.position, b.position, c.position), (1, 2, 3));
    assert_eq!(setup.reader.module(b.id).await.unwrap(), Some(b.clone()));

    // Inserted in the middle, at the front, past the end (appended).
    let create = |name: &str, at: i32| {
        let (new, entry) = (outline(name, Some(at)), setup.entry());
        async move {
            let id = Uuid::now_v7();
            writer
                .create_outline(MODULE, id, course.id, new, &entry)
                .await
        }
    };
    let d = create("D", 2).await.unwrap();
    assert_eq!(d.position, 2);
    assert_eq!(
        setup.module_titles(course.id).await,
        names(&["A", "D", "B", "C"])
    );
    create("E", 1).await.unwrap();
    let f = create("F", 99).await.unwrap();
    assert_eq!(f.position, 6);
    assert_eq!(
        setup.module_titles(course.id).await,
        names(&["E", "A", "D", "B", "C", "F"])
    );

    // Moved down, up, past the end (to the end), renamed in place.
    let update = |id: Uuid, patch: OutlinePatch| {
        let entry = setup.entry();
        async move { writer.update_outline(MODULE, id, patch, &entry).await }
    };
    let moved = update(a.id, moved_to(5)).await.unwrap();
    assert_eq!(moved.position, 5);
    assert_eq!(
        setup.module_titles(course.id).await,
        names(&["E", "D", "B", "C", "A", "F"])
    );
    update(f.id, moved_to(1)).await.unwrap();
    assert_eq!(
        setup.module_titles(course.id).await,
        names(&["F", "E", "D", "B", "C", "A"])
    );
    let last = update(f.id, moved_to(1000)).await.unwrap();
    assert_eq!(last.position, 6);
    let renamed = update(d.id, retitled("D2")).await.unwrap();
    assert_eq!((renamed.title.as_str(), renamed.position), ("D2", 2));
    let unchanged = update(b.id, OutlinePatch::default()).await.unwrap();
    assert_eq!(unchanged.position, 3);
    assert_eq!(
        setup.module_titles(course.id).await,
        names(&["E", "D2", "B", "C", "A", "F"])
    );

    // Deleted: first, middle, last.
    for (id, expected) in [
        (
            setup.module_ids(course.id).await[0],
            vec!["D2", "B", "C", "A", "F"],
        ),
        (c.id, vec!["D2", "B", "A", "F"]),
        (f.id, vec!["D2", "B", "A"]),
    ] {
        assert_eq!(
            writer.delete_outline(MODULE, id, &setup.entry()).await,
            Ok(vec![])
        );
        assert_eq!(setup.module_titles(course.id).await, names(&expected));
    }

    // Another course's modules were never renumbered.
    assert_eq!(
        setup.reader.module(other_module.id).await.unwrap(),
        Some(other_module)
    );

    let nobody = Uuid::now_v7();
    assert_eq!(
        writer
            .create_outline(
                MODULE,
                Uuid::now_v7(),
                nobody,
                outline("X", None),
                &setup.entry()
            )
            .await,
        Err(DomainError::NotFound)
    );
    assert_eq!(
        update(nobody, moved_to(1)).await,
        Err(DomainError::NotFound)
    );
    assert_eq!(
        writer.delete_outline(MODULE, nobody, &setup.entry()).await,
        Err(DomainError::NotFound)
    );
    assert_eq!(setup.reader.module(nobody).await.unwrap(), None);
}

#[tokio::test]
async fn lesson_positions_stay_one_to_n_within_their_module() {
    let setup = setup().await;
    let writer = &setup.writer;
    let direction = setup.direction("Matematika").await;
    let course = setup.course(direction.id, "Algebra").await;
    let first = setup.module(course.id, "1-modul").await;
    let second = setup.module(course.id, "2-modul").await;
    let untouched = setup.lesson(second.id, "Boshqa").await;

    let a = setup.lesson(first.id, "A").await;
    let b = setup.lesson(first.id, "B").await;
    let c = writer
        .create_outline(
            LESSON,
            Uuid::now_v7(),
            first.id,
            NewOutlineItem {
                title: title("C"),
                description: description("Tavsif"),
                position: Some(position(1)),
            },
            &setup.entry(),
        )
        .await
        .unwrap()
        .into_lesson();
    assert_eq!((c.position, c.description.as_str()), (1, "Tavsif"));
    assert_eq!(a.description, "");
    assert_eq!(
        setup.lesson_titles(course.id, first.id).await,
        names(&["C", "A", "B"])
    );

    let moved = writer
        .update_outline(
            LESSON,
            c.id,
            OutlinePatch {
                title: Some(title("C2")),
                description: Some(description("Yangi")),
                position: Some(position(3)),
            },
            &setup.entry(),
        )
        .await
        .unwrap();
    assert_eq!(
        (
            moved.title.as_str(),
            moved.description.as_str(),
            moved.position
        ),
        ("C2", "Yangi", 3)
    );
    assert_eq!(
        setup.lesson_titles(course.id, first.id).await,
        names(&["A", "B", "C2"])
    );
    writer
        .update_outline(LESSON, b.id, moved_to(1), &setup.entry())
        .await
        .unwrap();
    assert_eq!(
        setup.lesson_titles(course.id, first.id).await,
        names(&["B", "A", "C2"])
    );

    assert_eq!(
        writer.delete_outline(LESSON, b.id, &setup.entry()).await,
        Ok(vec![])
    );
    assert_eq!(
        setup.lesson_titles(course.id, first.id).await,
        names(&["A", "C2"])
    );
    assert_eq!(
        setup.lesson_titles(course.id, second.id).await,
        names(&["Boshqa"])
    );
    let view = setup.reader.lesson(untouched.id).await.unwrap().unwrap();
    assert_eq!(view.lesson, untouched);

    let nobody = Uuid::now_v7();
    assert_eq!(
        writer
            .create_outline(
                LESSON,
                Uuid::now_v7(),
                nobody,
                outline("X", None),
                &setup.entry()
            )
            .await,
        Err(DomainError::NotFound)
    );
    assert_eq!(
        writer
            .update_outline(LESSON, nobody, moved_to(1), &setup.entry())
            .await,
        Err(DomainError::NotFound)
    );
    assert_eq!(
        writer.delete_outline(LESSON, nobody, &setup.entry()).await,
        Err(DomainError::NotFound)
    );
}

/// The same calls at either level: the item comes back with its level and
/// parent, positions stay `1..=n`, and the id of an item (or parent) of the
/// other level is not found.
#[tokio::test]
async fn the_outline_api_works_the_same_at_both_levels() {
    let setup = setup().await;
    let writer = &setup.writer;
    let direction = setup.direction("Matematika").await;
    let course = setup.course(direction.id, "Algebra").await;
    let module = setup.module(course.id, "Asos").await;
    let lesson = setup.lesson(module.id, "Kirish").await;

    for (level, parent_id, other_level_id) in [
        (MODULE, course.id, lesson.id),
        (LESSON, module.id, course.id),
    ] {
        let positions = || async {
            let tree = setup.reader.course_tree(course.id).await.unwrap().unwrap();
            match level {
                OutlineLevel::Module => tree
                    .modules
                    .iter()
                    .map(|m| (m.module.title.clone(), m.module.position))
                    .collect::<Vec<_>>(),
                OutlineLevel::Lesson => {
                    let module = tree
                        .modules
                        .iter()
                        .find(|m| m.module.id == module.id)
                        .unwrap();
                    module
                        .lessons
                        .iter()
                        .map(|l| (l.title.clone(), l.position))
                        .collect()
                }
            }
        };
        let mut created = Vec::new();
        for (name, at) in [("x", None), ("y", Some(1)), ("z", Some(2))] {
            let new = NewOutlineItem {
                description: description("Tavsif"),
                ..outline(name, at)
            };
            let item = writer
                .create_outline(level, Uuid::now_v7(), parent_id, new, &setup.entry())
                .await
                .unwrap();
            assert_eq!(
                (item.level, item.parent_id, item.title.as_str()),
                (level, parent_id, name)
            );
            // Modules have no description: theirs is ignored.
            let expected = if level == MODULE { "" } else { "Tavsif" };
            assert_eq!(item.description, expected, "{level:?}");
            created.push(item);
        }
        let first = if level == MODULE { "Asos" } else { "Kirish" };
        let titled = |list: &[(&str, i32)]| {
            list.iter()
                .map(|&(t, p)| (t.to_owned(), p))
                .collect::<Vec<_>>()
        };
        assert_eq!(
            positions().await,
            titled(&[("y", 1), ("z", 2), (first, 3), ("x", 4)])
        );

        let moved = writer
            .update_outline(level, created[2].id, moved_to(4), &setup.entry())
            .await
            .unwrap();
        assert_eq!((moved.level, moved.position), (level, 4));
        assert_eq!(
            positions().await,
            titled(&[("y", 1), (first, 2), ("x", 3), ("z", 4)])
        );

        assert_eq!(
            writer
                .delete_outline(level, created[2].id, &setup.entry())
                .await,
            Ok(vec![])
        );
        assert_eq!(
            writer
                .delete_outline(level, created[2].id, &setup.entry())
                .await,
            Err(DomainError::NotFound)
        );
        assert_eq!(positions().await, titled(&[("y", 1), (first, 2), ("x", 3)]));

        // An id of the other level is no item of this one, nor a parent.
        assert_eq!(
            writer
                .update_outline(level, other_level_id, retitled("?"), &setup.entry())
                .await,
            Err(DomainError::NotFound)
        );
        assert_eq!(
            writer
                .delete_outline(level, other_level_id, &setup.entry())
                .await,
            Err(DomainError::NotFound)
        );
        assert_eq!(
            writer
                .create_outline(
                    level,
                    Uuid::now_v7(),
                    other_level_id,
                    outline("?", None),
                    &setup.entry()
                )
                .await,
            Err(DomainError::NotFound)
        );
    }
    assert_eq!(setup.count("modules").await, 3);
    assert_eq!(setup.count("lessons").await, 3);
    assert_eq!(
        setup
            .reader
            .module(module.id)
            .await
            .unwrap()
            .unwrap()
            .position,
        2
    );
}

/// Without the lock on the parent (PostgreSQL) or `BEGIN IMMEDIATE` (SQLite),
/// racing renumberings would read the same positions and leave duplicates.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn concurrent_inserts_moves_and_deletes_keep_positions_one_to_n() {
    let setup = setup().await;
    let direction = setup.direction("Matematika").await;
    let course = setup.course(direction.id, "Algebra").await;
    let module = setup.module(course.id, "1-modul").await;
    let tasks: Vec<_> = (0..12)
        .map(|n| {
            let writer = Arc::clone(&setup.writer);
            let entry = setup.entry();
            let module_id = module.id;
            tokio::spawn(async move {
                let at = (n % 2 == 0).then_some(1);
                let new = outline(&format!("{n}"), at);
                writer
                    .create_outline(LESSON, Uuid::now_v7(), module_id, new, &entry)
                    .await
            })
        })
        .collect();
    let mut lessons = Vec::new();
    for task in tasks {
        lessons.push(task.await.unwrap().unwrap());
    }
    assert_eq!(setup.lesson_titles(course.id, module.id).await.len(), 12);

    let tasks: Vec<_> = lessons
        .iter()
        .enumerate()
        .map(|(n, lesson)| {
            let writer = Arc::clone(&setup.writer);
            let entry = setup.entry();
            let id = lesson.id;
            tokio::spawn(async move {
                if n % 4 == 3 {
                    writer.delete_outline(LESSON, id, &entry).await.map(|_| ())
                } else {
                    let to = (n as i32 * 5) % 13 + 1;
                    writer
                        .update_outline(LESSON, id, moved_to(to), &entry)
                        .await
                        .map(|_| ())
                }
            })
        })
        .collect();
    for task in tasks {
        task.await.unwrap().unwrap();
    }
    assert_eq!(setup.lesson_titles(course.id, module.id).await.len(), 9);
}
