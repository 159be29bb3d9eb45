//! `/admin/audit`: every admin change is recorded (who, what, to what, details,
//! from where, when); reads and refused changes are not.

use super::helpers::{
    ADMINS, AUDIT, USERS, get, ids, insert_user, insert_users, json_of, list, patch_user, patched,
    plain_admin, post_admin, problem, root, walk, with_query,
};
use crate::helpers::{TEST_PASSWORD, TestApp, spawn_app, spawn_app_with, start_time};
use chrono::{DateTime, Duration, Utc};
use reqwest::Method;
use serde_json::{Value, json};

fn entries(page: &Value) -> &Vec<Value> {
    page["items"]
        .as_array()
        .unwrap_or_else(|| panic!("no items: {page}"))
}

fn at(entry: &Value) -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(entry["at"].as_str().unwrap())
        .unwrap()
        .with_timezone(&Utc)
}

/// `(admin_id, target_id)` of each entry, in order.
fn who_and_what(page: &Value) -> Vec<(String, String)> {
    entries(page)
        .iter()
        .map(|e| {
            (
                e["admin_id"].as_str().unwrap().to_owned(),
                e["target_id"].as_str().unwrap().to_owned(),
            )
        })
        .collect()
}

#[tokio::test]
async fn patching_a_user_is_recorded_with_who_what_where_and_when() {
    let app = spawn_app().await;
    let admin = root(&app).await;
    let user = insert_user(&app, "Aziz", "Test", "aziz@bilim.uz", None).await;
    let user_id = user.id.to_string();
    app.clock.advance(Duration::minutes(5));

    patched(
        &app,
        &admin.access,
        &user_id,
        &json!({"active": false, "role": "teacher"}),
    )
    .await;

    let page = list(&app, &admin.access, AUDIT, &[]).await;
    assert!(page["next_cursor"].is_null(), "{page}");
    let items = entries(&page);
    assert_eq!(items.len(), 1, "{page}");
    let entry = &items[0];
    let mut keys: Vec<&str> = entry
        .as_object()
        .unwrap()
        .keys()
        .map(String::as_str)
        .collect();
    keys.sort_unstable();
    assert_eq!(
        keys,
        [
            "action",
            "admin_id",
            "at",
            "details",
            "id",
            "ip",
            "target_id",
            "target_type"
        ]
    );
    assert!(uuid::Uuid::parse_str(entry["id"].as_str().unwrap()).is_ok());
    assert_eq!(entry["admin_id"], admin.id.as_str());
    assert_eq!(entry["action"], "user.update");
    assert_eq!(entry["target_type"], "user");
    assert_eq!(entry["target_id"], user_id.as_str());
    assert!(entry["details"].is_object(), "{entry}");
    assert_eq!(
        entry["details"]["active"],
        json!({"from": true, "to": false}),
        "{entry}"
    );
    assert_eq!(
        entry["details"]["role"],
        json!({"from": "student", "to": "teacher"}),
        "{entry}"
    );
    assert_eq!(entry["ip"], "127.0.0.1");
    assert_eq!(at(entry), start_time() + Duration::minutes(5));
}

#[tokio::test]
async fn creating_an_admin_is_recorded_without_the_password() {
    let app = spawn_app().await;
    let admin = root(&app).await;
    let body = json!({"username": "dilnoza", "email": "dilnoza@bilim.uz", "password": TEST_PASSWORD, "role": "super"});
    let created = json_of(post_admin(&app, &admin.access, &body).await, 201).await;

    let response = get(&app, AUDIT, &admin.access).await;
    let text = response.text().await.unwrap();
    assert!(!text.contains(TEST_PASSWORD), "{text}");
    assert!(!text.contains("$argon2"), "{text}");
    let page: Value = serde_json::from_str(&text).unwrap();
    let items = entries(&page);
    assert_eq!(items.len(), 1, "{page}");
    let entry = &items[0];
    assert_eq!(entry["admin_id"], admin.id.as_str());
    assert_eq!(entry["action"], "admin.create");
    assert_eq!(entry["target_type"], "admin");
    assert_eq!(entry["target_id"], created["id"]);
    assert!(entry["details"].is_object(), "{entry}");
    assert_eq!(entry["details"]["username"], "dilnoza", "{entry}");
    assert_eq!(entry["ip"], "127.0.0.1");
    assert_eq!(at(entry), start_time());
}

#[tokio::test]
async fn reads_and_refused_changes_leave_no_trace() {
    let app = spawn_app().await;
    let admin = root(&app).await;
    let plain = plain_admin(&app, "dilnoza").await;
    let user = app.register("aziz@bilim.uz").await;
    let user_id = user["user"]["id"].as_str().unwrap();
    let user_access = user["access_token"].as_str().unwrap();

    // Reads.
    for path in [
        USERS.to_owned(),
        with_query(USERS, &[("status", "inactive"), ("q", "aziz")]),
        format!("{USERS}/{user_id}"),
        ADMINS.to_owned(),
        AUDIT.to_owned(),
    ] {
        json_of(get(&app, &path, &admin.access).await, 200).await;
    }
    // Refused changes.
    let unknown = uuid::Uuid::now_v7().to_string();
    let refused = [
        patch_user(&app, &admin.access, user_id, &json!({"role": "admin"})).await,
        patch_user(&app, &admin.access, user_id, &json!({"email": "x@bilim.uz"})).await,
        patch_user(&app, &admin.access, &unknown, &json!({"active": false})).await,
        patch_user(&app, user_access, user_id, &json!({"active": false})).await,
        post_admin(
            &app,
            &admin.access,
            &json!({"username": "root", "email": "new@bilim.uz", "password": TEST_PASSWORD}),
        )
        .await,
        post_admin(
            &app,
            &admin.access,
            &json!({"username": "weak", "email": "weak@bilim.uz", "password": "password123"}),
        )
        .await,
        post_admin(
            &app,
            &plain.access,
            &json!({"username": "kamola", "email": "kamola@bilim.uz", "password": TEST_PASSWORD}),
        )
        .await,
        app.authed(Method::POST, ADMINS, user_access)
            .json(&json!({"username": "kamola", "email": "kamola@bilim.uz", "password": TEST_PASSWORD}))
            .send()
            .await
            .unwrap(),
    ];
    for response in refused {
        assert!(
            response.status().is_client_error(),
            "{}",
            response.text().await.unwrap()
        );
    }

    let page = list(&app, &admin.access, AUDIT, &[]).await;
    assert_eq!(entries(&page), &Vec::<Value>::new());
    assert!(page["next_cursor"].is_null());
}

#[tokio::test]
async fn the_log_is_newest_first_and_filters_by_admin_and_by_target() {
    let app = spawn_app().await;
    let root = root(&app).await;
    let plain = plain_admin(&app, "dilnoza").await;
    let users = insert_users(&app, 2).await;
    let (a, b) = (&users[0], &users[1]);

    // In order: root→a, plain→b, root→b, plain→a; each a real change (only
    // changes are audited): the first touch makes a teacher, the second undoes it.
    let steps = [
        (&root, a, "teacher"),
        (&plain, b, "teacher"),
        (&root, b, "student"),
        (&plain, a, "student"),
    ];
    for (admin, user, role) in steps {
        patched(&app, &admin.access, user, &json!({ "role": role })).await;
        app.clock.advance(Duration::seconds(1));
    }
    let pair = |admin: &str, user: &str| (admin.to_owned(), user.to_owned());

    let all = list(&app, &root.access, AUDIT, &[]).await;
    assert_eq!(
        who_and_what(&all),
        [
            pair(&plain.id, a),
            pair(&root.id, b),
            pair(&plain.id, b),
            pair(&root.id, a),
        ]
    );
    let times: Vec<DateTime<Utc>> = entries(&all).iter().map(at).collect();
    assert!(times.windows(2).all(|w| w[0] > w[1]), "{times:?}");

    let by_plain = list(&app, &root.access, AUDIT, &[("admin_id", &plain.id)]).await;
    assert_eq!(
        who_and_what(&by_plain),
        [pair(&plain.id, a), pair(&plain.id, b)]
    );
    let on_b = list(&app, &root.access, AUDIT, &[("target_id", b)]).await;
    assert_eq!(who_and_what(&on_b), [pair(&root.id, b), pair(&plain.id, b)]);
    let both = list(
        &app,
        &root.access,
        AUDIT,
        &[("admin_id", &root.id), ("target_id", a)],
    )
    .await;
    assert_eq!(who_and_what(&both), [pair(&root.id, a)]);
    let nobody = uuid::Uuid::now_v7().to_string();
    let none = list(&app, &root.access, AUDIT, &[("admin_id", &nobody)]).await;
    assert_eq!(entries(&none).len(), 0);
    let none = list(&app, &root.access, AUDIT, &[("target_id", &nobody)]).await;
    assert_eq!(entries(&none).len(), 0);

    // A plain admin reads the same log.
    let seen_by_plain = list(&app, &plain.access, AUDIT, &[]).await;
    assert_eq!(ids(&seen_by_plain), ids(&all));

    let path = with_query(AUDIT, &[("admin_id", "not-a-uuid")]);
    let response = get(&app, &path, &root.access).await;
    assert_eq!(response.status(), 400);
    assert_eq!(
        response.headers()["content-type"],
        "application/problem+json"
    );
}

#[tokio::test]
async fn the_log_pages_through_every_entry_exactly_once() {
    let app = spawn_app().await;
    let admin = root(&app).await;
    let users = insert_users(&app, 7).await;
    for user in &users {
        patched(&app, &admin.access, user, &json!({"active": false})).await;
    }
    let mut newest_first = users.clone();
    newest_first.reverse();

    let pages = walk(&app, &admin.access, AUDIT, &[], 3).await;
    assert_eq!(
        pages.iter().map(|p| entries(p).len()).collect::<Vec<_>>(),
        [3, 3, 1]
    );
    let targets: Vec<String> = pages
        .iter()
        .flat_map(|p| who_and_what(p).into_iter().map(|(_, target)| target))
        .collect();
    assert_eq!(targets, newest_first);
    let entry_ids: Vec<String> = pages.iter().flat_map(ids).collect();
    let mut unique = entry_ids.clone();
    unique.sort();
    unique.dedup();
    assert_eq!(unique.len(), 7);

    // A filtered log pages too.
    let pages = walk(&app, &admin.access, AUDIT, &[("admin_id", &admin.id)], 5).await;
    assert_eq!(pages.len(), 2);
    assert_eq!(pages.iter().flat_map(ids).collect::<Vec<_>>(), entry_ids);

    let first = list(&app, &admin.access, AUDIT, &[]).await;
    assert_eq!(ids(&first), entry_ids, "the default page holds up to 20");
    for (key, value) in [("limit", "101"), ("limit", "0"), ("cursor", "garbage!")] {
        let path = with_query(AUDIT, &[(key, value)]);
        problem(get(&app, &path, &admin.access).await, 400, "validation").await;
    }
}

/// Deactivates a new user with `X-Forwarded-For: 203.0.113.9`; returns the `ip`
/// the audit log recorded.
async fn recorded_ip(app: &TestApp) -> Value {
    let admin = root(app).await;
    let user = insert_user(app, "Aziz", "Test", "aziz@bilim.uz", None).await;
    let response = app
        .authed(
            Method::PATCH,
            &format!("{USERS}/{}", user.id),
            &admin.access,
        )
        .header("x-forwarded-for", "203.0.113.9")
        .json(&json!({"active": false}))
        .send()
        .await
        .unwrap();
    json_of(response, 200).await;
    let page = list(app, &admin.access, AUDIT, &[]).await;
    entries(&page)[0]["ip"].clone()
}

#[tokio::test]
async fn the_recorded_ip_is_the_peer_unless_a_trusted_proxy_forwards_the_client() {
    let app = spawn_app().await;
    assert_eq!(recorded_ip(&app).await, "127.0.0.1");
    let behind_proxy = spawn_app_with(|vars| {
        vars.insert("BILIM_TRUSTED_PROXIES".into(), "127.0.0.1".into());
    })
    .await;
    assert_eq!(recorded_ip(&behind_proxy).await, "203.0.113.9");
}

#[tokio::test]
async fn a_patch_that_changes_nothing_leaves_no_trace() {
    let app = spawn_app().await;
    let admin = root(&app).await;
    let users = insert_users(&app, 1).await;
    patched(
        &app,
        &admin.access,
        &users[0],
        &json!({"role": "student", "active": true}),
    )
    .await;
    patched(&app, &admin.access, &users[0], &json!({})).await;
    let page = list(&app, &admin.access, AUDIT, &[]).await;
    assert_eq!(entries(&page), &Vec::<Value>::new());
}
