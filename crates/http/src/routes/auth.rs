//! `/api/v1/auth/*`: the email-code flows, token refresh and logout.

use super::cookies;
use crate::dto::auth::*;
use crate::dto::users::UserResponse;
use crate::dto::validated;
use crate::error::{ApiError, Problem};
use crate::extract::{ClientIp, CurrentUser, JsonObject};
use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, post, web};
use bilim_service::accounts::{Accounts, Authenticated};
use bilim_service::profiles::Profiles;

fn signed_in(status: StatusCode, outcome: Authenticated, profiles: &Profiles) -> HttpResponse {
    let body = AuthResponse {
        tokens: TokensResponse::from(&outcome.tokens),
        user: UserResponse::new(&outcome.user, profiles),
    };
    cookies::USER
        .set(HttpResponse::build(status), &outcome.tokens)
        .json(body)
}

/// Step one of registration: emails a code. A taken email answers the same.
#[utoipa::path(
    operation_id = "register",
    tag = "auth", request_body = RegisterRequest, responses(
    (status = 200, body = ChallengeResponse),
    (status = 400, description = "`validation` or `password.weak`", body = Problem, content_type = "application/problem+json"),
    (status = 429, description = "`rate_limited`, with Retry-After", body = Problem, content_type = "application/problem+json"),
    (status = 503, description = "`service_unavailable`", body = Problem, content_type = "application/problem+json"),
))]
#[post("/auth/register")]
pub async fn register(
    accounts: web::Data<Accounts>,
    ip: ClientIp,
    body: JsonObject<RegisterRequest>,
) -> Result<web::Json<ChallengeResponse>, ApiError> {
    let body = validated(body.into_inner())?;
    let view = accounts.register(body.into(), ip.0).await?;
    Ok(web::Json(view.into()))
}

/// Step two of registration: the account is created and signed in.
#[utoipa::path(
    operation_id = "registerVerify",
    tag = "auth", request_body = VerifyRequest, responses(
    (status = 201, body = AuthResponse),
    (status = 400, description = "`auth.code_invalid`, `auth.code_expired`, `auth.challenge_locked`", body = Problem, content_type = "application/problem+json"),
    (status = 409, description = "`user.email_taken` (a concurrent registration won)", body = Problem, content_type = "application/problem+json"),
    (status = 429, body = Problem, content_type = "application/problem+json"),
))]
#[post("/auth/register/verify")]
pub async fn register_verify(
    accounts: web::Data<Accounts>,
    profiles: web::Data<Profiles>,
    ip: ClientIp,
    body: JsonObject<VerifyRequest>,
) -> Result<HttpResponse, ApiError> {
    let body = validated(body.into_inner())?;
    let outcome = accounts
        .verify_registration(&body.challenge_id, &body.code, ip.0)
        .await?;
    Ok(signed_in(StatusCode::CREATED, outcome, &profiles))
}

/// Step one of login: checks the password, emails a code.
#[utoipa::path(
    operation_id = "login",
    tag = "auth", request_body = LoginRequest, responses(
    (status = 200, body = ChallengeResponse),
    (status = 401, description = "`auth.invalid_credentials`, the same for an unknown email, a wrong password and an inactive account", body = Problem, content_type = "application/problem+json"),
    (status = 429, body = Problem, content_type = "application/problem+json"),
))]
#[post("/auth/login")]
pub async fn login(
    accounts: web::Data<Accounts>,
    ip: ClientIp,
    body: JsonObject<LoginRequest>,
) -> Result<web::Json<ChallengeResponse>, ApiError> {
    let body = validated(body.into_inner())?;
    let view = accounts.login(&body.email, &body.password, ip.0).await?;
    Ok(web::Json(view.into()))
}

/// Step two of login.
#[utoipa::path(
    operation_id = "loginVerify",
    tag = "auth", request_body = VerifyRequest, responses(
    (status = 200, body = AuthResponse),
    (status = 400, description = "`auth.code_invalid`, `auth.code_expired`, `auth.challenge_locked`", body = Problem, content_type = "application/problem+json"),
    (status = 429, body = Problem, content_type = "application/problem+json"),
))]
#[post("/auth/login/verify")]
pub async fn login_verify(
    accounts: web::Data<Accounts>,
    profiles: web::Data<Profiles>,
    ip: ClientIp,
    body: JsonObject<VerifyRequest>,
) -> Result<HttpResponse, ApiError> {
    let body = validated(body.into_inner())?;
    let outcome = accounts
        .verify_login(&body.challenge_id, &body.code, ip.0)
        .await?;
    Ok(signed_in(StatusCode::OK, outcome, &profiles))
}

/// Step one of a password reset. Always 200: an unknown email gets a challenge
/// that can never verify, and no mail.
#[utoipa::path(
    operation_id = "passwordForgot",
    tag = "auth", request_body = ForgotRequest, responses(
    (status = 200, body = ChallengeResponse),
    (status = 400, body = Problem, content_type = "application/problem+json"),
    (status = 429, body = Problem, content_type = "application/problem+json"),
))]
#[post("/auth/password/forgot")]
pub async fn password_forgot(
    accounts: web::Data<Accounts>,
    ip: ClientIp,
    body: JsonObject<ForgotRequest>,
) -> Result<web::Json<ChallengeResponse>, ApiError> {
    let body = validated(body.into_inner())?;
    let view = accounts.forgot_password(&body.email, ip.0).await?;
    Ok(web::Json(view.into()))
}

/// Step two of a password reset: a reset token (15 minutes, once).
#[utoipa::path(
    operation_id = "passwordVerify",
    tag = "auth", request_body = VerifyRequest, responses(
    (status = 200, body = ResetTokenResponse),
    (status = 400, description = "`auth.code_invalid`, `auth.code_expired`, `auth.challenge_locked`", body = Problem, content_type = "application/problem+json"),
    (status = 429, body = Problem, content_type = "application/problem+json"),
))]
#[post("/auth/password/verify")]
pub async fn password_verify(
    accounts: web::Data<Accounts>,
    ip: ClientIp,
    body: JsonObject<VerifyRequest>,
) -> Result<web::Json<ResetTokenResponse>, ApiError> {
    let body = validated(body.into_inner())?;
    let token = accounts
        .verify_password_reset(&body.challenge_id, &body.code, ip.0)
        .await?;
    Ok(web::Json(token.into()))
}

/// Sets a new password with a reset token; every session of the user ends.
#[utoipa::path(
    operation_id = "passwordReset",
    tag = "auth", request_body = ResetRequest, responses(
    (status = 204, description = "Password changed; all sessions ended"),
    (status = 400, description = "`auth.reset_token_invalid`, `validation`, `password.weak`", body = Problem, content_type = "application/problem+json"),
))]
#[post("/auth/password/reset")]
pub async fn password_reset(
    accounts: web::Data<Accounts>,
    body: JsonObject<ResetRequest>,
) -> Result<HttpResponse, ApiError> {
    let body = validated(body.into_inner())?;
    accounts
        .reset_password(&body.reset_token, &body.new_password)
        .await?;
    Ok(HttpResponse::NoContent().finish())
}

/// A new code for a challenge; the old code dies.
#[utoipa::path(
    operation_id = "resendCode",
    tag = "auth", request_body = ResendRequest, responses(
    (status = 200, body = ChallengeResponse),
    (status = 400, description = "`auth.code_expired`", body = Problem, content_type = "application/problem+json"),
    (status = 429, description = "Before `resend_in` has passed, with Retry-After", body = Problem, content_type = "application/problem+json"),
))]
#[post("/auth/code/resend")]
pub async fn code_resend(
    accounts: web::Data<Accounts>,
    ip: ClientIp,
    body: JsonObject<ResendRequest>,
) -> Result<web::Json<ChallengeResponse>, ApiError> {
    let body = validated(body.into_inner())?;
    let view = accounts.resend(&body.challenge_id, ip.0).await?;
    Ok(web::Json(view.into()))
}

/// New tokens for a refresh token (body or `bilim_refresh` cookie). The old
/// refresh token dies; using it again revokes its whole family.
#[utoipa::path(
    operation_id = "refreshToken",
    tag = "auth", request_body(content = RefreshRequest, description = "May be empty when the cookie is sent"), responses(
    (status = 200, body = TokensResponse),
    (status = 401, description = "`auth.refresh_invalid`", body = Problem, content_type = "application/problem+json"),
))]
#[post("/auth/refresh")]
pub async fn refresh(
    accounts: web::Data<Accounts>,
    request: HttpRequest,
    body: web::Bytes,
) -> Result<HttpResponse, ApiError> {
    let token = cookies::USER.required_token_of(&request, &body)?;
    let tokens = accounts.refresh(&token).await?;
    Ok(cookies::USER.refreshed(&tokens))
}

/// Ends the session of a refresh token (body or cookie). Always 204.
#[utoipa::path(
    operation_id = "logout",
    tag = "auth", request_body(content = RefreshRequest, description = "May be empty when the cookie is sent"), responses(
    (status = 204, description = "Logged out"),
))]
#[post("/auth/logout")]
pub async fn logout(
    accounts: web::Data<Accounts>,
    request: HttpRequest,
    body: web::Bytes,
) -> Result<HttpResponse, ApiError> {
    if let Some(token) = cookies::USER.token_of(&request, &body)? {
        accounts.logout(&token).await?;
    }
    Ok(cookies::USER.logged_out())
}

/// Ends every session and every access token of the user.
#[utoipa::path(
    operation_id = "logoutAll",
    tag = "auth", security(("user_token" = [])), responses(
    (status = 204, description = "Every session ended"),
    (status = 401, description = "`auth.required`, `auth.token_invalid`", body = Problem, content_type = "application/problem+json"),
))]
#[post("/auth/logout-all")]
pub async fn logout_all(
    accounts: web::Data<Accounts>,
    user: CurrentUser,
) -> Result<HttpResponse, ApiError> {
    accounts.logout_all(user.0.user.id).await?;
    Ok(cookies::USER.logged_out())
}
