//! A user's username (document 002's `username`): 3..=32 of `a-z 0-9 _`,
//! lower-cased, so `Dilnoza_01` and `dilnoza_01` are one name. Never contains
//! `@`, so a login is an email or a username, never both. (Admins' names,
//! `Username`, also allow `.` and `-`.)

use crate::{DomainError, DomainResult};
use std::fmt;

#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Handle(String);

impl Handle {
    pub fn parse(raw: &str) -> DomainResult<Self> {
        let name = raw.trim().to_ascii_lowercase();
        let valid = (3..=32).contains(&name.len())
            && name
                .chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_');
        if valid {
            Ok(Self(name))
        } else {
            Err(DomainError::invalid(
                "username",
                "username.invalid",
                "must be 3 to 32 of a-z, 0-9 and '_'",
            ))
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for Handle {
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
            Handle::parse(" Dilnoza_01 ").unwrap().as_str(),
            "dilnoza_01"
        );
        assert_eq!(Handle::parse("007").unwrap().as_str(), "007");
        for raw in [
            "ab",
            "dil.noza",
            "dil-noza",
            "a@b.uz",
            "dil noza",
            "дилноза",
            &"a".repeat(33),
        ] {
            assert!(Handle::parse(raw).is_err(), "{raw:?}");
        }
    }
}
