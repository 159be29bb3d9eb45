//! The payment providers: Payme (`BILIM_PAYME_MERCHANT_ID`, `BILIM_PAYME_KEY`)
//! and Click (`BILIM_CLICK_SERVICE_ID`, `BILIM_CLICK_MERCHANT_ID`,
//! `BILIM_CLICK_SECRET_KEY`). A provider with none of its variables is off
//! (its routes answer 404, orders offer no link); one with only some of them
//! is a settings error, never on with defaults.

use super::reader::Reader;
use bilim_service::orders::{ClickConfig, PaymeConfig};
use secrecy::SecretString;

impl Reader {
    /// The variables of one provider: all, none, or an error naming the missing.
    fn group<const N: usize>(&mut self, names: [&str; N]) -> Option<[String; N]> {
        let values = names.map(|name| self.raw(name).map(str::to_owned));
        if values.iter().all(Option::is_none) {
            return None;
        }
        let mut all = true;
        for (name, value) in names.iter().zip(&values) {
            if value.is_none() {
                self.fail(name, format!("required with {}", names.join(", ")));
                all = false;
            }
        }
        all.then(|| values.map(Option::unwrap_or_default))
    }

    pub(super) fn payme(&mut self) -> Option<PaymeConfig> {
        let [merchant_id, key] = self.group(["BILIM_PAYME_MERCHANT_ID", "BILIM_PAYME_KEY"])?;
        if merchant_id.len() > 64
            || !merchant_id
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
        {
            self.fail(
                "BILIM_PAYME_MERCHANT_ID",
                "expected the merchant id from the Payme business cabinet (letters and digits)",
            );
        }
        Some(PaymeConfig {
            merchant_id,
            key: SecretString::from(key),
        })
    }

    pub(super) fn click(&mut self) -> Option<ClickConfig> {
        let [service_id, merchant_id, secret_key] = self.group([
            "BILIM_CLICK_SERVICE_ID",
            "BILIM_CLICK_MERCHANT_ID",
            "BILIM_CLICK_SECRET_KEY",
        ])?;
        for (name, value) in [
            ("BILIM_CLICK_SERVICE_ID", &service_id),
            ("BILIM_CLICK_MERCHANT_ID", &merchant_id),
        ] {
            if value.len() > 18 || !value.chars().all(|c| c.is_ascii_digit()) {
                self.fail(name, "expected the number from the Click merchant cabinet");
            }
        }
        Some(ClickConfig {
            service_id,
            merchant_id,
            secret_key: SecretString::from(secret_key),
        })
    }
}
