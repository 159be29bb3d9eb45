//! Access tokens: HS256 JWTs of at most 15 minutes. Validation pins the
//! algorithm, the audience and the required claims; expiry is checked against
//! the Clock port (not the wall clock) so tests can move time.

use crate::{ServiceError, ServiceResult};
use bilim_domain::ports::Clock;
use bilim_domain::sessions::Audience;
use chrono::Duration;
use jsonwebtoken::{Algorithm, DecodingKey, EncodingKey, Header, Validation};
use serde::{Deserialize, Serialize};
use std::sync::Arc;
use uuid::Uuid;

pub const ACCESS_TTL: Duration = Duration::minutes(15);

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub struct AccessClaims {
    pub sub: Uuid,
    pub email: String,
    pub aud: String,
    pub exp: i64,
    pub iat: i64,
    pub jti: String,
    /// The subject's token version when issued; a raise revokes the token.
    pub ver: i32,
    /// The session family the token belongs to.
    pub sid: Uuid,
}

#[derive(Clone)]
pub struct AccessTokens {
    encoding: EncodingKey,
    decoding: DecodingKey,
    clock: Arc<dyn Clock>,
}

fn invalid() -> ServiceError {
    ServiceError::Unauthorized {
        code: "auth.token_invalid",
    }
}

impl AccessTokens {
    pub fn new(secret: &[u8], clock: Arc<dyn Clock>) -> Self {
        let key = crate::crypto::derive_key(secret, "jwt/v1");
        Self {
            encoding: EncodingKey::from_secret(&key),
            decoding: DecodingKey::from_secret(&key),
            clock,
        }
    }

    /// A token for `subject`, and its lifetime in seconds.
    pub fn issue(
        &self,
        audience: Audience,
        subject: Uuid,
        email: &str,
        version: i32,
        family: Uuid,
    ) -> ServiceResult<(String, i64)> {
        let now = self.clock.now();
        let claims = AccessClaims {
            sub: subject,
            email: email.to_owned(),
            aud: audience.as_str().to_owned(),
            iat: now.timestamp(),
            exp: (now + ACCESS_TTL).timestamp(),
            jti: Uuid::new_v4().simple().to_string(),
            ver: version,
            sid: family,
        };
        let token = jsonwebtoken::encode(&Header::new(Algorithm::HS256), &claims, &self.encoding)
            .map_err(|e| ServiceError::Internal(format!("jwt encode: {e}")))?;
        Ok((token, ACCESS_TTL.num_seconds()))
    }

    /// The claims of a genuine, unexpired token for `audience`; anything else is
    /// 401 `auth.token_invalid` (forged, expired, `alg=none`, other audience).
    pub fn verify(&self, token: &str, audience: Audience) -> ServiceResult<AccessClaims> {
        let mut validation = Validation::new(Algorithm::HS256);
        validation.set_audience(&[audience.as_str()]);
        validation.set_required_spec_claims(&["exp", "iat", "sub", "aud"]);
        validation.validate_exp = false;
        validation.leeway = 0;
        let data = jsonwebtoken::decode::<AccessClaims>(token, &self.decoding, &validation)
            .map_err(|_| invalid())?;
        let now = self.clock.now().timestamp();
        if data.claims.exp <= now || data.claims.iat > now + 60 {
            return Err(invalid());
        }
        Ok(data.claims)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use base64::Engine;
    use base64::engine::general_purpose::URL_SAFE_NO_PAD;
    use bilim_domain::ports::ManualClock;

    fn tokens() -> (AccessTokens, Arc<ManualClock>) {
        let clock = Arc::new(ManualClock::new(chrono::Utc::now()));
        (
            AccessTokens::new(b"a test secret that is long enough!!", clock.clone()),
            clock,
        )
    }

    fn issue(tokens: &AccessTokens) -> String {
        tokens
            .issue(Audience::User, Uuid::now_v7(), "a@b.uz", 0, Uuid::now_v7())
            .unwrap()
            .0
    }

    #[test]
    fn a_fresh_token_verifies_for_its_audience_only() {
        let (tokens, _) = tokens();
        let token = issue(&tokens);
        assert_eq!(
            tokens.verify(&token, Audience::User).unwrap().email,
            "a@b.uz"
        );
        assert!(tokens.verify(&token, Audience::Admin).is_err());
    }

    #[test]
    fn expires_after_fifteen_minutes_of_the_clock() {
        let (tokens, clock) = tokens();
        let token = issue(&tokens);
        clock.advance(Duration::minutes(14));
        assert!(tokens.verify(&token, Audience::User).is_ok());
        clock.advance(Duration::minutes(1));
        assert!(tokens.verify(&token, Audience::User).is_err());
    }

    #[test]
    fn alg_none_and_other_keys_are_refused() {
        let (tokens, _) = tokens();
        let token = issue(&tokens);
        let payload = token.split('.').nth(1).unwrap();
        let none_header = URL_SAFE_NO_PAD.encode(r#"{"alg":"none","typ":"JWT"}"#);
        assert!(
            tokens
                .verify(&format!("{none_header}.{payload}."), Audience::User)
                .is_err()
        );
        let clock = Arc::new(ManualClock::new(chrono::Utc::now()));
        let other = AccessTokens::new(b"another secret that is long enough", clock);
        assert!(other.verify(&token, Audience::User).is_err());
    }
}
