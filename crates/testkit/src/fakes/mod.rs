//! In-memory fakes of the domain ports, for testing the services without a
//! database, Redis, SMTP or a disk. Each keeps the documented contract of its
//! port (atomic takes, one winner of a rotation, TTLs by the given `Clock`, …)
//! and lets a test look inside (what was mailed, stored or recorded).

mod audit;
mod catalogue_model;
mod catalogue_reader;
mod catalogue_writer;
mod ephemeral;
mod files;
mod idempotency;
mod mailer;
mod sessions;
mod shop;
mod users;
mod wallet;

pub use audit::InMemoryAuditLog;
pub use catalogue_model::{CatalogueCommand, Recorded};
pub use catalogue_reader::InMemoryCatalogueReader;
pub use catalogue_writer::FakeCatalogueWriter;
pub use ephemeral::InMemoryEphemeralStore;
pub use files::InMemoryFileStore;
pub use idempotency::InMemoryIdempotencyStore;
pub use mailer::FakeMailer;
pub use sessions::InMemorySessionRepository;
pub use shop::InMemoryShop;
pub use users::InMemoryUserRepository;
pub use wallet::InMemoryWalletRepository;
