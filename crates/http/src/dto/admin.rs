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
    /// Username or email.
    #[validate(length(max = 254))]
    pub login: String,
    #[validate(length(max = 128))]
    pub password: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct AdminResponse {
    pub id: Uuid,
    pub username: String,
    pub email: String,
    /// `super` or `admin`.
    pub role: &'static str,
    pub active: bool,
    pub tg_id: Option<i64>,
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
    #[validate(length(max = 32))]
    pub username: String,
    #[validate(length(max = 254))]
    pub email: String,
    #[validate(length(max = 128))]
    pub password: String,
    /// `admin` (default) or `super`.
    pub role: Option<String>,
    pub tg_id: Option<i64>,
}

/// `limit` (1..=100, default 20) and `cursor` (from `next_cursor`).
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct PageQuery {
    pub limit: Option<u64>,
    pub cursor: Option<String>,
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct UserListQuery {
    /// `active`, `inactive` or `all` (default).
    pub status: Option<String>,
    /// Part of a name, email or phone; case-insensitive.
    pub q: Option<String>,
    pub limit: Option<u64>,
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
    pub next_cursor: Option<String>,
    pub totals: UserTotalsResponse,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct AdminPage {
    pub items: Vec<AdminResponse>,
    pub next_cursor: Option<String>,
}

#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct UserPatch {
    pub active: Option<bool>,
    /// `student` or `teacher`.
    pub role: Option<String>,
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct AuditQueryParams {
    pub admin_id: Option<Uuid>,
    pub target_id: Option<String>,
    pub limit: Option<u64>,
    pub cursor: Option<String>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct AuditEntryResponse {
    pub id: Uuid,
    pub admin_id: Uuid,
    pub action: String,
    pub target_type: String,
    pub target_id: String,
    /// What changed.
    #[schema(value_type = Object)]
    pub details: serde_json::Value,
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
    pub next_cursor: Option<String>,
}
