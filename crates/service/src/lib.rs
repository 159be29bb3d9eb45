//! Bilim's use cases. Each module owns one area and sees the domain ports only;
//! no web framework, database driver, Redis client or mail library in here.

pub mod error;
pub mod files;
pub mod health;

pub use error::{FieldError, ServiceError, ServiceResult};

use bilim_domain::ports::{Clock, EphemeralStore, FileStore, HealthProbe, Mailer};
use std::sync::Arc;

/// The adapters the server wires in, each behind its port.
#[derive(Clone)]
pub struct Ports {
    pub clock: Arc<dyn Clock>,
    pub ephemeral: Arc<dyn EphemeralStore>,
    pub mailer: Arc<dyn Mailer>,
    pub files: Arc<dyn FileStore>,
    /// Dependencies that readiness reports on (the database, a configured Redis).
    pub probes: Vec<Arc<dyn HealthProbe>>,
}

/// Settings the use cases need, already validated by the server.
#[derive(Clone)]
pub struct ServiceConfig {
    /// Keys every HMAC (file links, later codes); at least 32 bytes.
    pub secret: Arc<[u8]>,
    /// Absolute base of signed file links, e.g. `https://api.bilim.uz/api/v1/files/`.
    pub file_link_base: String,
}

/// Every use case, ready to share between request handlers (cheap to clone).
#[derive(Clone)]
pub struct Services {
    pub health: health::HealthService,
    pub files: files::FileService,
}

impl Services {
    pub fn new(ports: Ports, config: ServiceConfig) -> Self {
        Self {
            health: health::HealthService::new(ports.probes.clone()),
            files: files::FileService::new(
                Arc::clone(&ports.files),
                Arc::clone(&ports.clock),
                &config.secret,
                config.file_link_base.clone(),
            ),
        }
    }
}
