//! Two servers on one database, each caching course pages: an admin's change
//! through one is on the other's very next page, with nothing flushed.

use super::helpers::{
    ADMIN_COURSES, ADMIN_LESSONS, COURSES, direction, json_of, lesson, module, patch, public,
    published, set_status,
};
use crate::helpers::{spawn_app, spawn_app_with};
use serde_json::json;

#[tokio::test]
async fn a_change_through_one_instance_is_on_the_next_page_of_another() {
    let first = spawn_app().await;
    let database_url = first.database_url();
    let second = spawn_app_with(move |vars| {
        vars.insert("BILIM_DATABASE_URL".into(), database_url);
    })
    .await;
    let token = super::helpers::admin_token(&first).await;
    let maths = direction(&first, &token, "Matematika").await;
    let course = published(&first, &token, &maths, "Algebra").await;
    let outline = module(&first, &token, &course, json!({"title": "Tenglamalar"})).await;
    let module_id = outline["id"].as_str().unwrap();
    let lesson = lesson(&first, &token, module_id, json!({"title": "Chiziqli"})).await;
    let lesson_id = lesson["id"].as_str().unwrap();
    let page = format!("{COURSES}/{course}");

    // Read twice on the second instance, so that it serves the page from memory.
    for _ in 0..2 {
        let tree = public(&second, &page).await;
        assert_eq!(tree["modules"][0]["lessons"][0]["title"], "Chiziqli");
    }

    let retitled = patch(
        &first,
        &format!("{ADMIN_LESSONS}/{lesson_id}"),
        &token,
        &json!({"title": "Chiziqli tenglamalar"}),
    )
    .await;
    json_of(retitled, 200).await;
    let tree = public(&second, &page).await;
    assert_eq!(
        tree["modules"][0]["lessons"][0]["title"], "Chiziqli tenglamalar",
        "{tree}"
    );

    let renamed = patch(
        &first,
        &format!("{ADMIN_COURSES}/{course}"),
        &token,
        &json!({"title": "Algebra asoslari"}),
    )
    .await;
    json_of(renamed, 200).await;
    assert_eq!(public(&second, &page).await["title"], "Algebra asoslari");

    // Archived through the first: the second stops showing it at once.
    set_status(&first, &token, &course, "archived").await;
    assert_eq!(second.get(&page).await.status(), 404);
}
