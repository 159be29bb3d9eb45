//! Bodies of the email-code flows.

use bilim_service::accounts::{RegistrationInput, ResetToken};
use bilim_service::challenges::ChallengeView;
use bilim_service::sessions::TokenPair;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use validator::Validate;

#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RegisterRequest {
    #[validate(length(max = 100))]
    #[schema(example = "Oʻktam")]
    pub first_name: String,
    #[validate(length(max = 100))]
    #[schema(example = "Karimov")]
    pub last_name: String,
    #[validate(length(max = 254))]
    #[schema(example = "oktam@example.uz")]
    pub email: String,
    /// 8 to 128 characters, not guessable (zxcvbn score ≥ 2).
    #[validate(length(max = 128))]
    pub password: String,
    /// Uzbek number in any usual spelling; stored as `+998XXXXXXXXX`.
    #[validate(length(max = 32))]
    #[schema(example = "+998 90 123 45 67")]
    pub phone: Option<String>,
}

impl From<RegisterRequest> for RegistrationInput {
    fn from(body: RegisterRequest) -> Self {
        Self {
            first_name: body.first_name,
            last_name: body.last_name,
            email: body.email,
            password: body.password,
            phone: body.phone,
        }
    }
}

#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct LoginRequest {
    #[validate(length(max = 254))]
    pub email: String,
    #[validate(length(max = 128))]
    pub password: String,
}

#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct VerifyRequest {
    #[validate(length(max = 64))]
    pub challenge_id: String,
    /// The six digits from the email.
    #[validate(length(max = 16))]
    #[schema(example = "042917")]
    pub code: String,
}

#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ForgotRequest {
    #[validate(length(max = 254))]
    pub email: String,
}

#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ResetRequest {
    #[validate(length(max = 64))]
    pub reset_token: String,
    #[validate(length(max = 128))]
    pub new_password: String,
}

#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ResendRequest {
    #[validate(length(max = 64))]
    pub challenge_id: String,
}

/// A refresh token in the body; may be omitted when the `bilim_refresh` cookie
/// carries it.
#[derive(Debug, Default, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RefreshRequest {
    #[validate(length(max = 64))]
    pub refresh_token: Option<String>,
}

/// Step one of every flow: a code was emailed.
#[derive(Debug, Serialize, ToSchema)]
pub struct ChallengeResponse {
    pub challenge_id: String,
    /// Seconds the code stays valid.
    pub expires_in: u64,
    /// Seconds before `POST /auth/code/resend` may send a new code.
    pub resend_in: u64,
}

impl From<ChallengeView> for ChallengeResponse {
    fn from(view: ChallengeView) -> Self {
        Self {
            challenge_id: view.challenge_id,
            expires_in: view.expires_in,
            resend_in: view.resend_in,
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct TokensResponse {
    pub access_token: String,
    #[schema(example = "Bearer")]
    pub token_type: &'static str,
    /// Seconds the access token lives (at most 900).
    pub expires_in: i64,
    pub refresh_token: String,
    pub refresh_expires_in: i64,
}

impl From<&TokenPair> for TokensResponse {
    fn from(tokens: &TokenPair) -> Self {
        Self {
            access_token: tokens.access_token.clone(),
            token_type: "Bearer",
            expires_in: tokens.expires_in,
            refresh_token: tokens.refresh_token.clone(),
            refresh_expires_in: tokens.refresh_expires_in,
        }
    }
}

/// Tokens and the signed-in user.
#[derive(Debug, Serialize, ToSchema)]
pub struct AuthResponse {
    #[serde(flatten)]
    pub tokens: TokensResponse,
    pub user: super::users::UserResponse,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ResetTokenResponse {
    /// Works once, for `expires_in` seconds, at `POST /auth/password/reset`.
    pub reset_token: String,
    pub expires_in: u64,
}

impl From<ResetToken> for ResetTokenResponse {
    fn from(token: ResetToken) -> Self {
        Self {
            reset_token: token.token,
            expires_in: token.expires_in,
        }
    }
}
