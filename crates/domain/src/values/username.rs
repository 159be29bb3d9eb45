//! An admin's login name: 3..=32 of `a-z 0-9 . _ -`, lower-cased, starting with
//! a letter. Never contains `@`, so a login is an email or a username, never both.

use crate::{DomainError, DomainResult};
use std::fmt;

#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Username(String);

impl Username {
    pub fn parse(raw: &str) -> DomainResult<Self> {
        let name = raw.trim().to_lowercase();
        let valid = (3..=32).contains(&name.len())
            && name.starts_with(|c: char| c.is_ascii_lowercase())
            && name.chars().all(|c| {
                c.is_ascii_lowercase() || c.is_ascii_digit() || matches!(c, '.' | '_' | '-')
            });
        if valid {
            Ok(Self(name))
        } else {
            Err(DomainError::invalid(
                "username",
                "username.invalid",
                "must be 3 to 32 of a-z, 0-9, '.', '_', '-', starting with a letter",
            ))
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for Username {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lower_cases_and_checks_the_alphabet() {
        assert_eq!(
            Username::parse(" Dilnoza.Admin ").unwrap().as_str(),
            "dilnoza.admin"
        );
        for raw in [
            "ab",
            "1admin",
            "admin@bilim",
            "ad min",
            "админ",
            &"a".repeat(33),
        ] {
            assert!(Username::parse(raw).is_err(), "{raw:?}");
        }
    }
}
