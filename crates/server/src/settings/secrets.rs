//! The JWT secret: required and checked in production, made up for the run
//! in development.

use super::reader::Reader;
use secrecy::SecretString;

/// The placeholder of `.env.example`; refused in production.
const EXAMPLE_SECRET_MARK: &str = "change-me";
const MIN_SECRET_BYTES: usize = 32;

impl Reader {
    pub(super) fn jwt_secret(&mut self, production: bool) -> (SecretString, bool) {
        let Some(secret) = self.raw("BILIM_JWT_SECRET").map(str::to_owned) else {
            if production {
                self.fail(
                    "BILIM_JWT_SECRET",
                    "required in production (32+ random bytes, e.g. `openssl rand -base64 48`)",
                );
            }
            return (SecretString::from(random_secret()), true);
        };
        if production && secret.len() < MIN_SECRET_BYTES {
            self.fail(
                "BILIM_JWT_SECRET",
                format!("too short: at least {MIN_SECRET_BYTES} bytes"),
            );
        }
        if production && secret.contains(EXAMPLE_SECRET_MARK) {
            self.fail(
                "BILIM_JWT_SECRET",
                "is the example value from .env.example; generate your own",
            );
        }
        (SecretString::from(secret), false)
    }
}

fn random_secret() -> String {
    use rand::RngExt;
    let bytes: [u8; 48] = rand::rng().random();
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}
