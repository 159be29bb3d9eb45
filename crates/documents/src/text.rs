//! Text before it is laid out: made printable with the font at hand, then
//! wrapped and shrunk to fit a box.
//!
//! Missing glyphs never become blank boxes. Every input string goes through
//! [`printable`]: line breaks, tabs and other control characters become
//! spaces, runs of whitespace fold into one, invisible formatting characters
//! (soft hyphen, zero-width space and joiners, BOM) are dropped, and a
//! character the face cannot draw is replaced by the first of its
//! [`FALLBACKS`] that it can (ʻ → ‘ → ', ʼ → ’ → ', typographic quotes and
//! dashes → ASCII). Anything still undrawable (CJK, emoji, …) is refused with
//! `DomainError::Invalid` naming the field and the character: a certificate
//! must not show a name other than the one it was issued to.

use crate::font::Font;
use bilim_domain::{DomainError, DomainResult};

/// Stand-ins for characters a face might lack, best first.
const FALLBACKS: &[(char, &[&str])] = &[
    ('\u{02BB}', &["\u{2018}", "'"]),
    ('\u{02BC}', &["\u{2019}", "'"]),
    ('\u{2018}', &["\u{02BB}", "'"]),
    ('\u{2019}', &["\u{02BC}", "'"]),
    ('\u{201B}', &["\u{2018}", "'"]),
    ('\u{2032}', &["'"]),
    ('\u{00B4}', &["'"]),
    ('\u{201C}', &["\""]),
    ('\u{201D}', &["\""]),
    ('\u{201E}', &["\""]),
    ('\u{00AB}', &["\""]),
    ('\u{00BB}', &["\""]),
    ('\u{2010}', &["-"]),
    ('\u{2011}', &["-"]),
    ('\u{2012}', &["\u{2013}", "-"]),
    ('\u{2013}', &["-"]),
    ('\u{2014}', &["\u{2013}", "-"]),
    ('\u{2015}', &["\u{2014}", "-"]),
    ('\u{2212}', &["-"]),
    ('\u{2026}', &["..."]),
];

/// Characters that draw nothing and are dropped.
const INVISIBLE: &[char] = &[
    '\u{00AD}', '\u{200B}', '\u{200C}', '\u{200D}', '\u{200E}', '\u{200F}', '\u{2060}', '\u{FEFF}',
];

/// `raw` on one line with only characters `has_glyph` accepts, as described
/// in the module docs; `field` names the input in the error.
pub(crate) fn printable(
    field: &'static str,
    raw: &str,
    has_glyph: impl Fn(char) -> bool,
) -> DomainResult<String> {
    let spaced: String = raw
        .chars()
        .filter(|c| !INVISIBLE.contains(c))
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect();
    let mut out = String::with_capacity(spaced.len());
    for (i, word) in spaced.split_whitespace().enumerate() {
        if i > 0 {
            out.push(' ');
        }
        for c in word.chars() {
            if has_glyph(c) {
                out.push(c);
                continue;
            }
            let stand_in = FALLBACKS
                .iter()
                .find(|(missing, _)| *missing == c)
                .and_then(|(_, options)| options.iter().find(|o| o.chars().all(&has_glyph)));
            match stand_in {
                Some(stand_in) => out.push_str(stand_in),
                None => {
                    return Err(DomainError::invalid(
                        field,
                        "certificate.unprintable",
                        format!(
                            "the certificate font cannot print {c:?} (U+{:04X})",
                            c as u32
                        ),
                    ));
                }
            }
        }
    }
    Ok(out)
}

/// Text fitted into a box: the font size and the lines.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Fitted {
    pub(crate) size: f32,
    pub(crate) lines: Vec<String>,
}

/// How a piece of text may be fitted.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Fit {
    /// Widest a line may be, in points.
    pub(crate) width: f32,
    /// The size to use when the text fits on one line.
    pub(crate) largest: f32,
    /// Below this size the text may take more than one line.
    pub(crate) one_line_down_to: f32,
    /// The smallest size; text that does not fit even then is cut with "…".
    pub(crate) smallest: f32,
    pub(crate) max_lines: usize,
}

/// The largest size, in half points, at which `text` fits: on one line down to
/// `one_line_down_to`, below that on up to `max_lines` lines.
pub(crate) fn fit(font: &Font, text: &str, fit: Fit) -> Fitted {
    let words = measure(font, text);
    let mut size = fit.largest;
    while size >= fit.smallest {
        let lines = wrap(&words, font.advance(' '), fit.width / size);
        let allowed = if size >= fit.one_line_down_to {
            1
        } else {
            fit.max_lines
        };
        if lines.len() <= allowed {
            return Fitted {
                size,
                lines: lines.iter().map(|l| to_string(l)).collect(),
            };
        }
        size -= 0.5;
    }
    let size = fit.smallest;
    let mut lines = wrap(&words, font.advance(' '), fit.width / size);
    if lines.len() > fit.max_lines {
        lines.truncate(fit.max_lines);
        if let Some(last) = lines.last_mut() {
            ellipsize(font, last, fit.width / size);
        }
    }
    Fitted {
        size,
        lines: lines.iter().map(|l| to_string(l)).collect(),
    }
}

/// A character and its advance in ems.
type Glyph = (char, f32);

fn measure(font: &Font, text: &str) -> Vec<Vec<Glyph>> {
    text.split(' ')
        .filter(|w| !w.is_empty())
        .map(|w| w.chars().map(|c| (c, font.advance(c))).collect())
        .collect()
}

fn width(glyphs: &[Glyph]) -> f32 {
    glyphs.iter().map(|(_, a)| a).sum()
}

/// Greedy line breaking at spaces; a word wider than a line is broken between
/// characters. `max` is in ems. Always at least one (maybe empty) line.
fn wrap(words: &[Vec<Glyph>], space: f32, max: f32) -> Vec<Vec<Glyph>> {
    let mut lines = Vec::new();
    let mut line: Vec<Glyph> = Vec::new();
    let mut line_width = 0.0;
    for word in words {
        let word_width = width(word);
        if !line.is_empty() && line_width + space + word_width <= max {
            line.push((' ', space));
            line.extend_from_slice(word);
            line_width += space + word_width;
            continue;
        }
        if !line.is_empty() {
            lines.push(std::mem::take(&mut line));
            line_width = 0.0;
        }
        for &(c, advance) in word {
            if !line.is_empty() && line_width + advance > max {
                lines.push(std::mem::take(&mut line));
                line_width = 0.0;
            }
            line.push((c, advance));
            line_width += advance;
        }
    }
    if !line.is_empty() || lines.is_empty() {
        lines.push(line);
    }
    lines
}

/// Shortens `line` until it fits within `max` ems with "…" appended.
fn ellipsize(font: &Font, line: &mut Vec<Glyph>, max: f32) {
    let ellipsis: Vec<Glyph> = if font.has_glyph('…') {
        vec![('…', font.advance('…'))]
    } else {
        "...".chars().map(|c| (c, font.advance(c))).collect()
    };
    let room = max - width(&ellipsis);
    while !line.is_empty() && width(line) > room {
        line.pop();
    }
    while line.last().is_some_and(|(c, _)| *c == ' ') {
        line.pop();
    }
    line.extend(ellipsis);
}

fn to_string(line: &[Glyph]) -> String {
    line.iter().map(|(c, _)| c).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::font::Weight;

    fn regular() -> Font {
        Font::load(Weight::Regular).unwrap()
    }

    #[test]
    fn printable_folds_whitespace_and_controls() {
        let font = regular();
        let has = |c| font.has_glyph(c);
        assert_eq!(
            printable("f", "  Gʻayrat\r\n\tOʻktamov\u{7}\u{2028} ", has).unwrap(),
            "Gʻayrat Oʻktamov"
        );
        assert_eq!(
            printable("f", "so\u{AD}z\u{200B}\u{FEFF}", has).unwrap(),
            "soz"
        );
        assert_eq!(printable("f", "   ", has).unwrap(), "");
        assert_eq!(
            printable("f", "O'g'il, Ўқитувчи — «Bilim» é", has).unwrap(),
            "O'g'il, Ўқитувчи — «Bilim» é"
        );
    }

    #[test]
    fn printable_substitutes_missing_apostrophes() {
        // A face without the modifier letters nor the curly quotes.
        let has = |c: char| !matches!(c, '\u{02BB}' | '\u{02BC}' | '…');
        assert_eq!(
            printable("f", "Oʻktam taʼlim…", has).unwrap(),
            "O‘ktam ta’lim..."
        );
        let ascii_only = |c: char| c.is_ascii();
        assert_eq!(
            printable("f", "Gʻayrat “Oʻktam” – taʼlim", ascii_only).unwrap(),
            "G'ayrat \"O'ktam\" - ta'lim"
        );
    }

    #[test]
    fn printable_refuses_what_it_cannot_draw() {
        let font = regular();
        for raw in ["Wang 王", "Kim 한", "Ravi रवि"] {
            let err = printable("holder_name", raw, |c| font.has_glyph(c)).unwrap_err();
            match err {
                DomainError::Invalid {
                    field,
                    code,
                    message,
                } => {
                    assert_eq!(field, "holder_name");
                    assert_eq!(code, "certificate.unprintable");
                    assert!(message.contains("U+"), "{message}");
                }
                other => panic!("{other:?}"),
            }
        }
    }

    const NAME: Fit = Fit {
        width: 300.0,
        largest: 30.0,
        one_line_down_to: 20.0,
        smallest: 10.0,
        max_lines: 2,
    };

    #[test]
    fn short_text_keeps_the_largest_size() {
        let fitted = fit(&regular(), "Gʻayrat Oʻktamov", NAME);
        assert_eq!(fitted.size, 30.0);
        assert_eq!(fitted.lines, ["Gʻayrat Oʻktamov"]);
    }

    #[test]
    fn longer_text_shrinks_then_wraps_within_the_width() {
        let font = regular();
        let text = "Abdulloh Abdurahmonov Gʻayratjon oʻgʻli Toshkentlik";
        let fitted = fit(&font, text, NAME);
        assert!(fitted.size < 20.0, "{fitted:?}");
        assert_eq!(fitted.lines.len(), 2, "{fitted:?}");
        assert_eq!(fitted.lines.join(" "), text);
        for line in &fitted.lines {
            assert!(
                font.width(line) * fitted.size <= NAME.width + 0.01,
                "{line}"
            );
        }
    }

    #[test]
    fn a_word_wider_than_a_line_is_broken() {
        let font = regular();
        let text = "W".repeat(60);
        let fitted = fit(&font, &text, NAME);
        assert_eq!(fitted.lines.concat(), text);
        for line in &fitted.lines {
            assert!(
                font.width(line) * fitted.size <= NAME.width + 0.01,
                "{line}"
            );
        }
    }

    #[test]
    fn text_too_long_even_at_the_smallest_size_is_cut() {
        let font = regular();
        let text = "Wolfgang ".repeat(40);
        let fitted = fit(&font, &text, NAME);
        assert_eq!(fitted.size, NAME.smallest);
        assert_eq!(fitted.lines.len(), 2);
        assert!(fitted.lines[1].ends_with('…'), "{fitted:?}");
        assert!(!fitted.lines[1].ends_with(" …"), "{fitted:?}");
        for line in &fitted.lines {
            assert!(
                font.width(line) * fitted.size <= NAME.width + 0.01,
                "{line}"
            );
        }
    }

    #[test]
    fn empty_text_is_one_empty_line() {
        let fitted = fit(&regular(), "", NAME);
        assert_eq!(fitted.lines, [""]);
    }
}
