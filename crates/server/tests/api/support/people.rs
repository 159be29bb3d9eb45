//! Admins made without HTTP (as `bilim create-admin` does) and signed in
//! through both steps, users registered through both steps, and users stored
//! directly.

use super::http::secret_free_json;
use crate::helpers::{TEST_PASSWORD, TestApp};
use bilim_domain::admins::AdminRole;
use bilim_domain::ports::Clock;
use bilim_domain::users::{NewUser, User, UserRole};
use bilim_domain::values::{Email, PersonName, Phone};
use bilim_service::admin::AdminInput;
use reqwest::Response;
use serde_json::{Value, json};

pub(crate) const ADMIN_LOGIN: &str = "/api/v1/admin/auth/login";
pub(crate) const ADMIN_LOGIN_VERIFY: &str = "/api/v1/admin/auth/login/verify";

/// One signed-in admin session.
#[derive(Debug, Clone)]
pub(crate) struct AdminSession {
    pub id: String,
    pub access: String,
    pub refresh: String,
    /// The whole 200 body of the verify step.
    pub body: Value,
}

impl AdminSession {
    fn of(body: Value) -> Self {
        Self {
            id: body["admin"]["id"].as_str().unwrap().to_owned(),
            access: body["access_token"].as_str().unwrap().to_owned(),
            refresh: body["refresh_token"].as_str().unwrap().to_owned(),
            body,
        }
    }
}

/// Creates an admin without HTTP and without an acting admin (the CLI's way);
/// returns its id.
pub(crate) async fn create_admin(
    app: &TestApp,
    username: &str,
    email: &str,
    role: AdminRole,
) -> String {
    let admin = app
        .services
        .http
        .admins
        .create_first(AdminInput {
            username: username.to_owned(),
            email: email.to_owned(),
            password: TEST_PASSWORD.to_owned(),
            role,
            tg_id: None,
        })
        .await
        .unwrap();
    admin.id.to_string()
}

/// Step one of the admin login; answers as the server did.
pub(crate) async fn login_step_one(app: &TestApp, login: &str, password: &str) -> Response {
    app.post_json(ADMIN_LOGIN, &json!({"login": login, "password": password}))
        .await
}

/// Both admin login steps; the code is read from the mail to `email`. Both must
/// succeed.
pub(crate) async fn admin_login(app: &TestApp, login: &str, email: &str) -> AdminSession {
    let challenge = secret_free_json(login_step_one(app, login, TEST_PASSWORD).await, 200).await;
    let code = app.last_code_for(email).await;
    let verified = app
        .post_json(
            ADMIN_LOGIN_VERIFY,
            &json!({"challenge_id": challenge["challenge_id"], "code": code}),
        )
        .await;
    AdminSession::of(secret_free_json(verified, 200).await)
}

/// A user registered through both steps; returns the user access token.
pub(crate) async fn user_token(app: &TestApp, email: &str) -> String {
    let body = app.register(email).await;
    body["access_token"].as_str().unwrap().to_owned()
}

/// A user stored directly: no mail, no rate limit, active, no usable password.
pub(crate) async fn store_user(
    app: &TestApp,
    (first_name, last_name): (&str, &str),
    email: &str,
    phone: Option<&str>,
    role: UserRole,
) -> User {
    app.ports
        .users
        .insert(NewUser {
            id: uuid::Uuid::now_v7(),
            first_name: PersonName::parse("first_name", first_name).unwrap(),
            last_name: PersonName::parse("last_name", last_name).unwrap(),
            email: Email::parse(email).unwrap(),
            phone: phone.map(|p| Phone::parse(p).unwrap()),
            password_hash: "not-a-real-hash".to_owned(),
            role,
            email_verified_at: None,
            now: app.clock.now(),
        })
        .await
        .unwrap()
}
