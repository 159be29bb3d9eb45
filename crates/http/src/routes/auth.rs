//! `/api/v1/auth/*`: the email-code flows, token refresh and logout.

use super::cookies;
use crate::dto::auth::*;
use crate::dto::users::UserResponse;
use crate::dto::validated;
use crate::error::ApiError;
use crate::extract::{ClientIp, CurrentUser, JsonObject};
use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, HttpResponseBuilder, post, web};
use bilim_service::accounts::{Accounts, Authenticated};
use bilim_service::profiles::Profiles;

fn signed_in(status: StatusCode, outcome: Authenticated, profiles: &Profiles) -> HttpResponse {
    let (mut builder, body) = signed_in_body(status, &outcome, profiles);
    builder.json(body)
}

/// The answer's start (status, refresh cookie) and body of a sign-in.
pub(super) fn signed_in_body(
    status: StatusCode,
    outcome: &Authenticated,
    profiles: &Profiles,
) -> (HttpResponseBuilder, AuthResponse) {
    let body = AuthResponse {
        tokens: TokensResponse::from(&outcome.tokens),
        user: UserResponse::new(&outcome.user, profiles),
    };
    let builder = cookies::USER.set(HttpResponse::build(status), &outcome.tokens);
    (builder, body)
}

/// Step one of registration: emails a code. A taken email answers the same.
#[utoipa::path(
    operation_id = "register",
    tag = "auth",
    request_body = RegisterRequest,
    responses(
        (status = 200, description = "A code was emailed: send it with `challenge_id` to `POST /auth/register/verify`. A taken email answers the same (its owner is warned instead, and the challenge never verifies)", body = ChallengeResponse),
        (status = 400, description = "- `validation`: a field breaks its rule; `errors` names every one (`name.length`, `name.invalid`, `email.invalid`, `phone.invalid`, `password.length`, `length`)\n- `password.weak`: the password is easy to guess; `errors[0].message` says why"),
        (status = 429, description = super::RATE_LIMITED),
    )
)]
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
    tag = "auth",
    request_body = VerifyRequest,
    responses(
        (status = 201, description = "The account is created and signed in", body = AuthResponse, headers(("Set-Cookie" = String, description = "`bilim_refresh`: the refresh token, HttpOnly, Secure, SameSite=Strict, Path=/api/v1/auth"))),
        (status = 400, description = super::CODE_ERRORS),
        (status = 409, description = "- `user.email_taken`: another registration of this address was verified first"),
        (status = 429, description = super::RATE_LIMITED),
    )
)]
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
    tag = "auth",
    request_body = LoginRequest,
    responses(
        (status = 200, description = "The password is right and a code was emailed: send it with `challenge_id` to `POST /auth/login/verify`", body = ChallengeResponse),
        (status = 400, description = "- `validation`: neither `email` nor `username`, or both; or a field over its maximum length (`errors[].code` `length`)"),
        (status = 401, description = "- `auth.invalid_credentials`: unknown or malformed email or username, wrong password or inactive account, all alike"),
        (status = 429, description = super::RATE_LIMITED),
    )
)]
#[post("/auth/login")]
pub async fn login(
    accounts: web::Data<Accounts>,
    ip: ClientIp,
    body: JsonObject<LoginRequest>,
) -> Result<web::Json<ChallengeResponse>, ApiError> {
    let body = validated(body.into_inner())?;
    let login = match (&body.email, &body.username) {
        (Some(email), None) => email,
        (None, Some(username)) => username,
        _ => {
            return Err(ApiError::bad_request(
                "validation",
                "Send either email or username.",
            ));
        }
    };
    let view = accounts.login(login, &body.password, ip.0).await?;
    Ok(web::Json(view.into()))
}

/// Step two of login.
#[utoipa::path(
    operation_id = "loginVerify",
    tag = "auth",
    request_body = VerifyRequest,
    responses(
        (status = 200, description = "Signed in", body = AuthResponse, headers(("Set-Cookie" = String, description = "`bilim_refresh`: the refresh token, HttpOnly, Secure, SameSite=Strict, Path=/api/v1/auth"))),
        (status = 400, description = super::CODE_ERRORS),
        (status = 401, description = "- `auth.invalid_credentials`: the account was deactivated between the two steps"),
        (status = 429, description = super::RATE_LIMITED),
    )
)]
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
    tag = "auth",
    request_body = ForgotRequest,
    responses(
        (status = 200, description = "A challenge, always: for an unknown or inactive address nothing is mailed and the challenge never verifies", body = ChallengeResponse),
        (status = 400, description = "- `validation`: `email.invalid`, or the email over its maximum length (`length`)"),
        (status = 429, description = super::RATE_LIMITED),
    )
)]
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
    tag = "auth",
    request_body = VerifyRequest,
    responses(
        (status = 200, description = "A reset token for `POST /auth/password/reset`", body = ResetTokenResponse),
        (status = 400, description = super::CODE_ERRORS),
        (status = 429, description = super::RATE_LIMITED),
    )
)]
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
    tag = "auth",
    request_body = ResetRequest,
    responses(
        (status = 204, description = "The password is changed; every session of the user ended"),
        (status = 400, description = "- `auth.reset_token_invalid`: the reset token is unknown, used or expired, or the user is inactive\n- `validation`: `password.length`, or a field over its maximum length (`length`)\n- `password.weak`: the password is easy to guess; the reset token stays usable"),
    )
)]
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
    tag = "auth",
    request_body = ResendRequest,
    responses(
        (status = 200, description = "A new code was emailed for the same challenge; the old code no longer works", body = ChallengeResponse),
        (status = 400, description = "- `auth.code_expired`: the challenge is unknown, expired, used, or an admin login's\n- `auth.challenge_locked`: five wrong codes were tried\n- `validation`: `challenge_id` over its maximum length (`length`)"),
        (status = 429, description = super::RESEND_TOO_SOON),
    )
)]
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
    tag = "auth",
    request_body(content = ref("#/components/schemas/RefreshRequest"), content_type = "application/json", description = "May be empty when the `bilim_refresh` cookie is sent; a token in the body wins"),
    responses(
        (status = 200, description = "A new pair; the refresh token used is spent", body = TokensResponse, headers(("Set-Cookie" = String, description = "`bilim_refresh`: the refresh token, HttpOnly, Secure, SameSite=Strict, Path=/api/v1/auth"))),
        (status = 400, description = super::OVER_LENGTH),
        (status = 401, description = super::REFRESH_INVALID),
    )
)]
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
    tag = "auth",
    request_body(content = ref("#/components/schemas/RefreshRequest"), content_type = "application/json", description = "May be empty when the `bilim_refresh` cookie is sent"),
    responses(
        (status = 204, description = "The session of the refresh token ended (an unknown, missing or revoked token answers the same)", headers(("Set-Cookie" = String, description = "Clears `bilim_refresh` (empty, Max-Age=0)"))),
        (status = 400, description = super::OVER_LENGTH),
    )
)]
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
    tag = "auth",
    security(("user_token" = [])),
    responses(
        (status = 204, description = "Every session and every access token of the user ended", headers(("Set-Cookie" = String, description = "Clears `bilim_refresh` (empty, Max-Age=0)"))),
    )
)]
#[post("/auth/logout-all")]
pub async fn logout_all(
    accounts: web::Data<Accounts>,
    user: CurrentUser,
) -> Result<HttpResponse, ApiError> {
    accounts.logout_all(user.0.user.id).await?;
    Ok(cookies::USER.logged_out())
}
