//! Documents Bilim prints for its users: the course certificate, a one-page
//! A4 landscape PDF ([`PdfCertificatePrinter`]).
//!
//! The PDF is written with `pdf-writer`; the text is set in DejaVu Sans and
//! DejaVu Sans Bold, compiled into the crate (`fonts/`, with their licence)
//! and embedded as subsets of just the glyphs used, with a ToUnicode map. The
//! faces cover Uzbek in both scripts (oʻ gʻ with U+02BB, ʼ U+02BC, ў қ ғ ҳ),
//! Russian and the rest of Latin and Cyrillic. Text they cannot draw is
//! handled as the `text` module describes: typographic stand-ins first,
//! otherwise `DomainError::Invalid` with code `certificate.unprintable` (a
//! certificate must not show a different name than the one it was issued to).
//!
//! Layout in `layout`, PDF objects in `pdf`, the faces in `font`. The output
//! holds no dates or random ids: the same document gives the same bytes.

mod font;
mod layout;
mod pdf;
mod text;

use bilim_domain::DomainResult;
use bilim_domain::ports::{CertificateDocument, CertificatePrinter};
use font::{Font, Weight};

/// Prints certificates as PDF. Stateless: the faces are parsed per document
/// (microseconds), so one printer serves any number of threads.
#[derive(Debug, Clone, Copy, Default)]
pub struct PdfCertificatePrinter;

impl PdfCertificatePrinter {
    pub fn new() -> Self {
        Self
    }
}

impl CertificatePrinter for PdfCertificatePrinter {
    fn print(&self, document: &CertificateDocument) -> DomainResult<Vec<u8>> {
        let mut regular = Font::load(Weight::Regular)?;
        let mut bold = Font::load(Weight::Bold)?;
        let page = layout::certificate(document, &regular, &bold)?;
        let title = format!(
            "Sertifikat {}: {}",
            document.serial.trim(),
            document.holder_name.trim()
        );
        pdf::write(&page, &title, &mut [&mut regular, &mut bold])
    }
}
