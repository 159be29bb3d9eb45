//! Olympiads end to end: status from the clock, registration and its
//! places (also under a race), the one attempt while in progress with its
//! deadline, results ranked by score then time, participants as CSV, and
//! points for a result.

use super::helpers::{ATTEMPTS, Quiz, Student, quiz_with};
use crate::helpers::TEST_PASSWORD;
use crate::support::{delete, get, json_of, post, problem, store_user};
use bilim_domain::ports::Clock;
use bilim_domain::users::UserRole;
use chrono::{DateTime, Duration, Utc};
use futures_util::future::join_all;
use serde_json::{Value, json};

const OLYMPIADS: &str = "/api/v1/olympiads";
const ADMIN_OLYMPIADS: &str = "/api/v1/admin/olympiads";

fn at(value: &Value) -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(value.as_str().unwrap())
        .unwrap()
        .to_utc()
}

/// An olympiad on the quiz's test: registration for a day, the start the
/// day after, three hours long.
async fn olympiad(quiz: &Quiz, capacity: i64) -> Value {
    let now = quiz.app.clock.now();
    let body = json!({
        "title": "Viloyat matematika olimpiadasi",
        "description": "7–9-sinflar uchun",
        "direction_id": quiz.direction,
        "level": "regional",
        "registration_ends_at": now + Duration::days(1),
        "starts_at": now + Duration::days(2),
        "ends_at": now + Duration::days(2) + Duration::hours(3),
        "capacity": capacity,
        "test_id": quiz.test,
    });
    json_of(
        post(&quiz.app, ADMIN_OLYMPIADS, &quiz.admin, &body).await,
        201,
    )
    .await
}

async fn again(quiz: &Quiz, email: &str, student: &mut Student) {
    let body = quiz.app.login(email, TEST_PASSWORD).await;
    student.token = body["access_token"].as_str().unwrap().to_owned();
}

#[tokio::test]
async fn an_olympiad_from_registration_to_results() {
    let quiz = quiz_with(json!({"time_limit_seconds": 1800})).await;
    let made = olympiad(&quiz, 2).await;
    let id = made["id"].as_str().unwrap().to_owned();
    assert_eq!(
        (made["status"].as_str(), made["registered"].as_i64()),
        (Some("upcoming"), Some(0))
    );
    let listed = json_of(
        quiz.app
            .get(&format!("{OLYMPIADS}?level=regional&status=upcoming"))
            .await,
        200,
    )
    .await;
    assert_eq!(listed["items"][0]["id"], id.as_str());
    let none = json_of(
        quiz.app.get(&format!("{OLYMPIADS}?status=completed")).await,
        200,
    )
    .await;
    assert_eq!(none["items"], json!([]));
    problem(
        quiz.app.get(&format!("{OLYMPIADS}?level=galaxy")).await,
        400,
        "validation",
    )
    .await;

    let mut fast = quiz.student("tez@example.uz", false).await;
    let mut slow = quiz.student("sekin@example.uz", false).await;
    let mut late = quiz.student("kechikkan@example.uz", false).await;
    let registration = format!("{OLYMPIADS}/{id}/registration");
    json_of(
        post(&quiz.app, &registration, &fast.token, &json!({})).await,
        201,
    )
    .await;
    let full = json_of(
        post(&quiz.app, &registration, &slow.token, &json!({})).await,
        201,
    )
    .await;
    assert_eq!(full["registered"], 2);
    problem(
        post(&quiz.app, &registration, &late.token, &json!({})).await,
        409,
        "olympiad.full",
    )
    .await;
    problem(
        post(&quiz.app, &registration, &fast.token, &json!({})).await,
        409,
        "olympiad.already_registered",
    )
    .await;
    // A place given back is taken again.
    assert_eq!(
        delete(&quiz.app, &registration, &slow.token).await.status(),
        204
    );
    json_of(
        post(&quiz.app, &registration, &late.token, &json!({})).await,
        201,
    )
    .await;
    json_of(
        post(&quiz.app, &registration, &slow.token, &json!({})).await,
        409,
    )
    .await;
    let attempt_path = format!("{OLYMPIADS}/{id}/attempt");
    problem(
        post(&quiz.app, &attempt_path, &fast.token, &json!({})).await,
        409,
        "olympiad.not_in_progress",
    )
    .await;

    // Registration closes, then the olympiad starts.
    quiz.app.clock.advance(Duration::days(1));
    again(&quiz, "sekin@example.uz", &mut slow).await;
    problem(
        post(&quiz.app, &registration, &slow.token, &json!({})).await,
        409,
        "olympiad.registration_closed",
    )
    .await;
    quiz.app
        .clock
        .advance(Duration::days(1) + Duration::minutes(1));
    for (email, student) in [
        ("tez@example.uz", &mut fast),
        ("kechikkan@example.uz", &mut late),
        ("sekin@example.uz", &mut slow),
    ] {
        again(&quiz, email, student).await;
    }
    let page = json_of(quiz.app.get(&format!("{OLYMPIADS}/{id}")).await, 200).await;
    assert_eq!(page["status"], "in_progress");
    problem(
        delete(&quiz.app, &registration, &fast.token).await,
        409,
        "olympiad.started",
    )
    .await;
    problem(
        post(&quiz.app, &attempt_path, &slow.token, &json!({})).await,
        403,
        "olympiad.not_registered",
    )
    .await;

    let first = json_of(
        post(&quiz.app, &attempt_path, &fast.token, &json!({})).await,
        201,
    )
    .await;
    assert_eq!(
        at(&first["deadline"]),
        quiz.app.clock.now() + Duration::seconds(1800),
        "the time limit comes first"
    );
    problem(
        post(&quiz.app, &attempt_path, &fast.token, &json!({})).await,
        409,
        "olympiad.attempt_taken",
    )
    .await;
    // The fast one: everything right in 5 minutes.
    let fast_id = first["id"].as_str().unwrap().to_owned();
    json_of(quiz.save(&fast, &fast_id, quiz.all_right()).await, 200).await;
    quiz.app.clock.advance(Duration::minutes(5));
    json_of(quiz.submit(&fast, &fast_id).await, 200).await;
    // The late one starts near the end: the end is the deadline.
    quiz.app
        .clock
        .advance(Duration::hours(2) + Duration::minutes(50));
    again(&quiz, "kechikkan@example.uz", &mut late).await;
    let second = json_of(
        post(&quiz.app, &attempt_path, &late.token, &json!({})).await,
        201,
    )
    .await;
    assert_eq!(
        at(&second["deadline"]),
        at(&made["ends_at"]),
        "the end comes first"
    );
    let late_id = second["id"].as_str().unwrap().to_owned();
    json_of(
        quiz.save(
            &late,
            &late_id,
            json!([{"question_id": quiz.single.0, "option_ids": [quiz.single.1]}]),
        )
        .await,
        200,
    )
    .await;
    problem(
        quiz.app.get(&format!("{OLYMPIADS}/{id}/results")).await,
        409,
        "olympiad.not_completed",
    )
    .await;

    // After the end the late one's attempt is graded with what was saved.
    quiz.app.clock.advance(Duration::minutes(10));
    let results = json_of(
        quiz.app.get(&format!("{OLYMPIADS}/{id}/results")).await,
        200,
    )
    .await;
    let items = results["items"].as_array().unwrap();
    assert_eq!(items.len(), 2, "{results}");
    assert_eq!(
        (
            items[0]["rank"].as_i64(),
            items[0]["score"].as_i64(),
            items[0]["duration_seconds"].as_i64()
        ),
        (Some(1), Some(10), Some(300))
    );
    assert_eq!(
        (items[1]["rank"].as_i64(), items[1]["score"].as_i64()),
        (Some(2), Some(2))
    );
    assert_eq!(items[0]["name"], "Oʻktam K.");
    again(&quiz, "tez@example.uz", &mut fast).await;
    assert_eq!(
        quiz.me(&fast).await["points"],
        10,
        "an olympiad result earns points"
    );
    let read = json_of(
        get(&quiz.app, &format!("{ATTEMPTS}/{late_id}"), &late.token).await,
        200,
    )
    .await;
    assert!(read["submitted_at"].is_string());

    let admin = crate::support::admin_login(&quiz.app, "ustoz", "ustoz@bilim.uz")
        .await
        .access;
    let listed = json_of(
        get(
            &quiz.app,
            &format!("{ADMIN_OLYMPIADS}/{id}/participants"),
            &admin,
        )
        .await,
        200,
    )
    .await;
    assert_eq!(listed["items"].as_array().unwrap().len(), 2);
    let response = get(
        &quiz.app,
        &format!("{ADMIN_OLYMPIADS}/{id}/participants?format=csv"),
        &admin,
    )
    .await;
    assert_eq!(response.status(), 200);
    assert!(
        response.headers()["content-type"]
            .to_str()
            .unwrap()
            .starts_with("text/csv")
    );
    let bytes = response.bytes().await.unwrap();
    assert_eq!(&bytes[..3], b"\xEF\xBB\xBF", "a UTF-8 byte order mark");
    let text = String::from_utf8(bytes[3..].to_vec()).unwrap();
    assert!(text.starts_with("ism,familiya,email"), "{text}");
    assert!(text.contains("Oʻktam,Karimov,tez@example.uz"), "{text}");
    assert_eq!(text.lines().count(), 3, "{text}");
}

#[tokio::test]
async fn bad_olympiads_are_refused_and_capacity_cannot_drop_below_the_registered() {
    let quiz = quiz_with(json!({})).await;
    let now = quiz.app.clock.now();
    let bad = json!({
        "title": "X", "direction_id": quiz.direction, "level": "cosmic",
        "registration_ends_at": now + Duration::days(3), "starts_at": now + Duration::days(2),
        "ends_at": now + Duration::days(1), "capacity": 0, "test_id": quiz.test,
    });
    let refused = problem(
        post(&quiz.app, ADMIN_OLYMPIADS, &quiz.admin, &bad).await,
        400,
        "validation",
    )
    .await;
    let codes: Vec<String> = crate::support::field_errors(&refused)
        .into_iter()
        .map(|(_, c)| c)
        .collect();
    for code in ["level.invalid", "schedule.invalid", "capacity.invalid"] {
        assert!(codes.contains(&code.to_owned()), "{refused}");
    }
    let made = olympiad(&quiz, 5).await;
    let id = made["id"].as_str().unwrap();
    let student = quiz.student("joy@example.uz", false).await;
    let other = quiz.student("joy2@example.uz", false).await;
    for s in [&student, &other] {
        json_of(
            post(
                &quiz.app,
                &format!("{OLYMPIADS}/{id}/registration"),
                &s.token,
                &json!({}),
            )
            .await,
            201,
        )
        .await;
    }
    let path = format!("{ADMIN_OLYMPIADS}/{id}");
    problem(
        crate::support::patch(&quiz.app, &path, &quiz.admin, &json!({"capacity": 1})).await,
        409,
        "olympiad.capacity_below_registered",
    )
    .await;
    let changed = json_of(
        crate::support::patch(
            &quiz.app,
            &path,
            &quiz.admin,
            &json!({"capacity": 2, "title": "Respublika olimpiadasi"}),
        )
        .await,
        200,
    )
    .await;
    assert_eq!(
        (changed["capacity"].as_i64(), changed["title"].as_str()),
        (Some(2), Some("Respublika olimpiadasi"))
    );
    problem(
        crate::support::patch(&quiz.app, &path, &quiz.admin, &json!({"ends_at": now})).await,
        400,
        "validation",
    )
    .await;
    assert_eq!(delete(&quiz.app, &path, &quiz.admin).await.status(), 204);
    problem(
        quiz.app.get(&format!("{OLYMPIADS}/{id}")).await,
        404,
        "olympiad.not_found",
    )
    .await;
    // An olympiad goes with its paper.
    let another = olympiad(&quiz, 5).await;
    let test_path = format!("/api/v1/admin/tests/{}", quiz.test);
    assert_eq!(
        delete(&quiz.app, &test_path, &quiz.admin).await.status(),
        204
    );
    let gone = format!("{OLYMPIADS}/{}", another["id"].as_str().unwrap());
    problem(quiz.app.get(&gone).await, 404, "olympiad.not_found").await;
}

#[tokio::test]
async fn a_hundred_registrations_at_once_for_ten_places_take_ten() {
    let quiz = quiz_with(json!({})).await;
    let made = olympiad(&quiz, 10).await;
    let id: uuid::Uuid = made["id"].as_str().unwrap().parse().unwrap();
    let mut users = Vec::new();
    for i in 0..100 {
        let user = store_user(
            &quiz.app,
            ("Talaba", "Poyga"),
            &format!("poyga{i}@example.uz"),
            None,
            UserRole::Student,
        )
        .await;
        users.push(user.id);
    }
    let now = quiz.app.clock.now();
    let olympiads = &quiz.app.ports.olympiads;
    let outcomes = join_all(users.iter().map(|user| olympiads.register(id, *user, now))).await;
    let taken = outcomes.iter().filter(|o| o.is_ok()).count();
    assert_eq!(taken, 10, "{outcomes:?}");
    for outcome in &outcomes {
        if let Err(error) = outcome {
            assert_eq!(error.to_string(), "conflict: olympiad.full", "{error:?}");
        }
    }
    let page = json_of(quiz.app.get(&format!("{OLYMPIADS}/{id}")).await, 200).await;
    assert_eq!(page["registered"], 10);
    assert_eq!(olympiads.participants(id).await.unwrap().len(), 10);
}

#[tokio::test]
async fn olympiads_are_found_by_search_in_either_script_and_by_their_new_title() {
    let quiz = quiz_with(json!({})).await;
    let made = olympiad(&quiz, 10).await;
    let id = made["id"].as_str().unwrap().to_owned();
    let hits = |q: &'static str| {
        let app = &quiz.app;
        async move {
            let body = json_of(
                app.get(&format!("/api/v1/search?q={q}&kind=olympiad"))
                    .await,
                200,
            )
            .await;
            body["items"]
                .as_array()
                .unwrap()
                .iter()
                .map(|hit| {
                    assert_eq!(hit["kind"], "olympiad");
                    assert_eq!(hit["course_id"], Value::Null);
                    hit["id"].as_str().unwrap().to_owned()
                })
                .collect::<Vec<_>>()
        }
    };
    assert_eq!(hits("olimpiadasi").await, vec![id.clone()]);
    // Cyrillic, with a typo: "олимпиадас".
    assert_eq!(
        hits("%D0%BE%D0%BB%D0%B8%D0%BC%D0%BF%D0%B8%D0%B0%D0%B4%D0%B0%D1%81").await,
        vec![id.clone()]
    );
    json_of(
        crate::support::patch(
            &quiz.app,
            &format!("{ADMIN_OLYMPIADS}/{id}"),
            &quiz.admin,
            &json!({"title": "Respublika fizika bellashuvi"}),
        )
        .await,
        200,
    )
    .await;
    assert_eq!(hits("bellashuvi").await, vec![id.clone()]);
    assert!(hits("olimpiadasi").await.is_empty());
    json_of(
        quiz.app
            .get("/api/v1/search?q=bellashuvi&kind=course,lesson")
            .await,
        200,
    )
    .await["items"]
        .as_array()
        .map(|items| assert!(items.is_empty()))
        .unwrap();
}
