//! Where everything goes on the certificate: an A4 landscape page, in points
//! from the bottom-left corner.
//!
//! Top to bottom: the brand and the "SERTIFIKAT" heading; in the middle the
//! certificate title, the holder's name and the course title, stacked and
//! centred vertically (gaps grow when the texts are short); at the bottom the
//! date issued (left), the serial (right) and the check URL (centre, a link).
//! Each text is fitted into its box by [`text::fit`], so none leaves the page
//! whatever its length.
//!
//! The page model and what goes where are here; placing a line or a block is
//! [`Writer`]'s job (`writer`); the unit tests are in `tests`.

mod writer;

use crate::font::{Font, Weight};
use crate::text::{self, Fit};
use bilim_domain::DomainResult;
use bilim_domain::ports::CertificateDocument;
use chrono::{DateTime, Datelike, TimeDelta, Utc};
use writer::{Writer, style};

/// A4 landscape.
pub(crate) const PAGE_WIDTH: f32 = 841.89;
pub(crate) const PAGE_HEIGHT: f32 = 595.28;
/// Text stays this far from the page edges, inside the frame.
#[cfg(test)]
const MARGIN: f32 = 38.0;

const CENTRE: f32 = PAGE_WIDTH / 2.0;
const NAVY: Rgb = Rgb(0.11, 0.23, 0.42);
const GOLD: Rgb = Rgb(0.74, 0.58, 0.24);
const INK: Rgb = Rgb(0.12, 0.14, 0.17);
const MUTED: Rgb = Rgb(0.40, 0.44, 0.50);

/// The middle stack lives between these two heights.
const MIDDLE_TOP: f32 = 436.0;
const MIDDLE_BOTTOM: f32 = 168.0;
/// Footer columns.
const FOOTER_LEFT: f32 = 96.0;
const FOOTER_RIGHT: f32 = PAGE_WIDTH - 96.0;

/// A colour in device RGB, each part in `0.0..=1.0`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Rgb(pub(crate) f32, pub(crate) f32, pub(crate) f32);

/// One line of text, placed.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Line {
    pub(crate) text: String,
    pub(crate) weight: Weight,
    pub(crate) size: f32,
    /// Extra space after each character (the `Tc` operator), in points.
    pub(crate) spacing: f32,
    pub(crate) x: f32,
    pub(crate) baseline: f32,
    /// Drawn width in points, trailing character spacing excluded.
    pub(crate) width: f32,
    pub(crate) color: Rgb,
}

/// A stroked path: a rectangle or a straight line.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Shape {
    Rect { x: f32, y: f32, w: f32, h: f32 },
    Segment { x1: f32, y1: f32, x2: f32, y2: f32 },
}

#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Stroke {
    pub(crate) shape: Shape,
    pub(crate) width: f32,
    pub(crate) color: Rgb,
}

/// A clickable area opening `uri`; `rect` is `[x1, y1, x2, y2]`.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Link {
    pub(crate) rect: [f32; 4],
    pub(crate) uri: String,
}

/// Everything drawn on the page.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Page {
    pub(crate) strokes: Vec<Stroke>,
    pub(crate) lines: Vec<Line>,
    pub(crate) link: Option<Link>,
}

/// Lays out `document`, refusing text the faces cannot print.
pub(crate) fn certificate(
    document: &CertificateDocument,
    regular: &Font,
    bold: &Font,
) -> DomainResult<Page> {
    let in_regular = |field, raw| text::printable(field, raw, |c| regular.has_glyph(c));
    let in_bold = |field, raw| text::printable(field, raw, |c| bold.has_glyph(c));
    let certificate_title = in_regular("certificate_title", &document.certificate_title)?;
    let holder_name = in_bold("holder_name", &document.holder_name)?;
    let course_title = in_bold("course_title", &document.course_title)?;
    let serial = in_regular("serial", &document.serial)?;
    let check_url = in_regular("check_url", &document.check_url)?;

    let mut page = Writer {
        regular,
        bold,
        page: Page {
            strokes: frame(),
            lines: Vec::new(),
            link: None,
        },
    };

    page.centred("BILIM", style(Weight::Bold, 12.0, NAVY).spaced(5.0), 522.0);
    page.centred(
        "SERTIFIKAT",
        style(Weight::Bold, 40.0, NAVY).spaced(8.0),
        470.0,
    );
    page.stroke(
        segment(CENTRE - 70.0, 452.0, CENTRE + 70.0, 452.0),
        1.5,
        GOLD,
    );

    let blocks = [
        page.block(
            &certificate_title,
            Weight::Regular,
            INK,
            1.3,
            CERTIFICATE_TITLE,
        ),
        page.label("Sertifikat egasi"),
        page.block(&holder_name, Weight::Bold, INK, 1.25, HOLDER_NAME),
        page.label("quyidagi kursni muvaffaqiyatli tamomladi"),
        page.block(&course_title, Weight::Bold, NAVY, 1.3, COURSE_TITLE),
    ];
    page.stack(&blocks, &[18.0, 6.0, 14.0, 6.0]);

    page.stroke(segment(FOOTER_LEFT, 150.0, FOOTER_RIGHT, 150.0), 0.5, MUTED);
    let label = style(Weight::Regular, 10.0, MUTED);
    page.left("Berilgan sana", label, FOOTER_LEFT, 126.0);
    let issued = issued_on(document.issued_at);
    page.left(
        &issued,
        style(Weight::Regular, 14.0, INK),
        FOOTER_LEFT,
        108.0,
    );
    page.right("Sertifikat raqami", label, 126.0);
    let serial = page.block(&serial, Weight::Regular, INK, 1.3, SERIAL);
    for (i, line) in serial.fitted.lines.iter().enumerate() {
        let baseline = 108.0 - i as f32 * serial.line_height();
        page.right(line, serial.style(), baseline);
    }

    let check = format!("Haqiqiyligini tekshirish: {check_url}");
    let check = page.block(&check, Weight::Regular, MUTED, 1.3, CHECK_URL);
    let first = page.page.lines.len();
    page.place(&check, 74.0);
    let url = document.check_url.trim();
    if !url.is_empty() {
        let placed = &page.page.lines[first..];
        page.page.link = bounds(placed, check.fitted.size).map(|rect| Link {
            rect,
            uri: url.to_owned(),
        });
    }
    Ok(page.page)
}

const CERTIFICATE_TITLE: Fit = Fit {
    width: 640.0,
    largest: 15.0,
    one_line_down_to: 12.0,
    smallest: 9.0,
    max_lines: 2,
};
const HOLDER_NAME: Fit = Fit {
    width: 700.0,
    largest: 30.0,
    one_line_down_to: 22.0,
    smallest: 12.0,
    max_lines: 3,
};
const COURSE_TITLE: Fit = Fit {
    width: 680.0,
    largest: 19.0,
    one_line_down_to: 15.0,
    smallest: 10.0,
    max_lines: 3,
};
const SERIAL: Fit = Fit {
    width: 300.0,
    largest: 14.0,
    one_line_down_to: 10.0,
    smallest: 8.0,
    max_lines: 2,
};
const CHECK_URL: Fit = Fit {
    width: 640.0,
    largest: 9.5,
    one_line_down_to: 8.0,
    smallest: 6.0,
    max_lines: 2,
};

/// `at` as a date in Tashkent (UTC+5, no daylight saving): "2026-yil 1-dekabr".
pub(crate) fn issued_on(at: DateTime<Utc>) -> String {
    const MONTHS: [&str; 12] = [
        "yanvar", "fevral", "mart", "aprel", "may", "iyun", "iyul", "avgust", "sentabr", "oktabr",
        "noyabr", "dekabr",
    ];
    let local = at
        .checked_add_signed(TimeDelta::hours(5))
        .unwrap_or(at)
        .date_naive();
    let month = MONTHS
        .get(local.month0() as usize)
        .copied()
        .unwrap_or_default();
    format!("{}-yil {}-{month}", local.year(), local.day())
}

/// The double frame around the page.
fn frame() -> Vec<Stroke> {
    let rect = |inset: f32| Shape::Rect {
        x: inset,
        y: inset,
        w: PAGE_WIDTH - 2.0 * inset,
        h: PAGE_HEIGHT - 2.0 * inset,
    };
    vec![
        Stroke {
            shape: rect(22.0),
            width: 2.5,
            color: NAVY,
        },
        Stroke {
            shape: rect(30.0),
            width: 0.8,
            color: GOLD,
        },
    ]
}

fn segment(x1: f32, y1: f32, x2: f32, y2: f32) -> Shape {
    Shape::Segment { x1, y1, x2, y2 }
}

/// The box around `lines`, from the descender of the last to the ascender
/// of the first.
fn bounds(lines: &[Line], size: f32) -> Option<[f32; 4]> {
    let first = lines.first()?;
    let last = lines.last()?;
    let left = lines.iter().map(|l| l.x).fold(f32::MAX, f32::min);
    let right = lines.iter().map(|l| l.x + l.width).fold(f32::MIN, f32::max);
    Some([
        left,
        last.baseline - 0.25 * size,
        right,
        first.baseline + 0.95 * size,
    ])
}

#[cfg(test)]
mod tests;
