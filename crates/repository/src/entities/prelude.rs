//! The entities under their table names, as sea-orm-codegen exports them.

pub use super::admins::Entity as Admins;
pub use super::audit_log::Entity as AuditLog;
pub use super::sessions::Entity as Sessions;
pub use super::user_totals::Entity as UserTotals;
pub use super::users::Entity as Users;
