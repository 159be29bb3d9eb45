//! The access job (`access_expiry.run_once`): one reminder when a grant ends
//! within 7 days, one notice once it has ended, each sent once however often
//! and however concurrently the job runs; an extension allows a new reminder.

use super::helpers::{
    admin, admin_again, course_with_videos, granted, learning_app, notices_to, student, time,
};
use crate::helpers::TestApp;
use chrono::Duration;
use futures_util::future::join_all;
use serde_json::json;

/// One run of the job: `(reminders, expiries)`.
async fn run(app: &TestApp) -> (usize, usize) {
    let done = app.services.access_expiry.run_once().await.unwrap();
    (done.reminders, done.expiries)
}

/// Five runs at once, from five tasks: the summed `(reminders, expiries)`.
async fn run_five_at_once(app: &TestApp) -> (usize, usize) {
    let tasks = (0..5).map(|_| {
        let job = app.services.access_expiry.clone();
        tokio::spawn(async move { job.run_once().await })
    });
    join_all(tasks)
        .await
        .into_iter()
        .map(|joined| joined.unwrap().unwrap())
        .fold((0, 0), |(r, e), done| {
            (r + done.reminders, e + done.expiries)
        })
}

#[tokio::test]
async fn a_reminder_goes_once_a_week_before_the_end_and_a_notice_once_after_it() {
    let app = learning_app().await;
    let token = admin(&app).await;
    let algebra = course_with_videos(&app, &token, "Algebra asoslari", &[60], json!({})).await;
    let aziz = student(&app, "aziz@example.uz").await;
    let malika = student(&app, "malika@example.uz").await;
    granted(&app, &token, &aziz.id, &[&algebra.id]).await;
    let expires_at = time("2027-03-01T08:00:00Z");

    assert_eq!(run(&app).await, (0, 0));
    app.clock.set(expires_at - Duration::days(8));
    assert_eq!(run(&app).await, (0, 0), "eight days before: too early");
    assert!(notices_to(&app, &aziz.email).await.is_empty());

    app.clock.set(expires_at - Duration::days(6));
    assert_eq!(run(&app).await, (1, 0));
    assert_eq!(run(&app).await, (0, 0), "the reminder goes once");
    let notices = notices_to(&app, &aziz.email).await;
    assert_eq!(notices.len(), 1, "{notices:?}");
    let reminder = &notices[0];
    assert!(!reminder.subject.is_empty());
    assert!(reminder.text.contains(&algebra.title), "{}", reminder.text);

    // Still open until the end: no notice yet.
    app.clock.set(expires_at - Duration::seconds(1));
    assert_eq!(run(&app).await, (0, 0));
    app.clock.set(expires_at + Duration::minutes(1));
    assert_eq!(run(&app).await, (0, 1));
    assert_eq!(run(&app).await, (0, 0), "the notice goes once");
    app.clock.advance(Duration::days(30));
    assert_eq!(run(&app).await, (0, 0));

    let notices = notices_to(&app, &aziz.email).await;
    assert_eq!(notices.len(), 2, "{notices:?}");
    let ended = &notices[1];
    assert_ne!(ended.subject, reminder.subject, "two different letters");
    assert!(ended.text.contains(&algebra.title), "{}", ended.text);
    assert!(
        notices_to(&app, &malika.email).await.is_empty(),
        "no grant, no mail"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn concurrent_runs_send_each_reminder_and_notice_once() {
    let app = learning_app().await;
    let token = admin(&app).await;
    let algebra = course_with_videos(&app, &token, "Algebra", &[60], json!({})).await;
    let geometry = course_with_videos(&app, &token, "Geometriya", &[60], json!({})).await;
    let aziz = student(&app, "aziz@example.uz").await;
    let malika = student(&app, "malika@example.uz").await;
    granted(&app, &token, &aziz.id, &[&algebra.id, &geometry.id]).await;
    granted(&app, &token, &malika.id, &[&algebra.id]).await;
    let expires_at = time("2027-03-01T08:00:00Z");

    app.clock.set(expires_at - Duration::days(6));
    assert_eq!(run_five_at_once(&app).await, (3, 0));
    assert_eq!(notices_to(&app, &aziz.email).await.len(), 2);
    assert_eq!(notices_to(&app, &malika.email).await.len(), 1);

    app.clock.set(expires_at + Duration::hours(1));
    assert_eq!(run_five_at_once(&app).await, (0, 3));
    assert_eq!(run_five_at_once(&app).await, (0, 0));
    let to_aziz = notices_to(&app, &aziz.email).await;
    assert_eq!(to_aziz.len(), 4, "{to_aziz:?}");
    for title in ["Algebra", "Geometriya"] {
        let about = to_aziz.iter().filter(|m| m.text.contains(title)).count();
        assert_eq!(about, 2, "{title}: {to_aziz:?}");
    }
    assert_eq!(notices_to(&app, &malika.email).await.len(), 2);
}

#[tokio::test]
async fn an_extension_allows_a_new_reminder_for_the_new_date() {
    let app = learning_app().await;
    let token = admin(&app).await;
    let algebra = course_with_videos(&app, &token, "Algebra", &[60], json!({})).await;
    let aziz = student(&app, "aziz@example.uz").await;
    granted(&app, &token, &aziz.id, &[&algebra.id]).await;
    let first_end = time("2027-03-01T08:00:00Z");

    app.clock.set(first_end - Duration::days(6));
    assert_eq!(run(&app).await, (1, 0));

    // Extended: six months from now, and nothing to send yet.
    let token = admin_again(&app).await;
    let items = granted(&app, &token, &aziz.id, &[&algebra.id]).await;
    let second_end = time("2027-08-23T08:00:00Z");
    assert_eq!(super::helpers::at(&items[0]["expires_at"]), second_end);
    assert_eq!(run(&app).await, (0, 0));
    app.clock.set(first_end + Duration::days(1));
    assert_eq!(run(&app).await, (0, 0), "the old date has no notice");

    app.clock.set(second_end - Duration::days(3));
    assert_eq!(run(&app).await, (1, 0), "a reminder for the new date");
    assert_eq!(run(&app).await, (0, 0));
    app.clock.set(second_end);
    assert_eq!(run(&app).await, (0, 1));
    assert_eq!(notices_to(&app, &aziz.email).await.len(), 3);
}
