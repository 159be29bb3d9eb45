//! Values of catalogue commands: titles, names, descriptions, positions and
//! month counts. Each rule lives here once; `field` names the input a refusal
//! points at.

use super::text::{Lines, check_controls};
use crate::{DomainError, DomainResult};
use std::fmt;

/// Trimmed one-line text of `1..=max` characters, as sent and after trimming
/// (the document's `maxLength` counts what is sent).
fn bounded_text(field: &'static str, raw: &str, max: usize) -> DomainResult<String> {
    let value = raw.trim();
    check_controls(field, value, Lines::One)?;
    let length = value.chars().count();
    if length == 0 || raw.chars().count() > max {
        return Err(DomainError::invalid(
            field,
            "text.length",
            format!("must be 1 to {max} characters"),
        ));
    }
    Ok(value.to_owned())
}

macro_rules! text_value {
    ($(#[$doc:meta])* $name:ident) => {
        $(#[$doc])*
        #[derive(Debug, Clone, PartialEq, Eq)]
        pub struct $name(String);

        impl $name {
            pub fn as_str(&self) -> &str {
                &self.0
            }

            pub fn into_string(self) -> String {
                self.0
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(&self.0)
            }
        }
    };
}

text_value!(
    /// The title of a course, module, lesson, workbook or certificate:
    /// trimmed, 1..=200 characters.
    Title
);
text_value!(
    /// A direction's name: trimmed, 1..=100 characters.
    DirectionName
);
text_value!(
    /// A description: trimmed, at most 20 000 characters, may be empty.
    Description
);

impl Title {
    pub const MAX_CHARS: usize = 200;

    pub fn parse(field: &'static str, raw: &str) -> DomainResult<Self> {
        bounded_text(field, raw, Self::MAX_CHARS).map(Self)
    }
}

impl DirectionName {
    pub const MAX_CHARS: usize = 100;

    pub fn parse(field: &'static str, raw: &str) -> DomainResult<Self> {
        bounded_text(field, raw, Self::MAX_CHARS).map(Self)
    }
}

impl Description {
    pub const MAX_CHARS: usize = 20_000;

    pub fn parse(field: &'static str, raw: &str) -> DomainResult<Self> {
        let value = raw.trim();
        check_controls(field, value, Lines::Many)?;
        if value.chars().count() > Self::MAX_CHARS {
            return Err(DomainError::invalid(
                field,
                "text.length",
                "must be at most 20000 characters",
            ));
        }
        Ok(Self(value.to_owned()))
    }

    /// No description.
    pub fn empty() -> Self {
        Self(String::new())
    }
}

/// A 1-based place among siblings, `1..=10 000`. Writers clamp it to the
/// siblings that exist.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Position(i32);

impl Position {
    pub const MAX: i32 = 10_000;

    pub fn parse(raw: i32) -> DomainResult<Self> {
        if (1..=Self::MAX).contains(&raw) {
            Ok(Self(raw))
        } else {
            Err(DomainError::invalid(
                "position",
                "position.invalid",
                "must be 1 to 10000",
            ))
        }
    }

    pub fn get(self) -> i32 {
        self.0
    }
}

/// A number of months of access, `1..=60`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Months(u32);

impl Months {
    pub const MAX: u32 = 60;
    /// A course's access when it does not say otherwise.
    pub const DEFAULT: Self = Self(6);

    /// `code` is the refusal's code (`access_months.invalid`, `validation`).
    pub fn parse(field: &'static str, code: &'static str, raw: i64) -> DomainResult<Self> {
        match u32::try_from(raw) {
            Ok(months) if (1..=Self::MAX).contains(&months) => Ok(Self(months)),
            _ => Err(DomainError::invalid(field, code, "must be 1 to 60")),
        }
    }

    pub fn get(self) -> u32 {
        self.0
    }

    /// As the database stores it.
    pub fn as_i32(self) -> i32 {
        // At most 60: always fits.
        self.0 as i32
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn titles_are_trimmed_and_bounded() {
        assert_eq!(
            Title::parse("title", "  Algebra ").map(|t| t.into_string()),
            Ok("Algebra".into())
        );
        assert!(Title::parse("title", "   ").is_err());
        assert!(Title::parse("title", &"a".repeat(200)).is_ok());
        // The document's maxLength counts what is sent, spaces too.
        assert!(Title::parse("title", &format!(" {}", "a".repeat(199))).is_ok());
        assert!(Title::parse("title", &format!(" {} ", "a".repeat(199))).is_err());
        let refused = Title::parse("title", &"ў".repeat(201));
        assert!(matches!(
            refused,
            Err(DomainError::Invalid {
                field: "title",
                code: "text.length",
                ..
            })
        ));
        assert!(DirectionName::parse("name", &"a".repeat(101)).is_err());
        assert!(DirectionName::parse("name", &"a".repeat(100)).is_ok());
        for bad in ["Alge\0bra", "Alge\nbra"] {
            assert!(Title::parse("title", bad).is_err(), "{bad:?}");
        }
        assert!(Description::parse("description", "one\ntwo").is_ok());
        assert!(Description::parse("description", "one\0two").is_err());
    }

    #[test]
    fn descriptions_may_be_empty_but_not_huge() {
        assert_eq!(
            Description::parse("description", "  "),
            Ok(Description::empty())
        );
        assert!(Description::parse("description", &"x".repeat(20_000)).is_ok());
        assert!(Description::parse("description", &"x".repeat(20_001)).is_err());
    }

    #[test]
    fn positions_and_months_have_ranges() {
        assert!(Position::parse(0).is_err());
        assert_eq!(Position::parse(1).map(Position::get), Ok(1));
        assert!(Position::parse(10_001).is_err());
        for bad in [0, -1, 61, i64::MAX] {
            assert!(Months::parse("months", "validation", bad).is_err(), "{bad}");
        }
        assert_eq!(Months::parse("m", "c", 60).map(Months::get), Ok(60));
    }
}
