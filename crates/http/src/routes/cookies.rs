//! The refresh-token cookie: HttpOnly, Secure, SameSite=Strict, scoped to the
//! auth routes of its audience, and read back when the body has no token.

use crate::dto::auth::RefreshRequest;
use crate::dto::auth::TokensResponse;
use crate::dto::validated;
use crate::error::ApiError;
use crate::extract::json_object;
use actix_web::cookie::{Cookie, SameSite, time};
use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, HttpResponseBuilder};
use bilim_service::sessions::TokenPair;

#[derive(Debug, Clone, Copy)]
pub struct RefreshCookie {
    pub name: &'static str,
    pub path: &'static str,
}

pub const USER: RefreshCookie = RefreshCookie {
    name: "bilim_refresh",
    path: "/api/v1/auth",
};

pub const ADMIN: RefreshCookie = RefreshCookie {
    name: "bilim_admin_refresh",
    path: "/api/v1/admin/auth",
};

impl RefreshCookie {
    fn build(self, value: &str, max_age: time::Duration) -> Cookie<'static> {
        Cookie::build(self.name, value.to_owned())
            .path(self.path)
            .http_only(true)
            .secure(true)
            .same_site(SameSite::Strict)
            .max_age(max_age)
            .finish()
    }

    /// Adds the cookie carrying the pair's refresh token.
    pub fn set(self, mut response: HttpResponseBuilder, tokens: &TokenPair) -> HttpResponseBuilder {
        response.cookie(self.build(
            &tokens.refresh_token,
            time::Duration::seconds(tokens.refresh_expires_in),
        ));
        response
    }

    /// A cookie that removes this one.
    pub fn cleared(self) -> Cookie<'static> {
        self.build("", time::Duration::ZERO)
    }

    /// The refresh token from a JSON body, else from this cookie.
    pub fn token_of(self, request: &HttpRequest, body: &[u8]) -> Result<Option<String>, ApiError> {
        let from_body = if body.iter().all(u8::is_ascii_whitespace) {
            RefreshRequest::default()
        } else {
            validated(json_object::<RefreshRequest>(body)?)?
        };
        Ok(from_body
            .refresh_token
            .or_else(|| request.cookie(self.name).map(|c| c.value().to_owned()))
            .filter(|t| !t.is_empty()))
    }

    /// The refresh token of the request, or 401 `auth.refresh_invalid`.
    pub fn required_token_of(self, request: &HttpRequest, body: &[u8]) -> Result<String, ApiError> {
        self.token_of(request, body)?.ok_or_else(|| {
            ApiError::new(
                StatusCode::UNAUTHORIZED,
                "auth.refresh_invalid",
                "No refresh token was sent.",
            )
        })
    }

    /// 200 with the new pair, the cookie set to its refresh token.
    pub fn refreshed(self, tokens: &TokenPair) -> HttpResponse {
        self.set(HttpResponse::Ok(), tokens)
            .json(TokensResponse::from(tokens))
    }

    /// 204 that also removes the cookie.
    pub fn logged_out(self) -> HttpResponse {
        HttpResponse::NoContent().cookie(self.cleared()).finish()
    }
}
