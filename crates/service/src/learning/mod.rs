//! Learning: course access that an admin grants for a number of months, the
//! video and progress of each lesson, once-only workbook downloads and
//! certificates, and the job that reminds and tells users when access ends.

mod access;
mod certificates;
mod expiry;
mod grants;
mod lessons;
mod workbooks;

pub use access::Standing;
pub use certificates::CertificateIssue;
pub use expiry::{AccessExpiry, ExpiryRun};
pub use grants::{AdminAccess, GrantInput, Granted};
pub use lessons::{ProgressInput, VideoLink};

use crate::files::FileService;
use bilim_domain::ports::{
    AccessRepository, CatalogueReader, CertificatePrinter, ClaimRepository, Clock, EphemeralStore,
    FileStore, ProgressRepository, UserRepository, VideoRepository,
};
use std::sync::Arc;

/// What a user does with the courses opened to them.
#[derive(Clone)]
pub struct Learning {
    pub(crate) reader: Arc<dyn CatalogueReader>,
    pub(crate) videos: Arc<dyn VideoRepository>,
    pub(crate) access: Arc<dyn AccessRepository>,
    pub(crate) claims: Arc<dyn ClaimRepository>,
    pub(crate) progress: Arc<dyn ProgressRepository>,
    pub(crate) users: Arc<dyn UserRepository>,
    pub(crate) files: FileService,
    pub(crate) store: Arc<dyn FileStore>,
    pub(crate) printer: Arc<dyn CertificatePrinter>,
    /// When each user's video link of each lesson was first issued.
    pub(crate) watches: Arc<dyn EphemeralStore>,
    /// Absolute base of the public certificate check, printed on each PDF.
    pub(crate) certificate_check_base: String,
    pub(crate) clock: Arc<dyn Clock>,
}

/// The ports `Learning` works through, grouped so its constructor stays short.
#[derive(Clone)]
pub struct LearningPorts {
    pub reader: Arc<dyn CatalogueReader>,
    pub videos: Arc<dyn VideoRepository>,
    pub access: Arc<dyn AccessRepository>,
    pub claims: Arc<dyn ClaimRepository>,
    pub progress: Arc<dyn ProgressRepository>,
    pub users: Arc<dyn UserRepository>,
    pub printer: Arc<dyn CertificatePrinter>,
    /// Where the start of each watch is kept (`GET /lessons/{id}/video`).
    pub watches: Arc<dyn EphemeralStore>,
}

impl Learning {
    /// Printed certificates are stored through `files`' store; `files` signs
    /// every link. `certificate_check_base` is the absolute base of the public
    /// certificate check, printed on each certificate.
    pub fn new(
        ports: LearningPorts,
        files: FileService,
        certificate_check_base: String,
        clock: Arc<dyn Clock>,
    ) -> Self {
        let LearningPorts {
            reader,
            videos,
            access,
            claims,
            progress,
            users,
            printer,
            watches,
        } = ports;
        Self {
            reader,
            videos,
            access,
            claims,
            progress,
            users,
            store: Arc::clone(files.store()),
            files,
            printer,
            watches,
            certificate_check_base,
            clock,
        }
    }
}
