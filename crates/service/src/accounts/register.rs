//! Registration: step one keeps the pending account (password already hashed)
//! in the challenge; nothing reaches the database before the code is verified.
//! A taken email answers exactly like a free one, and its owner is told by mail.

use super::{Accounts, Authenticated, RegistrationInput};
use crate::challenges::{ChallengeView, Payload, Purpose};
use crate::input::Invalid;
use crate::{ServiceError, ServiceResult};
use bilim_domain::DomainError;
use bilim_domain::ports::{MailMessage, OutgoingMail};
use bilim_domain::users::{NewUser, UserRole};
use bilim_domain::values::{Email, Password, PersonName, Phone};
use std::net::IpAddr;
use uuid::Uuid;

impl Accounts {
    #[tracing::instrument(skip_all)]
    pub async fn register(
        &self,
        input: RegistrationInput,
        ip: IpAddr,
    ) -> ServiceResult<ChallengeView> {
        self.codes.count_request(ip).await?;
        let mut invalid = Invalid::default();
        let first_name = invalid.check(PersonName::parse("first_name", &input.first_name));
        let last_name = invalid.check(PersonName::parse("last_name", &input.last_name));
        let email = invalid.check(Email::parse(&input.email));
        let phone = match input
            .phone
            .as_deref()
            .map(str::trim)
            .filter(|p| !p.is_empty())
        {
            Some(raw) => invalid.check(Phone::parse(raw)).map(Some),
            None => Some(None),
        };
        let password = invalid.check(Password::parse("password", &input.password));
        invalid.finish()?;
        let (Some(first_name), Some(last_name), Some(email), Some(phone), Some(password)) =
            (first_name, last_name, email, phone, password)
        else {
            return Err(ServiceError::Internal("validated input is missing".into()));
        };
        let context = vec![
            first_name.to_string(),
            last_name.to_string(),
            email.to_string(),
        ];
        self.passwords
            .check_strength("password", &password, context)
            .await?;
        // Hashed on both paths, so a taken email takes as long as a free one.
        let password_hash = self.passwords.hash(&password).await?;
        let Some(owner) = self.users.find_by_email(email.as_str()).await? else {
            let payload = Payload::Register {
                first_name: first_name.to_string(),
                last_name: last_name.to_string(),
                phone: phone.map(|p| p.to_string()),
                password_hash,
            };
            return self.codes.send(Purpose::Register, &email, payload).await;
        };
        // The owner hears of the attempt instead of getting a code; the notice
        // goes only once the address's mail limit has allowed it.
        let view = self
            .codes
            .send(Purpose::Register, &email, Payload::Decoy)
            .await?;
        self.outbox.send(OutgoingMail {
            to: email,
            message: MailMessage::RegistrationAttempt {
                first_name: owner.first_name,
            },
        });
        Ok(view)
    }

    #[tracing::instrument(skip_all)]
    pub async fn verify_registration(
        &self,
        challenge_id: &str,
        code: &str,
        ip: IpAddr,
    ) -> ServiceResult<Authenticated> {
        let challenge = self
            .codes
            .verify(Purpose::Register, challenge_id, code, ip)
            .await?;
        if let Payload::Account { id } = challenge.payload {
            return self.verify_email(id).await;
        }
        let Payload::Register {
            first_name,
            last_name,
            phone,
            password_hash,
        } = challenge.payload
        else {
            return Err(ServiceError::Internal(
                "register challenge without a registration".into(),
            ));
        };
        let now = self.clock.now();
        let new_user = NewUser {
            id: Uuid::now_v7(),
            first_name: PersonName::parse("first_name", &first_name)?,
            last_name: PersonName::parse("last_name", &last_name)?,
            email: Email::parse(&challenge.email)?,
            phone: phone.as_deref().map(Phone::parse).transpose()?,
            password_hash,
            role: UserRole::Student,
            email_verified_at: Some(now),
            now,
        };
        let mut user = match self.users.insert(new_user).await {
            Ok(user) => user,
            // Two registrations of one address raced; the other one won.
            Err(DomainError::Conflict { .. }) => {
                return Err(ServiceError::Conflict {
                    code: "user.email_taken",
                    message: "An account with this email already exists; log in instead.".into(),
                });
            }
            Err(other) => return Err(other.into()),
        };
        self.users.record_login(user.id, now).await?;
        user.last_login_at = Some(now);
        tracing::info!(user = %user.id, "user registered");
        self.start_session(user).await
    }

    /// The code of an account made without one (through Telegram): the email
    /// is proven now, and the user is signed in.
    async fn verify_email(&self, id: Uuid) -> ServiceResult<Authenticated> {
        let now = self.clock.now();
        self.users.mark_email_verified(id, now).await?;
        let mut user = self
            .users
            .find_by_id(id)
            .await?
            .filter(|u| u.active)
            .ok_or(ServiceError::Unauthorized {
                code: "auth.invalid_credentials",
            })?;
        self.users.record_login(user.id, now).await?;
        user.last_login_at = Some(now);
        self.start_session(user).await
    }
}
