//! `/api/v1/users/me`: the signed-in user's own account.

use crate::dto::users::*;
use crate::dto::validated;
use crate::error::{ApiError, Problem};
use crate::extract::CurrentUser;
use actix_multipart::Multipart;
use actix_web::http::{StatusCode, header};
use actix_web::{HttpRequest, HttpResponse, delete, get, patch, put, web};
use bilim_service::avatar::MAX_AVATAR_BYTES;
use bilim_service::learning::Learning;
use bilim_service::profiles::Profiles;
use futures_util::StreamExt;

/// The user, with the courses, workbooks and certificates opened to them.
#[utoipa::path(tag = "users", security(("user_token" = [])), responses(
    (status = 200, body = MeResponse),
    (status = 401, body = Problem, content_type = "application/problem+json"),
))]
#[get("/users/me")]
pub async fn me(
    learning: web::Data<Learning>,
    profiles: web::Data<Profiles>,
    user: CurrentUser,
) -> Result<web::Json<MeResponse>, ApiError> {
    let standing = learning.standing(user.0.user.id).await?;
    Ok(web::Json(MeResponse::new(
        UserResponse::new(&user.0.user, &profiles),
        &standing,
    )))
}

/// Changes names or phone. The email never changes.
#[utoipa::path(tag = "users", security(("user_token" = [])), request_body = ProfilePatch, responses(
    (status = 200, body = UserResponse),
    (status = 400, description = "`validation`, `user.email_immutable`", body = Problem, content_type = "application/problem+json"),
    (status = 401, body = Problem, content_type = "application/problem+json"),
))]
#[patch("/users/me")]
pub async fn update_me(
    profiles: web::Data<Profiles>,
    user: CurrentUser,
    body: web::Json<ProfilePatch>,
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

fn too_large() -> ApiError {
    ApiError::new(
        StatusCode::PAYLOAD_TOO_LARGE,
        "file.too_large",
        format!(
            "Images are limited to {} MiB.",
            MAX_AVATAR_BYTES / 1024 / 1024
        ),
    )
}

/// Replaces the avatar. The image is checked by content, re-encoded and stripped
/// of metadata.
#[utoipa::path(tag = "users", security(("user_token" = [])),
    request_body(content = AvatarUpload, content_type = "multipart/form-data"),
    responses(
        (status = 200, body = AvatarResponse),
        (status = 400, description = "`validation` (no `image` field), `file.invalid_image`", body = Problem, content_type = "application/problem+json"),
        (status = 413, description = "`file.too_large`", body = Problem, content_type = "application/problem+json"),
        (status = 415, description = "`file.type_not_allowed`", body = Problem, content_type = "application/problem+json"),
    )
)]
#[put("/users/me/avatar")]
pub async fn put_avatar(
    profiles: web::Data<Profiles>,
    user: CurrentUser,
    request: HttpRequest,
    mut form: Multipart,
) -> Result<web::Json<AvatarResponse>, ApiError> {
    // Refuse by the announced size before reading anything.
    let announced = request
        .headers()
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<usize>().ok());
    if announced.is_some_and(|length| length > MAX_AVATAR_BYTES + 64 * 1024) {
        return Err(too_large());
    }
    let mut image = None;
    while let Some(field) = form.next().await {
        let mut field = field.map_err(multipart_error)?;
        if field.name() != Some("image") {
            continue;
        }
        let mut bytes = Vec::new();
        while let Some(chunk) = field.next().await {
            let chunk = chunk.map_err(multipart_error)?;
            if bytes.len() + chunk.len() > MAX_AVATAR_BYTES {
                return Err(too_large());
            }
            bytes.extend_from_slice(&chunk);
        }
        image = Some(bytes);
    }
    let image = image.ok_or_else(|| {
        ApiError::bad_request(
            "validation",
            "Send the picture in a form field named image.",
        )
    })?;
    let avatar_url = profiles.set_avatar(&user.0.user, image).await?;
    Ok(web::Json(AvatarResponse { avatar_url }))
}

fn multipart_error(error: actix_multipart::MultipartError) -> ApiError {
    use actix_multipart::MultipartError;
    match error {
        MultipartError::ContentTypeMissing
        | MultipartError::ContentTypeParse
        | MultipartError::ContentTypeIncompatible => ApiError::new(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "request.unsupported_media_type",
            "Send multipart/form-data.",
        ),
        other => ApiError::bad_request("request.malformed_multipart", other.to_string()),
    }
}

/// Changes the password; every other session ends. The caller's own access
/// token also stops working: refresh it with the session's refresh token.
#[utoipa::path(tag = "users", security(("user_token" = [])), request_body = PasswordChange, responses(
    (status = 204, description = "Changed"),
    (status = 400, description = "`password.current_invalid`, `validation`, `password.weak`", body = Problem, content_type = "application/problem+json"),
    (status = 401, body = Problem, content_type = "application/problem+json"),
))]
#[put("/users/me/password")]
pub async fn change_password(
    profiles: web::Data<Profiles>,
    user: CurrentUser,
    body: web::Json<PasswordChange>,
) -> Result<HttpResponse, ApiError> {
    let body = validated(body.into_inner())?;
    profiles
        .change_password(&user.0, &body.current_password, &body.new_password)
        .await?;
    Ok(HttpResponse::NoContent().finish())
}

/// Deactivates the account: every token stops working; the data stays.
#[utoipa::path(tag = "users", security(("user_token" = [])), responses(
    (status = 204, description = "Deactivated"),
    (status = 401, body = Problem, content_type = "application/problem+json"),
))]
#[delete("/users/me")]
pub async fn delete_me(
    profiles: web::Data<Profiles>,
    user: CurrentUser,
) -> Result<HttpResponse, ApiError> {
    profiles.deactivate(&user.0.user).await?;
    Ok(HttpResponse::NoContent().finish())
}
