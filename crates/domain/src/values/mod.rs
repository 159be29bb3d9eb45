//! Value objects: once constructed, valid.

mod catalogue;
mod code;
mod email;
mod password;
mod person_name;
mod phone;
mod username;

pub use catalogue::{Description, DirectionName, Months, Position, Title};
pub use code::Code;
pub use email::Email;
pub use password::Password;
pub use person_name::PersonName;
pub use phone::Phone;
pub use username::Username;
