//! Every catalogue change is in the audit log, and refused changes are not.

use super::id;
use crate::catalogue::helpers::{
    ADMIN_COURSES, ADMIN_DIRECTIONS, ADMIN_LESSONS, ADMIN_MODULES, ADMIN_WORKBOOKS, AUDIT,
    admin_token, certificate, course, delete, direction, get, json_of, lesson, module, patch, pdf,
    post, put_video_url, set_status, with_query, workbook,
};
use crate::helpers::spawn_app;
use serde_json::json;

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
