//! Licence keys of the PC product: 160 bits, the HMAC of the subscription's
//! id under a key derived from the server secret, so the owner can be shown
//! the key at any time while the database keeps only its SHA-256 (what
//! `POST /licences/check` looks up). Written as eight groups of five
//! upper-case hex digits; the check ignores case, spaces and hyphens.

use crate::crypto::{derive_key, hex, mac, sha256_hex};
use uuid::Uuid;

#[derive(Clone)]
pub struct LicenceKeys {
    key: Vec<u8>,
}

impl LicenceKeys {
    pub fn new(secret: &[u8]) -> Self {
        Self {
            key: derive_key(secret, "licence-key"),
        }
    }

    /// The subscription's key, as shown to its owner.
    pub fn key_of(&self, subscription_id: Uuid) -> String {
        let digits = hex(&mac(&self.key, &[subscription_id.as_bytes()])[..20]).to_uppercase();
        digits
            .as_bytes()
            .chunks(5)
            .map(|group| String::from_utf8_lossy(group).into_owned())
            .collect::<Vec<_>>()
            .join("-")
    }

    /// What is stored and looked up: SHA-256 of the key's digits.
    pub fn hash(&self, key: &str) -> String {
        let digits: String = key
            .chars()
            .filter(|c| !matches!(c, '-' | ' '))
            .map(|c| c.to_ascii_uppercase())
            .collect();
        sha256_hex(digits.as_bytes())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_are_long_stable_and_hashed_loosely() {
        let keys = LicenceKeys::new(b"secret");
        let id = Uuid::now_v7();
        let key = keys.key_of(id);
        assert_eq!(key.len(), 40 + 7);
        assert_eq!(key, keys.key_of(id));
        assert_ne!(key, keys.key_of(Uuid::now_v7()));
        assert_ne!(key, LicenceKeys::new(b"other").key_of(id));
        assert_eq!(
            keys.hash(&key),
            keys.hash(&key.to_lowercase().replace('-', ""))
        );
        assert_eq!(keys.hash(&key).len(), 64);
    }
}
