//! The one rule on control characters in text that comes from outside: C0
//! controls and DEL are refused everywhere (NUL breaks PostgreSQL text, CR/LF
//! split headers and logs), except that text which may span lines keeps tab,
//! line feed and carriage return.

use crate::{DomainError, DomainResult};

/// Whether a text may span lines (descriptions) or not (titles, names, queries).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Lines {
    One,
    Many,
}

/// The code of a refusal under this rule.
pub const CONTROL_CHARACTER: &str = "text.control_character";

/// Whether `text` holds a character the rule refuses.
pub fn has_control(text: &str, lines: Lines) -> bool {
    text.chars().any(|c| refused(c, lines))
}

fn refused(c: char, lines: Lines) -> bool {
    let control = c < ' ' || c == '\u{7f}';
    control && !(lines == Lines::Many && matches!(c, '\t' | '\n' | '\r'))
}

/// `Invalid` (`text.control_character`) naming `field` when `text` breaks the rule.
pub fn check_controls(field: &'static str, text: &str, lines: Lines) -> DomainResult<()> {
    if has_control(text, lines) {
        return Err(DomainError::invalid(
            field,
            CONTROL_CHARACTER,
            "must not contain control characters",
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nul_and_other_controls_are_refused_everywhere() {
        for text in ["a\0b", "\u{1b}[31m", "x\u{7f}", "\u{8}"] {
            assert!(has_control(text, Lines::One), "{text:?}");
            assert!(has_control(text, Lines::Many), "{text:?}");
        }
    }

    #[test]
    fn only_multi_line_text_keeps_tab_and_line_breaks() {
        for text in ["a\nb", "a\r\nb", "a\tb"] {
            assert!(has_control(text, Lines::One), "{text:?}");
            assert!(!has_control(text, Lines::Many), "{text:?}");
        }
        assert!(!has_control("Algebra — ўзбек, русский 😀", Lines::One));
        assert!(check_controls("title", "a\0", Lines::Many).is_err());
    }
}
