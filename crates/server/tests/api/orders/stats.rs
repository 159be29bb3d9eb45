//! `GET /admin/stats`: totals now and counts per Tashkent day, from what the
//! API did (registrations, a completed order that opened a course); as CSV;
//! bad ranges are 400s.

use super::helpers::{PRICE, market};
use crate::support::{admin_login, get, json_of, problem};
use chrono::Duration;

const STATS: &str = "/api/v1/admin/stats";

#[tokio::test]
async fn the_dashboard_counts_users_orders_revenue_and_open_access_per_day() {
    let market = market().await;
    let app = &market.app;
    // 2026-09-01 13:00 in Tashkent.
    let first = market.buyer("birinchi@bilim.uz").await;
    let order = market.order(&first, &market.offering).await;
    let id = order["id"].as_str().unwrap();
    json_of(
        market
            .admin_post(&format!("/api/v1/admin/orders/{id}/complete"))
            .await,
        200,
    )
    .await;
    // 2026-09-02 in Tashkent: a second user, no order.
    app.clock.advance(Duration::days(1));
    market.buyer("ikkinchi@bilim.uz").await;
    // Access tokens are short: the admin logs in again after each move of the clock.
    let admin = admin_login(app, "kassir", "kassir@bilim.uz").await.access;

    let path = format!("{STATS}?from=2026-08-31&to=2026-09-02");
    let stats = json_of(get(app, &path, &admin).await, 200).await;
    assert_eq!(stats["from"], "2026-08-31");
    assert_eq!(stats["to"], "2026-09-02");
    assert_eq!(stats["users"]["total"], 2);
    assert_eq!(stats["users"]["active"], 2);
    assert_eq!(stats["grants"]["active"], 1);
    assert_eq!(stats["grants"]["ending_in_7_days"], 0);
    let days = stats["days"].as_array().unwrap();
    let line = |i: usize| {
        (
            days[i]["day"].as_str().unwrap().to_owned(),
            days[i]["new_users"].as_i64().unwrap(),
            days[i]["orders"].as_i64().unwrap(),
            days[i]["revenue"].as_i64().unwrap(),
        )
    };
    assert_eq!(days.len(), 3);
    assert_eq!(line(0), ("2026-08-31".to_owned(), 0, 0, 0));
    assert_eq!(line(1), ("2026-09-01".to_owned(), 1, 1, PRICE));
    assert_eq!(line(2), ("2026-09-02".to_owned(), 1, 0, 0));
    assert_eq!(days[1]["lessons_completed"], 0);
    assert_eq!(days[1]["certificates"], 0);
    let top = stats["top_courses"].as_array().unwrap();
    assert_eq!(top.len(), 1);
    assert_eq!(top[0]["course_id"], market.course.as_str());
    assert_eq!(top[0]["title"], "Algebra asoslari");
    assert_eq!(top[0]["active_grants"], 1);

    // The same days as CSV, for Excel.
    let response = get(app, &format!("{path}&format=csv"), &admin).await;
    assert_eq!(response.status().as_u16(), 200);
    assert!(
        response.headers()["content-type"]
            .to_str()
            .unwrap()
            .starts_with("text/csv")
    );
    let csv = response.text().await.unwrap();
    assert_eq!(
        csv,
        format!(
            "\u{feff}day,new_users,lessons_completed,certificates,orders,revenue\r\n\
             2026-08-31,0,0,0,0,0\r\n2026-09-01,1,0,0,1,{PRICE}\r\n2026-09-02,1,0,0,0,0\r\n"
        )
    );

    // Six months on, the access ends within the week; with no range given,
    // the answer is the last 30 days up to today.
    app.clock.advance(Duration::days(175));
    let admin = admin_login(app, "kassir", "kassir@bilim.uz").await.access;
    let stats = json_of(get(app, STATS, &admin).await, 200).await;
    assert_eq!(stats["grants"]["active"], 1);
    assert_eq!(stats["grants"]["ending_in_7_days"], 1);
    assert_eq!(stats["days"].as_array().unwrap().len(), 30);
    app.clock.advance(Duration::days(7));
    let admin = admin_login(app, "kassir", "kassir@bilim.uz").await.access;
    let stats = json_of(get(app, STATS, &admin).await, 200).await;
    assert_eq!(stats["grants"]["active"], 0);
    assert!(stats["top_courses"].as_array().unwrap().is_empty());
}

#[tokio::test]
async fn reversed_or_over_long_ranges_bad_formats_and_users_are_refused() {
    let market = market().await;
    let app = &market.app;
    for query in [
        "?from=2026-09-02&to=2026-09-01",
        "?from=2025-09-01&to=2026-09-02",
        "?format=xml",
    ] {
        problem(
            get(app, &format!("{STATS}{query}"), &market.admin).await,
            400,
            "validation",
        )
        .await;
    }
    for query in ["?from=01.09.2026", "?to=2026-13-01"] {
        problem(
            get(app, &format!("{STATS}{query}"), &market.admin).await,
            400,
            "request.invalid_query",
        )
        .await;
    }
    json_of(
        get(
            app,
            &format!("{STATS}?from=2025-09-02&to=2026-09-01"),
            &market.admin,
        )
        .await,
        200,
    )
    .await;
    let user = market.buyer("talaba@bilim.uz").await;
    assert_eq!(get(app, STATS, &user.token).await.status().as_u16(), 401);
}
