//! Prints a sample certificate: `cargo run -p bilim-documents --example
//! certificate -- /tmp/certificate-sample.pdf`. Add `long` after the path for
//! 200-character texts, `mixed` for Cyrillic and every apostrophe.

use bilim_documents::PdfCertificatePrinter;
use bilim_domain::ports::{CertificateDocument, CertificatePrinter};
use std::time::Instant;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let path = args
        .next()
        .unwrap_or_else(|| "certificate-sample.pdf".to_owned());
    let variant = args.next().unwrap_or_default();
    let document = if variant == "long" {
        CertificateDocument {
            holder_name: "Gʻayrat Oʻktamov Abdurahmon oʻgʻli "
                .repeat(6)
                .chars()
                .take(200)
                .collect(),
            course_title: "Маълумотлар базаси ва SQL: қўлланма, ғоя, ҳаёт — "
                .repeat(5)
                .chars()
                .take(200)
                .collect(),
            certificate_title: "Kursni muvaffaqiyatli tamomlaganlik toʻgʻrisida "
                .repeat(5)
                .chars()
                .take(200)
                .collect(),
            issued_at: "2026-11-30T21:10:00Z".parse()?,
            serial: "BLM-2026-000123-ABCDEF-0123456789".to_owned(),
            check_url: format!("https://bilim.uz/sertifikat/tekshirish/{}", "x".repeat(120)),
        }
    } else if variant == "mixed" {
        CertificateDocument {
            holder_name: "Ғайрат Ўктамов (G'ayrat O'ktamov)".to_owned(),
            course_title: "Ўзбек тили: қўшимча ғоя ва ҳикоя — Café Müller, naïve façade".to_owned(),
            certificate_title: "Taʼlim sifati: “aʼlo” ‘baho’ toʻgʻrisida".to_owned(),
            issued_at: "2027-01-05T04:07:00Z".parse()?,
            serial: "BLM-2027-000001".to_owned(),
            check_url: "https://bilim.uz/sertifikat/BLM-2027-000001".to_owned(),
        }
    } else {
        CertificateDocument {
            holder_name: "Gʻayrat Oʻktamov".to_owned(),
            course_title: "Python dasturlash asoslari: oʻzbek tilida amaliy kurs".to_owned(),
            certificate_title: "Kursni muvaffaqiyatli tamomlaganlik toʻgʻrisida".to_owned(),
            issued_at: "2026-11-30T21:10:00Z".parse()?,
            serial: "BLM-2026-000123".to_owned(),
            check_url: "https://bilim.uz/sertifikat/BLM-2026-000123".to_owned(),
        }
    };
    let printer = PdfCertificatePrinter::new();
    let started = Instant::now();
    let pdf = printer.print(&document)?;
    let elapsed = started.elapsed();
    std::fs::write(&path, &pdf)?;
    println!("{path}: {} bytes in {elapsed:?}", pdf.len());
    Ok(())
}
