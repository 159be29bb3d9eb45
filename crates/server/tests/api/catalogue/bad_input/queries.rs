//! Bad course-list queries: 400 naming the parameter.

use crate::catalogue::helpers::{
    ADMIN_COURSES, COURSES, admin_token, field_errors, get, json_of, problem, with_query,
};
use crate::helpers::spawn_app;

#[tokio::test]
async fn bad_course_list_queries_are_400_naming_the_parameter() {
    let app = spawn_app().await;
    let token = admin_token(&app).await;
    let long = "a".repeat(101);
    let cases: [(&[(&str, &str)], &str); 9] = [
        (&[("level", "expert")], "level"),
        (&[("level", "BEGINNER")], "level"),
        (&[("cursor", "not-a-cursor!")], "cursor"),
        (&[("cursor", "AAAA")], "cursor"),
        (&[("limit", "0")], "limit"),
        (&[("limit", "101")], "limit"),
        (&[("q", long.as_str())], "q"),
        (&[("limit", "0"), ("level", "beginner")], "limit"),
        (&[("level", "x"), ("cursor", "AAAA")], "level"),
    ];
    for (query, field) in cases {
        for (base, token) in [(COURSES, None), (ADMIN_COURSES, Some(token.as_str()))] {
            let path = with_query(base, query);
            let response = match token {
                Some(token) => get(&app, &path, token).await,
                None => app.get(&path).await,
            };
            let refused = problem(response, 400, "validation").await;
            let fields: Vec<String> = field_errors(&refused).into_iter().map(|(f, _)| f).collect();
            assert!(fields.contains(&field.to_owned()), "{path}: {refused}");
        }
    }
    for query in [
        &[("limit", "abc")][..],
        &[("limit", "-1")],
        &[("direction_id", "x")],
    ] {
        for base in [COURSES, ADMIN_COURSES] {
            let path = with_query(base, query);
            problem(get(&app, &path, &token).await, 400, "request.invalid_query").await;
        }
    }
    // Admins may filter by status, and only by a real one.
    problem(
        get(
            &app,
            &with_query(ADMIN_COURSES, &[("status", "deleted")]),
            &token,
        )
        .await,
        400,
        "validation",
    )
    .await;
    // The edges of the range are fine.
    for limit in ["1", "100"] {
        json_of(
            app.get(&with_query(COURSES, &[("limit", limit)])).await,
            200,
        )
        .await;
    }
    json_of(
        app.get(&with_query(COURSES, &[("q", &"a".repeat(100))]))
            .await,
        200,
    )
    .await;
}
