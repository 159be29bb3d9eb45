//! `/api/v1/admin/*`: the admin dashboard. Every route but login takes an admin
//! token (audience `admin`); a user token is refused with 401.

pub mod admins;
pub mod audit;
pub mod auth;
pub mod catalogue;
pub mod users;
