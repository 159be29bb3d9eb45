//! Admin login (username or email, password, then an emailed code), refresh and
//! logout.

use crate::dto::admin::{AdminAuthResponse, AdminLoginRequest, AdminResponse};
use crate::dto::auth::{ChallengeResponse, ResendRequest, TokensResponse, VerifyRequest};
use crate::dto::validated;
use crate::error::ApiError;
use crate::extract::{ClientIp, JsonObject};
use crate::routes::cookies;
use actix_web::{HttpRequest, HttpResponse, post, web};
use bilim_service::admin::AdminAuth;

/// Step one: checks the password and emails a code to the admin.
#[utoipa::path(
    operation_id = "adminLogin",
    tag = "admin",
    request_body = AdminLoginRequest,
    responses(
        (status = 200, description = "The password is right and a code was emailed to the admin: send it to `POST /admin/auth/login/verify`", body = ChallengeResponse),
        (status = 400, description = super::super::OVER_LENGTH),
        (status = 401, description = "- `auth.invalid_credentials`: unknown login, wrong password or inactive admin, all alike"),
        (status = 429, description = super::super::RATE_LIMITED),
    )
)]
#[post("/admin/auth/login")]
pub async fn login(
    admin_auth: web::Data<AdminAuth>,
    ip: ClientIp,
    body: JsonObject<AdminLoginRequest>,
) -> Result<web::Json<ChallengeResponse>, ApiError> {
    let body = validated(body.into_inner())?;
    let view = admin_auth.login(&body.login, &body.password, ip.0).await?;
    Ok(web::Json(view.into()))
}

/// Step two: admin tokens.
#[utoipa::path(
    operation_id = "adminLoginVerify",
    tag = "admin",
    request_body = VerifyRequest,
    responses(
        (status = 200, description = "Signed in", body = AdminAuthResponse, headers(("Set-Cookie" = String, description = "`bilim_admin_refresh`: the refresh token, HttpOnly, Secure, SameSite=Strict, Path=/api/v1/admin/auth"))),
        (status = 400, description = super::super::CODE_ERRORS),
        (status = 401, description = "- `auth.invalid_credentials`: the admin was deactivated between the two steps"),
        (status = 429, description = super::super::RATE_LIMITED),
    )
)]
#[post("/admin/auth/login/verify")]
pub async fn login_verify(
    admin_auth: web::Data<AdminAuth>,
    ip: ClientIp,
    body: JsonObject<VerifyRequest>,
) -> Result<HttpResponse, ApiError> {
    let body = validated(body.into_inner())?;
    let outcome = admin_auth
        .verify_login(&body.challenge_id, &body.code, ip.0)
        .await?;
    let response = AdminAuthResponse {
        tokens: TokensResponse::from(&outcome.tokens),
        admin: AdminResponse::from(&outcome.admin),
    };
    Ok(cookies::ADMIN
        .set(HttpResponse::Ok(), &outcome.tokens)
        .json(response))
}

/// A new code for an admin login challenge.
#[utoipa::path(
    operation_id = "adminResendCode",
    tag = "admin",
    request_body = ResendRequest,
    responses(
        (status = 200, description = "A new code was emailed for the same challenge; the old code no longer works", body = ChallengeResponse),
        (status = 400, description = "- `auth.code_expired`: the challenge is unknown, expired, used, or not an admin login's\n- `auth.challenge_locked`: five wrong codes were tried\n- `validation`: `challenge_id` over its maximum length (`length`)"),
        (status = 429, description = super::super::RESEND_TOO_SOON),
    )
)]
#[post("/admin/auth/code/resend")]
pub async fn code_resend(
    admin_auth: web::Data<AdminAuth>,
    ip: ClientIp,
    body: JsonObject<ResendRequest>,
) -> Result<web::Json<ChallengeResponse>, ApiError> {
    let body = validated(body.into_inner())?;
    Ok(web::Json(
        admin_auth.resend(&body.challenge_id, ip.0).await?.into(),
    ))
}

/// New admin tokens (body or `bilim_admin_refresh` cookie); reuse revokes the family.
#[utoipa::path(
    operation_id = "adminRefreshToken",
    tag = "admin",
    request_body(content = ref("#/components/schemas/RefreshRequest"), content_type = "application/json", description = "May be empty when the `bilim_admin_refresh` cookie is sent; a token in the body wins"),
    responses(
        (status = 200, description = "A new pair; the refresh token used is spent", body = TokensResponse, headers(("Set-Cookie" = String, description = "`bilim_admin_refresh`: the refresh token, HttpOnly, Secure, SameSite=Strict, Path=/api/v1/admin/auth"))),
        (status = 400, description = super::super::OVER_LENGTH),
        (status = 401, description = super::super::REFRESH_INVALID),
    )
)]
#[post("/admin/auth/refresh")]
pub async fn refresh(
    admin_auth: web::Data<AdminAuth>,
    request: HttpRequest,
    body: web::Bytes,
) -> Result<HttpResponse, ApiError> {
    let token = cookies::ADMIN.required_token_of(&request, &body)?;
    let tokens = admin_auth.refresh(&token).await?;
    Ok(cookies::ADMIN.refreshed(&tokens))
}

/// Ends an admin session. Always 204.
#[utoipa::path(
    operation_id = "adminLogout",
    tag = "admin",
    request_body(content = ref("#/components/schemas/RefreshRequest"), content_type = "application/json", description = "May be empty when the `bilim_admin_refresh` cookie is sent"),
    responses(
        (status = 204, description = "The session of the refresh token ended (an unknown, missing or revoked token answers the same)", headers(("Set-Cookie" = String, description = "Clears `bilim_admin_refresh` (empty, Max-Age=0)"))),
        (status = 400, description = super::super::OVER_LENGTH),
    )
)]
#[post("/admin/auth/logout")]
pub async fn logout(
    admin_auth: web::Data<AdminAuth>,
    request: HttpRequest,
    body: web::Bytes,
) -> Result<HttpResponse, ApiError> {
    if let Some(token) = cookies::ADMIN.token_of(&request, &body)? {
        admin_auth.logout(&token).await?;
    }
    Ok(cookies::ADMIN.logged_out())
}
