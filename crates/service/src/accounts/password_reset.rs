//! Forgotten passwords: a code to the email, then a reset token (15 minutes,
//! once) that sets a new password and ends every session of the user. An
//! unknown email gets a challenge that can never verify, and no mail.

use super::Accounts;
use crate::challenges::{ChallengeView, Payload, Purpose};
use crate::crypto::{random_token, sha256};
use crate::{ServiceError, ServiceResult};
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use bilim_domain::sessions::Audience;
use bilim_domain::values::{Email, Password};
use serde::{Deserialize, Serialize};
use std::net::IpAddr;
use std::time::Duration;
use uuid::Uuid;

const RESET_TTL: Duration = Duration::from_secs(15 * 60);

#[derive(Debug, Clone)]
pub struct ResetToken {
    pub token: String,
    pub expires_in: u64,
}

#[derive(Serialize, Deserialize)]
struct PendingReset {
    user_id: Uuid,
    expires_at: i64,
}

fn reset_key(token: &str) -> String {
    format!("reset:{}", URL_SAFE_NO_PAD.encode(sha256(token.as_bytes())))
}

fn token_invalid() -> ServiceError {
    ServiceError::validation(
        "reset_token",
        "auth.reset_token_invalid",
        "The reset token is unknown, used or expired.",
    )
}

impl Accounts {
    #[tracing::instrument(skip_all)]
    pub async fn forgot_password(&self, email: &str, ip: IpAddr) -> ServiceResult<ChallengeView> {
        self.codes.count_request(ip).await?;
        let email = Email::parse(email)?;
        let payload = match self
            .users
            .find_by_email(email.as_str())
            .await?
            .filter(|u| u.active)
        {
            Some(user) => Payload::Account { id: user.id },
            None => Payload::Decoy,
        };
        self.codes
            .send(Purpose::PasswordReset, &email, payload)
            .await
    }

    #[tracing::instrument(skip_all)]
    pub async fn verify_password_reset(
        &self,
        challenge_id: &str,
        code: &str,
        ip: IpAddr,
    ) -> ServiceResult<ResetToken> {
        let id = self
            .codes
            .verify_account(Purpose::PasswordReset, challenge_id, code, ip)
            .await?;
        let token = random_token(32);
        let pending = PendingReset {
            user_id: id,
            expires_at: (self.clock.now() + chrono::Duration::seconds(RESET_TTL.as_secs() as i64))
                .timestamp(),
        };
        let bytes =
            serde_json::to_vec(&pending).map_err(|e| ServiceError::Internal(e.to_string()))?;
        self.store
            .set(&reset_key(&token), &bytes, RESET_TTL)
            .await?;
        Ok(ResetToken {
            token,
            expires_in: RESET_TTL.as_secs(),
        })
    }

    #[tracing::instrument(skip_all)]
    pub async fn reset_password(&self, reset_token: &str, new_password: &str) -> ServiceResult<()> {
        if reset_token.is_empty() || reset_token.len() > 64 {
            return Err(token_invalid());
        }
        let key = reset_key(reset_token);
        let bytes = self.store.get(&key).await?.ok_or_else(token_invalid)?;
        let pending: PendingReset = serde_json::from_slice(&bytes).map_err(|error| {
            tracing::warn!(%error, "unreadable reset token in the ephemeral store; taken as absent");
            token_invalid()
        })?;
        let now = self.clock.now();
        if now.timestamp() >= pending.expires_at {
            return Err(token_invalid());
        }
        let user = self
            .users
            .find_by_id(pending.user_id)
            .await?
            .filter(|u| u.active)
            .ok_or_else(token_invalid)?;
        let password = Password::parse("new_password", new_password)?;
        let context = vec![
            user.first_name.clone(),
            user.last_name.clone(),
            user.email.clone(),
        ];
        self.passwords
            .check_strength("new_password", &password, context)
            .await?;
        // Taken only now, so a weak first try does not burn the token; the take
        // decides between concurrent resets.
        self.store.take(&key).await?.ok_or_else(token_invalid)?;
        let hash = self.passwords.hash(&password).await?;
        self.users.set_password(user.id, &hash, now).await?;
        self.sessions.end_all(Audience::User, user.id, None).await?;
        tracing::info!(user = %user.id, "password reset; every session ended");
        Ok(())
    }
}
