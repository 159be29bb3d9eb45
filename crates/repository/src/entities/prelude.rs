//! The entities under their table names, as sea-orm-codegen exports them.

pub use super::sessions::Entity as Sessions;
pub use super::users::Entity as Users;
