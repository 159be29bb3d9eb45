//! Ports: the traits the service layer depends on. Adapters live in
//! `bilim-repository` and `bilim-mail`; the server puts them behind `Arc<dyn …>`.

mod admins;
mod audit;
mod catalogue;
mod clock;
mod directory;
mod ephemeral;
mod files;
mod health;
mod idempotency;
mod learning;
mod mailer;
mod olympiads;
mod orders;
mod printer;
mod quizzes;
mod search;
mod sessions;
mod shop;
mod stats;
mod telegram;
mod users;
mod wallet;

pub use admins::AdminRepository;
pub use audit::{AuditEntry, AuditLog, AuditQuery};
pub use catalogue::{CatalogueReader, CatalogueWriter, CourseQuery, VideoRepository};
pub use clock::{Clock, ManualClock, SystemClock};
pub use directory::{UserDirectory, UserQuery, UserStatus, UserTotals};
pub use ephemeral::{Counter, EphemeralStore};
pub use files::{ByteRange, FileKey, FileReader, FileStore, FileWriter, RangeRequest};
pub use health::HealthProbe;
pub use idempotency::IdempotencyStore;
pub use learning::{AccessRepository, ClaimRepository, NoticeKind, ProgressRepository};
pub use mailer::{CodePurpose, MailMessage, Mailer, OutgoingMail};
pub use olympiads::{
    OLYMPIAD_ALREADY_REGISTERED, OLYMPIAD_ATTEMPT_TAKEN, OLYMPIAD_CAPACITY_BELOW, OLYMPIAD_FULL,
    OLYMPIAD_NOT_REGISTERED, OLYMPIAD_REGISTRATION_CLOSED, OLYMPIAD_STARTED, OlympiadRepository,
};
pub use orders::{OfferingRepository, OrderRepository, PaymentRepository};
pub use printer::{CertificateDocument, CertificatePrinter};
pub use quizzes::{
    ATTEMPT_CLOSED, ATTEMPT_OPEN, ATTEMPTS_EXHAUSTED, AttemptRepository, PointsRepository,
    QuizRepository,
};
pub use search::SearchIndex;
pub use sessions::SessionRepository;
pub use shop::{ProductRepository, SubscriptionRepository};
pub use stats::StatsRepository;
pub use telegram::{BotApi, BotReply, PreRegistrationRepository};
pub use users::UserRepository;
pub use wallet::{INSUFFICIENT_FUNDS, WalletRepository};
