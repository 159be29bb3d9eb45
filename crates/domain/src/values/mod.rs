//! Value objects: once constructed, valid.

mod catalogue;
mod code;
mod email;
mod handle;
mod password;
mod person_name;
mod phone;
mod quizzes;
mod shop;
pub mod text;
mod username;
mod video_url;
mod wallet;

pub use catalogue::{Description, DirectionName, Months, Position, Title};
pub use code::Code;
pub use email::Email;
pub use handle::Handle;
pub use password::Password;
pub use person_name::PersonName;
pub use phone::Phone;
pub use quizzes::{
    MaxAttempts, PassPercent, QuestionPoints, QuestionText, ShortText, TimeLimit, normalise_answer,
    parse_number, parse_tolerance,
};
pub use shop::{DeviceId, District, ProductCode, REGIONS, Region, SchoolNumber};
pub use username::Username;
pub use video_url::VideoUrl;
pub use wallet::{Amount, IdempotencyKey, MAX_AMOUNT, Note, SignedAmount};
