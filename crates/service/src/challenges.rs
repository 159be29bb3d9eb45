//! Email-code challenges. A challenge lives in the ephemeral store under an
//! unguessable id (256 bits), never under its code. The six-digit code comes
//! from a CSPRNG, is stored only as an HMAC bound to the challenge id and its
//! purpose, and is compared in constant time. It is valid ten minutes; the sixth
//! try fails as locked, and of concurrent correct tries exactly one wins.

use crate::crypto::{derive_key, mac, mac_matches, random_below, random_token};
use crate::{ServiceError, ServiceResult};
use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use bilim_domain::ports::{Clock, CodePurpose, EphemeralStore};
use bilim_domain::values::{Code, Email};
use serde::{Deserialize, Serialize};
use std::sync::Arc;
use std::time::Duration;
use uuid::Uuid;

pub const CODE_TTL_MINUTES: u32 = 10;
const CODE_TTL: Duration = Duration::from_secs(CODE_TTL_MINUTES as u64 * 60);
/// However often its code is resent, a challenge ends this long after it began,
/// and its tries are counted over the whole of it.
const MAX_LIFETIME: Duration = Duration::from_secs(30 * 60);
const MAX_TRIES: u64 = 5;

/// What verifying the challenge leads to.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Payload {
    /// A registration waiting for its code; nothing is in the database yet.
    Register {
        first_name: String,
        last_name: String,
        phone: Option<String>,
        password_hash: String,
    },
    /// An existing account (user or admin) by id.
    Account { id: Uuid },
    /// Answers like a real challenge but can never verify (unknown email, taken
    /// email): no enumeration through the response.
    Decoy,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Challenge {
    pub purpose: Purpose,
    pub email: String,
    code_tag: String,
    /// When step one happened; caps the challenge's life across resends.
    #[serde(default)]
    started_at: i64,
    expires_at: i64,
    resend_at: i64,
    pub payload: Payload,
}

#[derive(Debug, Clone, Copy, Serialize, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub enum Purpose {
    Register,
    Login,
    PasswordReset,
    AdminLogin,
}

impl Purpose {
    pub(crate) fn as_str(self) -> &'static str {
        match self {
            Self::Register => "register",
            Self::Login => "login",
            Self::PasswordReset => "password_reset",
            Self::AdminLogin => "admin_login",
        }
    }

    pub fn mail_purpose(self) -> CodePurpose {
        match self {
            Self::Register => CodePurpose::Register,
            Self::Login => CodePurpose::Login,
            Self::PasswordReset => CodePurpose::PasswordReset,
            Self::AdminLogin => CodePurpose::AdminLogin,
        }
    }
}

/// What step one answers.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChallengeView {
    pub challenge_id: String,
    pub expires_in: u64,
    pub resend_in: u64,
}

/// A challenge just (re)issued, with the code to mail.
pub struct Issued {
    pub view: ChallengeView,
    pub challenge: Challenge,
    pub code: Code,
}

#[derive(Clone)]
pub struct Challenges {
    store: Arc<dyn EphemeralStore>,
    clock: Arc<dyn Clock>,
    key: Arc<[u8]>,
    resend_after: Duration,
}

fn code_error(code: &'static str, message: &str) -> ServiceError {
    ServiceError::validation("code", code, message)
}

fn expired() -> ServiceError {
    code_error(
        "auth.code_expired",
        "The code has expired or the challenge is unknown; start again.",
    )
}

fn locked() -> ServiceError {
    code_error(
        "auth.challenge_locked",
        "Too many wrong codes; start again.",
    )
}

fn invalid() -> ServiceError {
    code_error("auth.code_invalid", "The code is not right.")
}

fn storage_key(id: &str) -> String {
    format!("challenge:{id}")
}

fn tries_key(id: &str) -> String {
    format!("challenge-tries:{id}")
}

impl Challenges {
    pub fn new(
        store: Arc<dyn EphemeralStore>,
        clock: Arc<dyn Clock>,
        secret: &[u8],
        resend_after: Duration,
    ) -> Self {
        Self {
            store,
            clock,
            key: derive_key(secret, "codes/v1").into(),
            resend_after,
        }
    }

    fn tag(&self, id: &str, purpose: Purpose, code: &Code) -> Vec<u8> {
        mac(
            &self.key,
            &[
                id.as_bytes(),
                b"|",
                purpose.as_str().as_bytes(),
                b"|",
                code.expose().as_bytes(),
            ],
        )
    }

    /// Creates a challenge and its first code.
    pub async fn issue(
        &self,
        purpose: Purpose,
        email: &Email,
        payload: Payload,
    ) -> ServiceResult<Issued> {
        let id = random_token(32);
        let challenge = Challenge {
            purpose,
            email: email.to_string(),
            code_tag: String::new(),
            started_at: self.clock.now().timestamp(),
            expires_at: 0,
            resend_at: 0,
            payload,
        };
        self.store_with_new_code(id, challenge).await
    }

    async fn store_with_new_code(
        &self,
        id: String,
        mut challenge: Challenge,
    ) -> ServiceResult<Issued> {
        let now = self.clock.now().timestamp();
        let code = Code::from_number(random_below(1_000_000));
        challenge.code_tag = STANDARD.encode(self.tag(&id, challenge.purpose, &code));
        let end_of_life = challenge.started_at + MAX_LIFETIME.as_secs() as i64;
        challenge.expires_at = (now + CODE_TTL.as_secs() as i64).min(end_of_life);
        challenge.resend_at = now + self.resend_after.as_secs() as i64;
        let bytes =
            serde_json::to_vec(&challenge).map_err(|e| ServiceError::Internal(e.to_string()))?;
        let ttl = Duration::from_secs(
            u64::try_from(challenge.expires_at - now)
                .unwrap_or(0)
                .max(1),
        );
        self.store.set(&storage_key(&id), &bytes, ttl).await?;
        Ok(Issued {
            view: ChallengeView {
                challenge_id: id,
                expires_in: ttl.as_secs(),
                resend_in: self.resend_after.as_secs(),
            },
            challenge,
            code,
        })
    }

    async fn load(&self, id: &str) -> ServiceResult<Option<Challenge>> {
        if id.is_empty() || id.len() > 64 {
            return Ok(None);
        }
        let Some(bytes) = self.store.get(&storage_key(id)).await? else {
            return Ok(None);
        };
        let challenge: Challenge = match serde_json::from_slice(&bytes) {
            Ok(challenge) => challenge,
            Err(error) => {
                tracing::warn!(%error, "unreadable challenge in the ephemeral store; taken as absent");
                return Ok(None);
            }
        };
        Ok(Some(challenge).filter(|c| self.clock.now().timestamp() < c.expires_at))
    }

    /// Checks a code for a challenge of `purpose`, consuming the challenge on
    /// success. Every try counts; the sixth is refused as locked.
    pub async fn verify(
        &self,
        purpose: Purpose,
        id: &str,
        raw_code: &str,
    ) -> ServiceResult<Challenge> {
        let code = Code::parse(raw_code).map_err(|_| invalid())?;
        let challenge = self.load(id).await?.ok_or_else(expired)?;
        // A locked challenge stays in place until it expires, answering
        // `challenge_locked` to every further try, even the right code.
        let tries = self.store.increment(&tries_key(id), MAX_LIFETIME).await?;
        if tries.count > MAX_TRIES {
            return Err(locked());
        }
        let tag = STANDARD
            .decode(&challenge.code_tag)
            .map_err(|e| ServiceError::Internal(e.to_string()))?;
        let right_code = mac_matches(
            &self.key,
            &[
                id.as_bytes(),
                b"|",
                challenge.purpose.as_str().as_bytes(),
                b"|",
                code.expose().as_bytes(),
            ],
            &tag,
        );
        // A code of another purpose never verifies here, even when it is right.
        if !right_code || challenge.purpose != purpose || challenge.payload == Payload::Decoy {
            return Err(invalid());
        }
        // The atomic take decides between concurrent right answers.
        if self.store.take(&storage_key(id)).await?.is_none() {
            return Err(expired());
        }
        self.store.delete(&tries_key(id)).await?;
        Ok(challenge)
    }

    /// The challenge, when a new code may be sent for it now: it is live, not
    /// locked, and `resend_in` has passed (else 429 with the time left).
    pub async fn check_resend(&self, id: &str) -> ServiceResult<Challenge> {
        let challenge = self.load(id).await?.ok_or_else(expired)?;
        let tries = self.store.get(&tries_key(id)).await?;
        let spent = tries
            .and_then(|bytes| String::from_utf8(bytes).ok())
            .and_then(|text| text.parse::<u64>().ok())
            .unwrap_or(0);
        if spent >= MAX_TRIES {
            return Err(locked());
        }
        let now = self.clock.now().timestamp();
        if challenge.resend_at > now {
            let wait = u64::try_from(challenge.resend_at - now).unwrap_or(1);
            return Err(ServiceError::RateLimited {
                retry_after: Duration::from_secs(wait),
            });
        }
        Ok(challenge)
    }

    /// A new code for a challenge that passed `check_resend`; the old code dies.
    /// Tries already spent stay spent.
    pub async fn reissue(&self, id: &str, challenge: Challenge) -> ServiceResult<Issued> {
        self.store_with_new_code(id.to_owned(), challenge).await
    }
}
