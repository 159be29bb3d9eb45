//! Bilim's use cases. Each module owns one area and sees the domain ports only;
//! no web framework, database driver, Redis client or mail library in here.

pub mod accounts;
pub mod admin;
pub mod avatar;
pub mod catalogue;
pub mod challenges;
pub mod codes;
pub mod cpu_pool;
pub mod crypto;
pub mod error;
pub mod files;
pub mod health;
pub mod input;
pub mod learning;
pub mod limits;
pub mod outbox;
pub mod paging;
pub mod passwords;
pub mod profiles;
pub mod sessions;
pub mod tokens;
pub mod uploads;

pub use error::{FieldError, ServiceError, ServiceResult};

use bilim_domain::ports::{
    AccessRepository, AdminRepository, AuditLog, CatalogueReader, CatalogueWriter,
    CertificatePrinter, ClaimRepository, Clock, EphemeralStore, FileStore, HealthProbe, Mailer,
    ProgressRepository, SessionRepository, UserDirectory, UserRepository, VideoRepository,
};
use std::sync::Arc;
use std::time::Duration;

/// The adapters the server wires in, each behind its port.
#[derive(Clone)]
pub struct Ports {
    pub clock: Arc<dyn Clock>,
    pub ephemeral: Arc<dyn EphemeralStore>,
    pub mailer: Arc<dyn Mailer>,
    pub files: Arc<dyn FileStore>,
    pub users: Arc<dyn UserRepository>,
    pub sessions: Arc<dyn SessionRepository>,
    pub directory: Arc<dyn UserDirectory>,
    pub admins: Arc<dyn AdminRepository>,
    pub audit: Arc<dyn AuditLog>,
    pub catalogue_reader: Arc<dyn CatalogueReader>,
    pub catalogue_writer: Arc<dyn CatalogueWriter>,
    pub videos: Arc<dyn VideoRepository>,
    pub access: Arc<dyn AccessRepository>,
    pub claims: Arc<dyn ClaimRepository>,
    pub progress: Arc<dyn ProgressRepository>,
    pub printer: Arc<dyn CertificatePrinter>,
    /// Dependencies that readiness reports on (the database, a configured Redis).
    pub probes: Vec<Arc<dyn HealthProbe>>,
}

/// Settings the use cases need, already validated by the server.
#[derive(Clone)]
pub struct ServiceConfig {
    /// Keys every HMAC and the JWTs (through derived keys); at least 32 bytes.
    pub secret: Arc<[u8]>,
    /// Absolute base of signed file links, e.g. `https://api.bilim.uz/api/v1/files/`.
    pub file_link_base: String,
    /// Absolute base of the public certificate check, printed on certificates,
    /// e.g. `https://api.bilim.uz/api/v1/certificates/`.
    pub certificate_check_base: String,
    /// A challenge's code can be resent after this.
    pub resend_after: Duration,
    pub limits: limits::LimitSettings,
    /// Development only: log email codes at info level.
    pub log_codes: bool,
    pub upload_limits: catalogue::UploadLimits,
}

/// Every use case, ready to share between request handlers (cheap to clone).
#[derive(Clone)]
pub struct Services {
    pub health: health::HealthService,
    pub files: files::FileService,
    pub accounts: accounts::Accounts,
    pub profiles: profiles::Profiles,
    pub outbox: outbox::Outbox,
    pub admin_auth: admin::AdminAuth,
    pub admin_users: admin::AdminUsers,
    pub admins: admin::Admins,
    pub auditor: admin::Auditor,
    pub catalogue: catalogue::Catalogue,
    pub admin_catalogue: catalogue::AdminCatalogue,
    pub learning: learning::Learning,
    pub admin_access: learning::AdminAccess,
    pub access_expiry: learning::AccessExpiry,
}

impl Services {
    pub fn new(ports: Ports, config: ServiceConfig) -> Self {
        let clock = Arc::clone(&ports.clock);
        let files = files::FileService::new(
            Arc::clone(&ports.files),
            Arc::clone(&clock),
            &config.secret,
            config.file_link_base.clone(),
        );
        let access = tokens::AccessTokens::new(&config.secret, Arc::clone(&clock));
        let sessions =
            sessions::Sessions::new(Arc::clone(&ports.sessions), access, Arc::clone(&clock));
        let passwords = passwords::Passwords::default();
        let outbox = outbox::Outbox::new(Arc::clone(&ports.mailer));
        let codes = codes::Codes {
            challenges: challenges::Challenges::new(
                Arc::clone(&ports.ephemeral),
                Arc::clone(&clock),
                &config.secret,
                config.resend_after,
            ),
            limits: limits::RateLimits::new(Arc::clone(&ports.ephemeral), config.limits),
            outbox: outbox.clone(),
            log_codes: config.log_codes,
        };
        let accounts = accounts::Accounts {
            users: Arc::clone(&ports.users),
            passwords: passwords.clone(),
            codes: codes.clone(),
            sessions: sessions.clone(),
            outbox: outbox.clone(),
            store: Arc::clone(&ports.ephemeral),
            clock: Arc::clone(&clock),
        };
        let auditor = admin::Auditor {
            log: Arc::clone(&ports.audit),
            clock: Arc::clone(&clock),
        };
        let admin_auth = admin::AdminAuth {
            admins: Arc::clone(&ports.admins),
            passwords: passwords.clone(),
            codes,
            sessions: sessions.clone(),
            clock: Arc::clone(&clock),
        };
        let admin_users = admin::AdminUsers {
            users: Arc::clone(&ports.users),
            directory: Arc::clone(&ports.directory),
            sessions: sessions.clone(),
            auditor: auditor.clone(),
            clock: Arc::clone(&clock),
        };
        let admins = admin::Admins {
            admins: Arc::clone(&ports.admins),
            passwords: passwords.clone(),
            auditor: auditor.clone(),
            clock: Arc::clone(&clock),
        };
        let admin_catalogue = catalogue::AdminCatalogue::new(
            Arc::clone(&ports.catalogue_reader),
            Arc::clone(&ports.catalogue_writer),
            Arc::clone(&ports.users),
            Arc::clone(&ports.files),
            config.upload_limits,
            auditor.clone(),
            Arc::clone(&clock),
        );
        let learning = learning::Learning {
            reader: Arc::clone(&ports.catalogue_reader),
            videos: Arc::clone(&ports.videos),
            access: Arc::clone(&ports.access),
            claims: Arc::clone(&ports.claims),
            progress: Arc::clone(&ports.progress),
            users: Arc::clone(&ports.users),
            files: files.clone(),
            store: Arc::clone(&ports.files),
            printer: Arc::clone(&ports.printer),
            certificate_check_base: config.certificate_check_base.clone(),
            clock: Arc::clone(&clock),
        };
        let admin_access = learning::AdminAccess {
            access: Arc::clone(&ports.access),
            claims: Arc::clone(&ports.claims),
            reader: Arc::clone(&ports.catalogue_reader),
            users: Arc::clone(&ports.users),
            auditor: auditor.clone(),
            clock: Arc::clone(&clock),
        };
        let access_expiry = learning::AccessExpiry {
            access: Arc::clone(&ports.access),
            mailer: Arc::clone(&ports.mailer),
            clock: Arc::clone(&clock),
        };
        let profiles = profiles::Profiles {
            users: Arc::clone(&ports.users),
            passwords,
            sessions,
            store: Arc::clone(&ports.files),
            files: files.clone(),
            clock,
        };
        Self {
            health: health::HealthService::new(ports.probes.clone()),
            files,
            accounts,
            profiles,
            outbox,
            admin_auth,
            admin_users,
            admins,
            auditor,
            catalogue: catalogue::Catalogue::new(Arc::clone(&ports.catalogue_reader)),
            admin_catalogue,
            learning,
            admin_access,
            access_expiry,
        }
    }
}
