//! `PATCH /admin/admins/{id}` (super admins): role, `active` and the
//! Telegram id of document 002's Admins table; never leaving no active
//! super admin; audited.

use crate::support::{AUDIT, admin_login, create_admin, get, json_of, patch, problem, status_of};
use bilim_domain::admins::AdminRole;
use reqwest::Method;
use serde_json::json;

const ADMINS: &str = "/api/v1/admin/admins";

#[tokio::test]
async fn a_super_admin_changes_another_admins_telegram_id_role_and_active() {
    let app = crate::helpers::spawn_app().await;
    create_admin(&app, "root", "root@bilim.uz", AdminRole::Super).await;
    let root = admin_login(&app, "root", "root@bilim.uz").await;
    let id = create_admin(&app, "sotuvchi", "sotuvchi@bilim.uz", AdminRole::Admin).await;
    let seller = admin_login(&app, "sotuvchi", "sotuvchi@bilim.uz").await;
    let path = format!("{ADMINS}/{id}");

    let changed = json_of(
        patch(&app, &path, &root.access, &json!({"tg_id": 123456789})).await,
        200,
    )
    .await;
    assert_eq!(changed["tg_id"], 123456789);
    assert_eq!(changed["role"], "admin");
    let cleared = json_of(
        patch(&app, &path, &root.access, &json!({"tg_id": null})).await,
        200,
    )
    .await;
    assert_eq!(cleared["tg_id"], serde_json::Value::Null);

    // Deactivated: the admin's tokens stop working at once.
    let off = json_of(
        patch(&app, &path, &root.access, &json!({"active": false})).await,
        200,
    )
    .await;
    assert_eq!(off["active"], false);
    assert_eq!(
        status_of(&app, Method::GET, "/api/v1/admin/users", &seller.access).await,
        401
    );
    let on = json_of(
        patch(
            &app,
            &path,
            &root.access,
            &json!({"active": true, "role": "super"}),
        )
        .await,
        200,
    )
    .await;
    assert_eq!(
        (on["active"].clone(), on["role"].clone()),
        (json!(true), json!("super"))
    );

    let audit = json_of(get(&app, AUDIT, &root.access).await, 200).await;
    let actions: Vec<&str> = audit["items"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["action"] == "admin.update")
        .map(|e| e["target_id"].as_str().unwrap())
        .collect();
    assert_eq!(actions, [id.as_str(); 4]);
}

#[tokio::test]
async fn the_last_active_super_admin_stays() {
    let app = crate::helpers::spawn_app().await;
    let root_id = create_admin(&app, "root", "root@bilim.uz", AdminRole::Super).await;
    let root = admin_login(&app, "root", "root@bilim.uz").await;
    let path = format!("{ADMINS}/{root_id}");
    for body in [json!({"active": false}), json!({"role": "admin"})] {
        problem(
            patch(&app, &path, &root.access, &body).await,
            409,
            "admin.last_super",
        )
        .await;
    }
    let me = json_of(
        patch(&app, &path, &root.access, &json!({"tg_id": 5})).await,
        200,
    )
    .await;
    assert_eq!(
        (me["role"].clone(), me["active"].clone()),
        (json!("super"), json!(true))
    );

    // With a second super admin, the first may step down.
    create_admin(&app, "ikkinchi", "ikkinchi@bilim.uz", AdminRole::Super).await;
    let down = json_of(
        patch(&app, &path, &root.access, &json!({"role": "admin"})).await,
        200,
    )
    .await;
    assert_eq!(down["role"], "admin");
}

#[tokio::test]
async fn only_super_admins_change_admins_and_bad_input_is_refused() {
    let app = crate::helpers::spawn_app().await;
    let root_id = create_admin(&app, "root", "root@bilim.uz", AdminRole::Super).await;
    let root = admin_login(&app, "root", "root@bilim.uz").await;
    create_admin(&app, "oddiy", "oddiy@bilim.uz", AdminRole::Admin).await;
    let plain = admin_login(&app, "oddiy", "oddiy@bilim.uz").await;
    let path = format!("{ADMINS}/{root_id}");
    problem(
        patch(&app, &path, &plain.access, &json!({"active": false})).await,
        403,
        "admin.forbidden",
    )
    .await;
    problem(
        patch(&app, &path, &root.access, &json!({"role": "owner"})).await,
        400,
        "validation",
    )
    .await;
    problem(
        patch(&app, &path, &root.access, &json!({"tg_id": -1})).await,
        400,
        "validation",
    )
    .await;
    problem(
        patch(&app, &path, &root.access, &json!({"name": "x"})).await,
        400,
        "validation",
    )
    .await;
    let unknown = format!("{ADMINS}/{}", uuid::Uuid::now_v7());
    problem(
        patch(&app, &unknown, &root.access, &json!({"active": false})).await,
        404,
        "admin.not_found",
    )
    .await;
}
