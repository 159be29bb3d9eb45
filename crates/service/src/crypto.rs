//! Small cryptographic helpers shared by the use cases: random tokens, SHA-256,
//! HMAC-SHA256 with constant-time checks, and per-purpose keys derived from the
//! one server secret.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use hmac::{Hmac, KeyInit, Mac};
use rand::RngExt;
use sha2::{Digest, Sha256};

type HmacSha256 = Hmac<Sha256>;

/// HMAC-SHA256 over the parts, in order.
pub fn mac(key: &[u8], parts: &[&[u8]]) -> Vec<u8> {
    let mut mac = keyed(key);
    for part in parts {
        mac.update(part);
    }
    mac.finalize().into_bytes().to_vec()
}

/// Whether `tag` is the HMAC of the parts, compared in constant time.
pub fn mac_matches(key: &[u8], parts: &[&[u8]], tag: &[u8]) -> bool {
    let mut mac = keyed(key);
    for part in parts {
        mac.update(part);
    }
    mac.verify_slice(tag).is_ok()
}

fn keyed(key: &[u8]) -> HmacSha256 {
    match HmacSha256::new_from_slice(key) {
        Ok(mac) => mac,
        Err(_) => unreachable!("HMAC takes keys of any length"),
    }
}

/// A key for one purpose, so a value signed for one use never verifies in another.
pub fn derive_key(secret: &[u8], purpose: &str) -> Vec<u8> {
    mac(secret, &[b"bilim/", purpose.as_bytes()])
}

pub fn sha256(bytes: &[u8]) -> Vec<u8> {
    Sha256::digest(bytes).to_vec()
}

/// Lower-case hex of SHA-256, as stored hashes are kept.
pub fn sha256_hex(bytes: &[u8]) -> String {
    hex(&sha256(bytes))
}

/// Lower-case hex.
pub fn hex(bytes: &[u8]) -> String {
    use std::fmt::Write as _;
    bytes
        .iter()
        .fold(String::with_capacity(bytes.len() * 2), |mut out, byte| {
            let _ = write!(out, "{byte:02x}");
            out
        })
}

/// `bytes` random bytes from the OS-seeded CSPRNG, base64url without padding.
pub fn random_token(bytes: usize) -> String {
    let mut buffer = vec![0u8; bytes];
    rand::rng().fill(&mut buffer[..]);
    URL_SAFE_NO_PAD.encode(buffer)
}

/// A uniformly random number below `bound` from the CSPRNG.
pub fn random_below(bound: u32) -> u32 {
    rand::rng().random_range(0..bound)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_mac_checks_only_against_its_own_parts_and_key() {
        let tag = mac(b"key", &[b"a", b"b"]);
        assert!(mac_matches(b"key", &[b"a", b"b"], &tag));
        assert!(!mac_matches(b"key", &[b"a", b"c"], &tag));
        assert!(!mac_matches(b"other", &[b"a", b"b"], &tag));
        assert!(!mac_matches(b"key", &[b"a", b"b"], &tag[..31]));
    }

    #[test]
    fn derived_keys_differ_by_purpose() {
        assert_ne!(derive_key(b"s", "jwt"), derive_key(b"s", "codes"));
    }

    #[test]
    fn random_tokens_are_long_and_distinct() {
        let a = random_token(32);
        assert_eq!(a.len(), 43);
        assert_ne!(a, random_token(32));
    }
}
