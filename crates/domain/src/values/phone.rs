//! An Uzbek phone number, normalised to `+998XXXXXXXXX`.

use crate::{DomainError, DomainResult};
use serde::Serialize;
use std::fmt;

#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize)]
#[serde(transparent)]
pub struct Phone(String);

impl Phone {
    /// Accepts the ways people write Uzbek numbers — `+998 90 123-45-67`,
    /// `998901234567`, `(90) 123 45 67`, `8 90 1234567` — and refuses anything
    /// that is not nine national digits after the 998 country code.
    pub fn parse(raw: &str) -> DomainResult<Self> {
        let invalid = || {
            DomainError::invalid(
                "phone",
                "phone.invalid",
                "must be an Uzbek number such as +998 90 123 45 67",
            )
        };
        let trimmed = raw.trim();
        let allowed = |c: char| c.is_ascii_digit() || " -().+".contains(c);
        if trimmed.is_empty() || !trimmed.chars().all(allowed) || trimmed[1..].contains('+') {
            return Err(invalid());
        }
        let digits: String = trimmed.chars().filter(char::is_ascii_digit).collect();
        let national = match digits.len() {
            12 if digits.starts_with("998") => &digits[3..],
            // The old trunk prefix 8, still seen on forms.
            10 if digits.starts_with('8') && !trimmed.starts_with('+') => &digits[1..],
            9 if !trimmed.starts_with('+') => &digits[..],
            _ => return Err(invalid()),
        };
        if national.starts_with('0') {
            return Err(invalid());
        }
        Ok(Self(format!("+998{national}")))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for Phone {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn normalises_the_usual_spellings() {
        for raw in [
            "+998901234567",
            "+998 90 123 45 67",
            "998-90-123-45-67",
            "(90) 123-45-67",
            "90 123 45 67",
            "8 90 123 45 67",
            " +998 (90) 1234567 ",
        ] {
            assert_eq!(
                Phone::parse(raw).map(|p| p.to_string()),
                Ok("+998901234567".into()),
                "{raw}"
            );
        }
    }

    #[test]
    fn refuses_other_countries_and_garbage() {
        for raw in [
            "",
            "+7 901 234 56 78",
            "+1 202 555 0100",
            "12345",
            "+998 90 123 45 6",
            "+998 90 123 45 678",
            "90-123-45-6x",
            "+99890+1234567",
            "099 123 45 67",
            "++998901234567",
        ] {
            assert!(Phone::parse(raw).is_err(), "{raw:?} was accepted");
        }
    }
}
