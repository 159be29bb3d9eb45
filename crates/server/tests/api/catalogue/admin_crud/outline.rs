//! Modules and lessons appended, inserted, moved and deleted with positions
//! `1..n` (also when modules are added at the same time), a module body's unknown
//! fields refused, and one certificate per course.

use super::{id, module_outline, outline, pairs};
use crate::catalogue::helpers::{
    ADMIN_COURSES, ADMIN_LESSONS, ADMIN_MODULES, COURSES, LESSONS, admin_token, certificate,
    course, delete, direction, field_errors, get, json_of, lesson, module, object_keys, patch,
    post, problem, public, published, put, set_status, sorted,
};
use crate::helpers::{TestApp, spawn_app};
use serde_json::json;

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
