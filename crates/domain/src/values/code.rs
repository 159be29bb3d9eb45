//! A six-digit email code as typed by the user.

use crate::{DomainError, DomainResult};
use std::fmt;

/// Exactly six ASCII digits. Not `Debug`-printable in full: codes are secrets.
#[derive(Clone, PartialEq, Eq)]
pub struct Code(String);

impl Code {
    pub fn parse(raw: &str) -> DomainResult<Self> {
        let code = raw.trim();
        if code.len() == 6 && code.chars().all(|c| c.is_ascii_digit()) {
            Ok(Self(code.to_owned()))
        } else {
            Err(DomainError::invalid(
                "code",
                "auth.code_invalid",
                "must be the six digits from the email",
            ))
        }
    }

    /// Builds a code from a number below one million (for generators).
    pub fn from_number(number: u32) -> Self {
        Self(format!("{:06}", number % 1_000_000))
    }

    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for Code {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Code(******)")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn six_digits_only() {
        assert!(Code::parse("012345").is_ok());
        assert!(Code::parse(" 123456 ").is_ok());
        for raw in ["12345", "1234567", "12345a", "", "١٢٣٤٥٦"] {
            assert!(Code::parse(raw).is_err(), "{raw:?}");
        }
    }

    #[test]
    fn keeps_leading_zeros_and_hides_itself() {
        assert_eq!(Code::from_number(42).expose(), "000042");
        assert_eq!(format!("{:?}", Code::from_number(42)), "Code(******)");
    }
}
