//! The entities under their table names, as sea-orm-codegen exports them.

pub use super::admins::Entity as Admins;
pub use super::audit_log::Entity as AuditLog;
pub use super::certificate_open_user::Entity as CertificateOpenUser;
pub use super::certificates::Entity as Certificates;
pub use super::click_transactions::Entity as ClickTransactions;
pub use super::courses::Entity as Courses;
pub use super::courses_open_users::Entity as CoursesOpenUsers;
pub use super::directions::Entity as Directions;
pub use super::idempotency_keys::Entity as IdempotencyKeys;
pub use super::lesson_progress::Entity as LessonProgress;
pub use super::lessons::Entity as Lessons;
pub use super::modules::Entity as Modules;
pub use super::offerings::Entity as Offerings;
pub use super::orders::Entity as Orders;
pub use super::payme_transactions::Entity as PaymeTransactions;
pub use super::payment_requests::Entity as PaymentRequests;
pub use super::products::Entity as Products;
pub use super::sessions::Entity as Sessions;
pub use super::subscriptions::Entity as Subscriptions;
pub use super::user_take_workbook::Entity as UserTakeWorkbook;
pub use super::user_totals::Entity as UserTotals;
pub use super::users::Entity as Users;
pub use super::videos::Entity as Videos;
pub use super::wallet_entries::Entity as WalletEntries;
pub use super::workbooks::Entity as Workbooks;
