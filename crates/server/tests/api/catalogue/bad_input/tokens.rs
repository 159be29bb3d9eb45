//! Tokens: admin catalogue routes answer 401 to a user token, a bad token and
//! no token; public routes need none and ignore one.

use super::{admin_routes_with_id, admin_routes_without_id, call};
use crate::catalogue::helpers::{
    ADMIN_COURSES, ADMIN_DIRECTIONS, COURSES, DIRECTIONS, admin_token, course, direction, get,
    json_of, stored, user_token,
};
use crate::helpers::spawn_app;
use serde_json::{Value, json};

#[tokio::test]
async fn admin_catalogue_routes_answer_401_to_a_user_token_a_bad_token_and_no_token() {
    let app = spawn_app().await;
    let admin = admin_token(&app).await;
    let dir = direction(&app, &admin, "Matematika").await;
    let created = course(&app, &admin, &dir, "Algebra", json!({})).await;
    let course_id = created["id"].as_str().unwrap().to_owned();
    let user = user_token(&app, "talaba@bilim.uz").await;
    let forged = format!("{admin}x");
    let mut routes = admin_routes_with_id();
    routes.extend(admin_routes_without_id());

    for route in &routes {
        for (who, token) in [
            ("user", Some(user.as_str())),
            ("forged", Some(forged.as_str())),
            ("none", None),
        ] {
            let response = call(&app, route, &course_id, token).await;
            let what = format!("{} {} as {who}", route.method, route.path);
            let status = response.status().as_u16();
            let text = response.text().await.unwrap();
            assert_eq!(status, 401, "{what}: {text}");
            let body: Value = serde_json::from_str(&text).unwrap();
            assert!(
                body["code"].as_str().unwrap().starts_with("auth."),
                "{what}: {text}"
            );
        }
    }
    // Nothing was changed, nothing stored.
    let tree = json_of(
        get(&app, &format!("{ADMIN_COURSES}/{course_id}"), &admin).await,
        200,
    )
    .await;
    assert_eq!(tree["title"], "Algebra");
    assert_eq!(tree["modules"], json!([]));
    assert_eq!(tree["certificate"], Value::Null);
    let directions = json_of(get(&app, ADMIN_DIRECTIONS, &admin).await, 200).await;
    assert_eq!(directions["items"].as_array().unwrap().len(), 1);
    assert!(stored(&app).is_empty(), "{:?}", stored(&app));
    // The audit log holds the admin's own changes only.
    let audit = json_of(
        get(&app, crate::catalogue::helpers::AUDIT, &admin).await,
        200,
    )
    .await;
    assert_eq!(audit["items"].as_array().unwrap().len(), 2, "{audit}");
}

#[tokio::test]
async fn public_catalogue_routes_need_no_token_and_ignore_one() {
    let app = spawn_app().await;
    let admin = admin_token(&app).await;
    let dir = direction(&app, &admin, "Matematika").await;
    let created = course(
        &app,
        &admin,
        &dir,
        "Algebra",
        json!({"status": "published"}),
    )
    .await;
    let course_id = created["id"].as_str().unwrap().to_owned();
    let user = user_token(&app, "talaba@bilim.uz").await;
    for path in [
        DIRECTIONS.to_owned(),
        format!("{DIRECTIONS}/{dir}"),
        COURSES.to_owned(),
        format!("{COURSES}/{course_id}"),
    ] {
        let anonymous = json_of(app.get(&path).await, 200).await;
        let as_user = json_of(get(&app, &path, &user).await, 200).await;
        let as_admin = json_of(get(&app, &path, &admin).await, 200).await;
        assert_eq!(anonymous, as_user, "{path}");
        assert_eq!(anonymous, as_admin, "{path}");
    }
}
