//! Values of tests and questions: limits, percents, points, question and
//! option texts, expected answers. Each rule lives here once.

use super::text::{Lines, check_controls};
use crate::{DomainError, DomainResult};

macro_rules! bounded_int {
    ($(#[$doc:meta])* $name:ident, $field:literal, $code:literal, $min:literal, $max:literal) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
        pub struct $name(i32);

        impl $name {
            pub const MIN: i32 = $min;
            pub const MAX: i32 = $max;

            pub fn parse(raw: i64) -> DomainResult<Self> {
                match i32::try_from(raw) {
                    Ok(value) if (Self::MIN..=Self::MAX).contains(&value) => Ok(Self(value)),
                    _ => Err(DomainError::invalid(
                        $field,
                        $code,
                        concat!("must be ", $min, " to ", $max),
                    )),
                }
            }

            pub fn get(self) -> i32 {
                self.0
            }
        }
    };
}

bounded_int!(
    /// A test's time limit in seconds: 10 s to 24 h.
    TimeLimit, "time_limit_seconds", "time_limit.invalid", 10, 86400
);
bounded_int!(
    /// How many attempts a user has at a test: 1 to 100 (3 by default).
    MaxAttempts, "max_attempts", "max_attempts.invalid", 1, 100
);
bounded_int!(
    /// The percent of the points that passes a test: 1 to 100 (60 by default).
    PassPercent, "pass_percent", "pass_percent.invalid", 1, 100
);
bounded_int!(
    /// What a question is worth: 1 to 100 points (1 by default).
    QuestionPoints, "points", "points.invalid", 1, 100
);

impl MaxAttempts {
    pub const DEFAULT: Self = Self(3);
}

impl PassPercent {
    pub const DEFAULT: Self = Self(60);
}

impl QuestionPoints {
    pub const DEFAULT: Self = Self(1);
}

/// A question's text: trimmed, 1 to 5 000 characters, may span lines.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QuestionText(String);

impl QuestionText {
    pub const MAX_CHARS: usize = 5_000;

    pub fn parse(raw: &str) -> DomainResult<Self> {
        let value = raw.trim();
        check_controls("text", value, Lines::Many)?;
        if value.is_empty() || raw.chars().count() > Self::MAX_CHARS {
            return Err(DomainError::invalid(
                "text",
                "text.length",
                "must be 1 to 5000 characters",
            ));
        }
        Ok(Self(value.to_owned()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// An option's text (one line, 1 to 500 characters) or a text answer (1 to
/// 200 characters); `field` names the input.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ShortText(String);

impl ShortText {
    pub const OPTION_MAX: usize = 500;
    pub const ANSWER_MAX: usize = 200;

    pub fn parse(field: &'static str, raw: &str, max: usize) -> DomainResult<Self> {
        let value = raw.trim();
        check_controls(field, value, Lines::One)?;
        if value.is_empty() || raw.chars().count() > max {
            return Err(DomainError::invalid(
                field,
                "text.length",
                format!("must be 1 to {max} characters"),
            ));
        }
        Ok(Self(value.to_owned()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    pub fn into_string(self) -> String {
        self.0
    }
}

/// A number as a user or an admin writes it: `42`, `-3.5`, `3,5` (a decimal
/// comma, as written in Uzbekistan); finite, at most 32 characters.
pub fn parse_number(field: &'static str, raw: &str) -> DomainResult<f64> {
    let text = raw.trim().replace(',', ".");
    let refuse = || DomainError::invalid(field, "number.invalid", "must be a number such as 3.5");
    if text.is_empty() || raw.chars().count() > 32 {
        return Err(refuse());
    }
    // Only digits, one sign and one point: no `inf`, `NaN` or exponents.
    let body = text.strip_prefix('-').unwrap_or(&text);
    if !body.chars().all(|c| c.is_ascii_digit() || c == '.') || body.matches('.').count() > 1 {
        return Err(refuse());
    }
    match text.parse::<f64>() {
        Ok(value) if value.is_finite() => Ok(value),
        _ => Err(refuse()),
    }
}

/// A tolerance of a number answer: 0 to 1 000 000.
pub fn parse_tolerance(raw: f64) -> DomainResult<f64> {
    if raw.is_finite() && (0.0..=1_000_000.0).contains(&raw) {
        Ok(raw)
    } else {
        Err(DomainError::invalid(
            "tolerance",
            "tolerance.invalid",
            "must be 0 to 1000000",
        ))
    }
}

/// A text answer as it is compared: lower case, words split by single
/// spaces, and the Uzbek apostrophe's variants (ʻ ʼ ' ‘ ’ `) as one.
pub fn normalise_answer(raw: &str) -> String {
    let unified: String = raw
        .chars()
        .map(|c| match c {
            'ʻ' | 'ʼ' | '‘' | '’' | '`' | '´' | 'ʹ' => '\'',
            other => other,
        })
        .flat_map(char::to_lowercase)
        .collect();
    unified.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bounds_hold() {
        assert!(TimeLimit::parse(9).is_err());
        assert!(TimeLimit::parse(-60).is_err());
        assert!(TimeLimit::parse(86_401).is_err());
        assert_eq!(TimeLimit::parse(600).unwrap().get(), 600);
        assert!(MaxAttempts::parse(0).is_err());
        assert!(MaxAttempts::parse(i64::MAX).is_err());
        assert!(PassPercent::parse(101).is_err());
        assert!(QuestionPoints::parse(100).is_ok());
    }

    #[test]
    fn uzbek_apostrophes_case_and_spaces_are_alike() {
        let forms = [
            "Oʻzbekiston",
            "o'zbekiston",
            "O‘ZBEKISTON",
            "o`zbekiston",
            "  oʼzbekiston ",
            "o’zbekiston",
        ];
        for form in forms {
            assert_eq!(normalise_answer(form), "o'zbekiston", "{form}");
        }
        assert_eq!(normalise_answer("Amir   Temur\t"), "amir temur");
        assert_ne!(normalise_answer("ozbekiston"), "o'zbekiston");
    }

    #[test]
    fn numbers_are_plain_decimals() {
        assert_eq!(parse_number("value", "42").unwrap(), 42.0);
        assert_eq!(parse_number("value", " -3,5 ").unwrap(), -3.5);
        for bad in ["", "inf", "NaN", "1e5", "1.2.3", "--1", "12a", "0x10"] {
            assert!(parse_number("value", bad).is_err(), "{bad}");
        }
        assert!(parse_tolerance(-0.1).is_err());
        assert!(parse_tolerance(f64::NAN).is_err());
        assert_eq!(parse_tolerance(0.5).unwrap(), 0.5);
    }

    #[test]
    fn texts_are_bounded() {
        assert!(QuestionText::parse("  ").is_err());
        assert!(QuestionText::parse("2 + 2 = ?\nJavobni yozing").is_ok());
        assert!(ShortText::parse("text", "a\u{0}", 500).is_err());
        assert!(ShortText::parse("text", &"a".repeat(501), 500).is_err());
    }
}
