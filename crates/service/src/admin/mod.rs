//! The admin dashboard's use cases: admin login, user management, admin
//! management (super admins only), the audit log and the statistics.

mod admins;
mod audit;
mod auth;
mod stats;
mod users;

pub use admins::{AdminInput, Admins};
pub use audit::{Actor, Auditor};
pub use auth::{AdminAuth, AdminAuthenticated, AuthAdmin};
pub use stats::AdminStats;
pub use users::{AdminUsers, UserChanges, UserList};

use crate::ServiceError;
use bilim_domain::admins::{Admin, AdminRole};

/// Only super admins manage admins.
pub fn require_super(admin: &Admin) -> Result<(), ServiceError> {
    if admin.role == AdminRole::Super {
        Ok(())
    } else {
        Err(ServiceError::Forbidden {
            code: "admin.forbidden",
        })
    }
}
