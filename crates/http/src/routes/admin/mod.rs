//! `/api/v1/admin/*`: the admin dashboard. Every route but login takes an admin
//! token (audience `admin`); a user token is refused with 401.

pub mod access;
pub mod admins;
pub mod audit;
pub mod auth;
pub mod catalogue;
pub mod olympiads;
pub mod orders;
pub mod quizzes;
pub mod shop;
pub mod stats;
pub mod users;
pub mod wallet;

use crate::extract::{ClientIp, CurrentAdmin};
use bilim_service::admin::Actor;

/// Who acts and from where: every admin change is audited with both.
fn actor<'a>(admin: &'a CurrentAdmin, ip: &ClientIp) -> Actor<'a> {
    Actor {
        admin: &admin.0.admin,
        ip: ip.0,
    }
}
