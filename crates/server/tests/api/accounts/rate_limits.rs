//! Rate limits of the email-code flows: step-one and verify requests per client
//! address per minute, and code mails per email address per hour.

use crate::helpers::{TEST_PASSWORD, TestApp, spawn_app_with};
use serde_json::{Value, json};

async fn problem(response: reqwest::Response) -> (u16, Value) {
    let status = response.status().as_u16();
    assert_eq!(
        response.headers()["content-type"],
        "application/problem+json"
    );
    (status, response.json().await.unwrap())
}

/// Asserts a 429 `rate_limited` whose Retry-After is 1 to `at_most` seconds.
async fn assert_rate_limited(response: reqwest::Response, at_most: u64) {
    let retry_after: u64 = response
        .headers()
        .get("retry-after")
        .unwrap_or_else(|| panic!("no Retry-After on {}", response.status()))
        .to_str()
        .unwrap()
        .parse()
        .unwrap();
    assert!(
        (1..=at_most).contains(&retry_after),
        "Retry-After {retry_after} is not within 1..={at_most}"
    );
    let (status, body) = problem(response).await;
    assert_eq!(status, 429, "{body}");
    assert_eq!(body["code"], "rate_limited");
}

fn registration(email: &str) -> Value {
    json!({
        "first_name": "Kamola",
        "last_name": "Ergasheva",
        "email": email,
        "password": TEST_PASSWORD,
    })
}

async fn app_with(name: &'static str, value: &'static str) -> TestApp {
    spawn_app_with(|vars| {
        vars.insert(name.into(), value.into());
    })
    .await
}

#[tokio::test]
async fn the_fourth_step_one_request_from_one_address_in_a_minute_is_rate_limited() {
    let app = app_with("BILIM_AUTH_REQUESTS_PER_IP_PER_MINUTE", "3").await;
    for n in 1..=3 {
        let response = app
            .post_json(
                "/api/v1/auth/register",
                &registration(&format!("kamola{n}@example.uz")),
            )
            .await;
        assert_eq!(response.status(), 200);
    }

    let fourth = app
        .post_json("/api/v1/auth/register", &registration("kamola4@example.uz"))
        .await;

    assert_rate_limited(fourth, 60).await;
    assert_eq!(app.sent_mail().await.len(), 3);
}

#[tokio::test]
async fn a_verify_over_the_address_limit_is_refused_even_with_the_right_code() {
    let app = app_with("BILIM_AUTH_REQUESTS_PER_IP_PER_MINUTE", "3").await;
    let challenge: Value = app
        .post_json("/api/v1/auth/register", &registration("kamola@example.uz"))
        .await
        .json()
        .await
        .unwrap();
    let code = app.last_code_for("kamola@example.uz").await;
    let wrong = if code == "000000" { "111111" } else { "000000" };
    for _ in 0..2 {
        let response = app
            .post_json(
                "/api/v1/auth/register/verify",
                &json!({"challenge_id": challenge["challenge_id"], "code": wrong}),
            )
            .await;
        assert_eq!(response.status(), 400);
    }

    let right = app
        .post_json(
            "/api/v1/auth/register/verify",
            &json!({"challenge_id": challenge["challenge_id"], "code": code}),
        )
        .await;

    assert_rate_limited(right, 60).await;
}

#[tokio::test]
async fn every_step_one_verify_and_resend_route_counts_toward_the_address_limit() {
    let app = app_with("BILIM_AUTH_REQUESTS_PER_IP_PER_MINUTE", "8").await;
    // Two requests: register and its verify.
    let session = app.register("kamola@example.uz").await;
    let probe = json!({"challenge_id": "no-such-challenge", "code": "123456"});
    let counted = [
        (
            "/api/v1/auth/login",
            json!({"email": "nobody@example.uz", "password": TEST_PASSWORD}),
        ),
        ("/api/v1/auth/login/verify", probe.clone()),
        (
            "/api/v1/auth/password/forgot",
            json!({"email": "nobody@example.uz"}),
        ),
        ("/api/v1/auth/password/verify", probe.clone()),
        (
            "/api/v1/auth/code/resend",
            json!({"challenge_id": "no-such-challenge"}),
        ),
        ("/api/v1/auth/register/verify", probe.clone()),
    ];
    for (path, body) in &counted {
        let response = app.post_json(path, body).await;
        assert_ne!(response.status(), 429, "{path} was refused too early");
    }

    // Eight counted so far: every one of these routes is now refused.
    let mut every_route = vec![("/api/v1/auth/register", registration("later@example.uz"))];
    every_route.extend(counted);
    for (path, body) in &every_route {
        let response = app.post_json(path, body).await;
        assert_eq!(response.status(), 429, "{path}");
        assert_rate_limited(response, 60).await;
    }

    // Refreshing a session is not a step-one or verify request.
    let refreshed = app
        .post_json(
            "/api/v1/auth/refresh",
            &json!({"refresh_token": session["refresh_token"]}),
        )
        .await;
    assert_eq!(refreshed.status(), 200);
}

#[tokio::test]
async fn behind_a_trusted_proxy_each_client_address_has_its_own_limit() {
    let app = spawn_app_with(|vars| {
        vars.insert("BILIM_AUTH_REQUESTS_PER_IP_PER_MINUTE".into(), "1".into());
        vars.insert("BILIM_TRUSTED_PROXIES".into(), "127.0.0.1".into());
    })
    .await;
    let forgot = |client: &'static str, email: &'static str| {
        app.client
            .post(app.url("/api/v1/auth/password/forgot"))
            .header("x-forwarded-for", client)
            .json(&json!({"email": email}))
            .send()
    };

    let first = forgot("203.0.113.7", "a@example.uz").await.unwrap();
    let again = forgot("203.0.113.7", "b@example.uz").await.unwrap();
    let other = forgot("203.0.113.8", "c@example.uz").await.unwrap();

    assert_eq!(first.status(), 200);
    assert_rate_limited(again, 60).await;
    assert_eq!(other.status(), 200);
}

#[tokio::test]
async fn a_forged_forwarded_for_does_not_escape_the_address_limit() {
    let app = app_with("BILIM_AUTH_REQUESTS_PER_IP_PER_MINUTE", "1").await;
    let forgot = |client: &'static str, email: &'static str| {
        app.client
            .post(app.url("/api/v1/auth/password/forgot"))
            .header("x-forwarded-for", client)
            .json(&json!({"email": email}))
            .send()
    };

    let first = forgot("203.0.113.7", "a@example.uz").await.unwrap();
    let forged = forgot("203.0.113.8", "b@example.uz").await.unwrap();

    assert_eq!(first.status(), 200);
    assert_rate_limited(forged, 60).await;
}

#[tokio::test]
async fn the_third_code_mail_of_a_flow_to_one_address_in_an_hour_is_rate_limited() {
    let app = app_with("BILIM_CODE_MAILS_PER_ADDRESS_PER_HOUR", "2").await;
    app.register("kamola@example.uz").await;
    let login = json!({"email": "kamola@example.uz", "password": TEST_PASSWORD});
    for _ in 0..2 {
        let response = app.post_json("/api/v1/auth/login", &login).await;
        assert_eq!(response.status(), 200);
    }

    let third = app.post_json("/api/v1/auth/login", &login).await;

    assert_rate_limited(third, 3600).await;
    // Each flow has its own budget: the reset flow's is untouched.
    let forgot = json!({"email": "Kamola@Example.uz"});
    for _ in 0..2 {
        let response = app.post_json("/api/v1/auth/password/forgot", &forgot).await;
        assert_eq!(response.status(), 200);
    }
    let forgot = app.post_json("/api/v1/auth/password/forgot", &forgot).await;
    assert_rate_limited(forgot, 3600).await;
    let to_kamola = app
        .sent_mail()
        .await
        .iter()
        .filter(|m| m.to == "kamola@example.uz")
        .count();
    assert_eq!(to_kamola, 5, "registration, two logins, two resets");
    let other = app
        .post_json("/api/v1/auth/register", &registration("other@example.uz"))
        .await;
    assert_eq!(other.status(), 200, "another address has its own limit");
}

#[tokio::test]
async fn forgot_for_an_unknown_address_counts_toward_its_mail_limit_too() {
    let app = app_with("BILIM_CODE_MAILS_PER_ADDRESS_PER_HOUR", "2").await;
    let forgot = json!({"email": "nobody@example.uz"});
    for _ in 0..2 {
        let response = app.post_json("/api/v1/auth/password/forgot", &forgot).await;
        assert_eq!(response.status(), 200);
    }

    let third = app.post_json("/api/v1/auth/password/forgot", &forgot).await;

    assert_rate_limited(third, 3600).await;
    assert!(app.sent_mail().await.is_empty());
}

#[tokio::test]
async fn a_resend_over_the_mail_limit_is_refused_and_the_last_mailed_code_still_works() {
    let app = app_with("BILIM_CODE_MAILS_PER_ADDRESS_PER_HOUR", "2").await;
    let challenge: Value = app
        .post_json("/api/v1/auth/register", &registration("kamola@example.uz"))
        .await
        .json()
        .await
        .unwrap();
    let resend = json!({"challenge_id": challenge["challenge_id"]});
    app.clock.advance(chrono::Duration::seconds(61));
    let second = app.post_json("/api/v1/auth/code/resend", &resend).await;
    assert_eq!(second.status(), 200);
    let last_mailed = app.last_code_for("kamola@example.uz").await;
    app.clock.advance(chrono::Duration::seconds(61));

    let third = app.post_json("/api/v1/auth/code/resend", &resend).await;

    assert_rate_limited(third, 3600).await;
    assert_eq!(app.sent_mail().await.len(), 2);
    let verified = app
        .post_json(
            "/api/v1/auth/register/verify",
            &json!({"challenge_id": challenge["challenge_id"], "code": last_mailed}),
        )
        .await;
    assert_eq!(
        verified.status(),
        201,
        "a refused resend must not kill the code the user holds: {}",
        verified.text().await.unwrap()
    );
}

#[tokio::test]
async fn premature_resends_mail_nothing_and_do_not_use_up_the_mail_limit() {
    let app = app_with("BILIM_CODE_MAILS_PER_ADDRESS_PER_HOUR", "2").await;
    let challenge: Value = app
        .post_json("/api/v1/auth/register", &registration("kamola@example.uz"))
        .await
        .json()
        .await
        .unwrap();
    let resend = json!({"challenge_id": challenge["challenge_id"]});
    for _ in 0..3 {
        let early = app.post_json("/api/v1/auth/code/resend", &resend).await;
        // Refused for resend_in, so the client is told to wait at most that.
        assert_rate_limited(early, 60).await;
    }
    assert_eq!(app.sent_mail().await.len(), 1);
    app.clock.advance(chrono::Duration::seconds(61));

    let due = app.post_json("/api/v1/auth/code/resend", &resend).await;

    assert_eq!(
        due.status(),
        200,
        "only one code mail went out: {}",
        due.text().await.unwrap()
    );
    assert_eq!(app.sent_mail().await.len(), 2);
}

#[tokio::test]
async fn a_register_for_a_taken_email_over_the_mail_limit_mails_the_owner_nothing() {
    let app = app_with("BILIM_CODE_MAILS_PER_ADDRESS_PER_HOUR", "2").await;
    app.register("kamola@example.uz").await;
    let attempt = app
        .post_json("/api/v1/auth/register", &registration("kamola@example.uz"))
        .await;
    assert_eq!(attempt.status(), 200);

    for _ in 0..3 {
        let refused = app
            .post_json("/api/v1/auth/register", &registration("kamola@example.uz"))
            .await;
        assert_rate_limited(refused, 3600).await;
    }

    let to_owner: Vec<_> = app
        .sent_mail()
        .await
        .into_iter()
        .filter(|m| m.to == "kamola@example.uz")
        .collect();
    assert_eq!(
        to_owner.len(),
        2,
        "the code mail and one notice, nothing for refused requests: {:#?}",
        to_owner.iter().map(|m| &m.subject).collect::<Vec<_>>()
    );
}

/// Issue 15: a stranger who asks for reset codes for someone's address until
/// it is refused must not lock the owner out of logging in (a user, and an
/// admin whose address is tried through the user route).
#[tokio::test]
async fn reset_requests_by_a_stranger_never_block_the_owners_login() {
    let app = spawn_app_with(|_| {}).await;
    app.register("victim@example.uz").await;
    crate::support::create_admin(
        &app,
        "bosh",
        "bosh@bilim.uz",
        bilim_domain::admins::AdminRole::Super,
    )
    .await;
    let mut refused = 0;
    for email in ["victim@example.uz", "bosh@bilim.uz"] {
        for _ in 0..12 {
            let response = app
                .post_json("/api/v1/auth/password/forgot", &json!({"email": email}))
                .await;
            if response.status() == 429 {
                refused += 1;
            }
        }
    }
    assert!(refused > 0, "the reset flow has a limit of its own");

    let login = app
        .post_json(
            "/api/v1/auth/login",
            &json!({"email": "victim@example.uz", "password": TEST_PASSWORD}),
        )
        .await;
    assert_eq!(login.status(), 200, "{}", login.text().await.unwrap());
    let admin = app
        .post_json(
            "/api/v1/admin/auth/login",
            &json!({"login": "bosh", "password": TEST_PASSWORD}),
        )
        .await;
    assert_eq!(admin.status(), 200, "{}", admin.text().await.unwrap());
}

/// Issue 15: `ip:port` (and `[v6]:port`) entries are addresses; before, they
/// were skipped and the client-written entry to their left was believed.
#[tokio::test]
async fn a_forwarded_entry_with_a_port_is_the_client_not_what_it_hides() {
    let app = spawn_app_with(|vars| {
        vars.insert("BILIM_AUTH_REQUESTS_PER_IP_PER_MINUTE".into(), "1".into());
        vars.insert("BILIM_TRUSTED_PROXIES".into(), "127.0.0.1".into());
    })
    .await;
    let forgot = |forwarded: &'static str| {
        app.client
            .post(app.url("/api/v1/auth/password/forgot"))
            .header("x-forwarded-for", forwarded)
            .json(&json!({"email": "a@example.uz"}))
            .send()
    };

    let first = forgot("203.0.113.7, 198.51.100.8:5555").await.unwrap();
    let forged = forgot("203.0.113.9, 198.51.100.8:5555").await.unwrap();
    let v6 = forgot("[2001:db8::7]:443").await.unwrap();
    let v6_again = forgot("203.0.113.10, [2001:db8::7]:80").await.unwrap();

    assert_eq!(first.status(), 200);
    assert_rate_limited(forged, 60).await;
    assert_eq!(v6.status(), 200);
    assert_rate_limited(v6_again, 60).await;
}
