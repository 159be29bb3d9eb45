//! The catalogue: what anyone may browse (published courses only, never a
//! video) and what admins manage (every status, uploads, audited changes).

mod admin;
mod public;

pub use crate::uploads::{StoredUpload, UploadKind, UploadLimits, human_size};
pub use admin::AdminCatalogue;
pub use public::{Catalogue, DirectionWithCourses};
