//! Documents printed for users: the course certificate.

use crate::DomainResult;
use chrono::{DateTime, Utc};

/// What a certificate says.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CertificateDocument {
    pub holder_name: String,
    pub course_title: String,
    /// The certificate's own title, set by the admin.
    pub certificate_title: String,
    pub issued_at: DateTime<Utc>,
    pub serial: String,
    /// Where anyone can check the serial.
    pub check_url: String,
}

/// Renders a certificate. CPU-bound and synchronous: callers run it on the
/// blocking pool.
pub trait CertificatePrinter: Send + Sync {
    /// A complete PDF document.
    fn print(&self, document: &CertificateDocument) -> DomainResult<Vec<u8>>;
}
