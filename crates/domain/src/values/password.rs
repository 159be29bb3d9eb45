//! A new password's length rule. Strength (zxcvbn) is judged in the service.

use crate::{DomainError, DomainResult};
use std::fmt;

/// 8..=128 characters. Never printed.
#[derive(Clone)]
pub struct Password(String);

impl Password {
    pub fn parse(field: &'static str, raw: &str) -> DomainResult<Self> {
        let length = raw.chars().count();
        if !(8..=128).contains(&length) {
            return Err(DomainError::invalid(
                field,
                "password.length",
                "must be 8 to 128 characters",
            ));
        }
        Ok(Self(raw.to_owned()))
    }

    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for Password {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Password(***)")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn length_is_counted_in_characters() {
        assert!(Password::parse("password", "1234567").is_err());
        assert!(Password::parse("password", "oʻgʻoʻgʻ").is_ok());
        assert!(Password::parse("password", &"x".repeat(128)).is_ok());
        assert!(Password::parse("password", &"x".repeat(129)).is_err());
        assert_eq!(
            format!("{:?}", Password::parse("p", "secret-password").unwrap()),
            "Password(***)"
        );
    }
}
