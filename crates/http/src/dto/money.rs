//! Whole numbers as a JSON body sends them: an integer, or a float with no
//! fraction (`34.0`); anything else is refused naming the field, so a
//! fractional or huge amount is a 400 about `amount`, not about the body.

use bilim_domain::DomainError;
use serde_json::Number;

/// The integer `raw` holds, or `Invalid { field, code }`.
pub fn whole(field: &'static str, code: &'static str, raw: &Number) -> Result<i64, DomainError> {
    if let Some(value) = raw.as_i64() {
        return Ok(value);
    }
    let refuse = || DomainError::invalid(field, code, "must be a whole number in range");
    let value = raw.as_f64().ok_or_else(refuse)?;
    // Within ±2^53 a float with no fraction is exactly that integer.
    const EXACT: f64 = 9_007_199_254_740_992.0;
    if value.fract() == 0.0 && value.abs() <= EXACT {
        Ok(value as i64)
    } else {
        Err(refuse())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn number(text: &str) -> Number {
        serde_json::from_str(text).unwrap()
    }

    #[test]
    fn integral_numbers_pass_and_fractions_do_not() {
        assert_eq!(whole("amount", "amount.invalid", &number("34")), Ok(34));
        assert_eq!(whole("amount", "amount.invalid", &number("34.0")), Ok(34));
        assert_eq!(whole("amount", "amount.invalid", &number("-5")), Ok(-5));
        for bad in ["34.5", "1e30", "18446744073709551615"] {
            assert!(
                whole("amount", "amount.invalid", &number(bad)).is_err(),
                "{bad}"
            );
        }
    }
}
