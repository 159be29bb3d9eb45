//! What the admin, catalogue and learning suites share: checked answers and
//! token-bearing requests, admin and user sessions, and the catalogue built
//! through the admin routes with its file fixtures.

mod catalogue;
mod http;
mod people;

pub(crate) use catalogue::*;
pub(crate) use http::*;
pub(crate) use people::*;
