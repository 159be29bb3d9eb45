//! `/api/v1/telegram/*` and `POST /auth/register/telegram` (document 002).
//! Without the Telegram settings the service is absent and these routes
//! answer 404 `route.not_found`, as if they did not exist: before the body
//! is read, which is why the handlers take the body as a `Result`.

use super::auth::signed_in_body;
use crate::dto::telegram::*;
use crate::dto::validated;
use crate::error::ApiError;
use crate::extract::{ClientIp, JsonObject};
use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, post, web};
use bilim_service::ServiceError;
use bilim_service::profiles::Profiles;
use bilim_service::telegram::Telegram;

const OFF: &str = "- `route.not_found`: the Telegram settings are unset, so the route is off";

fn off() -> ApiError {
    ServiceError::NotFound {
        code: "route.not_found",
    }
    .into()
}

fn on(telegram: Option<web::Data<Telegram>>) -> Result<web::Data<Telegram>, ApiError> {
    telegram.ok_or_else(off)
}

fn header<'r>(request: &'r HttpRequest, name: &str) -> Option<&'r str> {
    request.headers().get(name)?.to_str().ok()
}

/// The bot pre-registers a person: a one-time token for the phone and
/// Telegram id, replacing the id's earlier token.
#[utoipa::path(
    operation_id = "telegramPreRegister",
    tag = "telegram",
    security(("bot_secret" = [])),
    request_body = PreRegistrationRequest,
    responses(
        (status = 201, description = "The token, shown once", body = PreRegistrationResponse),
        (status = 400, description = "- `validation`: `phone.invalid` (not +998 and nine digits), `telegram.id_invalid`, `length`"),
        (status = 401, description = "- `auth.bot_secret`: no `X-Bilim-Bot-Secret` header, or a wrong one"),
        (status = 404, description = OFF),
    )
)]
#[post("/telegram/pre-registrations")]
pub async fn pre_register(
    telegram: Option<web::Data<Telegram>>,
    request: HttpRequest,
    body: Result<JsonObject<PreRegistrationRequest>, actix_web::Error>,
) -> Result<HttpResponse, actix_web::Error> {
    let telegram = on(telegram)?;
    telegram
        .check_bot_secret(header(&request, "x-bilim-bot-secret"))
        .map_err(ApiError::from)?;
    let body = validated(body?.into_inner())?;
    let (token, expires_at) = telegram
        .pre_register(&body.phone, body.tg_id)
        .await
        .map_err(ApiError::from)?;
    Ok(HttpResponse::Created().json(PreRegistrationResponse { token, expires_at }))
}

/// Whether a pre-registration token still works; never why not.
#[utoipa::path(
    operation_id = "telegramCheckToken",
    tag = "telegram",
    request_body = TokenCheckRequest,
    responses(
        (status = 200, description = "`valid`: the token is live and unused", body = TokenCheckResponse),
        (status = 400, description = super::OVER_LENGTH),
        (status = 404, description = OFF),
        (status = 429, description = super::RATE_LIMITED),
    )
)]
#[post("/telegram/pre-registrations/check")]
pub async fn check(
    telegram: Option<web::Data<Telegram>>,
    ip: ClientIp,
    body: Result<JsonObject<TokenCheckRequest>, actix_web::Error>,
) -> Result<web::Json<TokenCheckResponse>, actix_web::Error> {
    let telegram = on(telegram)?;
    let body = validated(body?.into_inner())?;
    let valid = telegram
        .check_token(&body.token, ip.0)
        .await
        .map_err(ApiError::from)?;
    Ok(web::Json(TokenCheckResponse { valid }))
}

/// Creates the account of a pre-registration: phone and Telegram id from the
/// token, which dies; signed in at once; the email gets a code.
#[utoipa::path(
    operation_id = "registerTelegram",
    tag = "auth",
    request_body = TelegramRegisterRequest,
    responses(
        (status = 201, description = "The account is created and signed in; verify the email with `email_challenge`", body = TelegramRegisterResponse, headers(("Set-Cookie" = String, description = "`bilim_refresh`: the refresh token, HttpOnly, Secure, SameSite=Strict, Path=/api/v1/auth"))),
        (status = 400, description = "- `telegram.token_invalid`: the token is unknown, expired or already used\n- `validation`: a field breaks its rule; `errors` names every one (`name.full_required`, `name.length`, `name.invalid`, `sex.invalid`, `email.invalid`, `username.invalid`, `password.length`, `length`)\n- `password.weak`: the password is easy to guess"),
        (status = 404, description = OFF),
        (status = 409, description = "- `user.email_taken`: an account has this email\n- `user.username_taken`: an account has this username\n- `telegram.already_registered`: the token's Telegram account already has an account"),
        (status = 429, description = super::RATE_LIMITED),
    )
)]
#[post("/auth/register/telegram")]
pub async fn register(
    telegram: Option<web::Data<Telegram>>,
    profiles: web::Data<Profiles>,
    ip: ClientIp,
    body: Result<JsonObject<TelegramRegisterRequest>, actix_web::Error>,
) -> Result<HttpResponse, actix_web::Error> {
    let telegram = on(telegram)?;
    let body = validated(body?.into_inner())?;
    let registered = telegram
        .register(body.into(), ip.0)
        .await
        .map_err(ApiError::from)?;
    let outcome = registered.signed_in;
    let (mut builder, auth) = signed_in_body(StatusCode::CREATED, &outcome, &profiles);
    Ok(builder.json(TelegramRegisterResponse {
        tokens: auth.tokens,
        user: auth.user,
        email_challenge: registered.email_challenge.map(Into::into),
    }))
}

/// Telegram delivers the bot's updates here (`bilim telegram set-webhook`).
/// `/start` asks for the phone, the sender's own contact gets the
/// registration link, `/help` and anything else the help; in Uzbek, or
/// Russian for `language_code` `ru`.
#[utoipa::path(
    operation_id = "telegramWebhook",
    tag = "telegram",
    security(("telegram_secret" = [])),
    request_body(content = TelegramUpdate, content_type = "application/json"),
    responses(
        (status = 204, description = "Handled: the bot's reply was sent (or the update is of a kind the bot ignores)"),
        (status = 400, description = "- `telegram.update_invalid`: the body is not a Telegram `Update`"),
        (status = 401, description = "- `auth.webhook_secret`: no `X-Telegram-Bot-Api-Secret-Token` header, or a wrong one"),
        (status = 404, description = OFF),
        (status = 503, description = "- `service_unavailable`: the Bot API did not answer in time; Telegram delivers the update again"),
    )
)]
#[post("/telegram/webhook")]
pub async fn webhook(
    telegram: Option<web::Data<Telegram>>,
    request: HttpRequest,
    body: Result<web::Bytes, actix_web::Error>,
) -> Result<HttpResponse, actix_web::Error> {
    let telegram = on(telegram)?;
    if !telegram.webhook_on() {
        return Err(off().into());
    }
    telegram
        .check_webhook_secret(header(&request, "x-telegram-bot-api-secret-token"))
        .map_err(ApiError::from)?;
    let update = serde_json::from_slice::<frankenstein::updates::Update>(&body?).map_err(|_| {
        ApiError::bad_request(
            "telegram.update_invalid",
            "The body is not a Telegram Update.",
        )
    })?;
    if let Some(update) = bot_update(update) {
        telegram
            .handle_update(update)
            .await
            .map_err(ApiError::from)?;
    }
    Ok(HttpResponse::NoContent().finish())
}
