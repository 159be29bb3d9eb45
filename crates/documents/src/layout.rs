//! Where everything goes on the certificate: an A4 landscape page, in points
//! from the bottom-left corner.
//!
//! Top to bottom: the brand and the "SERTIFIKAT" heading; in the middle the
//! certificate title, the holder's name and the course title, stacked and
//! centred vertically (gaps grow when the texts are short); at the bottom the
//! date issued (left), the serial (right) and the check URL (centre, a link).
//! Each text is fitted into its box by [`text::fit`], so none leaves the page
//! whatever its length.

use crate::font::{Font, Weight};
use crate::text::{self, Fit, Fitted};
use bilim_domain::DomainResult;
use bilim_domain::ports::CertificateDocument;
use chrono::{DateTime, Datelike, TimeDelta, Utc};

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

/// How a line is drawn.
#[derive(Debug, Clone, Copy)]
struct Style {
    weight: Weight,
    size: f32,
    /// Extra space after each character, in points.
    spacing: f32,
    color: Rgb,
}

fn style(weight: Weight, size: f32, color: Rgb) -> Style {
    Style {
        weight,
        size,
        spacing: 0.0,
        color,
    }
}

impl Style {
    fn spaced(self, spacing: f32) -> Self {
        Self { spacing, ..self }
    }
}

/// Fitted text with how it is drawn.
struct Block {
    fitted: Fitted,
    weight: Weight,
    color: Rgb,
    leading: f32,
}

impl Block {
    fn style(&self) -> Style {
        style(self.weight, self.fitted.size, self.color)
    }

    fn line_height(&self) -> f32 {
        self.fitted.size * self.leading
    }

    fn height(&self) -> f32 {
        self.line_height() * self.fitted.lines.len() as f32
    }
}

/// Places lines and shapes on a [`Page`].
struct Writer<'f> {
    regular: &'f Font,
    bold: &'f Font,
    page: Page,
}

impl Writer<'_> {
    fn font(&self, weight: Weight) -> &Font {
        match weight {
            Weight::Regular => self.regular,
            Weight::Bold => self.bold,
        }
    }

    fn width(&self, text: &str, style: Style) -> f32 {
        let gaps = text.chars().count().saturating_sub(1) as f32;
        self.font(style.weight).width(text) * style.size + style.spacing * gaps
    }

    fn stroke(&mut self, shape: Shape, width: f32, color: Rgb) {
        self.page.strokes.push(Stroke {
            shape,
            width,
            color,
        });
    }

    fn push(&mut self, text: &str, style: Style, x: f32, baseline: f32) {
        let width = self.width(text, style);
        self.page.lines.push(Line {
            text: text.to_owned(),
            weight: style.weight,
            size: style.size,
            spacing: style.spacing,
            x,
            baseline,
            width,
            color: style.color,
        });
    }

    fn centred(&mut self, text: &str, style: Style, baseline: f32) {
        let x = CENTRE - self.width(text, style) / 2.0;
        self.push(text, style, x, baseline);
    }

    fn left(&mut self, text: &str, style: Style, x: f32, baseline: f32) {
        self.push(text, style, x, baseline);
    }

    /// Ends at the right footer column.
    fn right(&mut self, text: &str, style: Style, baseline: f32) {
        let x = FOOTER_RIGHT - self.width(text, style);
        self.push(text, style, x, baseline);
    }

    fn block(&self, text: &str, weight: Weight, color: Rgb, leading: f32, fit: Fit) -> Block {
        Block {
            fitted: text::fit(self.font(weight), text, fit),
            weight,
            color,
            leading,
        }
    }

    fn label(&self, text: &str) -> Block {
        Block {
            fitted: Fitted {
                size: 11.0,
                lines: vec![text.to_owned()],
            },
            weight: Weight::Regular,
            color: MUTED,
            leading: 1.3,
        }
    }

    /// Centres each line of `block` from `top` down.
    fn place(&mut self, block: &Block, top: f32) {
        let size = block.fitted.size;
        let height = block.line_height();
        for (i, line) in block.fitted.lines.iter().enumerate() {
            // The baseline leaves room for the descender in the line box.
            let baseline = top - (i + 1) as f32 * height + 0.24 * size;
            self.centred(line, block.style(), baseline);
        }
    }

    /// Stacks `blocks` with `gaps` between them, centred in the middle zone;
    /// the gaps grow (up to double) when there is room.
    fn stack(&mut self, blocks: &[Block], gaps: &[f32]) {
        let content: f32 = blocks.iter().map(Block::height).sum();
        let gap_total: f32 = gaps.iter().sum();
        let room = MIDDLE_TOP - MIDDLE_BOTTOM;
        let scale = ((room - content) / gap_total).clamp(1.0, 2.0);
        let total = content + gap_total * scale;
        let mut top = MIDDLE_TOP - (room - total).max(0.0) / 2.0;
        for (i, block) in blocks.iter().enumerate() {
            self.place(block, top);
            top -= block.height() + gaps.get(i).copied().unwrap_or(0.0) * scale;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fonts() -> (Font, Font) {
        (
            Font::load(Weight::Regular).unwrap(),
            Font::load(Weight::Bold).unwrap(),
        )
    }

    fn document() -> CertificateDocument {
        CertificateDocument {
            holder_name: "Gʻayrat Oʻktamov".to_owned(),
            course_title: "Python dasturlash asoslari".to_owned(),
            certificate_title: "Kursni tamomlaganlik toʻgʻrisida".to_owned(),
            issued_at: "2026-11-30T21:10:00Z".parse().unwrap(),
            serial: "BLM-2026-000123".to_owned(),
            check_url: "https://bilim.uz/sertifikat/BLM-2026-000123".to_owned(),
        }
    }

    /// `[left, bottom, right, top]` of a line's ink, roughly.
    fn ink(line: &Line) -> [f32; 4] {
        [
            line.x,
            line.baseline - 0.24 * line.size,
            line.x + line.width,
            line.baseline + 0.93 * line.size,
        ]
    }

    fn assert_fits(page: &Page) {
        for line in &page.lines {
            let [left, bottom, right, top] = ink(line);
            assert!(left >= MARGIN && right <= PAGE_WIDTH - MARGIN, "{line:?}");
            assert!(bottom >= MARGIN && top <= PAGE_HEIGHT - MARGIN, "{line:?}");
        }
        for (i, a) in page.lines.iter().enumerate() {
            for b in &page.lines[i + 1..] {
                let [al, ab, ar, at] = ink(a);
                let [bl, bb, br, bt] = ink(b);
                let apart = ar <= bl || br <= al || at <= bb || bt <= ab;
                assert!(apart, "overlap:\n{a:?}\n{b:?}");
            }
        }
    }

    fn texts(page: &Page) -> Vec<&str> {
        page.lines.iter().map(|l| l.text.as_str()).collect()
    }

    #[test]
    fn a_typical_certificate_has_every_part_once() {
        let (regular, bold) = fonts();
        let page = certificate(&document(), &regular, &bold).unwrap();
        assert_eq!(
            texts(&page),
            [
                "BILIM",
                "SERTIFIKAT",
                "Kursni tamomlaganlik toʻgʻrisida",
                "Sertifikat egasi",
                "Gʻayrat Oʻktamov",
                "quyidagi kursni muvaffaqiyatli tamomladi",
                "Python dasturlash asoslari",
                "Berilgan sana",
                "2026-yil 1-dekabr",
                "Sertifikat raqami",
                "BLM-2026-000123",
                "Haqiqiyligini tekshirish: https://bilim.uz/sertifikat/BLM-2026-000123",
            ]
        );
        let name = &page.lines[4];
        assert_eq!((name.weight, name.size), (Weight::Bold, 30.0));
        assert!((name.x + name.width / 2.0 - CENTRE).abs() < 0.01);
        assert_fits(&page);
        let link = page.link.unwrap();
        assert_eq!(link.uri, "https://bilim.uz/sertifikat/BLM-2026-000123");
        let check = page.lines.last().unwrap();
        assert!(link.rect[0] <= check.x && link.rect[2] >= check.x + check.width);
        assert!(link.rect[1] < check.baseline && link.rect[3] > check.baseline);
    }

    #[test]
    fn the_longest_texts_stay_on_the_page_without_overlapping() {
        let (regular, bold) = fonts();
        let worst = [
            ("Ш", "W", "m"),
            (
                "Gʻayrat Oʻktamov ",
                "Маълумотлар базаси ",
                "Kursni tamomlaganlik ",
            ),
            ("Abdurahmonov", "ЎҚҒҲўқғҳ", "WWWW MMMM "),
        ];
        for (name, course, title) in worst {
            let at_most = |s: &str| s.repeat(200).chars().take(200).collect::<String>();
            let document = CertificateDocument {
                holder_name: at_most(name),
                course_title: at_most(course),
                certificate_title: at_most(title),
                serial: "S".repeat(80),
                check_url: format!("https://bilim.uz/{}", "x/".repeat(200)),
                ..document()
            };
            let page = certificate(&document, &regular, &bold).unwrap();
            assert_fits(&page);
        }
    }

    #[test]
    fn realistic_long_texts_are_not_cut() {
        let (regular, bold) = fonts();
        let name = "Gʻayrat Oʻktamov Abdurahmon oʻgʻli ".repeat(6);
        let course = "Маълумотлар базаси ва SQL: қўлланма, ғоя, ҳаёт — ".repeat(4);
        let document = CertificateDocument {
            holder_name: name.chars().take(200).collect(),
            course_title: course.chars().take(200).collect(),
            ..document()
        };
        let page = certificate(&document, &regular, &bold).unwrap();
        assert!(page.lines.iter().all(|l| !l.text.contains('…')));
        assert_fits(&page);
    }

    #[test]
    fn empty_texts_still_lay_out() {
        let (regular, bold) = fonts();
        let document = CertificateDocument {
            holder_name: String::new(),
            course_title: " ".to_owned(),
            certificate_title: String::new(),
            serial: String::new(),
            check_url: String::new(),
            ..document()
        };
        let page = certificate(&document, &regular, &bold).unwrap();
        assert!(page.link.is_none());
        assert_fits(&page);
    }

    #[test]
    fn the_date_is_in_tashkent_with_uzbek_month_names() {
        let on = |s: &str| issued_on(s.parse().unwrap());
        assert_eq!(on("2026-11-30T21:10:00Z"), "2026-yil 1-dekabr");
        assert_eq!(on("2026-11-30T18:59:59Z"), "2026-yil 30-noyabr");
        assert_eq!(on("2027-01-05T04:07:00Z"), "2027-yil 5-yanvar");
        assert_eq!(on("2026-09-15T12:00:00Z"), "2026-yil 15-sentabr");
    }
}
