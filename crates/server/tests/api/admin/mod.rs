//! The admin dashboard: admins are not users (own table, login and token
//! audience), user management with totals, admin management by super admins,
//! and the audit log of every admin change.

mod admins;
mod audit;
mod auth;
mod helpers;
mod users;
