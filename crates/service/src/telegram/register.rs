//! `POST /auth/register/telegram`: an account from a pre-registration token.
//! The user row and the token's death are one transaction (the port's
//! `register`); the email is verified afterwards by a code, as in
//! `POST /auth/register/verify`.

use super::Telegram;
use crate::accounts::Authenticated;
use crate::challenges::{ChallengeView, Payload, Purpose};
use crate::crypto::sha256_hex;
use crate::input::Invalid;
use crate::profiles::username_taken;
use crate::{ServiceError, ServiceResult};
use bilim_domain::DomainError;
use bilim_domain::telegram::TelegramSignup;
use bilim_domain::users::{NewUser, Sex, UserRole};
use bilim_domain::values::{Email, Handle, Password, PersonName};
use std::net::IpAddr;
use uuid::Uuid;

/// The body as received.
#[derive(Debug, Clone)]
pub struct TelegramRegistration {
    pub token: String,
    /// First name, then the family name (and any more names).
    pub full_name: String,
    pub sex: String,
    pub email: String,
    pub username: String,
    pub password: String,
}

/// The new account, signed in, and the email's code challenge (`None` when
/// the code could not be sent now: the mail limit, or the store down).
#[derive(Debug, Clone)]
pub struct Registered {
    pub signed_in: Authenticated,
    pub email_challenge: Option<ChallengeView>,
}

fn token_invalid() -> ServiceError {
    ServiceError::validation(
        "token",
        "telegram.token_invalid",
        "The token is unknown, expired or already used; ask the bot for a new one.",
    )
}

/// `full_name` as a first name and the rest: two names at least.
fn split_name(raw: &str) -> Result<(PersonName, PersonName), DomainError> {
    let collapsed = raw.split_whitespace().collect::<Vec<_>>();
    let missing = || {
        DomainError::invalid(
            "full_name",
            "name.full_required",
            "must hold a first name and a family name",
        )
    };
    let (first, rest) = collapsed.split_first().ok_or_else(missing)?;
    if rest.is_empty() {
        return Err(missing());
    }
    let relabel = |error: DomainError| match error {
        DomainError::Invalid { code, message, .. } => DomainError::Invalid {
            field: "full_name",
            code,
            message,
        },
        other => other,
    };
    Ok((
        PersonName::parse("full_name", first).map_err(relabel)?,
        PersonName::parse("full_name", &rest.join(" ")).map_err(relabel)?,
    ))
}

impl Telegram {
    #[tracing::instrument(skip_all)]
    pub async fn register(
        &self,
        input: TelegramRegistration,
        ip: IpAddr,
    ) -> ServiceResult<Registered> {
        self.limits.auth_request(ip).await?;
        let mut invalid = Invalid::default();
        let token = input.token.trim();
        if token.is_empty() || token.len() > super::MAX_TOKEN_CHARS {
            return Err(token_invalid());
        }
        let names = invalid.check(split_name(&input.full_name));
        let sex =
            invalid.check(Sex::parse(&input.sex).ok_or_else(|| {
                DomainError::invalid("sex", "sex.invalid", "must be male or female")
            }));
        let email = invalid.check(Email::parse(&input.email));
        let username = invalid.check(Handle::parse(&input.username));
        let password = invalid.check(Password::parse("password", &input.password));
        invalid.finish()?;
        let (Some((first_name, last_name)), Some(sex), Some(email), Some(username), Some(password)) =
            (names, sex, email, username, password)
        else {
            return Err(ServiceError::Internal("validated input is missing".into()));
        };
        let accounts = &self.accounts;
        let context = vec![
            first_name.to_string(),
            last_name.to_string(),
            email.to_string(),
            username.to_string(),
        ];
        accounts
            .passwords
            .check_strength("password", &password, context)
            .await?;
        let password_hash = accounts.passwords.hash(&password).await?;
        let now = self.clock.now();
        let signup = TelegramSignup {
            token_hash: sha256_hex(token.as_bytes()),
            username,
            sex,
            user: NewUser {
                id: Uuid::now_v7(),
                first_name,
                last_name,
                email: email.clone(),
                phone: None,
                password_hash,
                role: UserRole::Student,
                email_verified_at: None,
                now,
            },
        };
        let mut user = match self.pre.register(signup, now).await {
            Ok(user) => user,
            Err(DomainError::NotFound) => return Err(token_invalid()),
            Err(DomainError::Conflict { what }) => return Err(conflict(&what)),
            Err(other) => return Err(other.into()),
        };
        tracing::info!(user = %user.id, "user registered through Telegram");
        let email_challenge = match accounts
            .codes
            .send(Purpose::Register, &email, Payload::Account { id: user.id })
            .await
        {
            Ok(view) => Some(view),
            Err(error) => {
                tracing::warn!(user = %user.id, %error, "no email code sent after a Telegram registration");
                None
            }
        };
        accounts.users.record_login(user.id, now).await?;
        user.last_login_at = Some(now);
        let signed_in = accounts.start_session(user).await?;
        Ok(Registered {
            signed_in,
            email_challenge,
        })
    }
}

fn conflict(what: &str) -> ServiceError {
    match what {
        "username" => username_taken(),
        "tg_id" => ServiceError::Conflict {
            code: "telegram.already_registered",
            message: "This Telegram account already has a Bilim account; log in instead.".into(),
        },
        _ => ServiceError::Conflict {
            code: "user.email_taken",
            message: "An account with this email already exists; log in instead.".into(),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_full_name_needs_two_names() {
        let (first, last) = split_name("  Dilnoza   Karimova Azizovna ").unwrap();
        assert_eq!(first.as_str(), "Dilnoza");
        assert_eq!(last.as_str(), "Karimova Azizovna");
        assert!(split_name("Dilnoza").is_err());
        assert!(split_name("   ").is_err());
    }
}
