//! Adapters for the domain ports: the sea-orm database (SQLite or PostgreSQL),
//! the ephemeral stores (Redis or in-process) and file storage.

pub mod database;
pub mod entities;
pub mod ephemeral;
pub mod files;
pub mod sessions;
pub mod users;
