//! Admin CRUD of courses: required fields and defaults, level and status
//! values, `access_months` 1 to 60, a teacher who has the teacher role, an
//! unknown direction named in the error, and changes that keep what is not sent.

use super::{id, pairs};
use crate::catalogue::helpers::{
    ADMIN_COURSES, admin_token, course, direction, field_errors, get, ids, insert_user, json_of,
    patch, post, problem,
};
use crate::helpers::spawn_app;
use bilim_domain::users::UserRole;
use serde_json::{Value, json};

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
