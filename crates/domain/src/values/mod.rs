//! Value objects: once constructed, valid.

mod catalogue;
mod code;
mod email;
mod password;
mod person_name;
mod phone;
pub mod text;
mod username;
mod video_url;

pub use catalogue::{Description, DirectionName, Months, Position, Title};
pub use code::Code;
pub use email::Email;
pub use password::Password;
pub use person_name::PersonName;
pub use phone::Phone;
pub use username::Username;
pub use video_url::VideoUrl;
