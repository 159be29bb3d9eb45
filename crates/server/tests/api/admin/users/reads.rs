//! `GET /admin/users` and `GET /admin/users/{id}`: newest first without
//! secrets and with whole-table totals, admins never listed, keyset pages,
//! limits and cursors, the status filter, the search in any case and script
//! (wildcards literal), and one user with courses, workbooks and certificates.

use super::{registered, sorted_keys, user_keys};
use crate::admin::helpers::{
    USERS, get, ids, insert_user, insert_users, json_of, list, patch_user, patched, plain_admin,
    problem, root, totals, walk, with_query,
};
use crate::helpers::spawn_app;
use serde_json::{Value, json};

/// The emails of a page's items, in order.
fn emails(page: &Value) -> Vec<String> {
    page["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|item| item["email"].as_str().unwrap().to_owned())
        .collect()
}

#[tokio::test]
async fn the_user_list_shows_every_user_newest_first_without_secrets_and_with_totals() {
    let app = spawn_app().await;
    let admin = root(&app).await;
    let (registered_id, _, _) = registered(&app, "aziz@bilim.uz").await;
    let stored = insert_user(
        &app,
        "Malika",
        "Yusupova",
        "malika@bilim.uz",
        Some("+998 90 123 45 67"),
    )
    .await;

    let page = list(&app, &admin.access, USERS, &[]).await;
    assert_eq!(
        sorted_keys(&page),
        ["items", "next_cursor", "totals"].map(str::to_owned)
    );
    assert_eq!(
        ids(&page),
        [stored.id.to_string(), registered_id.clone()],
        "newest first"
    );
    assert!(page["next_cursor"].is_null(), "{page}");
    assert_eq!(totals(&page), (2, 0));
    let items = page["items"].as_array().unwrap();
    for item in items {
        assert_eq!(sorted_keys(item), user_keys(), "{item}");
    }
    let malika = &items[0];
    assert_eq!(malika["first_name"], "Malika");
    assert_eq!(malika["last_name"], "Yusupova");
    assert_eq!(malika["email"], "malika@bilim.uz");
    assert_eq!(malika["phone"], "+998901234567");
    assert_eq!(malika["role"], "student");
    assert_eq!(malika["active"], true);
    assert_eq!(items[1]["email"], "aziz@bilim.uz");
    assert!(items[1]["email_verified_at"].is_string(), "{}", items[1]);
}

#[tokio::test]
async fn admins_are_not_users_and_never_appear_in_the_user_list() {
    let app = spawn_app().await;
    let admin = root(&app).await;
    plain_admin(&app, "dilnoza").await;
    let page = list(&app, &admin.access, USERS, &[]).await;
    assert_eq!(ids(&page), Vec::<String>::new());
    assert_eq!(totals(&page), (0, 0));
    let page = list(&app, &admin.access, USERS, &[("q", "root")]).await;
    assert_eq!(ids(&page), Vec::<String>::new());
}

#[tokio::test]
async fn walking_every_page_returns_each_user_exactly_once_newest_first() {
    let app = spawn_app().await;
    let admin = root(&app).await;
    let mut created = insert_users(&app, 45).await;
    created.reverse();

    let pages = walk(&app, &admin.access, USERS, &[], 10).await;
    assert_eq!(
        pages.iter().map(|p| ids(p).len()).collect::<Vec<_>>(),
        [10, 10, 10, 10, 5]
    );
    let walked: Vec<String> = pages.iter().flat_map(ids).collect();
    assert_eq!(walked, created);
    for page in &pages {
        assert_eq!(totals(page), (45, 0), "totals on every page");
    }

    // The default page is 20; 100 is allowed and takes everything here.
    let first = list(&app, &admin.access, USERS, &[]).await;
    assert_eq!(ids(&first), created[..20]);
    assert!(first["next_cursor"].is_string(), "{first}");
    let all = list(&app, &admin.access, USERS, &[("limit", "100")]).await;
    assert_eq!(ids(&all), created);
    assert!(all["next_cursor"].is_null());

    // A page that ends exactly at the last user says so.
    let exact = walk(&app, &admin.access, USERS, &[], 15).await;
    assert_eq!(exact.len(), 3);
    assert_eq!(exact.iter().flat_map(ids).collect::<Vec<_>>(), created);
}

#[tokio::test]
async fn limits_outside_1_to_100_and_cursors_the_api_never_gave_are_refused() {
    let app = spawn_app().await;
    let admin = root(&app).await;
    insert_users(&app, 2).await;
    for limit in ["101", "0"] {
        let path = with_query(USERS, &[("limit", limit)]);
        let body = problem(get(&app, &path, &admin.access).await, 400, "validation").await;
        assert!(body.to_string().contains("limit"), "{body}");
    }
    for cursor in ["garbage!", "bm90LWEtdXVpZA", "%%%"] {
        let path = with_query(USERS, &[("cursor", cursor)]);
        let body = problem(get(&app, &path, &admin.access).await, 400, "validation").await;
        assert!(body.to_string().contains("cursor"), "{body}");
    }
    for limit in ["-1", "ten"] {
        let path = with_query(USERS, &[("limit", limit)]);
        let response = get(&app, &path, &admin.access).await;
        assert_eq!(response.status(), 400, "limit={limit}");
        assert_eq!(
            response.headers()["content-type"],
            "application/problem+json"
        );
    }
}

#[tokio::test]
async fn the_status_filter_picks_active_or_inactive_users_and_refuses_other_values() {
    let app = spawn_app().await;
    let admin = root(&app).await;
    let created = insert_users(&app, 5).await;
    for id in [&created[1], &created[3]] {
        patched(&app, &admin.access, id, &json!({"active": false})).await;
    }
    let newest_first = |picked: &[usize]| -> Vec<String> {
        picked.iter().rev().map(|i| created[*i].clone()).collect()
    };

    let active = list(&app, &admin.access, USERS, &[("status", "active")]).await;
    assert_eq!(ids(&active), newest_first(&[0, 2, 4]));
    let inactive = list(&app, &admin.access, USERS, &[("status", "inactive")]).await;
    assert_eq!(ids(&inactive), newest_first(&[1, 3]));
    assert!(
        inactive["items"]
            .as_array()
            .unwrap()
            .iter()
            .all(|u| u["active"] == false)
    );
    let all = list(&app, &admin.access, USERS, &[("status", "all")]).await;
    assert_eq!(ids(&all), newest_first(&[0, 1, 2, 3, 4]));
    let unfiltered = list(&app, &admin.access, USERS, &[]).await;
    assert_eq!(ids(&unfiltered), ids(&all));
    for page in [&active, &inactive, &all, &unfiltered] {
        assert_eq!(totals(page), (3, 2), "totals ignore the filter");
    }

    // A filtered list pages like any other.
    let pages = walk(&app, &admin.access, USERS, &[("status", "active")], 2).await;
    assert_eq!(pages.len(), 2);
    assert_eq!(
        pages.iter().flat_map(ids).collect::<Vec<_>>(),
        newest_first(&[0, 2, 4])
    );

    for status in ["deleted", "ACTIVE", ""] {
        let path = with_query(USERS, &[("status", status)]);
        let body = problem(get(&app, &path, &admin.access).await, 400, "validation").await;
        assert!(body.to_string().contains("status"), "{status}: {body}");
    }
}

#[tokio::test]
async fn the_search_matches_part_of_a_name_email_or_phone_in_any_case_and_script() {
    let app = spawn_app().await;
    let admin = root(&app).await;
    let muhammad = insert_user(
        &app,
        "Муҳаммад",
        "Алиев",
        "m.aliev@bilim.uz",
        Some("+998 91 555 00 11"),
    )
    .await;
    let oktam = insert_user(
        &app,
        "Oʻktam",
        "Karimov",
        "oktam@example.uz",
        Some("+998 90 123 45 67"),
    )
    .await;
    let dilnoza = insert_user(&app, "Dilnoza", "Rashidova", "dilnoza.r@bilim.uz", None).await;
    let muhammad = muhammad.id.to_string();
    let oktam = oktam.id.to_string();
    let dilnoza = dilnoza.id.to_string();

    let cases: [(&str, Vec<&String>); 14] = [
        ("муҳам", vec![&muhammad]),
        ("МУҲАММАД", vec![&muhammad]),
        ("аЛиЕв", vec![&muhammad]),
        ("oʻktam", vec![&oktam]),
        ("KARIMOV", vec![&oktam]),
        ("rim", vec![&oktam]),
        ("DILNOZA.R@", vec![&dilnoza]),
        ("@BILIM.uz", vec![&dilnoza, &muhammad]),
        ("example", vec![&oktam]),
        ("901234567", vec![&oktam]),
        ("+99891555", vec![&muhammad]),
        ("  rashid  ", vec![&dilnoza]),
        ("ova", vec![&dilnoza]),
        ("nobody", vec![]),
    ];
    for (q, expected) in cases {
        let page = list(&app, &admin.access, USERS, &[("q", q)]).await;
        let expected: Vec<String> = expected.into_iter().cloned().collect();
        assert_eq!(ids(&page), expected, "q={q:?}");
        assert_eq!(totals(&page), (3, 0), "q={q:?}: totals ignore the search");
    }

    // The search and the status filter combine.
    patched(&app, &admin.access, &muhammad, &json!({"active": false})).await;
    let page = list(
        &app,
        &admin.access,
        USERS,
        &[("q", "bilim.uz"), ("status", "active")],
    )
    .await;
    assert_eq!(ids(&page), vec![dilnoza.clone()]);
    let page = list(
        &app,
        &admin.access,
        USERS,
        &[("q", "bilim.uz"), ("status", "inactive")],
    )
    .await;
    assert_eq!(ids(&page), [muhammad]);
    assert_eq!(totals(&page), (2, 1));
}

#[tokio::test]
async fn search_wildcards_are_taken_literally() {
    let app = spawn_app().await;
    let admin = root(&app).await;
    insert_user(&app, "Ali", "Valiyev", "a_b@bilim.uz", None).await;
    insert_user(&app, "Ali", "Valiyev", "axb@bilim.uz", None).await;
    insert_user(&app, "Ali", "Valiyev", "a%b@bilim.uz", None).await;
    for (q, expected) in [
        ("a_b", vec!["a_b@bilim.uz"]),
        ("a%b", vec!["a%b@bilim.uz"]),
        ("%", vec!["a%b@bilim.uz"]),
        ("_", vec!["a_b@bilim.uz"]),
        ("\\", vec![]),
    ] {
        let page = list(&app, &admin.access, USERS, &[("q", q)]).await;
        assert_eq!(emails(&page), expected, "q={q:?}");
    }
}

#[tokio::test]
async fn a_search_pages_through_its_matches_only() {
    let app = spawn_app().await;
    let admin = root(&app).await;
    let mut wanted = Vec::new();
    for i in 0..7 {
        let user = insert_user(&app, "Шаҳноза", "Test", &format!("s{i}@bilim.uz"), None).await;
        wanted.push(user.id.to_string());
        insert_user(&app, "Bobur", "Test", &format!("b{i}@bilim.uz"), None).await;
    }
    wanted.reverse();
    let pages = walk(&app, &admin.access, USERS, &[("q", "шаҳ")], 3).await;
    assert_eq!(pages.len(), 3);
    assert_eq!(pages.iter().flat_map(ids).collect::<Vec<_>>(), wanted);
    for page in &pages {
        assert_eq!(totals(page), (14, 0));
    }
}

#[tokio::test]
async fn one_user_is_shown_with_courses_workbooks_and_certificates() {
    let app = spawn_app().await;
    let admin = root(&app).await;
    let (id, _, _) = registered(&app, "aziz@bilim.uz").await;
    let body = json_of(
        get(&app, &format!("{USERS}/{id}"), &admin.access).await,
        200,
    )
    .await;
    assert_eq!(body["id"], id.as_str());
    assert_eq!(body["email"], "aziz@bilim.uz");
    assert_eq!(body["first_name"], "Oʻktam");
    assert_eq!(body["last_name"], "Karimov");
    assert_eq!(body["role"], "student");
    assert_eq!(body["active"], true);
    for list in ["courses", "workbooks", "certificates"] {
        assert_eq!(body[list], json!([]), "{list}: {body}");
    }
    let mut expected = user_keys();
    expected.extend(["certificates", "courses", "points", "workbooks"].map(str::to_owned));
    expected.sort();
    assert_eq!(sorted_keys(&body), expected);
}

#[tokio::test]
async fn an_unknown_user_is_404_and_a_malformed_id_is_400() {
    let app = spawn_app().await;
    let admin = root(&app).await;
    let unknown = uuid::Uuid::now_v7().to_string();
    let path = format!("{USERS}/{unknown}");
    problem(get(&app, &path, &admin.access).await, 404, "user.not_found").await;
    let response = patch_user(&app, &admin.access, &unknown, &json!({"active": false})).await;
    problem(response, 404, "user.not_found").await;

    for malformed in ["not-a-uuid", "123", "0190a0e0-zzzz-7000-8000-000000000000"] {
        let path = format!("{USERS}/{malformed}");
        problem(
            get(&app, &path, &admin.access).await,
            400,
            "request.invalid_path",
        )
        .await;
        let response = patch_user(&app, &admin.access, malformed, &json!({"active": false})).await;
        problem(response, 400, "request.invalid_path").await;
    }
}
