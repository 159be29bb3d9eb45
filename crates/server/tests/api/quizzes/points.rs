//! Points: a first pass of a test adds its score once, shown on `/users/me`;
//! the leaderboard ranks by points, overall and per direction, keyset paged.

use super::helpers::{Quiz, Student, quiz};
use crate::support::{json_of, problem};
use serde_json::json;

async fn pass(quiz: &Quiz, student: &Student, answers: serde_json::Value) -> serde_json::Value {
    let attempt = quiz.started(student).await;
    let id = attempt["id"].as_str().unwrap();
    json_of(quiz.save(student, id, answers).await, 200).await;
    json_of(quiz.submit(student, id).await, 200).await
}

#[tokio::test]
async fn a_first_pass_adds_points_once_and_the_leaderboard_ranks_them() {
    let quiz = quiz().await;
    let best = quiz.student("alochi@example.uz", true).await;
    let good = quiz.student("yaxshi@example.uz", true).await;
    let none = quiz.student("hechnarsa@example.uz", true).await;
    assert_eq!(quiz.me(&best).await["points"], 0);

    let result = pass(&quiz, &best, quiz.all_right()).await;
    assert_eq!(result["passed"], true);
    assert_eq!(quiz.me(&best).await["points"], 10);
    // A second pass adds nothing.
    pass(&quiz, &best, quiz.all_right()).await;
    assert_eq!(quiz.me(&best).await["points"], 10);

    // 6 of 10 passes; a fail earns nothing.
    let six = json!([
        {"question_id": quiz.single.0, "option_ids": [quiz.single.1]},
        {"question_id": quiz.multiple.0, "option_ids": quiz.multiple.1[..2]},
    ]);
    pass(&quiz, &good, six).await;
    assert_eq!(quiz.me(&good).await["points"], 6);
    let failed = pass(&quiz, &none, json!([])).await;
    assert_eq!(failed["passed"], false);
    assert_eq!(quiz.me(&none).await["points"], 0);

    let board = json_of(quiz.app.get("/api/v1/leaderboard").await, 200).await;
    let items = board["items"].as_array().unwrap();
    assert_eq!(items.len(), 2, "{board}");
    assert_eq!(
        (
            items[0]["user_id"].as_str(),
            items[0]["points"].as_i64(),
            items[0]["rank"].as_i64()
        ),
        (Some(best.id.as_str()), Some(10), Some(1))
    );
    assert_eq!(items[0]["name"], "Oʻktam K.");
    assert_eq!(
        (items[1]["points"].as_i64(), items[1]["rank"].as_i64()),
        (Some(6), Some(2))
    );
    assert_eq!(board["next_cursor"], json!(null));

    // Keyset pages of one, then the direction's board, then another's.
    let first = json_of(quiz.app.get("/api/v1/leaderboard?limit=1").await, 200).await;
    let cursor = first["next_cursor"].as_str().unwrap();
    let second = json_of(
        quiz.app
            .get(&format!("/api/v1/leaderboard?limit=1&cursor={cursor}"))
            .await,
        200,
    )
    .await;
    assert_eq!(second["items"][0]["user_id"], good.id.as_str());
    assert_eq!(second["items"][0]["rank"], 2);
    assert_eq!(second["next_cursor"], json!(null));
    let direction = json_of(
        quiz.app
            .get(&format!(
                "/api/v1/leaderboard?direction_id={}",
                quiz.direction
            ))
            .await,
        200,
    )
    .await;
    assert_eq!(direction["items"].as_array().unwrap().len(), 2);
    let elsewhere = json_of(
        quiz.app
            .get(&format!(
                "/api/v1/leaderboard?direction_id={}",
                uuid::Uuid::now_v7()
            ))
            .await,
        200,
    )
    .await;
    assert_eq!(elsewhere["items"], json!([]));
    problem(
        quiz.app.get("/api/v1/leaderboard?cursor=bad").await,
        400,
        "validation",
    )
    .await;
    problem(
        quiz.app.get("/api/v1/leaderboard?limit=0").await,
        400,
        "validation",
    )
    .await;
}
