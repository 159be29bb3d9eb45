//! `GET /search`: published courses and lessons by words; Uzbek Latin and
//! Cyrillic find each other, one typo per word is forgiven, what a client
//! types never reaches either backend's query syntax, and bad input is a 400.

use super::helpers::{
    ADMIN_LESSONS, admin_token, course, direction, json_of, lesson, module, patch, problem,
    published, set_status, with_query,
};
use crate::helpers::{TestApp, spawn_app};
use serde_json::{Value, json};

const SEARCH: &str = "/api/v1/search";

/// The `(kind, title)` of each hit of `query`, best first.
async fn hits(app: &TestApp, query: &[(&str, &str)]) -> Vec<(String, String)> {
    let body = json_of(app.get(&with_query(SEARCH, query)).await, 200).await;
    body["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|hit| {
            (
                hit["kind"].as_str().unwrap().to_owned(),
                hit["title"].as_str().unwrap().to_owned(),
            )
        })
        .collect()
}

async fn titles(app: &TestApp, q: &str) -> Vec<String> {
    let mut found: Vec<String> = hits(app, &[("q", q)])
        .await
        .into_iter()
        .map(|(_, t)| t)
        .collect();
    found.sort();
    found
}

fn id(value: &Value) -> String {
    value["id"].as_str().unwrap().to_owned()
}

#[tokio::test]
async fn latin_and_cyrillic_find_each_other_and_one_typo_is_forgiven() {
    let app = spawn_app().await;
    let token = admin_token(&app).await;
    let dir = direction(&app, &token, "Fanlar").await;
    published(&app, &token, &dir, "Matematika asoslari").await;
    published(&app, &token, &dir, "Ўзбек тили грамматикаси").await;
    let shahar = published(&app, &token, &dir, "Shahar tarixi").await;
    let unit = id(&module(&app, &token, &shahar, json!({"title": "Birinchi"})).await);
    lesson(
        &app,
        &token,
        &unit,
        json!({"title": "Qishloq xoʻjaligi", "description": "Dehqonchilik haqida"}),
    )
    .await;
    // A draft is never found, nor are its lessons.
    let draft = id(&course(&app, &token, &dir, "Matematika qoralama", json!({})).await);
    let draft_unit = id(&module(&app, &token, &draft, json!({"title": "Bir"})).await);
    let draft_lesson = id(&lesson(
        &app,
        &token,
        &draft_unit,
        json!({"title": "Matematika darsi", "description": "-"}),
    )
    .await);

    let cases: Vec<(&str, Vec<&str>)> = vec![
        ("matematika", vec!["Matematika asoslari"]),
        ("МАТЕМАТИКА", vec!["Matematika asoslari"]),
        ("matematka", vec!["Matematika asoslari"]),
        ("mtaematika", vec!["Matematika asoslari"]),
        ("matmatka", vec![]),
        ("oʻzbek tili", vec!["Ўзбек тили грамматикаси"]),
        ("o'zbek", vec!["Ўзбек тили грамматикаси"]),
        ("ozbek grammatika", vec!["Ўзбек тили грамматикаси"]),
        ("шаҳар", vec!["Shahar tarixi"]),
        ("қишлоқ хўжалиги", vec!["Qishloq xoʻjaligi"]),
        ("dehqonchilik", vec!["Qishloq xoʻjaligi"]),
        // The last word is also the start of a word (search as you type).
        ("grammat", vec!["Ўзбек тили грамматикаси"]),
        ("kimyo", vec![]),
    ];
    for (q, expected) in cases {
        assert_eq!(titles(&app, q).await, expected, "q={q:?}");
    }
    assert_eq!(
        hits(&app, &[("q", "xo'jaligi")]).await,
        [("lesson".to_owned(), "Qishloq xoʻjaligi".to_owned())]
    );
    assert!(
        hits(&app, &[("q", "xo'jaligi"), ("kind", "course")])
            .await
            .is_empty()
    );

    // Publishing the draft makes it and its lesson findable; a rename is found
    // by its new words at once.
    set_status(&app, &token, &draft, "published").await;
    assert_eq!(
        titles(&app, "matematika").await,
        [
            "Matematika asoslari",
            "Matematika darsi",
            "Matematika qoralama"
        ]
    );
    json_of(
        patch(
            &app,
            &format!("/api/v1/admin/courses/{draft}"),
            &token,
            &json!({"title": "Geometriya", "description": "Shakllar"}),
        )
        .await,
        200,
    )
    .await;
    assert_eq!(titles(&app, "geometriya").await, ["Geometriya"]);
    assert_eq!(
        titles(&app, "matematika").await,
        ["Matematika asoslari", "Matematika darsi"]
    );
    json_of(
        patch(
            &app,
            &format!("{ADMIN_LESSONS}/{draft_lesson}"),
            &token,
            &json!({"title": "Chizmachilik"}),
        )
        .await,
        200,
    )
    .await;
    assert_eq!(titles(&app, "chizmachilik").await, ["Chizmachilik"]);
}

#[tokio::test]
async fn query_syntax_characters_and_bad_parameters_never_reach_the_database() {
    let app = spawn_app().await;
    let token = admin_token(&app).await;
    let dir = direction(&app, &token, "Fanlar").await;
    published(&app, &token, &dir, "Fizika NEAR kimyo").await;

    for q in [
        "\"",
        "*",
        "fizika*",
        "fizika OR",
        "NEAR(fizika kimyo)",
        "fizika & | ! :*",
        "'; DROP TABLE courses; --",
        "(fizika",
        "^fizika",
        "fizika -kimyo",
        "?!...",
        "%_\\",
        "1 000",
        "日本語",
    ] {
        let status = app
            .get(&with_query(SEARCH, &[("q", q)]))
            .await
            .status()
            .as_u16();
        assert_eq!(status, 200, "q={q:?}");
    }
    assert_eq!(titles(&app, "fizika near").await, ["Fizika NEAR kimyo"]);
    assert!(hits(&app, &[("q", "?!...")]).await.is_empty());
    // Mixed scripts in one query.
    assert_eq!(titles(&app, "физика kimyo").await, ["Fizika NEAR kimyo"]);

    let long = "a".repeat(1000);
    for query in [
        vec![("q", "")],
        vec![("q", "   ")],
        vec![("q", long.as_str())],
        vec![("q", "fizika"), ("kind", "video")],
        vec![("q", "fizika"), ("limit", "0")],
        vec![("q", "fizika"), ("limit", "51")],
    ] {
        problem(
            app.get(&with_query(SEARCH, &query)).await,
            400,
            "validation",
        )
        .await;
    }
    problem(app.get(SEARCH).await, 400, "request.invalid_query").await;
    problem(
        app.get(&with_query(SEARCH, &[("q", "fizika"), ("limit", "many")]))
            .await,
        400,
        "request.invalid_query",
    )
    .await;
}
