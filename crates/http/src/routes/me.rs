//! `/api/v1/users/me`: the signed-in user's own account.

use crate::dto::users::*;
use crate::dto::validated;
use crate::error::ApiError;
use crate::extract::{CurrentUser, JsonObject};
use crate::routes::uploads::{announced_length, form_parts};
use actix_web::{HttpRequest, HttpResponse, delete, get, patch, put, web};
use bilim_service::learning::Learning;
use bilim_service::profiles::Profiles;
use bilim_service::quizzes::Quizzes;

/// The user, with the courses, workbooks and certificates opened to them.
#[utoipa::path(
    operation_id = "getMe",
    tag = "users",
    security(("user_token" = [])),
    responses(
        (status = 200, description = "The user, with the courses, workbooks and certificates opened to them", body = MeResponse),
    )
)]
#[get("/users/me")]
pub async fn me(
    learning: web::Data<Learning>,
    profiles: web::Data<Profiles>,
    quizzes: web::Data<Quizzes>,
    user: CurrentUser,
) -> Result<web::Json<MeResponse>, ApiError> {
    let standing = learning.standing(user.0.user.id).await?;
    let mut me = MeResponse::new(UserResponse::new(&user.0.user, &profiles), &standing);
    me.points = quizzes.points_of(user.0.user.id).await?;
    Ok(web::Json(me))
}

/// Changes names, phone or username. The email never changes.
#[utoipa::path(
    operation_id = "updateMe",
    tag = "users",
    security(("user_token" = [])),
    request_body = ProfilePatch,
    responses(
        (status = 200, description = "The user as changed", body = UserResponse),
        (status = 400, description = "- `user.email_immutable`: the body has an `email` field, whatever its value\n- `validation`: a field breaks its rule; `errors` names every one (`name.length`, `name.invalid`, `phone.invalid`, `username.invalid`, `length`)"),
        (status = 409, description = "- `user.username_taken`: another account has this username (any case)"),
    )
)]
#[patch("/users/me")]
pub async fn update_me(
    profiles: web::Data<Profiles>,
    user: CurrentUser,
    body: JsonObject<ProfilePatch>,
) -> Result<web::Json<UserResponse>, ApiError> {
    let body = body.into_inner();
    if body.tries_to_change_email() {
        return Err(ApiError::bad_request(
            "user.email_immutable",
            "The email is your identity and cannot be changed.",
        ));
    }
    let body = validated(body)?;
    let updated = profiles.update(&user.0.user, body.into()).await?;
    Ok(web::Json(UserResponse::new(&updated, &profiles)))
}

/// Replaces the avatar. The image is checked by content, re-encoded and stripped
/// of metadata.
#[utoipa::path(
    operation_id = "uploadAvatar",
    tag = "users",
    security(("user_token" = [])),
    request_body(content = AvatarUpload, content_type = "multipart/form-data"),
    responses(
        (status = 200, description = "The new avatar, re-encoded as JPEG without metadata", body = AvatarResponse),
        (status = 400, description = "- `validation`: no `image` field\n- `file.invalid_image`: JPEG, PNG or WebP by its first bytes, but it does not decode (truncated, corrupt, or over 8192 px a side)"),
        (status = 413, description = "- `file.too_large`: the image is over 5 MiB, or the request announces more than 5 MiB + 64 KiB"),
        (status = 415, description = "- `file.type_not_allowed`: the bytes are not JPEG, PNG or WebP (the declared type and name are ignored)"),
    )
)]
#[put("/users/me/avatar")]
pub async fn put_avatar(
    profiles: web::Data<Profiles>,
    user: CurrentUser,
    request: HttpRequest,
    payload: web::Payload,
) -> Result<web::Json<AvatarResponse>, ApiError> {
    let parts = form_parts(&request, payload);
    let avatar_url = profiles
        .upload_avatar(&user.0.user, announced_length(&request), parts)
        .await?;
    Ok(web::Json(AvatarResponse { avatar_url }))
}

/// Changes the password; every other session ends. The caller's own access
/// token also stops working: refresh it with the session's refresh token.
#[utoipa::path(
    operation_id = "changePassword",
    tag = "users",
    security(("user_token" = [])),
    request_body = PasswordChange,
    responses(
        (status = 204, description = "Changed; every other session ended, and this access token too: refresh it with the session's refresh token"),
        (status = 429, description = "- `rate_limited`: the sixth try of the current password within 15 minutes; `Retry-After` says how long to wait"),
        (status = 400, description = "- `password.current_invalid`: `current_password` is wrong\n- `validation`: `password.length`, or a field over its maximum length (`length`)\n- `password.weak`: the new password is easy to guess"),
    )
)]
#[put("/users/me/password")]
pub async fn change_password(
    profiles: web::Data<Profiles>,
    user: CurrentUser,
    body: JsonObject<PasswordChange>,
) -> Result<HttpResponse, ApiError> {
    let body = validated(body.into_inner())?;
    profiles
        .change_password(&user.0, &body.current_password, &body.new_password)
        .await?;
    Ok(HttpResponse::NoContent().finish())
}

/// Deactivates the account: every token stops working; the data stays.
#[utoipa::path(
    operation_id = "deleteMe",
    tag = "users",
    security(("user_token" = [])),
    responses(
        (status = 204, description = "Deactivated: every token stopped working; the data stays"),
    )
)]
#[delete("/users/me")]
pub async fn delete_me(
    profiles: web::Data<Profiles>,
    user: CurrentUser,
) -> Result<HttpResponse, ApiError> {
    profiles.deactivate(&user.0.user).await?;
    Ok(HttpResponse::NoContent().finish())
}
