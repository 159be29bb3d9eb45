//! The catalogue: what anyone may browse (published courses only, never a
//! video) and what admins manage (every status, uploads, audited changes).

mod admin;
mod fields;
mod public;
mod uploads;

pub use admin::AdminCatalogue;
pub use fields::{CourseInput, DirectionInput, OutlineInput};
pub use public::{Catalogue, DirectionWithCourses};
pub use uploads::{StoredUpload, UploadKind, UploadLimits, human_size};
