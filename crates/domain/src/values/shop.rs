//! Values of the products and subscriptions of document 002: device ids,
//! product codes, and the user's school (region by code, district, number).

use super::text::{Lines, has_control};
use crate::{DomainError, DomainResult};

/// Text of `1..=max` characters (as sent, and after trimming when `trim`; a
/// device id is opaque and kept as sent) without control characters.
fn line(field: &'static str, raw: &str, max: usize, trim: bool) -> DomainResult<String> {
    let value = if trim { raw.trim() } else { raw };
    let length = value.chars().count();
    if length == 0 || raw.chars().count() > max || has_control(value, Lines::One) {
        return Err(DomainError::invalid(
            field,
            "text.length",
            format!("must be 1 to {max} characters without control characters"),
        ));
    }
    Ok(value.to_owned())
}

/// The device a subscription is bound to: 1 to 128 characters, no control
/// characters, kept exactly as sent.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DeviceId(String);

impl DeviceId {
    pub const MAX_CHARS: usize = 128;

    pub fn parse(field: &'static str, raw: &str) -> DomainResult<Self> {
        if raw.trim().is_empty() {
            return Err(DomainError::invalid(
                field,
                "text.length",
                "must not be blank",
            ));
        }
        line(field, raw, Self::MAX_CHARS, false).map(Self)
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// A product's code: 1 to 64 of `a-z`, `0-9` and `-`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProductCode(String);

impl ProductCode {
    pub fn parse(field: &'static str, raw: &str) -> DomainResult<Self> {
        let ok = (1..=64).contains(&raw.len())
            && raw
                .bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-');
        if ok {
            Ok(Self(raw.to_owned()))
        } else {
            Err(DomainError::invalid(
                field,
                "code.invalid",
                "must be 1 to 64 characters of a-z, 0-9 and -",
            ))
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// Uzbekistan's 14 regions (12 viloyat, the Republic of Karakalpakstan and
/// the city of Tashkent), by their ISO 3166-2 codes, with their Uzbek names.
pub const REGIONS: [(&str, &str); 14] = [
    ("UZ-AN", "Andijon viloyati"),
    ("UZ-BU", "Buxoro viloyati"),
    ("UZ-FA", "Fargʻona viloyati"),
    ("UZ-JI", "Jizzax viloyati"),
    ("UZ-NG", "Namangan viloyati"),
    ("UZ-NW", "Navoiy viloyati"),
    ("UZ-QA", "Qashqadaryo viloyati"),
    ("UZ-QR", "Qoraqalpogʻiston Respublikasi"),
    ("UZ-SA", "Samarqand viloyati"),
    ("UZ-SI", "Sirdaryo viloyati"),
    ("UZ-SU", "Surxondaryo viloyati"),
    ("UZ-TK", "Toshkent shahri"),
    ("UZ-TO", "Toshkent viloyati"),
    ("UZ-XO", "Xorazm viloyati"),
];

/// One of [`REGIONS`], by code.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Region(&'static str, &'static str);

impl Region {
    pub fn parse(field: &'static str, raw: &str) -> DomainResult<Self> {
        REGIONS
            .iter()
            .find(|(code, _)| *code == raw)
            .map(|(code, name)| Self(code, name))
            .ok_or_else(|| {
                DomainError::invalid(
                    field,
                    "region.invalid",
                    "must be one of Uzbekistan's 14 region codes (UZ-AN … UZ-XO)",
                )
            })
    }

    pub fn code(self) -> &'static str {
        self.0
    }

    pub fn name(self) -> &'static str {
        self.1
    }
}

/// A district (tuman): trimmed, 1 to 100 characters.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct District(String);

impl District {
    pub fn parse(field: &'static str, raw: &str) -> DomainResult<Self> {
        line(field, raw, 100, true).map(Self)
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// A school's number as the school writes it ("45", "12-IDUM"): trimmed, 1
/// to 20 characters.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SchoolNumber(String);

impl SchoolNumber {
    pub fn parse(field: &'static str, raw: &str) -> DomainResult<Self> {
        line(field, raw, 20, true).map(Self)
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn device_ids_are_bounded_and_printable() {
        assert!(DeviceId::parse("device_id", "").is_err());
        assert!(DeviceId::parse("device_id", "   ").is_err());
        assert!(DeviceId::parse("device_id", &"d".repeat(129)).is_err());
        assert!(DeviceId::parse("device_id", &"d".repeat(10 * 1024)).is_err());
        assert!(DeviceId::parse("device_id", "pc\n1").is_err());
        assert!(DeviceId::parse("device_id", &"ў".repeat(128)).is_ok());
    }

    #[test]
    fn regions_are_the_fourteen_codes() {
        assert_eq!(REGIONS.len(), 14);
        assert_eq!(
            Region::parse("region", "UZ-SA").map(Region::name),
            Ok("Samarqand viloyati")
        );
        assert!(Region::parse("region", "UZ-XX").is_err());
        assert!(Region::parse("region", "uz-sa").is_err());
        assert!(SchoolNumber::parse("school_number", &"1".repeat(21)).is_err());
        assert!(District::parse("district", " Urgut ").is_ok());
        assert!(ProductCode::parse("code", "kundalik-pc").is_ok());
        assert!(ProductCode::parse("code", "Kundalik").is_err());
    }
}
