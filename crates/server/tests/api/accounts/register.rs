//! `POST /auth/register` and `/auth/register/verify`: validation, the pending
//! account that only verification creates, and a taken email that answers like
//! a free one.

use crate::helpers::{TEST_PASSWORD, TestApp, spawn_app};
use reqwest::Method;
use serde_json::{Value, json};

fn registration(email: &str) -> Value {
    json!({
        "first_name": "Dilnoza",
        "last_name": "Rashidova",
        "email": email,
        "password": TEST_PASSWORD,
    })
}

async fn problem(response: reqwest::Response) -> (u16, Value) {
    let status = response.status().as_u16();
    assert_eq!(
        response.headers()["content-type"],
        "application/problem+json"
    );
    (status, response.json().await.unwrap())
}

fn keys(body: &Value) -> Vec<String> {
    let mut keys: Vec<String> = body.as_object().unwrap().keys().cloned().collect();
    keys.sort();
    keys
}

fn fields(problem: &Value) -> Vec<String> {
    let mut fields: Vec<String> = problem["errors"]
        .as_array()
        .unwrap_or_else(|| panic!("no errors[] in {problem}"))
        .iter()
        .map(|e| e["field"].as_str().unwrap().to_owned())
        .collect();
    fields.sort();
    fields.dedup();
    fields
}

async fn step_one(app: &TestApp, body: &Value) -> reqwest::Response {
    app.post_json("/api/v1/auth/register", body).await
}

async fn verify(app: &TestApp, challenge: &Value, code: &str) -> reqwest::Response {
    app.post_json(
        "/api/v1/auth/register/verify",
        &json!({"challenge_id": challenge["challenge_id"], "code": code}),
    )
    .await
}

#[tokio::test]
async fn step_one_answers_a_challenge_and_mails_a_six_digit_code() {
    let app = spawn_app().await;

    let response = step_one(&app, &registration("dilnoza@example.uz")).await;

    assert_eq!(response.status(), 200);
    let challenge: Value = response.json().await.unwrap();
    assert_eq!(
        keys(&challenge),
        ["challenge_id", "expires_in", "resend_in"]
    );
    assert!(!challenge["challenge_id"].as_str().unwrap().is_empty());
    assert_eq!(challenge["expires_in"], 600);
    assert_eq!(challenge["resend_in"], 60);
    let mail = app.sent_mail().await;
    assert_eq!(mail.len(), 1);
    assert_eq!(mail[0].to, "dilnoza@example.uz");
    let code = mail[0]
        .code()
        .expect("the mail holds a six-digit code line");
    assert!(
        !mail[0].subject.contains(&code),
        "the code must not be in the subject"
    );
}

#[tokio::test]
async fn verifying_the_code_creates_the_account_and_signs_it_in() {
    let app = spawn_app().await;
    let challenge: Value = step_one(&app, &registration("dilnoza@example.uz"))
        .await
        .json()
        .await
        .unwrap();
    let code = app.last_code_for("dilnoza@example.uz").await;

    let response = verify(&app, &challenge, &code).await;

    assert_eq!(response.status(), 201);
    let body: Value = response.json().await.unwrap();
    assert_eq!(
        keys(&body),
        [
            "access_token",
            "expires_in",
            "refresh_expires_in",
            "refresh_token",
            "token_type",
            "user"
        ]
    );
    assert_eq!(body["token_type"], "Bearer");
    assert_eq!(body["expires_in"], 900);
    let user = &body["user"];
    assert_eq!(user["email"], "dilnoza@example.uz");
    assert_eq!(user["first_name"], "Dilnoza");
    assert_eq!(user["last_name"], "Rashidova");
    assert_eq!(user["phone"], Value::Null);
    assert_eq!(user["active"], true);
    assert_eq!(user["role"], "student");
    assert!(user["email_verified_at"].is_string());
    for secret in ["password", "password_hash", "token_version"] {
        assert!(user.get(secret).is_none(), "the user shows {secret}");
    }
    let me = app
        .authed(
            Method::GET,
            "/api/v1/users/me",
            body["access_token"].as_str().unwrap(),
        )
        .send()
        .await
        .unwrap();
    assert_eq!(me.status(), 200);
    let me: Value = me.json().await.unwrap();
    assert_eq!(me["id"], user["id"]);
}

#[tokio::test]
async fn the_phone_is_stored_canonically_and_the_email_trimmed_and_lower_cased() {
    let app = spawn_app().await;
    let mut body = registration("  Nodira.Yusupova@Example.UZ ");
    body["phone"] = json!("+998 90 123 45 67");
    let challenge: Value = step_one(&app, &body).await.json().await.unwrap();
    let mail = app.sent_mail().await;
    assert_eq!(mail.len(), 1);
    assert_eq!(mail[0].to, "nodira.yusupova@example.uz");

    let verified = verify(&app, &challenge, &mail[0].code().unwrap()).await;

    assert_eq!(verified.status(), 201);
    let verified: Value = verified.json().await.unwrap();
    assert_eq!(verified["user"]["email"], "nodira.yusupova@example.uz");
    assert_eq!(verified["user"]["phone"], "+998901234567");
    let me: Value = app
        .authed(
            Method::GET,
            "/api/v1/users/me",
            verified["access_token"].as_str().unwrap(),
        )
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(me["email"], "nodira.yusupova@example.uz");
    assert_eq!(me["phone"], "+998901234567");
    app.login("NODIRA.YUSUPOVA@example.uz", TEST_PASSWORD).await;
}

#[tokio::test]
async fn nothing_is_written_to_the_database_before_the_code_is_verified() {
    let app = spawn_app().await;
    let challenge: Value = step_one(&app, &registration("dilnoza@example.uz"))
        .await
        .json()
        .await
        .unwrap();
    let first_code = app.last_code_for("dilnoza@example.uz").await;

    let login = app
        .post_json(
            "/api/v1/auth/login",
            &json!({"email": "dilnoza@example.uz", "password": TEST_PASSWORD}),
        )
        .await;
    let (status, body) = problem(login).await;
    assert_eq!(status, 401);
    assert_eq!(body["code"], "auth.invalid_credentials");

    // A second step one for the same address is not a "taken email": it gets a
    // code, and either pending registration can still complete.
    let again = step_one(&app, &registration("dilnoza@example.uz")).await;
    assert_eq!(again.status(), 200);
    let again_code = app.last_code_for("dilnoza@example.uz").await;
    assert_eq!(again_code.len(), 6);

    let verified = verify(&app, &challenge, &first_code).await;
    assert_eq!(verified.status(), 201);
    app.login("dilnoza@example.uz", TEST_PASSWORD).await;
}

#[tokio::test]
async fn a_taken_email_answers_like_a_free_one_and_creates_nothing() {
    let app = spawn_app().await;
    let owner = app.register("owner@example.uz").await;
    let mails_before = app.sent_mail().await.len();

    let free = step_one(&app, &registration("newcomer@example.uz")).await;
    let mut intruder = registration("Owner@Example.uz");
    intruder["password"] = json!("Another-Strong-Pass-77!");
    let taken = step_one(&app, &intruder).await;

    assert_eq!(taken.status(), free.status());
    assert_eq!(taken.status(), 200);
    assert_eq!(
        taken.headers()["content-type"],
        free.headers()["content-type"]
    );
    let free: Value = free.json().await.unwrap();
    let taken: Value = taken.json().await.unwrap();
    assert_eq!(keys(&taken), keys(&free));
    assert_eq!(taken["expires_in"], free["expires_in"]);
    assert_eq!(taken["resend_in"], free["resend_in"]);
    assert_eq!(
        taken["challenge_id"].as_str().unwrap().len(),
        free["challenge_id"].as_str().unwrap().len()
    );

    // The owner is told by a mail that carries no code.
    let mail = app.sent_mail().await;
    assert_eq!(mail.len(), mails_before + 2);
    let to_owner: Vec<_> = mail[mails_before..]
        .iter()
        .filter(|m| m.to == "owner@example.uz")
        .collect();
    assert_eq!(to_owner.len(), 1, "{mail:#?}");
    assert_eq!(to_owner[0].code(), None, "{}", to_owner[0].text);
    assert!(!to_owner[0].text.trim().is_empty());

    // No code verifies the decoy challenge, and the account is untouched.
    for code in ["000000", "123456", "999999"] {
        let (status, body) = problem(verify(&app, &taken, code).await).await;
        assert_eq!(status, 400);
        assert_eq!(body["code"], "auth.code_invalid");
    }
    let refused = app
        .post_json(
            "/api/v1/auth/login",
            &json!({"email": "owner@example.uz", "password": "Another-Strong-Pass-77!"}),
        )
        .await;
    assert_eq!(refused.status(), 401);
    let again = app.login("owner@example.uz", TEST_PASSWORD).await;
    assert_eq!(again["user"]["id"], owner["user"]["id"]);
    assert_eq!(again["user"]["first_name"], owner["user"]["first_name"]);
}

#[tokio::test]
async fn invalid_fields_are_all_named_in_one_validation_problem() {
    let app = spawn_app().await;

    let response = step_one(
        &app,
        &json!({
            "first_name": "",
            "last_name": "   ",
            "email": "not-an-email",
            "password": "short",
            "phone": "+7 901 234 56 78",
        }),
    )
    .await;

    let (status, body) = problem(response).await;
    assert_eq!(status, 400);
    assert_eq!(body["code"], "validation");
    assert_eq!(
        fields(&body),
        ["email", "first_name", "last_name", "password", "phone"]
    );
    for error in body["errors"].as_array().unwrap() {
        assert!(error["code"].is_string() && error["message"].is_string());
    }
    assert!(app.sent_mail().await.is_empty());
}

#[tokio::test]
async fn each_invalid_field_is_refused_on_its_own() {
    let app = spawn_app().await;
    let cases = [
        ("email", json!("a@@example.uz")),
        ("phone", json!("12345")),
        ("password", json!("1234567")),
        ("first_name", json!("")),
        ("last_name", json!("<script>")),
    ];
    for (field, value) in cases {
        let mut body = registration("dilnoza@example.uz");
        body[field] = value;

        let (status, problem) = problem(step_one(&app, &body).await).await;

        assert_eq!(status, 400, "{field}");
        assert_eq!(problem["code"], "validation", "{field}");
        assert_eq!(fields(&problem), [field]);
    }
    assert!(app.sent_mail().await.is_empty());
}

#[tokio::test]
async fn a_guessable_password_is_refused_as_weak() {
    let app = spawn_app().await;
    let mut common = registration("dilnoza@example.uz");
    common["password"] = json!("password123");
    let own_name = json!({
        "first_name": "Aziz",
        "last_name": "Karimov",
        "email": "aziz.karimov@example.uz",
        "password": "azizkarimov",
    });

    for body in [common, own_name] {
        let (status, problem) = problem(step_one(&app, &body).await).await;

        assert_eq!(status, 400, "{body}");
        assert_eq!(problem["code"], "password.weak", "{body}");
        assert_eq!(fields(&problem), ["password"]);
    }
    assert!(app.sent_mail().await.is_empty());
}

#[tokio::test]
async fn unknown_and_missing_body_fields_are_refused() {
    let app = spawn_app().await;
    let mut unknown = registration("dilnoza@example.uz");
    unknown["role"] = json!("admin");
    let mut missing = registration("dilnoza@example.uz");
    missing.as_object_mut().unwrap().remove("password");

    for body in [unknown, missing] {
        let (status, problem) = problem(step_one(&app, &body).await).await;

        assert_eq!(status, 400, "{body}");
        assert_eq!(problem["code"], "validation", "{body}");
    }
    let mut extra_verify = json!({"challenge_id": "x", "code": "123456"});
    extra_verify["user_id"] = json!("someone");
    let (status, problem) = problem(
        app.post_json("/api/v1/auth/register/verify", &extra_verify)
            .await,
    )
    .await;
    assert_eq!(status, 400);
    assert_eq!(problem["code"], "validation");
    assert!(app.sent_mail().await.is_empty());
}
