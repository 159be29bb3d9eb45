//! Bodies of the admin routes.

use super::users::UserResponse;
use bilim_domain::admins::Admin;
use bilim_domain::ports::AuditEntry;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;
use validator::Validate;

#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AdminLoginRequest {
    /// Username or email, trimmed and lower-cased.
    #[validate(length(max = 254))]
    #[schema(max_length = 254, example = "root")]
    pub login: String,
    #[validate(length(max = 128))]
    #[schema(format = Password, max_length = 128, example = "Qalam-Daftar-2026!")]
    pub password: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct AdminResponse {
    pub id: Uuid,
    #[schema(example = "oktam.admin")]
    pub username: String,
    #[schema(example = "oktam.admin@bilim.uz")]
    pub email: String,
    #[schema(value_type = super::enums::AdminRole)]
    pub role: &'static str,
    pub active: bool,
    /// Telegram user id.
    #[schema(required = true, example = 123456789)]
    pub tg_id: Option<i64>,
    #[schema(required = true)]
    pub last_login_at: Option<DateTime<Utc>>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

impl From<&Admin> for AdminResponse {
    fn from(admin: &Admin) -> Self {
        Self {
            id: admin.id,
            username: admin.username.clone(),
            email: admin.email.clone(),
            role: admin.role.as_str(),
            active: admin.active,
            tg_id: admin.tg_id,
            last_login_at: admin.last_login_at,
            created_at: admin.created_at,
            updated_at: admin.updated_at,
        }
    }
}

/// Admin tokens and the admin.
#[derive(Debug, Serialize, ToSchema)]
pub struct AdminAuthResponse {
    #[serde(flatten)]
    pub tokens: super::auth::TokensResponse,
    pub admin: AdminResponse,
}

#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewAdminRequest {
    /// 3 to 32 of `a-z 0-9 . _ -`, starting with a letter, once trimmed and
    /// lower-cased.
    #[validate(length(max = 32))]
    #[schema(
        max_length = 32,
        pattern = r#"^[\t\n\r \u0085\u00A0\u1680\u2000-\u200A\u2028\u2029\u202F\u205F\u3000]*[A-Za-z][A-Za-z0-9._-]{2,31}[\t\n\r \u0085\u00A0\u1680\u2000-\u200A\u2028\u2029\u202F\u205F\u3000]*$"#,
        example = "oktam.admin"
    )]
    pub username: String,
    /// As a user's email.
    #[validate(length(max = 254))]
    #[schema(
        max_length = 254,
        pattern = r#"^[\t\n\r \u0085\u00A0\u1680\u2000-\u200A\u2028\u2029\u202F\u205F\u3000]*[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*@[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?(\.[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?)+[\t\n\r \u0085\u00A0\u1680\u2000-\u200A\u2028\u2029\u202F\u205F\u3000]*$"#,
        example = "oktam.admin@bilim.uz"
    )]
    pub email: String,
    /// 8 to 128 characters and not guessable (400 `password.weak`).
    #[validate(length(max = 128))]
    #[schema(format = Password, min_length = 8, max_length = 128, example = "Kitob-Javon-2026!")]
    pub password: String,
    /// `admin` when absent or `null`.
    #[schema(value_type = Option<super::enums::AdminRole>, example = "admin")]
    pub role: Option<String>,
    /// Telegram user id.
    #[schema(example = 123456789)]
    pub tg_id: Option<i64>,
}

/// `PATCH /admin/admins/{id}`: absent fields stay.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AdminPatchRequest {
    /// `false` ends every token of the admin.
    pub active: Option<bool>,
    #[schema(value_type = Option<super::enums::AdminRole>, example = "admin")]
    pub role: Option<String>,
    /// A Telegram user id; `null` removes it.
    #[serde(default, deserialize_with = "super::users::present_value_i64")]
    #[schema(value_type = Option<i64>, minimum = 1, maximum = 9007199254740992_i64, example = 123456789)]
    pub tg_id: Option<Option<i64>>,
}

/// `limit` and `cursor` of a page.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct PageQuery {
    /// Items per page, 1 to 100; 20 when absent.
    #[param(minimum = 1, maximum = 100, example = 20)]
    pub limit: Option<u64>,
    /// The `next_cursor` of the previous page; opaque. Empty: the first page.
    #[param(pattern = r"^$|^[A-Za-z0-9_-]{21}[AQgw]$")]
    pub cursor: Option<String>,
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct UserListQuery {
    /// `all` when absent.
    #[param(value_type = Option<super::enums::UserStatusFilter>)]
    pub status: Option<String>,
    /// Part of a name, email or stored phone, any case; at most 100
    /// characters once trimmed; empty means no filter.
    #[param(max_length = 100)]
    pub q: Option<String>,
    /// Items per page, 1 to 100; 20 when absent.
    #[param(minimum = 1, maximum = 100, example = 20)]
    pub limit: Option<u64>,
    /// The `next_cursor` of the previous page; opaque. Empty: the first page.
    #[param(pattern = r"^$|^[A-Za-z0-9_-]{21}[AQgw]$")]
    pub cursor: Option<String>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct UserTotalsResponse {
    pub active: u64,
    pub inactive: u64,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct UserPage {
    pub items: Vec<UserResponse>,
    /// `null` on the last page.
    #[schema(required = true)]
    pub next_cursor: Option<String>,
    /// All active and all inactive users, whatever the filter.
    pub totals: UserTotalsResponse,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct AdminPage {
    pub items: Vec<AdminResponse>,
    /// `null` on the last page.
    #[schema(required = true)]
    pub next_cursor: Option<String>,
}

/// Absent (or `null`) fields stay as they are.
#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct UserPatch {
    /// `false` deactivates the user and ends every session at once.
    #[schema(example = true)]
    pub active: Option<bool>,
    /// Only a `teacher` can be made a course's teacher.
    #[schema(value_type = Option<super::enums::UserRole>, example = "teacher")]
    pub role: Option<String>,
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct AuditQueryParams {
    /// Entries of this acting admin only.
    pub admin_id: Option<Uuid>,
    /// Entries about this target only (a user's, course's, … id).
    pub target_id: Option<String>,
    /// Items per page, 1 to 100; 20 when absent.
    #[param(minimum = 1, maximum = 100, example = 20)]
    pub limit: Option<u64>,
    /// The `next_cursor` of the previous page; opaque. Empty: the first page.
    #[param(pattern = r"^$|^[A-Za-z0-9_-]{21}[AQgw]$")]
    pub cursor: Option<String>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct AuditEntryResponse {
    pub id: Uuid,
    pub admin_id: Uuid,
    #[schema(example = "user.update")]
    pub action: String,
    #[schema(example = "user")]
    pub target_type: String,
    pub target_id: String,
    /// What changed.
    #[schema(value_type = Object, example = json!({"role": {"from": "student", "to": "teacher"}}))]
    pub details: serde_json::Value,
    /// The client address, when known.
    #[schema(required = true, example = "203.0.113.7")]
    pub ip: Option<String>,
    pub at: DateTime<Utc>,
}

impl From<AuditEntry> for AuditEntryResponse {
    fn from(entry: AuditEntry) -> Self {
        Self {
            id: entry.id,
            admin_id: entry.admin_id,
            action: entry.action,
            target_type: entry.target_type,
            target_id: entry.target_id,
            details: serde_json::from_str(&entry.details).unwrap_or(serde_json::Value::Null),
            ip: entry.ip,
            at: entry.at,
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct AuditPage {
    pub items: Vec<AuditEntryResponse>,
    /// `null` on the last page.
    #[schema(required = true)]
    pub next_cursor: Option<String>,
}
