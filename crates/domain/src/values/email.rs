//! An email address, trimmed and lower-cased: the user's identity.

use crate::{DomainError, DomainResult};
use serde::Serialize;
use std::fmt;

#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize)]
#[serde(transparent)]
pub struct Email(String);

impl Email {
    /// Accepts `local@domain.tld` with a 1..=64 character local part and a domain
    /// of dot-separated labels; at most 254 characters in all.
    pub fn parse(raw: &str) -> DomainResult<Self> {
        let email = raw.trim().to_lowercase();
        let invalid =
            || DomainError::invalid("email", "email.invalid", "is not a valid email address");
        if email.len() > 254 {
            return Err(invalid());
        }
        let (local, domain) = email.split_once('@').ok_or_else(invalid)?;
        let local_ok = !local.is_empty()
            && local.len() <= 64
            && !local.starts_with('.')
            && !local.ends_with('.')
            && !local.contains("..")
            && local
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || "!#$%&'*+/=?^_`{|}~.-".contains(c));
        let labels: Vec<&str> = domain.split('.').collect();
        let domain_ok = labels.len() >= 2
            && labels.iter().all(|label| {
                !label.is_empty()
                    && label.len() <= 63
                    && !label.starts_with('-')
                    && !label.ends_with('-')
                    && label.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
            });
        if local_ok && domain_ok {
            Ok(Self(email))
        } else {
            Err(invalid())
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for Email {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn trims_and_lowercases() {
        let email = Email::parse("  Aziz.Karimov@Example.UZ ").map(|e| e.to_string());
        assert_eq!(email, Ok("aziz.karimov@example.uz".to_owned()));
    }

    #[test]
    fn refuses_what_is_not_an_address() {
        let long_local = format!("{}@example.uz", "a".repeat(65));
        for raw in [
            "",
            "plain",
            "@example.uz",
            "a@",
            "a@uz",
            "a@@b.uz",
            "a b@c.uz",
            "a@b..uz",
            ".a@b.uz",
            "a.@b.uz",
            "a@-b.uz",
            "a@b.uz<script>",
            &long_local,
        ] {
            assert!(Email::parse(raw).is_err(), "{raw:?} was accepted");
        }
    }
}
