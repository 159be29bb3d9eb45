//! Public browsing (`Catalogue`): published courses only; drafts and
//! archives answer 404, at the course and at its lessons.

use crate::support::{CatalogueKit, catalogue_kit, err_code};
use bilim_domain::catalogue::{Course, CourseStatus, CourseTree, Lesson, ModuleTree};
use bilim_service::catalogue::Catalogue;
use bilim_service::paging::{Page, PageRequest};
use uuid::Uuid;

/// A course of the kit's direction with one module and one lesson, put in
/// the reader; returns the tree.
fn put_course(kit: &CatalogueKit, title: &str, status: CourseStatus) -> CourseTree {
    let mut course = kit.course.clone();
    course.id = Uuid::now_v7();
    course.title = title.to_owned();
    course.status = status;
    let mut module = kit.module.clone().into_module();
    module.id = Uuid::now_v7();
    module.course_id = course.id;
    let lesson = Lesson {
        id: Uuid::now_v7(),
        module_id: module.id,
        ..kit.lesson.clone().into_lesson()
    };
    let tree = CourseTree {
        course,
        direction: kit.direction.clone(),
        teacher: None,
        modules: vec![ModuleTree {
            module,
            lessons: vec![lesson],
        }],
        workbooks: Vec::new(),
        certificate: None,
        tests: Vec::new(),
    };
    kit.reader.put_tree(tree.clone());
    tree
}

fn lesson_of(tree: &CourseTree) -> Uuid {
    tree.modules[0].lessons[0].id
}

#[tokio::test]
async fn only_published_courses_and_their_lessons_are_public() {
    let kit = catalogue_kit();
    let catalogue = Catalogue::new(kit.reader.clone());
    let published = put_course(&kit, "Geometriya", CourseStatus::Published);
    let archived = put_course(&kit, "Eski kurs", CourseStatus::Archived);

    let listed = catalogue
        .courses(None, None, None, &PageRequest::default())
        .await
        .unwrap();
    let ids: Vec<Uuid> = listed.items.iter().map(|c| c.id).collect();
    assert_eq!(ids, [published.course.id]);
    let direction = catalogue.direction(kit.direction.id).await.unwrap();
    assert_eq!(direction.courses, std::slice::from_ref(&published.course));

    assert_eq!(
        catalogue.course(published.course.id).await.unwrap(),
        published
    );
    let lesson = catalogue.lesson(lesson_of(&published)).await.unwrap();
    assert_eq!(lesson.course.id, published.course.id);
    for hidden in [&archived, &kit.tree] {
        let course = catalogue.course(hidden.course.id).await;
        assert_eq!(err_code(course), "course.not_found");
        let lesson = catalogue.lesson(lesson_of(hidden)).await;
        assert_eq!(err_code(lesson), "lesson.not_found");
    }
}

#[tokio::test]
async fn public_course_lists_come_in_keyset_pages() {
    let kit = catalogue_kit();
    let catalogue = Catalogue::new(kit.reader.clone());
    let titles = ["Birinchi", "Ikkinchi", "Uchinchi"];
    let trees: Vec<CourseTree> = titles
        .iter()
        .map(|title| put_course(&kit, title, CourseStatus::Published))
        .collect();
    let request = PageRequest {
        limit: Some(2),
        cursor: None,
    };

    let first = catalogue.courses(None, None, None, &request).await.unwrap();
    let request = PageRequest {
        cursor: first.next_cursor.clone(),
        ..request
    };
    let second = catalogue.courses(None, None, None, &request).await.unwrap();

    let ids = |page: &Page<Course>| -> Vec<Uuid> { page.items.iter().map(|c| c.id).collect() };
    // Newest first.
    assert_eq!(ids(&first), [trees[2].course.id, trees[1].course.id]);
    assert_eq!(ids(&second), [trees[0].course.id]);
    assert_eq!(second.next_cursor, None);
    let searched = catalogue
        .courses(None, None, Some(" IKKI "), &PageRequest::default())
        .await;
    assert_eq!(ids(&searched.unwrap()), [trees[1].course.id]);
    let bad_level = catalogue
        .courses(None, Some("expert"), None, &PageRequest::default())
        .await;
    assert_eq!(err_code(bad_level), "validation");
}
