//! A first or last name: 1..=100 characters, trimmed, letters of any script plus
//! the marks names use (apostrophes such as ʻ in Oʻktam, hyphens, spaces, dots).

use crate::{DomainError, DomainResult};
use serde::Serialize;
use std::fmt;

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(transparent)]
pub struct PersonName(String);

impl PersonName {
    pub fn parse(field: &'static str, raw: &str) -> DomainResult<Self> {
        let name: String = raw.split_whitespace().collect::<Vec<_>>().join(" ");
        let length = name.chars().count();
        if length == 0 || length > 100 {
            return Err(DomainError::invalid(
                field,
                "name.length",
                "must be 1 to 100 characters",
            ));
        }
        let allowed = |c: char| c.is_alphabetic() || c == ' ' || "'ʻʼ‘’`-.".contains(c);
        if !name.chars().all(allowed) || !name.chars().any(char::is_alphabetic) {
            return Err(DomainError::invalid(
                field,
                "name.invalid",
                "may hold letters, spaces, apostrophes, hyphens and dots only",
            ));
        }
        Ok(Self(name))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for PersonName {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accepts_uzbek_names_in_both_scripts() {
        for raw in [
            "Oʻktam",
            "G'ulom",
            "Муҳаммад",
            "Anna-Maria",
            "  Abdulla   Qodiriy ",
        ] {
            assert!(PersonName::parse("first_name", raw).is_ok(), "{raw}");
        }
        assert_eq!(
            PersonName::parse("first_name", "  Abdulla   Qodiriy ")
                .unwrap()
                .as_str(),
            "Abdulla Qodiriy"
        );
    }

    #[test]
    fn refuses_empty_long_and_markup() {
        let long = "a".repeat(101);
        for raw in ["", "   ", "<script>", "Ali2", "--", &long, "a\u{0}b"] {
            assert!(PersonName::parse("first_name", raw).is_err(), "{raw:?}");
        }
    }
}
