//! Password hashing (Argon2id, m = 19456 KiB, t = 2, p = 1) and the strength
//! policy (zxcvbn score ≥ 2, with the user's own names and email as context).
//! Both are CPU-heavy, so both run on the low-priority `CpuPool`, never on an
//! async worker.

use crate::cpu_pool::CpuPool;
use crate::{ServiceError, ServiceResult};
use argon2::password_hash::phc::PasswordHash;
use argon2::{
    Algorithm, Argon2, Block, Params, PasswordHasher as _, PasswordVerifier as _, Version,
};
use bilim_domain::values::Password;
use std::cell::RefCell;
use std::sync::{Arc, OnceLock};

const MEMORY_KIB: u32 = 19_456;
const ITERATIONS: u32 = 2;
const LANES: u32 = 1;
const MIN_SCORE: u8 = 2;

#[derive(Clone, Default)]
pub struct Passwords {
    /// A hash of a random password: verified against on paths where no user
    /// exists, so they take as long as the real ones.
    dummy: Arc<OnceLock<String>>,
    pool: CpuPool,
}

fn argon2() -> ServiceResult<Argon2<'static>> {
    let params = Params::new(MEMORY_KIB, ITERATIONS, LANES, None)
        .map_err(|e| ServiceError::Internal(e.to_string()))?;
    Ok(Argon2::new(Algorithm::Argon2id, Version::V0x13, params))
}

/// The Argon2id hash in PHC format. Blocking: call through `Passwords::hash`.
pub fn hash_blocking(password: &str) -> ServiceResult<String> {
    let hash = argon2()?
        .hash_password(password.as_bytes())
        .map_err(|e| ServiceError::Internal(format!("argon2: {e}")))?;
    Ok(hash.to_string())
}

/// Hashes made with today's parameters start with this.
const CURRENT_PREFIX: &str = "$argon2id$v=19$m=19456,t=2,p=1$";

std::thread_local! {
    /// Argon2's 19 MiB working memory, kept by each `CpuPool` thread between
    /// logins. Allocating it afresh each time costs ~1 800 page faults a login
    /// (glibc hands freed memory back to the kernel) and grew RSS past 200 MiB
    /// in the load benchmark.
    static MEMORY: RefCell<Vec<Block>> = const { RefCell::new(Vec::new()) };
}

fn verify_blocking(password: &str, hash: &str) -> bool {
    if hash.starts_with(CURRENT_PREFIX)
        && let Some(matches) = verify_with_kept_memory(password, hash)
    {
        return matches;
    }
    argon2().is_ok_and(|argon2| argon2.verify_password(password.as_bytes(), hash).is_ok())
}

/// The same check as `verify_password`, in this thread's kept memory. `None`
/// when the hash cannot be read this way (then the general path decides).
fn verify_with_kept_memory(password: &str, hash: &str) -> Option<bool> {
    let parsed = PasswordHash::new(hash).ok()?;
    let (salt, expected) = (parsed.salt?, parsed.hash?);
    let argon2 = argon2().ok()?;
    let blocks = Params::new(MEMORY_KIB, ITERATIONS, LANES, None)
        .ok()?
        .block_count();
    let mut out = vec![0u8; expected.len()];
    MEMORY.with_borrow_mut(|memory| {
        memory.resize(blocks, Block::new());
        argon2
            .hash_password_into_with_memory(password.as_bytes(), &salt, &mut out, &mut memory[..])
            .ok()
    })?;
    // Constant time: every byte is compared whatever the first difference.
    let difference = out
        .iter()
        .zip(expected.as_bytes())
        .fold(0u8, |acc, (a, b)| acc | (a ^ b));
    Some(difference == 0)
}

impl Passwords {
    pub async fn hash(&self, password: &Password) -> ServiceResult<String> {
        let password = password.expose().to_owned();
        self.pool.run(move || hash_blocking(&password)).await?
    }

    /// Whether `password` matches `hash`; `None` checks against a dummy hash so
    /// that an unknown account costs the same time as a wrong password.
    pub async fn verify(&self, password: &str, hash: Option<&str>) -> ServiceResult<bool> {
        let password = password.to_owned();
        let (hash, real) = match hash {
            Some(hash) => (hash.to_owned(), true),
            None => (self.dummy_hash().await?, false),
        };
        let matches = self
            .pool
            .run(move || verify_blocking(&password, &hash))
            .await?;
        Ok(real && matches)
    }

    async fn dummy_hash(&self) -> ServiceResult<String> {
        if let Some(hash) = self.dummy.get() {
            return Ok(hash.clone());
        }
        let random = crate::crypto::random_token(24);
        let hash = self.pool.run(move || hash_blocking(&random)).await??;
        Ok(self.dummy.get_or_init(|| hash).clone())
    }

    /// Refuses guessable passwords with `password.weak` and zxcvbn's reason.
    /// `context` holds the user's names and email, which must not carry a password.
    pub async fn check_strength(
        &self,
        field: &'static str,
        password: &Password,
        context: Vec<String>,
    ) -> ServiceResult<()> {
        let password = password.expose().to_owned();
        let verdict = self
            .pool
            .run(move || {
                let inputs: Vec<&str> = context.iter().map(String::as_str).collect();
                let entropy = zxcvbn::zxcvbn(&password, &inputs);
                if u8::from(entropy.score()) >= MIN_SCORE {
                    return None;
                }
                let feedback = entropy.feedback();
                let mut reasons: Vec<String> = feedback
                    .and_then(|f| f.warning())
                    .map(|w| w.to_string())
                    .into_iter()
                    .collect();
                reasons.extend(
                    feedback
                        .map(|f| {
                            f.suggestions()
                                .iter()
                                .map(ToString::to_string)
                                .collect::<Vec<_>>()
                        })
                        .unwrap_or_default(),
                );
                Some(if reasons.is_empty() {
                    "This password is too easy to guess.".to_owned()
                } else {
                    reasons.join(" ")
                })
            })
            .await?;
        match verdict {
            None => Ok(()),
            Some(reason) => Err(ServiceError::Validation {
                code: "password.weak",
                message: format!("The password is too easy to guess: {reason}"),
                errors: vec![crate::FieldError {
                    field: field.to_owned(),
                    code: "password.weak".to_owned(),
                    message: reason,
                }],
            }),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn password(raw: &str) -> Password {
        Password::parse("password", raw).unwrap()
    }

    #[tokio::test]
    async fn hashes_with_argon2id_and_the_agreed_parameters() {
        let passwords = Passwords::default();
        let hash = passwords
            .hash(&password("Samarqand-1924-bahor"))
            .await
            .unwrap();
        assert!(
            hash.starts_with("$argon2id$v=19$m=19456,t=2,p=1$"),
            "{hash}"
        );
        assert!(
            passwords
                .verify("Samarqand-1924-bahor", Some(&hash))
                .await
                .unwrap()
        );
        assert!(
            !passwords
                .verify("samarqand-1924-bahor", Some(&hash))
                .await
                .unwrap()
        );
    }

    #[test]
    fn the_kept_memory_path_agrees_with_argon2() {
        let hash = hash_blocking("Samarqand-1924-bahor").unwrap();
        for _ in 0..2 {
            assert_eq!(
                verify_with_kept_memory("Samarqand-1924-bahor", &hash),
                Some(true)
            );
            assert_eq!(
                verify_with_kept_memory("Samarqand-1924-bahoR", &hash),
                Some(false)
            );
        }
        let other = hash.replace("t=2", "t=3");
        assert!(!verify_blocking("Samarqand-1924-bahor", &other));
    }

    #[tokio::test]
    async fn the_dummy_path_never_matches() {
        let passwords = Passwords::default();
        assert!(!passwords.verify("anything at all", None).await.unwrap());
    }

    #[tokio::test]
    async fn guessable_passwords_are_weak_and_say_why() {
        let passwords = Passwords::default();
        for weak in ["password123", "qwertyuiop", "11111111"] {
            let error = passwords
                .check_strength("password", &password(weak), vec![])
                .await
                .unwrap_err();
            assert!(
                matches!(
                    error,
                    ServiceError::Validation {
                        code: "password.weak",
                        ..
                    }
                ),
                "{weak}"
            );
        }
        let context = vec![
            "Aziz".to_owned(),
            "Karimov".to_owned(),
            "aziz.karimov@example.uz".to_owned(),
        ];
        let error = passwords
            .check_strength("password", &password("azizkarimov"), context.clone())
            .await;
        assert!(error.is_err(), "the user's own name is guessable");
        passwords
            .check_strength("password", &password("Samarqand-1924-bahor"), context)
            .await
            .unwrap();
    }
}
