//! Values of money commands: amounts in whole so'm, notes, idempotency keys.

use super::text::{Lines, has_control};
use crate::{DomainError, DomainResult};

/// The largest amount one change may move, so'm.
pub const MAX_AMOUNT: i64 = 100_000_000;

/// A positive amount of so'm, `1..=100 000 000`: a top-up, a price.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Amount(i64);

impl Amount {
    pub fn parse(field: &'static str, raw: i64) -> DomainResult<Self> {
        if (1..=MAX_AMOUNT).contains(&raw) {
            Ok(Self(raw))
        } else {
            Err(DomainError::invalid(
                field,
                "amount.invalid",
                "must be a whole number of so'm from 1 to 100000000",
            ))
        }
    }

    pub fn get(self) -> i64 {
        self.0
    }
}

/// A signed change of so'm, not 0, at most 100 000 000 either way: an
/// admin's adjustment.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SignedAmount(i64);

impl SignedAmount {
    pub fn parse(field: &'static str, raw: i64) -> DomainResult<Self> {
        if raw != 0 && (-MAX_AMOUNT..=MAX_AMOUNT).contains(&raw) {
            Ok(Self(raw))
        } else {
            Err(DomainError::invalid(
                field,
                "amount.invalid",
                "must be a whole number of so'm, not 0, from -100000000 to 100000000",
            ))
        }
    }

    pub fn get(self) -> i64 {
        self.0
    }
}

/// A ledger note: trimmed, at most 500 characters (as sent too), no control
/// characters but tab and line breaks (it may span lines).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Note(String);

impl Note {
    pub const MAX_CHARS: usize = 500;

    /// `None` for an empty note.
    pub fn optional(field: &'static str, raw: &str) -> DomainResult<Option<Self>> {
        let value = raw.trim();
        if raw.chars().count() > Self::MAX_CHARS || has_control(value, Lines::Many) {
            return Err(DomainError::invalid(
                field,
                "note.invalid",
                "must be at most 500 characters without control characters",
            ));
        }
        Ok((!value.is_empty()).then(|| Self(value.to_owned())))
    }

    /// A note that must say something.
    pub fn required(field: &'static str, raw: &str) -> DomainResult<Self> {
        Self::optional(field, raw)?
            .ok_or_else(|| DomainError::invalid(field, "required", "must not be empty"))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// An `Idempotency-Key`: 1 to 64 visible ASCII characters.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct IdempotencyKey(String);

impl IdempotencyKey {
    pub const MAX_CHARS: usize = 64;

    pub fn parse(raw: &str) -> DomainResult<Self> {
        if (1..=Self::MAX_CHARS).contains(&raw.len()) && raw.bytes().all(|b| b.is_ascii_graphic()) {
            Ok(Self(raw.to_owned()))
        } else {
            Err(DomainError::invalid(
                "Idempotency-Key",
                "idempotency.key_invalid",
                "must be 1 to 64 visible ASCII characters",
            ))
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn amounts_are_whole_positive_and_bounded() {
        for bad in [0, -1, MAX_AMOUNT + 1, i64::MAX, i64::MIN] {
            assert!(Amount::parse("amount", bad).is_err(), "{bad}");
        }
        assert_eq!(Amount::parse("amount", 1).map(Amount::get), Ok(1));
        assert_eq!(
            Amount::parse("amount", MAX_AMOUNT).map(Amount::get),
            Ok(MAX_AMOUNT)
        );
    }

    #[test]
    fn signed_amounts_are_never_zero() {
        for bad in [0, MAX_AMOUNT + 1, -MAX_AMOUNT - 1, i64::MIN] {
            assert!(SignedAmount::parse("amount", bad).is_err(), "{bad}");
        }
        assert_eq!(
            SignedAmount::parse("amount", -5).map(SignedAmount::get),
            Ok(-5)
        );
    }

    #[test]
    fn notes_and_keys() {
        assert_eq!(Note::optional("note", "  "), Ok(None));
        assert!(Note::required("note", " ").is_err());
        assert!(Note::optional("note", "a\u{0}b").is_err());
        assert!(Note::optional("note", &"x".repeat(501)).is_err());
        assert!(IdempotencyKey::parse("").is_err());
        assert!(IdempotencyKey::parse(&"k".repeat(65)).is_err());
        assert!(IdempotencyKey::parse("bad key").is_err());
        assert!(IdempotencyKey::parse(&"k".repeat(64)).is_ok());
    }
}
