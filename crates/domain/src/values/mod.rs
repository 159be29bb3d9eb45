//! Value objects: once constructed, valid.

mod email;

pub use email::Email;
