//! A subscription's device: moved by its user once per period, checked by
//! the apps through its licence key; and the user's school.

use super::helpers::{MY_SUBSCRIPTIONS, shop};
use crate::support::{field_errors, get, json_of, problem, put};
use serde_json::json;

#[tokio::test]
async fn a_user_moves_a_device_once_per_period_and_the_licence_follows() {
    let shop = shop().await;
    let buyer = shop.buyer("nodira@example.uz").await;
    let pc = shop.product("kundalik-pc").await;
    shop.top_up(&buyer.id, 1_000_000).await;
    let bought = shop
        .purchase(
            &buyer,
            pc["id"].as_str().unwrap(),
            "b-1",
            &json!({"months": 1, "device_id": "PC-A"}),
        )
        .await;
    let id = json_of(bought, 200).await["subscription"]["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let mine = json_of(get(&shop.app, MY_SUBSCRIPTIONS, &buyer.token).await, 200).await;
    let key = mine["items"][0]["licence_key"].as_str().unwrap().to_owned();

    let check = |device: &'static str, key: String| {
        let app = &shop.app;
        async move {
            json_of(
                app.post_json(
                    "/api/v1/licences/check",
                    &json!({"licence_key": key, "device_id": device}),
                )
                .await,
                200,
            )
            .await
        }
    };
    let on_a = check("PC-A", key.clone()).await;
    assert_eq!(on_a["active"], true);
    assert_eq!(on_a["product_code"], "kundalik-pc");
    assert!(on_a.get("user_id").is_none() && on_a.get("email").is_none());
    assert_eq!(check("PC-B", key.clone()).await["active"], false);
    let unknown = check("PC-A", "00000-00000".into()).await;
    assert_eq!(
        unknown,
        json!({"active": false, "ends_at": null, "product_code": null})
    );

    let path = format!("{MY_SUBSCRIPTIONS}/{id}/device");
    let moved = json_of(
        put(
            &shop.app,
            &path,
            &buyer.token,
            &json!({"device_id": "PC-B"}),
        )
        .await,
        200,
    )
    .await;
    assert_eq!(moved["device_id"], "PC-B");
    assert_eq!(check("PC-B", key.clone()).await["active"], true);
    assert_eq!(check("PC-A", key.clone()).await["active"], false);
    let soon = put(
        &shop.app,
        &path,
        &buyer.token,
        &json!({"device_id": "PC-C"}),
    )
    .await;
    problem(soon, 409, "subscription.device_change_too_soon").await;
    shop.app.clock.advance(chrono::Duration::days(30));
    let stranger = crate::support::user_token(&shop.app, "nodira2@example.uz").await;
    let others = put(&shop.app, &path, &stranger, &json!({"device_id": "PC-C"})).await;
    problem(others, 404, "subscription.not_found").await;
    let login = shop
        .app
        .login("nodira@example.uz", crate::helpers::TEST_PASSWORD)
        .await;
    let token = login["access_token"].as_str().unwrap();
    let later = json_of(
        put(&shop.app, &path, token, &json!({"device_id": "PC-C"})).await,
        200,
    )
    .await;
    assert_eq!(later["device_id"], "PC-C");
}

#[tokio::test]
async fn the_school_is_set_by_region_code_and_shown_in_me() {
    let shop = shop().await;
    let buyer = shop.buyer("ozoda@example.uz").await;
    let set = put(
        &shop.app,
        "/api/v1/users/me/school",
        &buyer.token,
        &json!({"region": "UZ-SA", "district": "Urgut tumani", "school_number": "45"}),
    )
    .await;
    let user = json_of(set, 200).await;
    assert_eq!(user["school"]["region"], "UZ-SA");
    assert_eq!(user["school"]["region_name"], "Samarqand viloyati");
    let bad = put(
        &shop.app,
        "/api/v1/users/me/school",
        &buyer.token,
        &json!({"region": "UZ-XX", "district": "", "school_number": "1".repeat(21)}),
    )
    .await;
    let body = problem(bad, 400, "validation").await;
    let fields: Vec<String> = field_errors(&body).into_iter().map(|(f, _)| f).collect();
    assert_eq!(fields, ["district", "region", "school_number"]);
    let me = json_of(get(&shop.app, "/api/v1/users/me", &buyer.token).await, 200).await;
    assert_eq!(me["school"]["school_number"], "45");
}

/// What the document bounds is a 400 naming the field, not an inactive key: a
/// key over 100 characters, an empty or blank device id, one with a control
/// character.
#[tokio::test]
async fn a_licence_check_outside_the_documented_bounds_is_a_400_naming_the_field() {
    let shop = shop().await;
    for (body, field) in [
        (
            json!({"licence_key": "K".repeat(101), "device_id": "PC-A"}),
            "licence_key",
        ),
        (json!({"licence_key": "K", "device_id": ""}), "device_id"),
        (json!({"licence_key": "K", "device_id": "  "}), "device_id"),
        (
            json!({"licence_key": "K", "device_id": "PC\tA"}),
            "device_id",
        ),
    ] {
        let response = shop.app.post_json("/api/v1/licences/check", &body).await;
        let problem = problem(response, 400, "validation").await;
        assert_eq!(problem["errors"][0]["field"], field, "{body}");
    }
    let fine = shop
        .app
        .post_json(
            "/api/v1/licences/check",
            &json!({"licence_key": "K".repeat(100), "device_id": "PC-A"}),
        )
        .await;
    assert_eq!(json_of(fine, 200).await["active"], false);
}
