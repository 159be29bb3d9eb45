//! Bodies of the `users/me` routes.

use bilim_domain::users::User;
use bilim_service::learning::Standing;
use bilim_service::profiles::{ProfileInput, Profiles};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Deserializer, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;
use validator::Validate;

/// A user as the user (or an admin) sees it: never a secret.
#[derive(Debug, Serialize, ToSchema)]
pub struct UserResponse {
    pub id: Uuid,
    pub first_name: String,
    pub last_name: String,
    pub email: String,
    #[schema(example = "+998901234567")]
    pub phone: Option<String>,
    /// A signed link, valid for 7 days.
    pub avatar_url: Option<String>,
    /// `student` or `teacher`.
    pub role: &'static str,
    pub active: bool,
    pub email_verified_at: Option<DateTime<Utc>>,
    pub last_login_at: Option<DateTime<Utc>>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

impl UserResponse {
    pub fn new(user: &User, profiles: &Profiles) -> Self {
        Self {
            id: user.id,
            first_name: user.first_name.clone(),
            last_name: user.last_name.clone(),
            email: user.email.clone(),
            phone: user.phone.clone(),
            avatar_url: profiles.avatar_url(user),
            role: user.role.as_str(),
            active: user.active,
            email_verified_at: user.email_verified_at,
            last_login_at: user.last_login_at,
            created_at: user.created_at,
            updated_at: user.updated_at,
        }
    }
}

/// A course the user has access to.
#[derive(Debug, Serialize, ToSchema)]
pub struct CourseAccessResponse {
    pub course_id: Uuid,
    pub title: String,
    pub opened_at: DateTime<Utc>,
    pub expires_at: DateTime<Utc>,
    pub active: bool,
}

/// A workbook the user may download once.
#[derive(Debug, Serialize, ToSchema)]
pub struct WorkbookClaimResponse {
    pub workbook_id: Uuid,
    pub course_id: Uuid,
    pub title: String,
    pub available: bool,
    pub taken_at: Option<DateTime<Utc>>,
}

/// A certificate the user may claim once.
#[derive(Debug, Serialize, ToSchema)]
pub struct CertificateClaimResponse {
    pub certificate_id: Uuid,
    pub course_id: Uuid,
    pub title: String,
    pub available: bool,
    pub claimed_at: Option<DateTime<Utc>>,
    pub serial: Option<String>,
}

/// `GET /users/me`: the user with everything opened to them.
#[derive(Debug, Serialize, ToSchema)]
pub struct MeResponse {
    #[serde(flatten)]
    pub user: UserResponse,
    pub courses: Vec<CourseAccessResponse>,
    pub workbooks: Vec<WorkbookClaimResponse>,
    pub certificates: Vec<CertificateClaimResponse>,
}

impl MeResponse {
    /// The user with the grants and claims of `standing`, `active` judged at
    /// its `as_of`.
    pub fn new(user: UserResponse, standing: &Standing) -> Self {
        let holdings = &standing.holdings;
        Self {
            user,
            courses: holdings
                .courses
                .iter()
                .map(|c| CourseAccessResponse::new(c, standing.as_of))
                .collect(),
            workbooks: holdings.workbooks.iter().map(Into::into).collect(),
            certificates: holdings.certificates.iter().map(Into::into).collect(),
        }
    }
}

/// Fields a user may change. `email` cannot be changed (400
/// `user.email_immutable`); any other field is refused as unknown.
#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ProfilePatch {
    #[validate(length(max = 100))]
    pub first_name: Option<String>,
    #[validate(length(max = 100))]
    pub last_name: Option<String>,
    /// `null` or `""` removes the phone number.
    #[serde(default, deserialize_with = "present_value")]
    #[schema(value_type = Option<String>)]
    pub phone: Option<Option<String>>,
    #[serde(default, deserialize_with = "present")]
    #[schema(ignore)]
    pub email: Option<()>,
}

impl ProfilePatch {
    pub fn tries_to_change_email(&self) -> bool {
        self.email.is_some()
    }
}

impl From<ProfilePatch> for ProfileInput {
    fn from(patch: ProfilePatch) -> Self {
        Self {
            first_name: patch.first_name,
            last_name: patch.last_name,
            phone: patch.phone,
        }
    }
}

/// A field that is present, whatever its value (even `null`).
fn present<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Option<()>, D::Error> {
    serde::de::IgnoredAny::deserialize(deserializer).map(|_| Some(()))
}

/// Tells `"phone": null` (remove) from an absent `phone` (keep).
fn present_value<'de, D: Deserializer<'de>>(
    deserializer: D,
) -> Result<Option<Option<String>>, D::Error> {
    Option::<String>::deserialize(deserializer).map(Some)
}

#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PasswordChange {
    #[validate(length(max = 128))]
    pub current_password: String,
    #[validate(length(max = 128))]
    pub new_password: String,
}

/// `PUT /users/me/avatar` form: one field `image` (JPEG, PNG or WebP, ≤ 5 MiB).
#[derive(Debug, ToSchema)]
#[allow(dead_code)]
pub struct AvatarUpload {
    #[schema(value_type = String, format = Binary)]
    pub image: Vec<u8>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct AvatarResponse {
    pub avatar_url: String,
}
