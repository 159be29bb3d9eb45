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
    #[schema(example = "Dilnoza")]
    pub first_name: String,
    #[schema(example = "Karimova")]
    pub last_name: String,
    #[schema(example = "dilnoza@example.uz")]
    pub email: String,
    /// `+998` and nine digits, or `null`.
    #[schema(required = true, example = "+998901234567")]
    pub phone: Option<String>,
    /// A signed link to the JPEG, valid for 7 days; `null` without an avatar.
    #[schema(required = true)]
    pub avatar_url: Option<String>,
    #[schema(value_type = super::enums::UserRole)]
    pub role: &'static str,
    /// `false` once the user or an admin deactivated the account.
    pub active: bool,
    #[schema(required = true)]
    pub email_verified_at: Option<DateTime<Utc>>,
    #[schema(required = true)]
    pub last_login_at: Option<DateTime<Utc>>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    /// So'm, never negative; the sum of the user's wallet ledger.
    #[schema(minimum = 0, example = 150000)]
    pub balance: i64,
    /// Where the user studies or teaches; `null` until `PUT /users/me/school`.
    #[schema(required = true)]
    pub school: Option<super::shop::SchoolResponse>,
    /// Lower-case, unique; `null` until set (`PATCH /users/me`) for accounts
    /// made before usernames.
    #[schema(required = true, example = "dilnoza_01")]
    pub username: Option<String>,
    #[schema(required = true, value_type = Option<super::enums::Sex>)]
    pub sex: Option<&'static str>,
    /// The linked Telegram user id (registration through the bot).
    #[schema(required = true, example = 123456789)]
    pub tg_id: Option<i64>,
    /// A request of the user was seen in the last 5 minutes.
    pub online: bool,
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
            balance: user.balance,
            school: user.school.as_ref().map(super::shop::SchoolResponse::from),
            username: user.username.clone(),
            sex: user.sex.map(|sex| sex.as_str()),
            tg_id: user.tg_id,
            online: profiles.online(user),
        }
    }
}

/// A course the user has access to.
#[derive(Debug, Serialize, ToSchema)]
pub struct CourseAccessResponse {
    pub course_id: Uuid,
    #[schema(example = "Ingliz tili: boshlangʻich daraja")]
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
    /// `true` while the one download is still there to take.
    pub available: bool,
    #[schema(required = true)]
    pub taken_at: Option<DateTime<Utc>>,
}

/// A certificate the user may claim once.
#[derive(Debug, Serialize, ToSchema)]
pub struct CertificateClaimResponse {
    pub certificate_id: Uuid,
    pub course_id: Uuid,
    pub title: String,
    /// `true` while the certificate may be claimed.
    pub available: bool,
    #[schema(required = true)]
    pub claimed_at: Option<DateTime<Utc>>,
    /// Kept once issued, also when an admin allows a new claim.
    #[schema(required = true, example = "BLM-7K2QD-9XMFA-P3RZT-H8WNC")]
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
    /// Points earned: a first pass of each test adds its score once.
    #[schema(minimum = 0, example = 120)]
    pub points: i64,
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
            points: 0,
        }
    }
}

/// Fields a user may change; absent fields stay. `email` cannot be changed
/// (400 `user.email_immutable`); any other field is refused as unknown.
#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ProfilePatch {
    /// As at registration; `null`: unchanged.
    #[validate(length(max = 100))]
    #[schema(
        min_length = 1,
        max_length = 100,
        pattern = r#"^[^\x00-\x08\x0B\x0C\x0E-\x1F!-&(-,/-@\[-^_{-~\x7F-\x84\x86-\x9F\xA1-\xA9\xAB-\xB4\xB6-\xB9\xBB-\xBF\xD7\xF7\u0300-\u036F\u200B-\u2017\u201A-\u2027\u202A-\u202E\u2030-\u205E\u2060-\u206F]*[^\x00-\x40\[-`{-\xA9\xAB-\xB4\xB6-\xB9\xBB-\xBF\xD7\xF7\u0300-\u036F\u2000-\u206F][^\x00-\x08\x0B\x0C\x0E-\x1F!-&(-,/-@\[-^_{-~\x7F-\x84\x86-\x9F\xA1-\xA9\xAB-\xB4\xB6-\xB9\xBB-\xBF\xD7\xF7\u0300-\u036F\u200B-\u2017\u201A-\u2027\u202A-\u202E\u2030-\u205E\u2060-\u206F]*$"#,
        example = "Oʻktam"
    )]
    pub first_name: Option<String>,
    /// As at registration; `null`: unchanged.
    #[validate(length(max = 100))]
    #[schema(
        min_length = 1,
        max_length = 100,
        pattern = r#"^[^\x00-\x08\x0B\x0C\x0E-\x1F!-&(-,/-@\[-^_{-~\x7F-\x84\x86-\x9F\xA1-\xA9\xAB-\xB4\xB6-\xB9\xBB-\xBF\xD7\xF7\u0300-\u036F\u200B-\u2017\u201A-\u2027\u202A-\u202E\u2030-\u205E\u2060-\u206F]*[^\x00-\x40\[-`{-\xA9\xAB-\xB4\xB6-\xB9\xBB-\xBF\xD7\xF7\u0300-\u036F\u2000-\u206F][^\x00-\x08\x0B\x0C\x0E-\x1F!-&(-,/-@\[-^_{-~\x7F-\x84\x86-\x9F\xA1-\xA9\xAB-\xB4\xB6-\xB9\xBB-\xBF\xD7\xF7\u0300-\u036F\u200B-\u2017\u201A-\u2027\u202A-\u202E\u2030-\u205E\u2060-\u206F]*$"#,
        example = "Karimov"
    )]
    pub last_name: Option<String>,
    /// An Uzbek number as at registration; `null` or `""` removes it.
    #[serde(default, deserialize_with = "present_value")]
    #[schema(value_type = Option<String>, pattern = r#"^[\t\n\r \u0085\u00A0\u1680\u2000-\u200A\u2028\u2029\u202F\u205F\u3000]*$|^[\t\n\r \u0085\u00A0\u1680\u2000-\u200A\u2028\u2029\u202F\u205F\u3000]*(\+?[ ().-]*9[ ().-]*9[ ().-]*8|[ ().-]*8)?[ ().-]*[1-9]([ ().-]*[0-9]){8}[ ().-]*[\t\n\r \u0085\u00A0\u1680\u2000-\u200A\u2028\u2029\u202F\u205F\u3000]*$"#, example = "+998 90 123 45 67")]
    pub phone: Option<Option<String>>,
    /// 3 to 32 of `a-z 0-9 _`, lower-cased; must be free (409
    /// `user.username_taken`); `null`: unchanged.
    #[validate(length(max = 64))]
    #[schema(
        max_length = 64,
        pattern = r#"^[\t\n\r \u0085\u00A0\u1680\u2000-\u200A\u2028\u2029\u202F\u205F\u3000]*[A-Za-z0-9_]{3,32}[\t\n\r \u0085\u00A0\u1680\u2000-\u200A\u2028\u2029\u202F\u205F\u3000]*$"#,
        example = "dilnoza_01"
    )]
    pub username: Option<String>,
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
            username: patch.username,
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

/// Tells `"tg_id": null` (remove) from an absent `tg_id` (keep).
pub(crate) fn present_value_i64<'de, D: Deserializer<'de>>(
    deserializer: D,
) -> Result<Option<Option<i64>>, D::Error> {
    Option::<i64>::deserialize(deserializer).map(Some)
}

/// `PUT /users/me/password`.
#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PasswordChange {
    /// Wrong: 400 `password.current_invalid`.
    #[validate(length(max = 128))]
    #[schema(format = Password, max_length = 128, example = "Qalam-Daftar-2026!")]
    pub current_password: String,
    /// 8 to 128 characters and not guessable (400 `password.weak`).
    #[validate(length(max = 128))]
    #[schema(format = Password, min_length = 8, max_length = 128, example = "Yangi-Daftar-2027!")]
    pub new_password: String,
}

/// `PUT /users/me/avatar` form: one field `image` (JPEG, PNG or WebP by its
/// first bytes, at most 5 MiB and 8192 px a side), re-encoded as JPEG.
#[derive(Debug, ToSchema)]
#[allow(dead_code)]
pub struct AvatarUpload {
    #[schema(value_type = String, format = Binary)]
    pub image: Vec<u8>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct AvatarResponse {
    /// A signed link to the new JPEG, valid for 7 days.
    pub avatar_url: String,
}
