//! sea-orm entities, in sea-orm-codegen's compact format: regenerate them from
//! the migrated schema rather than editing by hand. Mapping to domain types
//! lives next to each adapter.

pub mod prelude;

pub mod admins;
pub mod audit_log;
pub mod certificate_open_user;
pub mod certificates;
pub mod click_transactions;
pub mod courses;
pub mod courses_open_users;
pub mod directions;
pub mod idempotency_keys;
pub mod lesson_progress;
pub mod lessons;
pub mod modules;
pub mod offerings;
pub mod olympiad_registrations;
pub mod olympiads;
pub mod orders;
pub mod payme_transactions;
pub mod payment_requests;
pub mod point_entries;
pub mod point_totals;
pub mod products;
pub mod questions;
pub mod sessions;
pub mod subscriptions;
pub mod telegram_pre_registrations;
pub mod test_attempts;
pub mod tests;
pub mod user_take_workbook;
pub mod user_totals;
pub mod users;
pub mod videos;
pub mod wallet_entries;
pub mod workbooks;
