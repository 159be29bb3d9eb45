//! `PdfCertificatePrinter` end to end: the bytes are a PDF whose text comes
//! back character for character, every character drawn by its own glyph of
//! the embedded (subsetted) DejaVu Sans.

// Helpers outside `#[test]` functions are not covered by clippy.toml's
// allow-unwrap-in-tests; a failed unwrap is a failed test here too.
#![allow(clippy::unwrap_used)]

mod reader;

use bilim_documents::PdfCertificatePrinter;
use bilim_domain::DomainError;
use bilim_domain::ports::{CertificateDocument, CertificatePrinter};
use std::collections::HashMap;
use std::time::Instant;
use ttf_parser::{Face, GlyphId};

const REGULAR: &[u8] = include_bytes!("../fonts/DejaVuSans.ttf");
const BOLD: &[u8] = include_bytes!("../fonts/DejaVuSans-Bold.ttf");

fn document() -> CertificateDocument {
    CertificateDocument {
        holder_name: "Gʻayrat Oʻktamov".to_owned(),
        course_title: "Ўзбек тили: қўшимча ғоя ва ҳикоя (Café Müller)".to_owned(),
        certificate_title: "O'g'il va qizlar uchun taʼlim toʻgʻrisida".to_owned(),
        issued_at: "2026-11-30T21:10:00Z".parse().unwrap(),
        serial: "BLM-2026-000123".to_owned(),
        check_url: "https://bilim.uz/sertifikat/BLM-2026-000123".to_owned(),
    }
}

fn print(document: &CertificateDocument) -> Vec<u8> {
    PdfCertificatePrinter::new().print(document).unwrap()
}

/// One embedded font as the content stream uses it.
struct EmbeddedFont {
    /// `BaseFont`, e.g. `ABCDEF+DejaVuSans-Bold`.
    base_font: String,
    to_unicode: HashMap<u16, String>,
    /// The subset program (`FontFile2`), decoded.
    program: Vec<u8>,
}

/// What a reader gets out of the PDF: fonts by resource name and the text
/// shown, one entry per `Tj`.
struct Read {
    fonts: HashMap<String, EmbeddedFont>,
    shown: Vec<reader::Shown>,
}

fn read(pdf: &[u8]) -> Read {
    let objects = reader::objects(pdf);
    let page = objects
        .values()
        .find(|o| o.dict.contains("/Type/Page") && !o.dict.contains("/Type/Pages"))
        .unwrap();
    let content = &objects[&reader::reference(&page.dict, "/Contents").unwrap()];
    let shown = reader::shown_text(content.stream.as_ref().unwrap());

    let resources = &page.dict[page.dict.find("/Font").unwrap()..];
    let mut fonts = HashMap::new();
    for name in ["F0", "F1"] {
        let Some(type0) = reader::reference(resources, &format!("/{name} ")) else {
            continue;
        };
        let type0 = &objects[&type0].dict;
        let cmap = &objects[&reader::reference(type0, "/ToUnicode").unwrap()];
        let cid = &objects[&reader::reference(type0, "/DescendantFonts").unwrap()].dict;
        let descriptor = &objects[&reader::reference(cid, "/FontDescriptor").unwrap()].dict;
        let program = &objects[&reader::reference(descriptor, "/FontFile2").unwrap()];
        let base_font = type0[type0.find("/BaseFont/").unwrap() + 10..]
            .split(['/', ' ', '>'])
            .next()
            .unwrap()
            .to_owned();
        let program = program.stream.clone().unwrap();
        fonts.insert(
            name.to_owned(),
            EmbeddedFont {
                base_font,
                to_unicode: reader::to_unicode(&String::from_utf8_lossy(
                    cmap.stream.as_ref().unwrap(),
                )),
                program,
            },
        );
    }
    Read { fonts, shown }
}

fn glyph_ids(bytes: &[u8]) -> Vec<u16> {
    bytes
        .chunks(2)
        .map(|pair| u16::from_be_bytes([pair[0], pair[1]]))
        .collect()
}

/// Each `Tj` as text, through the ToUnicode maps.
fn lines(read: &Read) -> Vec<String> {
    read.shown
        .iter()
        .map(|shown| {
            let font = &read.fonts[&shown.font];
            glyph_ids(&shown.bytes)
                .iter()
                .map(|g| font.to_unicode[g].as_str())
                .collect()
        })
        .collect()
}

#[test]
fn is_a_complete_pdf_file() {
    let pdf = print(&document());
    assert!(pdf.starts_with(b"%PDF-1.7\n"));
    assert!(pdf.trim_ascii_end().ends_with(b"%%EOF"));
    let text = String::from_utf8_lossy(&pdf);
    assert!(
        text.contains("/MediaBox[0 0 841.89 595.28]"),
        "A4 landscape"
    );
    assert!(text.contains("/Count 1"), "one page");
    assert!(text.contains("/URI(https://bilim.uz/sertifikat/BLM-2026-000123)"));
}

#[test]
fn the_text_comes_back_through_the_to_unicode_maps() {
    let read = read(&print(&document()));
    assert_eq!(
        lines(&read),
        [
            "BILIM",
            "SERTIFIKAT",
            "O'g'il va qizlar uchun taʼlim toʻgʻrisida",
            "Sertifikat egasi",
            "Gʻayrat Oʻktamov",
            "quyidagi kursni muvaffaqiyatli tamomladi",
            "Ўзбек тили: қўшимча ғоя ва ҳикоя (Café Müller)",
            "Berilgan sana",
            "2026-yil 1-dekabr",
            "Sertifikat raqami",
            "BLM-2026-000123",
            "Haqiqiyligini tekshirish: https://bilim.uz/sertifikat/BLM-2026-000123",
        ]
    );
    let name = &read.shown[4];
    assert_eq!(
        read.fonts[&name.font].base_font.len(),
        "ABCDEF+DejaVuSans-Bold".len()
    );
    assert!(
        read.fonts[&name.font]
            .base_font
            .ends_with("+DejaVuSans-Bold")
    );
    assert_eq!(name.size, 30.0);
}

#[test]
fn every_character_is_drawn_by_its_own_glyph_of_the_embedded_font() {
    let read = read(&print(&document()));
    let originals = HashMap::from([
        ("DejaVuSans", Face::parse(REGULAR, 0).unwrap()),
        ("DejaVuSans-Bold", Face::parse(BOLD, 0).unwrap()),
    ]);
    let mut checked = String::new();
    for shown in &read.shown {
        let font = &read.fonts[&shown.font];
        let subset = Face::parse(&font.program, 0).unwrap();
        let original = &originals[font.base_font.split('+').nth(1).unwrap()];
        for glyph in glyph_ids(&shown.bytes) {
            assert_ne!(glyph, 0, ".notdef shown");
            assert!(
                glyph < subset.number_of_glyphs(),
                "{glyph} not in the subset"
            );
            let text = &font.to_unicode[&glyph];
            let mut chars = text.chars();
            let c = chars.next().unwrap();
            assert_eq!(chars.next(), None, "one character per glyph");
            let expected = original.glyph_index(c).unwrap();
            // The subset glyph has the outline the original font draws for
            // the character, and the same advance.
            assert_eq!(
                subset.glyph_bounding_box(GlyphId(glyph)),
                original.glyph_bounding_box(expected),
                "{c:?}"
            );
            assert_eq!(
                subset.glyph_hor_advance(GlyphId(glyph)),
                original.glyph_hor_advance(expected),
                "{c:?}"
            );
            if !c.is_whitespace() {
                assert!(subset.glyph_bounding_box(GlyphId(glyph)).is_some(), "{c:?}");
            }
            checked.push(c);
        }
    }
    for c in "ʻʼ'ЎўқғҳéüGO".chars() {
        assert!(checked.contains(c), "{c:?} was not checked");
    }
}

#[test]
fn to_unicode_maps_the_uzbek_apostrophes() {
    let pdf = print(&document());
    let read = read(&pdf);
    let name_font = &read.fonts[&read.shown[4].font];
    let mapped: Vec<&str> = name_font.to_unicode.values().map(String::as_str).collect();
    assert!(mapped.contains(&"\u{2BB}"), "{mapped:?}");
    let regular = &read.fonts[&read.shown[2].font];
    let mapped: Vec<&str> = regular.to_unicode.values().map(String::as_str).collect();
    for c in ["\u{2BB}", "\u{2BC}", "'"] {
        assert!(mapped.contains(&c), "{c} in {mapped:?}");
    }
}

#[test]
fn fonts_are_subsetted_and_the_file_is_small() {
    let pdf = print(&document());
    assert!(pdf.len() < 40_000, "{} bytes", pdf.len());
    let read = read(&pdf);
    assert_eq!(read.fonts.len(), 2);
    for font in read.fonts.values() {
        let subset = Face::parse(&font.program, 0).unwrap();
        assert!(
            subset.number_of_glyphs() < 80,
            "{}",
            subset.number_of_glyphs()
        );
        // .notdef, the glyphs shown, and the parts of composite glyphs (é).
        assert!(usize::from(subset.number_of_glyphs()) > font.to_unicode.len());
        assert!(font.program.len() < 40_000, "{} bytes", font.program.len());
    }
}

#[test]
fn the_longest_inputs_still_make_a_small_pdf() {
    let long = |s: &str| s.repeat(200).chars().take(200).collect::<String>();
    let document = CertificateDocument {
        holder_name: long("Gʻayrat Oʻktamov Abdurahmon oʻgʻli "),
        course_title: long("Маълумотлар базаси ва SQL: қўлланма, ғоя, ҳаёт — "),
        certificate_title: long("Kursni muvaffaqiyatli tamomlaganlik toʻgʻrisida "),
        ..document()
    };
    let pdf = print(&document);
    assert!(pdf.len() < 60_000, "{} bytes", pdf.len());
    let text = lines(&read(&pdf)).join(" ");
    assert!(text.contains("Gʻayrat Oʻktamov Abdurahmon oʻgʻli"));
    assert!(text.contains("қўлланма, ғоя, ҳаёт"));
}

#[test]
fn the_same_document_gives_the_same_bytes() {
    assert_eq!(print(&document()), print(&document()));
    let other = CertificateDocument {
        serial: "BLM-2026-000124".to_owned(),
        ..document()
    };
    assert_ne!(print(&document()), print(&other));
}

#[test]
fn a_name_the_font_cannot_draw_is_refused() {
    let document = CertificateDocument {
        holder_name: "王小明".to_owned(),
        ..document()
    };
    let err = PdfCertificatePrinter::new().print(&document).unwrap_err();
    assert!(
        matches!(
            err,
            DomainError::Invalid {
                field: "holder_name",
                code: "certificate.unprintable",
                ..
            }
        ),
        "{err:?}"
    );
}

/// `cargo test --release -p bilim-documents -- --ignored --nocapture timing`
#[test]
#[ignore = "timing, run by hand in release mode"]
fn timing() {
    let printer = PdfCertificatePrinter::new();
    let document = document();
    printer.print(&document).unwrap();
    let rounds = 200;
    let started = Instant::now();
    for _ in 0..rounds {
        printer.print(&document).unwrap();
    }
    let each = started.elapsed() / rounds;
    println!(
        "one certificate: {each:?}, {} bytes",
        print(&document).len()
    );
}
