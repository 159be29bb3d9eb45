//! Bodies of the email-code flows.

use bilim_service::accounts::{RegistrationInput, ResetToken};
use bilim_service::challenges::ChallengeView;
use bilim_service::sessions::TokenPair;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use validator::Validate;

/// `POST /auth/register`: the account to create once the emailed code is
/// verified.
#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RegisterRequest {
    /// Letters of any script, spaces, apostrophes (`ʻ ʼ ' ‘ ’` and the
    /// backtick), hyphens and dots, with at least one letter; at most 100
    /// characters, and 1 to 100 once spaces are trimmed and collapsed.
    #[validate(length(max = 100))]
    #[schema(
        min_length = 1,
        max_length = 100,
        pattern = r#"^[^\x00-\x08\x0B\x0C\x0E-\x1F!-&(-,/-@\[-^_{-~\x7F-\x84\x86-\x9F\xA1-\xA9\xAB-\xB4\xB6-\xB9\xBB-\xBF\xD7\xF7\u0300-\u036F\u200B-\u2017\u201A-\u2027\u202A-\u202E\u2030-\u205E\u2060-\u206F]*[^\x00-\x40\[-`{-\xA9\xAB-\xB4\xB6-\xB9\xBB-\xBF\xD7\xF7\u0300-\u036F\u2000-\u206F][^\x00-\x08\x0B\x0C\x0E-\x1F!-&(-,/-@\[-^_{-~\x7F-\x84\x86-\x9F\xA1-\xA9\xAB-\xB4\xB6-\xB9\xBB-\xBF\xD7\xF7\u0300-\u036F\u200B-\u2017\u201A-\u2027\u202A-\u202E\u2030-\u205E\u2060-\u206F]*$"#,
        example = "Dilnoza"
    )]
    pub first_name: String,
    /// As `first_name`.
    #[validate(length(max = 100))]
    #[schema(
        min_length = 1,
        max_length = 100,
        pattern = r#"^[^\x00-\x08\x0B\x0C\x0E-\x1F!-&(-,/-@\[-^_{-~\x7F-\x84\x86-\x9F\xA1-\xA9\xAB-\xB4\xB6-\xB9\xBB-\xBF\xD7\xF7\u0300-\u036F\u200B-\u2017\u201A-\u2027\u202A-\u202E\u2030-\u205E\u2060-\u206F]*[^\x00-\x40\[-`{-\xA9\xAB-\xB4\xB6-\xB9\xBB-\xBF\xD7\xF7\u0300-\u036F\u2000-\u206F][^\x00-\x08\x0B\x0C\x0E-\x1F!-&(-,/-@\[-^_{-~\x7F-\x84\x86-\x9F\xA1-\xA9\xAB-\xB4\xB6-\xB9\xBB-\xBF\xD7\xF7\u0300-\u036F\u200B-\u2017\u201A-\u2027\u202A-\u202E\u2030-\u205E\u2060-\u206F]*$"#,
        example = "Karimova"
    )]
    pub last_name: String,
    /// Trimmed and lower-cased: `local@domain.tld`, the local part 1 to 64
    /// characters, the domain at least two labels of at most 63.
    #[validate(length(max = 254))]
    #[schema(
        max_length = 254,
        pattern = r#"^[\t\n\r \u0085\u00A0\u1680\u2000-\u200A\u2028\u2029\u202F\u205F\u3000]*[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*@[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?(\.[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?)+[\t\n\r \u0085\u00A0\u1680\u2000-\u200A\u2028\u2029\u202F\u205F\u3000]*$"#,
        example = "dilnoza@example.uz"
    )]
    pub email: String,
    /// 8 to 128 characters and not guessable (zxcvbn score 2 or more, the
    /// names and email counted as known words): else 400 `password.weak`.
    #[validate(length(max = 128))]
    #[schema(format = Password, min_length = 8, max_length = 128, example = "Qalam-Daftar-2026!")]
    pub password: String,
    /// An Uzbek number in any usual spelling (`+998 90 123 45 67`,
    /// `998901234567`, `(90) 123-45-67`, `90 123 45 67`, `8 90 123 45 67`);
    /// stored as `+998901234567`. Absent, `null` or blank: none.
    #[validate(length(max = 32))]
    #[schema(
        max_length = 32,
        pattern = r#"^[\t\n\r \u0085\u00A0\u1680\u2000-\u200A\u2028\u2029\u202F\u205F\u3000]*$|^[\t\n\r \u0085\u00A0\u1680\u2000-\u200A\u2028\u2029\u202F\u205F\u3000]*(\+?[ ().-]*9[ ().-]*9[ ().-]*8|[ ().-]*8)?[ ().-]*[1-9]([ ().-]*[0-9]){8}[ ().-]*[\t\n\r \u0085\u00A0\u1680\u2000-\u200A\u2028\u2029\u202F\u205F\u3000]*$"#,
        example = "+998 90 123 45 67"
    )]
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

/// `POST /auth/login`: `email` or `username`, one of them.
#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct LoginRequest {
    /// Any spelling of the address: trimmed and lower-cased. One that is not
    /// an address answers 401 like a wrong password.
    #[validate(length(max = 254))]
    #[schema(max_length = 254, example = "dilnoza@example.uz")]
    pub email: Option<String>,
    /// Instead of `email`: any case. One that is not a username answers 401
    /// like a wrong password.
    #[validate(length(max = 64))]
    #[schema(max_length = 64)]
    pub username: Option<String>,
    #[validate(length(max = 128))]
    #[schema(format = Password, max_length = 128, example = "Qalam-Daftar-2026!")]
    pub password: String,
}

/// The second step of every email-code flow.
#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct VerifyRequest {
    /// From step one.
    #[validate(length(max = 64))]
    #[schema(
        max_length = 64,
        example = "vJQm_ZHFYzMPcqZvKuvCYQl1MD_wUWSiyjAiSwLsOJY"
    )]
    pub challenge_id: String,
    /// The six digits from the email. Anything else, like a wrong code, is 400
    /// `auth.code_invalid` and uses up a try.
    #[validate(length(max = 16))]
    #[schema(
        max_length = 16,
        pattern = r#"^[\t\n\r \u0085\u00A0\u1680\u2000-\u200A\u2028\u2029\u202F\u205F\u3000]*[0-9]{6}[\t\n\r \u0085\u00A0\u1680\u2000-\u200A\u2028\u2029\u202F\u205F\u3000]*$"#,
        example = "042917"
    )]
    pub code: String,
}

/// `POST /auth/password/forgot`.
#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ForgotRequest {
    /// As at registration (400 `validation` with `email.invalid` otherwise).
    #[validate(length(max = 254))]
    #[schema(
        max_length = 254,
        pattern = r#"^[\t\n\r \u0085\u00A0\u1680\u2000-\u200A\u2028\u2029\u202F\u205F\u3000]*[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*@[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?(\.[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?)+[\t\n\r \u0085\u00A0\u1680\u2000-\u200A\u2028\u2029\u202F\u205F\u3000]*$"#,
        example = "dilnoza@example.uz"
    )]
    pub email: String,
}

/// `POST /auth/password/reset`.
#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ResetRequest {
    /// From `POST /auth/password/verify`: works once, for 15 minutes.
    #[validate(length(max = 64))]
    #[schema(
        max_length = 64,
        example = "Zk3nR0q8sWb1yT6uXcV4mL2pH9jD7eFaG5iO0kNbQwE"
    )]
    pub reset_token: String,
    /// 8 to 128 characters and not guessable (400 `password.weak`).
    #[validate(length(max = 128))]
    #[schema(format = Password, min_length = 8, max_length = 128, example = "Yangi-Qalam-2026!")]
    pub new_password: String,
}

/// A new code for a challenge.
#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ResendRequest {
    #[validate(length(max = 64))]
    #[schema(
        max_length = 64,
        example = "vJQm_ZHFYzMPcqZvKuvCYQl1MD_wUWSiyjAiSwLsOJY"
    )]
    pub challenge_id: String,
}

/// A refresh token in the body; may be omitted (or the body left empty) when
/// the refresh cookie carries it.
#[derive(Debug, Default, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RefreshRequest {
    /// Absent, `null` or empty: the cookie's.
    #[validate(length(max = 64))]
    #[schema(
        max_length = 64,
        example = "DQrECMGXaiqqBxNnKAYXVbXx0lSmrXxqY5xWuPHQ1Yg"
    )]
    pub refresh_token: Option<String>,
}

/// Step one of every flow: a code was emailed.
#[derive(Debug, Serialize, ToSchema)]
pub struct ChallengeResponse {
    /// Send it with the code to the flow's verify route.
    #[schema(example = "vJQm_ZHFYzMPcqZvKuvCYQl1MD_wUWSiyjAiSwLsOJY")]
    pub challenge_id: String,
    /// Seconds the code stays valid.
    #[schema(example = 600)]
    pub expires_in: u64,
    /// Seconds before `POST /auth/code/resend` may send a new code.
    #[schema(example = 60)]
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

/// A token pair. The refresh token is also set as an HttpOnly cookie.
#[derive(Debug, Serialize, ToSchema)]
pub struct TokensResponse {
    /// A JWT for `Authorization: Bearer …`.
    #[schema(
        example = "eyJ0eXAiOiJKV1QiLCJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIwMWEyMDEyOCJ9.c2lnbmF0dXJl"
    )]
    pub access_token: String,
    #[schema(value_type = super::enums::TokenType)]
    pub token_type: &'static str,
    /// Seconds the access token lives (at most 900).
    #[schema(example = 900)]
    pub expires_in: i64,
    /// 43 characters; works once.
    #[schema(example = "DQrECMGXaiqqBxNnKAYXVbXx0lSmrXxqY5xWuPHQ1Yg")]
    pub refresh_token: String,
    /// Seconds the refresh token lives (30 days).
    #[schema(example = 2592000)]
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
    #[schema(example = "Zk3nR0q8sWb1yT6uXcV4mL2pH9jD7eFaG5iO0kNbQwE")]
    pub reset_token: String,
    #[schema(example = 900)]
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
