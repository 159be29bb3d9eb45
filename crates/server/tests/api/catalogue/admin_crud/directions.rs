//! Admin CRUD of directions: a name no other direction has, reads, renames,
//! moves and deletes with positions kept `1..n`, and no delete while the
//! direction still has courses.

use super::{id, pairs};
use crate::catalogue::helpers::{
    ADMIN_COURSES, ADMIN_DIRECTIONS, admin_token, course, delete, direction, field_errors, get,
    ids, json_of, object_keys, patch, post, problem, public, sorted,
};
use crate::helpers::spawn_app;
use serde_json::{Value, json};

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
        ids(&public(&app, crate::catalogue::helpers::DIRECTIONS).await),
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
