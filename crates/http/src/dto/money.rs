//! Whole numbers in a body, refused naming the field: a fractional or huge
//! amount is a 400 about `amount`, not about the body. A float with no
//! fraction (`34.0`) never gets here as a float: `JsonObject` made it the
//! integer it equals (`extract.rs`).

use bilim_domain::DomainError;
use serde_json::Number;

/// The integer `raw` holds, or `Invalid { field, code }`.
pub fn whole(field: &'static str, code: &'static str, raw: &Number) -> Result<i64, DomainError> {
    raw.as_i64()
        .ok_or_else(|| DomainError::invalid(field, code, "must be a whole number in range"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn number(text: &str) -> Number {
        serde_json::from_str(text).unwrap()
    }

    #[test]
    fn integers_pass_and_fractions_do_not() {
        assert_eq!(whole("amount", "amount.invalid", &number("34")), Ok(34));
        assert_eq!(whole("amount", "amount.invalid", &number("-5")), Ok(-5));
        for bad in ["34.5", "1e30", "18446744073709551615"] {
            assert!(
                whole("amount", "amount.invalid", &number(bad)).is_err(),
                "{bad}"
            );
        }
    }
}
