//! Errors are problem+json with a stable code, whoever produced them.

use crate::helpers::spawn_app;

async fn problem(response: reqwest::Response) -> (u16, serde_json::Value) {
    let status = response.status().as_u16();
    assert_eq!(
        response.headers()["content-type"],
        "application/problem+json"
    );
    (status, response.json().await.unwrap())
}

#[tokio::test]
async fn an_unknown_route_is_a_404_problem() {
    let app = spawn_app().await;
    let (status, body) = problem(app.get("/api/v1/nothing-here").await).await;
    assert_eq!(status, 404);
    assert_eq!(body["code"], "route.not_found");
    assert_eq!(body["status"], 404);
    assert_eq!(body["title"], "Not Found");
    assert!(body["type"].as_str().unwrap().ends_with("route.not_found"));
}

#[tokio::test]
async fn a_wrong_method_on_a_known_path_is_a_problem_too() {
    let app = spawn_app().await;
    let (status, body) =
        problem(app.post_raw("/health/live", "application/json", "{}").await).await;
    assert_eq!(status, 404);
    assert_eq!(body["code"], "route.not_found");
}
