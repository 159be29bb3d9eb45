//! The catalogue: directions → courses → modules → lessons, with workbooks and
//! one certificate per course. Anyone browses published content only; admins
//! manage every status; no response other than the video route ever carries a
//! video (seeds/README.md, 000).

mod admin_crud;
mod bad_input;
mod helpers;
mod no_video;
mod public;
mod search;
mod two_instances;
mod uploads;
