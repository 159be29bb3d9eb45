//! `admins` rows ⇄ domain admins.

use crate::entities::admins;
use bilim_domain::admins::{Admin, AdminRole, NewAdmin};
use bilim_domain::{DomainError, DomainResult};
use sea_orm::ActiveValue::Set;

impl TryFrom<admins::Model> for Admin {
    type Error = DomainError;

    fn try_from(row: admins::Model) -> DomainResult<Self> {
        let role = AdminRole::parse(&row.role).ok_or_else(|| {
            DomainError::internal(format!("admins.role of {} is {:?}", row.id, row.role))
        })?;
        Ok(Self {
            id: row.id,
            username: row.username,
            email: row.email,
            password_hash: row.password_hash,
            role,
            active: row.active,
            tg_id: row.tg_id,
            token_version: row.token_version,
            last_login_at: row.last_login_at.map(|at| at.to_utc()),
            created_at: row.created_at.to_utc(),
            updated_at: row.updated_at.to_utc(),
        })
    }
}

impl From<&NewAdmin> for admins::ActiveModel {
    fn from(admin: &NewAdmin) -> Self {
        Self {
            id: Set(admin.id),
            username: Set(admin.username.as_str().to_owned()),
            email: Set(admin.email.as_str().to_owned()),
            password_hash: Set(admin.password_hash.clone()),
            role: Set(admin.role.as_str().to_owned()),
            active: Set(true),
            tg_id: Set(admin.tg_id),
            token_version: Set(0),
            last_login_at: Set(None),
            created_at: Set(admin.now.fixed_offset()),
            updated_at: Set(admin.now.fixed_offset()),
        }
    }
}
