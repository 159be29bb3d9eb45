//! Admin CRUD of the catalogue: validation with clear codes, positions kept
//! `1..n`, one certificate per course, files removed with what held them, and
//! every change in the audit log.

use super::helpers::{
    ADMIN_COURSES, ADMIN_DIRECTIONS, ADMIN_LESSONS, ADMIN_MODULES, ADMIN_WORKBOOKS, AUDIT, COURSES,
    LESSONS, admin_token, certificate, course, delete, direction, field_errors, get, ids,
    insert_user, json_of, lesson, module, mp4, object_keys, patch, pdf, post, problem, public,
    published, put, put_video_url, set_status, sorted, stored, stored_under, upload_video,
    with_query, workbook,
};
use crate::helpers::{TestApp, spawn_app};
use bilim_domain::users::UserRole;
use serde_json::{Value, json};
use std::collections::BTreeSet;

fn id(value: &Value) -> String {
    value["id"].as_str().unwrap().to_owned()
}

fn pairs(list: &[(&str, &str)]) -> BTreeSet<(String, String)> {
    list.iter()
        .map(|(a, b)| ((*a).to_owned(), (*b).to_owned()))
        .collect()
}

/// `(title, position)` of the modules of a course, as admins see them.
async fn module_outline(app: &TestApp, token: &str, course: &str) -> Vec<(String, i64)> {
    let tree = json_of(
        get(app, &format!("{ADMIN_COURSES}/{course}"), token).await,
        200,
    )
    .await;
    tree["modules"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| {
            (
                m["title"].as_str().unwrap().to_owned(),
                m["position"].as_i64().unwrap(),
            )
        })
        .collect()
}

/// `(title, position)` of the lessons of the module at `index`.
async fn lesson_outline(
    app: &TestApp,
    token: &str,
    course: &str,
    index: usize,
) -> Vec<(String, i64)> {
    let tree = json_of(
        get(app, &format!("{ADMIN_COURSES}/{course}"), token).await,
        200,
    )
    .await;
    tree["modules"][index]["lessons"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| {
            (
                l["title"].as_str().unwrap().to_owned(),
                l["position"].as_i64().unwrap(),
            )
        })
        .collect()
}

fn outline(titles: &[&str]) -> Vec<(String, i64)> {
    titles
        .iter()
        .zip(1..)
        .map(|(t, p)| ((*t).to_owned(), p))
        .collect()
}

// ---------------------------------------------------------------- directions

#[tokio::test]
async fn a_direction_needs_a_name_that_no_other_direction_has() {
    let app = spawn_app().await;
    let token = admin_token(&app).await;

    let refused = problem(
        post(&app, ADMIN_DIRECTIONS, &token, &json!({"description": "x"})).await,
        400,
        "validation",
    )
    .await;
    assert_eq!(field_errors(&refused), pairs(&[("name", "required")]));
    for blank in ["", "   "] {
        let refused = problem(
            post(&app, ADMIN_DIRECTIONS, &token, &json!({"name": blank})).await,
            400,
            "validation",
        )
        .await;
        assert_eq!(field_errors(&refused), pairs(&[("name", "text.length")]));
    }
    let long = "a".repeat(101);
    problem(
        post(&app, ADMIN_DIRECTIONS, &token, &json!({"name": long})).await,
        400,
        "validation",
    )
    .await;

    let created = json_of(
        post(
            &app,
            ADMIN_DIRECTIONS,
            &token,
            &json!({"name": "  Matematika  ", "description": "Aniq fanlar"}),
        )
        .await,
        201,
    )
    .await;
    assert_eq!(
        object_keys(&created),
        sorted(&["id", "name", "description", "position"])
    );
    assert_eq!(created["name"], "Matematika", "trimmed: {created}");
    assert_eq!(created["description"], "Aniq fanlar");
    assert_eq!(created["position"], 1);

    let taken = problem(
        post(
            &app,
            ADMIN_DIRECTIONS,
            &token,
            &json!({"name": "Matematika"}),
        )
        .await,
        409,
        "direction.name_taken",
    )
    .await;
    assert!(!taken["detail"].as_str().unwrap().is_empty());
    // Renaming another direction to a taken name is the same conflict.
    let other = direction(&app, &token, "Fizika").await;
    problem(
        patch(
            &app,
            &format!("{ADMIN_DIRECTIONS}/{other}"),
            &token,
            &json!({"name": "Matematika"}),
        )
        .await,
        409,
        "direction.name_taken",
    )
    .await;
    let list = json_of(get(&app, ADMIN_DIRECTIONS, &token).await, 200).await;
    assert_eq!(list["items"].as_array().unwrap().len(), 2, "{list}");
}

#[tokio::test]
async fn a_direction_is_read_renamed_moved_and_deleted_with_positions_kept_in_order() {
    let app = spawn_app().await;
    let token = admin_token(&app).await;
    let maths = direction(&app, &token, "Matematika").await;
    let physics = direction(&app, &token, "Fizika").await;
    let chemistry = direction(&app, &token, "Kimyo").await;

    let read = json_of(
        get(&app, &format!("{ADMIN_DIRECTIONS}/{physics}"), &token).await,
        200,
    )
    .await;
    assert_eq!(read["name"], "Fizika");
    assert_eq!(read["position"], 2);

    let renamed = json_of(
        patch(
            &app,
            &format!("{ADMIN_DIRECTIONS}/{physics}"),
            &token,
            &json!({"name": "Fizika va astronomiya", "description": null, "position": 1}),
        )
        .await,
        200,
    )
    .await;
    assert_eq!(renamed["name"], "Fizika va astronomiya");
    assert_eq!(renamed["description"], Value::Null);
    assert_eq!(renamed["position"], 1);
    let list = json_of(get(&app, ADMIN_DIRECTIONS, &token).await, 200).await;
    assert_eq!(
        ids(&list),
        [physics.clone(), maths.clone(), chemistry.clone()]
    );
    // The public list has the same order.
    assert_eq!(
        ids(&public(&app, super::helpers::DIRECTIONS).await),
        ids(&list)
    );

    let response = delete(&app, &format!("{ADMIN_DIRECTIONS}/{physics}"), &token).await;
    assert_eq!(response.status(), 204);
    problem(
        get(&app, &format!("{ADMIN_DIRECTIONS}/{physics}"), &token).await,
        404,
        "direction.not_found",
    )
    .await;
    let list = json_of(get(&app, ADMIN_DIRECTIONS, &token).await, 200).await;
    let positions: Vec<(String, i64)> = list["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| (id(d), d["position"].as_i64().unwrap()))
        .collect();
    assert_eq!(positions, [(maths, 1), (chemistry, 2)], "{list}");
}

#[tokio::test]
async fn a_direction_with_courses_cannot_be_deleted_until_they_are_gone() {
    let app = spawn_app().await;
    let token = admin_token(&app).await;
    let maths = direction(&app, &token, "Matematika").await;
    let draft = id(&course(&app, &token, &maths, "Algebra", json!({})).await);

    problem(
        delete(&app, &format!("{ADMIN_DIRECTIONS}/{maths}"), &token).await,
        409,
        "direction.has_courses",
    )
    .await;
    json_of(
        get(&app, &format!("{ADMIN_DIRECTIONS}/{maths}"), &token).await,
        200,
    )
    .await;

    assert_eq!(
        delete(&app, &format!("{ADMIN_COURSES}/{draft}"), &token)
            .await
            .status(),
        204
    );
    assert_eq!(
        delete(&app, &format!("{ADMIN_DIRECTIONS}/{maths}"), &token)
            .await
            .status(),
        204
    );
}

// ---------------------------------------------------------------- courses

#[tokio::test]
async fn a_course_needs_a_direction_a_title_and_a_level_and_gets_defaults_for_the_rest() {
    let app = spawn_app().await;
    let token = admin_token(&app).await;
    let maths = direction(&app, &token, "Matematika").await;

    let refused = problem(
        post(&app, ADMIN_COURSES, &token, &json!({})).await,
        400,
        "validation",
    )
    .await;
    assert_eq!(
        field_errors(&refused),
        pairs(&[
            ("direction_id", "required"),
            ("title", "required"),
            ("level", "required")
        ])
    );
    let refused = problem(
        post(
            &app,
            ADMIN_COURSES,
            &token,
            &json!({"direction_id": maths, "title": "  ", "level": "beginner"}),
        )
        .await,
        400,
        "validation",
    )
    .await;
    assert_eq!(field_errors(&refused), pairs(&[("title", "text.length")]));

    let created = json_of(
        post(
            &app,
            ADMIN_COURSES,
            &token,
            &json!({"direction_id": maths, "title": "Algebra", "level": "advanced"}),
        )
        .await,
        201,
    )
    .await;
    assert_eq!(created["status"], "draft", "{created}");
    assert_eq!(created["access_months"], 6, "{created}");
    assert_eq!(created["description"], "", "{created}");
    assert_eq!(created["teacher_id"], Value::Null, "{created}");
    assert_eq!(created["level"], "advanced");
    assert_eq!(created["direction_id"], maths.as_str());
    assert_eq!(created["created_at"], created["updated_at"]);
    let read = json_of(
        get(&app, &format!("{ADMIN_COURSES}/{}", id(&created)), &token).await,
        200,
    )
    .await;
    assert_eq!(read["title"], "Algebra");
}

#[tokio::test]
async fn a_bad_level_or_status_is_400_on_create_and_on_change() {
    let app = spawn_app().await;
    let token = admin_token(&app).await;
    let maths = direction(&app, &token, "Matematika").await;
    let base = json!({"direction_id": maths, "title": "Algebra", "level": "beginner"});
    let existing = id(&course(&app, &token, &maths, "Geometriya", json!({})).await);

    let cases = [
        ("level", json!("expert"), "level.invalid"),
        ("level", json!("Beginner"), "level.invalid"),
        ("level", json!(""), "level.invalid"),
        ("status", json!("deleted"), "status.invalid"),
        ("status", json!("PUBLISHED"), "status.invalid"),
    ];
    for (field, value, code) in cases {
        let mut body = base.clone();
        body[field] = value.clone();
        let refused = problem(
            post(&app, ADMIN_COURSES, &token, &body).await,
            400,
            "validation",
        )
        .await;
        assert_eq!(
            field_errors(&refused),
            pairs(&[(field, code)]),
            "{field}={value}"
        );
        let refused = problem(
            patch(
                &app,
                &format!("{ADMIN_COURSES}/{existing}"),
                &token,
                &json!({ field: value }),
            )
            .await,
            400,
            "validation",
        )
        .await;
        assert_eq!(
            field_errors(&refused),
            pairs(&[(field, code)]),
            "PATCH {field}={value}"
        );
    }
    let listed = json_of(get(&app, ADMIN_COURSES, &token).await, 200).await;
    assert_eq!(ids(&listed), [existing], "nothing refused was stored");
    // Every valid level and status is taken.
    for level in ["beginner", "intermediate", "advanced"] {
        for status in ["draft", "published", "archived"] {
            let mut body = base.clone();
            body["level"] = json!(level);
            body["status"] = json!(status);
            let made = json_of(post(&app, ADMIN_COURSES, &token, &body).await, 201).await;
            assert_eq!(
                (made["level"].as_str(), made["status"].as_str()),
                (Some(level), Some(status))
            );
        }
    }
}

#[tokio::test]
async fn access_months_must_be_1_to_60() {
    let app = spawn_app().await;
    let token = admin_token(&app).await;
    let maths = direction(&app, &token, "Matematika").await;
    let base = json!({"direction_id": maths, "title": "Algebra", "level": "beginner"});
    for months in [0, 61, -1, 1000] {
        let mut body = base.clone();
        body["access_months"] = json!(months);
        let refused = problem(
            post(&app, ADMIN_COURSES, &token, &body).await,
            400,
            "validation",
        )
        .await;
        assert_eq!(
            field_errors(&refused),
            pairs(&[("access_months", "access_months.invalid")]),
            "{months}"
        );
    }
    let mut made = Vec::new();
    for months in [1, 60] {
        let mut body = base.clone();
        body["access_months"] = json!(months);
        let created = json_of(post(&app, ADMIN_COURSES, &token, &body).await, 201).await;
        assert_eq!(created["access_months"], months);
        made.push(id(&created));
    }
    problem(
        patch(
            &app,
            &format!("{ADMIN_COURSES}/{}", made[0]),
            &token,
            &json!({"access_months": 61}),
        )
        .await,
        400,
        "validation",
    )
    .await;
    let changed = json_of(
        patch(
            &app,
            &format!("{ADMIN_COURSES}/{}", made[0]),
            &token,
            &json!({"access_months": 24}),
        )
        .await,
        200,
    )
    .await;
    assert_eq!(changed["access_months"], 24);
}

#[tokio::test]
async fn a_teacher_must_be_a_user_with_the_teacher_role() {
    let app = spawn_app().await;
    let token = admin_token(&app).await;
    let maths = direction(&app, &token, "Matematika").await;
    let student = insert_user(&app, "talaba@bilim.uz", UserRole::Student).await;
    let teacher = insert_user(&app, "ustoz@bilim.uz", UserRole::Teacher).await;
    let nobody = uuid::Uuid::now_v7().to_string();
    let base = json!({"direction_id": maths, "title": "Algebra", "level": "beginner"});

    for not_a_teacher in [&student, &nobody] {
        let mut body = base.clone();
        body["teacher_id"] = json!(not_a_teacher);
        let refused = problem(
            post(&app, ADMIN_COURSES, &token, &body).await,
            400,
            "teacher.invalid",
        )
        .await;
        assert_eq!(
            field_errors(&refused),
            pairs(&[("teacher_id", "teacher.invalid")])
        );
    }
    let mut body = base.clone();
    body["teacher_id"] = json!(teacher);
    let created = json_of(post(&app, ADMIN_COURSES, &token, &body).await, 201).await;
    assert_eq!(created["teacher_id"], teacher.as_str());
    let course_id = id(&created);
    let path = format!("{ADMIN_COURSES}/{course_id}");

    problem(
        patch(&app, &path, &token, &json!({"teacher_id": student})).await,
        400,
        "teacher.invalid",
    )
    .await;
    // Absent keeps the teacher; null clears it.
    let kept = json_of(
        patch(&app, &path, &token, &json!({"title": "Algebra 2"})).await,
        200,
    )
    .await;
    assert_eq!(kept["teacher_id"], teacher.as_str());
    let cleared = json_of(
        patch(&app, &path, &token, &json!({"teacher_id": null})).await,
        200,
    )
    .await;
    assert_eq!(cleared["teacher_id"], Value::Null);
    let tree = json_of(get(&app, &path, &token).await, 200).await;
    assert_eq!(tree["teacher"], Value::Null);
}

#[tokio::test]
async fn a_course_in_an_unknown_direction_is_a_400_naming_direction_id() {
    let app = spawn_app().await;
    let token = admin_token(&app).await;
    let maths = direction(&app, &token, "Matematika").await;
    let nowhere = uuid::Uuid::now_v7().to_string();

    let refused = problem(
        post(
            &app,
            ADMIN_COURSES,
            &token,
            &json!({"direction_id": nowhere, "title": "Algebra", "level": "beginner"}),
        )
        .await,
        400,
        "validation",
    )
    .await;
    assert_eq!(
        field_errors(&refused),
        pairs(&[("direction_id", "direction.not_found")])
    );
    let existing = id(&course(&app, &token, &maths, "Geometriya", json!({})).await);
    let refused = problem(
        patch(
            &app,
            &format!("{ADMIN_COURSES}/{existing}"),
            &token,
            &json!({"direction_id": nowhere}),
        )
        .await,
        400,
        "validation",
    )
    .await;
    assert_eq!(
        field_errors(&refused),
        pairs(&[("direction_id", "direction.not_found")])
    );
    let physics = direction(&app, &token, "Fizika").await;
    let moved = json_of(
        patch(
            &app,
            &format!("{ADMIN_COURSES}/{existing}"),
            &token,
            &json!({"direction_id": physics}),
        )
        .await,
        200,
    )
    .await;
    assert_eq!(moved["direction_id"], physics.as_str());
}

#[tokio::test]
async fn a_course_change_keeps_what_is_not_sent_and_moves_updated_at() {
    let app = spawn_app().await;
    let token = admin_token(&app).await;
    let maths = direction(&app, &token, "Matematika").await;
    let created = course(&app, &token, &maths, "Algebra", json!({"access_months": 3})).await;
    let path = format!("{ADMIN_COURSES}/{}", id(&created));
    app.clock.advance(chrono::Duration::minutes(10));

    let changed = json_of(
        patch(
            &app,
            &path,
            &token,
            &json!({"description": "Yangi tavsif", "level": "advanced"}),
        )
        .await,
        200,
    )
    .await;
    assert_eq!(changed["title"], "Algebra");
    assert_eq!(changed["access_months"], 3);
    assert_eq!(changed["status"], "draft");
    assert_eq!(changed["description"], "Yangi tavsif");
    assert_eq!(changed["level"], "advanced");
    assert_eq!(changed["created_at"], created["created_at"]);
    assert_ne!(changed["updated_at"], created["updated_at"]);
}

// ---------------------------------------------------------------- outline

#[tokio::test]
async fn modules_are_appended_inserted_moved_and_deleted_with_positions_1_to_n() {
    let app = spawn_app().await;
    let token = admin_token(&app).await;
    let maths = direction(&app, &token, "Matematika").await;
    let course_id = id(&course(&app, &token, &maths, "Algebra", json!({})).await);

    let a = module(&app, &token, &course_id, json!({"title": "A"})).await;
    assert_eq!(
        object_keys(&a),
        sorted(&["id", "course_id", "title", "position"])
    );
    assert_eq!(a["position"], 1);
    let b = module(&app, &token, &course_id, json!({"title": "B"})).await;
    assert_eq!(b["position"], 2);
    let c = module(&app, &token, &course_id, json!({"title": "C"})).await;
    // Inserted at 2: B and C move down.
    let x = module(
        &app,
        &token,
        &course_id,
        json!({"title": "X", "position": 2}),
    )
    .await;
    assert_eq!(x["position"], 2);
    assert_eq!(
        module_outline(&app, &token, &course_id).await,
        outline(&["A", "X", "B", "C"])
    );
    // Inserted at 1.
    module(
        &app,
        &token,
        &course_id,
        json!({"title": "Y", "position": 1}),
    )
    .await;
    assert_eq!(
        module_outline(&app, &token, &course_id).await,
        outline(&["Y", "A", "X", "B", "C"])
    );
    // A position past the end appends.
    let z = module(
        &app,
        &token,
        &course_id,
        json!({"title": "Z", "position": 99}),
    )
    .await;
    assert_eq!(z["position"], 6);

    // Moved down, up, to the end (clamped), renamed.
    let moved = json_of(
        patch(
            &app,
            &format!("{ADMIN_MODULES}/{}", id(&a)),
            &token,
            &json!({"position": 4}),
        )
        .await,
        200,
    )
    .await;
    assert_eq!(moved["position"], 4);
    assert_eq!(
        module_outline(&app, &token, &course_id).await,
        outline(&["Y", "X", "B", "A", "C", "Z"])
    );
    patch(
        &app,
        &format!("{ADMIN_MODULES}/{}", id(&c)),
        &token,
        &json!({"position": 1}),
    )
    .await;
    assert_eq!(
        module_outline(&app, &token, &course_id).await,
        outline(&["C", "Y", "X", "B", "A", "Z"])
    );
    let last = json_of(
        patch(
            &app,
            &format!("{ADMIN_MODULES}/{}", id(&c)),
            &token,
            &json!({"position": 500, "title": "C2"}),
        )
        .await,
        200,
    )
    .await;
    assert_eq!(last["position"], 6);
    assert_eq!(
        module_outline(&app, &token, &course_id).await,
        outline(&["Y", "X", "B", "A", "Z", "C2"])
    );

    // Deleted: the rest close up.
    assert_eq!(
        delete(&app, &format!("{ADMIN_MODULES}/{}", id(&x)), &token)
            .await
            .status(),
        204
    );
    assert_eq!(
        module_outline(&app, &token, &course_id).await,
        outline(&["Y", "B", "A", "Z", "C2"])
    );
    assert_eq!(
        delete(&app, &format!("{ADMIN_MODULES}/{}", id(&b)), &token)
            .await
            .status(),
        204
    );
    assert_eq!(
        module_outline(&app, &token, &course_id).await,
        outline(&["Y", "A", "Z", "C2"])
    );

    // Positions below 1 are refused, not clamped.
    for position in [0, -3] {
        let refused = problem(
            post(
                &app,
                &format!("{ADMIN_COURSES}/{course_id}/modules"),
                &token,
                &json!({"title": "Q", "position": position}),
            )
            .await,
            400,
            "validation",
        )
        .await;
        assert_eq!(
            field_errors(&refused),
            pairs(&[("position", "position.invalid")])
        );
    }
    let refused = problem(
        post(
            &app,
            &format!("{ADMIN_COURSES}/{course_id}/modules"),
            &token,
            &json!({}),
        )
        .await,
        400,
        "validation",
    )
    .await;
    assert_eq!(field_errors(&refused), pairs(&[("title", "required")]));
    assert_eq!(
        module_outline(&app, &token, &course_id).await,
        outline(&["Y", "A", "Z", "C2"])
    );
}

#[tokio::test]
async fn lessons_are_appended_inserted_moved_and_deleted_with_positions_1_to_n_per_module() {
    let app = spawn_app().await;
    let token = admin_token(&app).await;
    let maths = direction(&app, &token, "Matematika").await;
    let course_id = id(&course(&app, &token, &maths, "Algebra", json!({})).await);
    let first = id(&module(&app, &token, &course_id, json!({"title": "M1"})).await);
    let second = id(&module(&app, &token, &course_id, json!({"title": "M2"})).await);
    // The other module's lessons never move with these.
    lesson(&app, &token, &second, json!({"title": "Q1"})).await;
    lesson(&app, &token, &second, json!({"title": "Q2"})).await;

    let a = lesson(
        &app,
        &token,
        &first,
        json!({"title": "A", "description": "birinchi"}),
    )
    .await;
    assert_eq!(
        object_keys(&a),
        sorted(&["id", "module_id", "title", "description", "position"])
    );
    assert_eq!(a["position"], 1);
    assert_eq!(a["module_id"], first.as_str());
    let b = lesson(&app, &token, &first, json!({"title": "B"})).await;
    let c = lesson(&app, &token, &first, json!({"title": "C"})).await;
    let x = lesson(&app, &token, &first, json!({"title": "X", "position": 1})).await;
    assert_eq!(x["position"], 1);
    assert_eq!(
        lesson_outline(&app, &token, &course_id, 0).await,
        outline(&["X", "A", "B", "C"])
    );
    lesson(&app, &token, &first, json!({"title": "Y", "position": 3})).await;
    assert_eq!(
        lesson_outline(&app, &token, &course_id, 0).await,
        outline(&["X", "A", "Y", "B", "C"])
    );

    let moved = json_of(
        patch(
            &app,
            &format!("{ADMIN_LESSONS}/{}", id(&c)),
            &token,
            &json!({"position": 2, "description": "uchinchi"}),
        )
        .await,
        200,
    )
    .await;
    assert_eq!(moved["position"], 2);
    assert_eq!(moved["description"], "uchinchi");
    assert_eq!(
        lesson_outline(&app, &token, &course_id, 0).await,
        outline(&["X", "C", "A", "Y", "B"])
    );
    patch(
        &app,
        &format!("{ADMIN_LESSONS}/{}", id(&x)),
        &token,
        &json!({"position": 5}),
    )
    .await;
    assert_eq!(
        lesson_outline(&app, &token, &course_id, 0).await,
        outline(&["C", "A", "Y", "B", "X"])
    );

    assert_eq!(
        delete(&app, &format!("{ADMIN_LESSONS}/{}", id(&a)), &token)
            .await
            .status(),
        204
    );
    assert_eq!(
        lesson_outline(&app, &token, &course_id, 0).await,
        outline(&["C", "Y", "B", "X"])
    );
    assert_eq!(
        delete(&app, &format!("{ADMIN_LESSONS}/{}", id(&b)), &token)
            .await
            .status(),
        204
    );
    assert_eq!(
        lesson_outline(&app, &token, &course_id, 0).await,
        outline(&["C", "Y", "X"])
    );
    problem(
        app.get(&format!("{LESSONS}/{}", id(&a))).await,
        404,
        "lesson.not_found",
    )
    .await;
    assert_eq!(
        lesson_outline(&app, &token, &course_id, 1).await,
        outline(&["Q1", "Q2"])
    );

    // Deleting a module takes its lessons with it.
    assert_eq!(
        delete(&app, &format!("{ADMIN_MODULES}/{first}"), &token)
            .await
            .status(),
        204
    );
    set_status(&app, &token, &course_id, "published").await;
    problem(
        app.get(&format!("{LESSONS}/{}", id(&c))).await,
        404,
        "lesson.not_found",
    )
    .await;
    assert_eq!(
        module_outline(&app, &token, &course_id).await,
        outline(&["M2"])
    );
}

#[tokio::test]
async fn putting_a_certificate_twice_keeps_one_certificate_with_the_new_title() {
    let app = spawn_app().await;
    let token = admin_token(&app).await;
    let maths = direction(&app, &token, "Matematika").await;
    let course_id = published(&app, &token, &maths, "Algebra").await;

    let first = certificate(&app, &token, &course_id, "Algebra sertifikati").await;
    assert_eq!(object_keys(&first), sorted(&["id", "course_id", "title"]));
    assert_eq!(first["course_id"], course_id.as_str());
    let second = certificate(&app, &token, &course_id, "  Algebra: yakuniy sertifikat  ").await;
    assert_eq!(second["id"], first["id"], "one certificate per course");
    assert_eq!(second["title"], "Algebra: yakuniy sertifikat");

    let detail = public(&app, &format!("{COURSES}/{course_id}")).await;
    assert_eq!(detail["certificate"], second);

    for title in ["", "   "] {
        problem(
            put(
                &app,
                &format!("{ADMIN_COURSES}/{course_id}/certificate"),
                &token,
                &json!({"title": title}),
            )
            .await,
            400,
            "validation",
        )
        .await;
    }
    problem(
        put(
            &app,
            &format!("{ADMIN_COURSES}/{course_id}/certificate"),
            &token,
            &json!({}),
        )
        .await,
        400,
        "validation",
    )
    .await;
    let detail = public(&app, &format!("{COURSES}/{course_id}")).await;
    assert_eq!(
        detail["certificate"], second,
        "a refused title changes nothing"
    );
}

// ---------------------------------------------------------------- files

#[tokio::test]
async fn deleting_a_course_removes_its_outline_and_every_file_it_held() {
    let app = spawn_app().await;
    let token = admin_token(&app).await;
    let maths = direction(&app, &token, "Matematika").await;
    let doomed = id(&course(&app, &token, &maths, "Algebra", json!({})).await);
    let kept = id(&course(&app, &token, &maths, "Geometriya", json!({})).await);
    let module_id = id(&module(&app, &token, &doomed, json!({"title": "M"})).await);
    let uploaded = id(&lesson(&app, &token, &module_id, json!({"title": "L1"})).await);
    let external = id(&lesson(&app, &token, &module_id, json!({"title": "L2"})).await);
    assert_eq!(
        upload_video(&app, &token, &uploaded, &mp4(1, 5000), Some("60"))
            .await
            .status(),
        204
    );
    assert_eq!(
        put_video_url(&app, &token, &external, "https://cdn.example.uz/a.mp4", 60)
            .await
            .status(),
        204
    );
    workbook(&app, &token, &doomed, "Daftar", None, &pdf(1, 3000)).await;
    workbook(
        &app,
        &token,
        &doomed,
        "Dars daftari",
        Some(&uploaded),
        &pdf(2, 3000),
    )
    .await;
    certificate(&app, &token, &doomed, "Sertifikat").await;
    // Another course's files stay.
    let other_module = id(&module(&app, &token, &kept, json!({"title": "M"})).await);
    let other_lesson = id(&lesson(&app, &token, &other_module, json!({"title": "L"})).await);
    assert_eq!(
        upload_video(&app, &token, &other_lesson, &mp4(9, 4000), Some("60"))
            .await
            .status(),
        204
    );
    let other_workbook = workbook(&app, &token, &kept, "Boshqa", None, &pdf(9, 3000)).await;
    let others = stored(&app);
    assert_eq!(stored_under(&app, "videos/").len(), 2);
    assert_eq!(stored_under(&app, "workbooks/").len(), 3);

    assert_eq!(
        delete(&app, &format!("{ADMIN_COURSES}/{doomed}"), &token)
            .await
            .status(),
        204
    );

    let left = stored(&app);
    assert_eq!(stored_under(&app, "videos/").len(), 1, "{left:?}");
    assert_eq!(stored_under(&app, "workbooks/").len(), 1, "{left:?}");
    assert!(left.is_subset(&others));
    problem(
        get(&app, &format!("{ADMIN_COURSES}/{doomed}"), &token).await,
        404,
        "course.not_found",
    )
    .await;
    problem(
        app.get(&format!("{LESSONS}/{uploaded}")).await,
        404,
        "lesson.not_found",
    )
    .await;
    assert!(
        app.ports
            .videos
            .video_of(uploaded.parse().unwrap())
            .await
            .unwrap()
            .is_none()
    );
    let tree = json_of(
        get(&app, &format!("{ADMIN_COURSES}/{kept}"), &token).await,
        200,
    )
    .await;
    assert_eq!(ids(&tree["workbooks"]), [id(&other_workbook)]);
}

#[tokio::test]
async fn deleting_a_lesson_removes_its_uploaded_video_and_keeps_its_workbooks_for_the_course() {
    let app = spawn_app().await;
    let token = admin_token(&app).await;
    let maths = direction(&app, &token, "Matematika").await;
    let course_id = id(&course(&app, &token, &maths, "Algebra", json!({})).await);
    let module_id = id(&module(&app, &token, &course_id, json!({"title": "M"})).await);
    let doomed = id(&lesson(&app, &token, &module_id, json!({"title": "L1"})).await);
    assert_eq!(
        upload_video(&app, &token, &doomed, &mp4(3, 5000), Some("60"))
            .await
            .status(),
        204
    );
    let made = workbook(
        &app,
        &token,
        &course_id,
        "Dars daftari",
        Some(&doomed),
        &pdf(3, 3000),
    )
    .await;
    assert_eq!(stored_under(&app, "videos/").len(), 1);

    assert_eq!(
        delete(&app, &format!("{ADMIN_LESSONS}/{doomed}"), &token)
            .await
            .status(),
        204
    );
    assert!(
        stored_under(&app, "videos/").is_empty(),
        "{:?}",
        stored(&app)
    );
    assert_eq!(stored_under(&app, "workbooks/").len(), 1);
    let tree = json_of(
        get(&app, &format!("{ADMIN_COURSES}/{course_id}"), &token).await,
        200,
    )
    .await;
    assert_eq!(ids(&tree["workbooks"]), [id(&made)]);
    assert_eq!(tree["workbooks"][0]["lesson_id"], Value::Null, "{tree}");

    // Deleting a workbook removes its file.
    assert_eq!(
        delete(&app, &format!("{ADMIN_WORKBOOKS}/{}", id(&made)), &token)
            .await
            .status(),
        204
    );
    assert!(stored(&app).is_empty(), "{:?}", stored(&app));
    let tree = json_of(
        get(&app, &format!("{ADMIN_COURSES}/{course_id}"), &token).await,
        200,
    )
    .await;
    assert_eq!(tree["workbooks"], json!([]));
}

#[tokio::test]
async fn deleting_a_module_removes_the_uploaded_videos_of_its_lessons() {
    let app = spawn_app().await;
    let token = admin_token(&app).await;
    let maths = direction(&app, &token, "Matematika").await;
    let course_id = id(&course(&app, &token, &maths, "Algebra", json!({})).await);
    let doomed = id(&module(&app, &token, &course_id, json!({"title": "M1"})).await);
    let kept = id(&module(&app, &token, &course_id, json!({"title": "M2"})).await);
    for (i, module_id) in [&doomed, &doomed, &kept].into_iter().enumerate() {
        let lesson_id =
            id(&lesson(&app, &token, module_id, json!({"title": format!("L{i}")})).await);
        let seed = u8::try_from(i).unwrap();
        assert_eq!(
            upload_video(&app, &token, &lesson_id, &mp4(seed, 4000), Some("60"))
                .await
                .status(),
            204
        );
    }
    assert_eq!(stored_under(&app, "videos/").len(), 3);
    assert_eq!(
        delete(&app, &format!("{ADMIN_MODULES}/{doomed}"), &token)
            .await
            .status(),
        204
    );
    assert_eq!(stored_under(&app, "videos/").len(), 1);
    assert_eq!(
        module_outline(&app, &token, &course_id).await,
        outline(&["M2"])
    );
}

// ---------------------------------------------------------------- audit

#[tokio::test]
async fn every_catalogue_change_is_in_the_audit_log_and_refused_ones_are_not() {
    let app = spawn_app().await;
    let token = admin_token(&app).await;
    let maths = direction(&app, &token, "Matematika").await;
    patch(
        &app,
        &format!("{ADMIN_DIRECTIONS}/{maths}"),
        &token,
        &json!({"description": "x"}),
    )
    .await;
    let course_id = id(&course(&app, &token, &maths, "Algebra", json!({})).await);
    set_status(&app, &token, &course_id, "published").await;
    let module_id = id(&module(&app, &token, &course_id, json!({"title": "M"})).await);
    patch(
        &app,
        &format!("{ADMIN_MODULES}/{module_id}"),
        &token,
        &json!({"title": "M2"}),
    )
    .await;
    let lesson_id = id(&lesson(&app, &token, &module_id, json!({"title": "L"})).await);
    patch(
        &app,
        &format!("{ADMIN_LESSONS}/{lesson_id}"),
        &token,
        &json!({"title": "L2"}),
    )
    .await;
    assert_eq!(
        put_video_url(&app, &token, &lesson_id, "https://cdn.example.uz/v.mp4", 90)
            .await
            .status(),
        204
    );
    let made = workbook(&app, &token, &course_id, "Daftar", None, &pdf(1, 2000)).await;
    certificate(&app, &token, &course_id, "Sertifikat").await;
    delete(&app, &format!("{ADMIN_WORKBOOKS}/{}", id(&made)), &token).await;
    delete(&app, &format!("{ADMIN_LESSONS}/{lesson_id}"), &token).await;
    delete(&app, &format!("{ADMIN_MODULES}/{module_id}"), &token).await;
    delete(&app, &format!("{ADMIN_COURSES}/{course_id}"), &token).await;
    let physics = direction(&app, &token, "Fizika").await;
    delete(&app, &format!("{ADMIN_DIRECTIONS}/{physics}"), &token).await;
    // Refused changes and reads leave nothing.
    post(
        &app,
        ADMIN_DIRECTIONS,
        &token,
        &json!({"name": "Matematika"}),
    )
    .await;
    post(&app, ADMIN_COURSES, &token, &json!({"title": "x"})).await;
    get(&app, ADMIN_COURSES, &token).await;
    get(&app, &format!("{ADMIN_DIRECTIONS}/{maths}"), &token).await;

    let page = json_of(
        get(&app, &with_query(AUDIT, &[("limit", "100")]), &token).await,
        200,
    )
    .await;
    let mut entries: Vec<(String, String, String)> = page["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| {
            (
                e["action"].as_str().unwrap().to_owned(),
                e["target_type"].as_str().unwrap().to_owned(),
                e["target_id"].as_str().unwrap().to_owned(),
            )
        })
        .collect();
    entries.reverse();
    let workbook_id = id(&made);
    let expected: Vec<(String, String, String)> = [
        ("direction.create", "direction", maths.as_str()),
        ("direction.update", "direction", maths.as_str()),
        ("course.create", "course", course_id.as_str()),
        ("course.update", "course", course_id.as_str()),
        ("module.create", "module", module_id.as_str()),
        ("module.update", "module", module_id.as_str()),
        ("lesson.create", "lesson", lesson_id.as_str()),
        ("lesson.update", "lesson", lesson_id.as_str()),
        ("video.set", "lesson", lesson_id.as_str()),
        ("workbook.create", "workbook", workbook_id.as_str()),
        ("certificate.put", "course", course_id.as_str()),
        ("workbook.delete", "workbook", workbook_id.as_str()),
        ("lesson.delete", "lesson", lesson_id.as_str()),
        ("module.delete", "module", module_id.as_str()),
        ("course.delete", "course", course_id.as_str()),
        ("direction.create", "direction", physics.as_str()),
        ("direction.delete", "direction", physics.as_str()),
    ]
    .iter()
    .map(|(a, t, i)| ((*a).to_owned(), (*t).to_owned(), (*i).to_owned()))
    .collect();
    assert_eq!(entries, expected, "{page}");
    for entry in page["items"].as_array().unwrap() {
        assert!(
            entry["admin_id"].is_string() && entry["ip"].is_string(),
            "{entry}"
        );
    }
    // The video's entry holds its duration, never its URL.
    assert!(!page.to_string().contains("cdn.example.uz"), "{page}");
}

#[tokio::test]
async fn modules_added_at_the_same_time_still_get_positions_1_to_n() {
    let app = spawn_app().await;
    let token = admin_token(&app).await;
    let maths = direction(&app, &token, "Matematika").await;
    let course_id = id(&course(&app, &token, &maths, "Algebra", json!({})).await);
    let path = format!("{ADMIN_COURSES}/{course_id}/modules");
    let requests = (0..8).map(|i| {
        let body = if i % 2 == 0 {
            json!({"title": format!("M{i}")})
        } else {
            json!({"title": format!("M{i}"), "position": 1})
        };
        let path = path.clone();
        let app = &app;
        let token = &token;
        async move { post(app, &path, token, &body).await.status().as_u16() }
    });
    let statuses = futures_util::future::join_all(requests).await;
    assert!(statuses.iter().all(|s| *s == 201), "{statuses:?}");
    let positions: Vec<i64> = module_outline(&app, &token, &course_id)
        .await
        .into_iter()
        .map(|(_, p)| p)
        .collect();
    assert_eq!(positions, (1..=8).collect::<Vec<i64>>());
}

/// A module has a title and a position only (API.md, Admin): a `description`
/// is a field it does not have, and bodies reject unknown fields (400)
/// rather than dropping them.
#[tokio::test]
async fn a_module_body_with_a_description_is_refused_as_an_unknown_field() {
    let app = spawn_app().await;
    let token = admin_token(&app).await;
    let maths = direction(&app, &token, "Matematika").await;
    let course_id = id(&course(&app, &token, &maths, "Algebra", json!({})).await);
    let made = module(&app, &token, &course_id, json!({"title": "M"})).await;

    let created = post(
        &app,
        &format!("{ADMIN_COURSES}/{course_id}/modules"),
        &token,
        &json!({"title": "M2", "description": "dropped without a word"}),
    )
    .await;
    problem(created, 400, "validation").await;
    let changed = patch(
        &app,
        &format!("{ADMIN_MODULES}/{}", id(&made)),
        &token,
        &json!({"description": "dropped without a word"}),
    )
    .await;
    problem(changed, 400, "validation").await;
}
