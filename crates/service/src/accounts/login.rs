//! Login: email or username and password, then a code to the account's email.
//! An unknown login, a wrong password and an inactive account answer the same
//! 401 in the same time.

use super::{Accounts, Authenticated};
use crate::challenges::{ChallengeView, Payload, Purpose};
use crate::{ServiceError, ServiceResult};
use bilim_domain::values::{Email, Handle};
use std::net::IpAddr;

fn invalid_credentials() -> ServiceError {
    ServiceError::Unauthorized {
        code: "auth.invalid_credentials",
    }
}

impl Accounts {
    #[tracing::instrument(skip_all)]
    /// `login` is an email (it holds `@`) or a username.
    pub async fn login(
        &self,
        login: &str,
        password: &str,
        ip: IpAddr,
    ) -> ServiceResult<ChallengeView> {
        self.codes.count_request(ip).await?;
        let user = if login.contains('@') {
            let email = Email::parse(login).map_err(|_| invalid_credentials())?;
            self.users.find_by_email(email.as_str()).await?
        } else {
            let username = Handle::parse(login).map_err(|_| invalid_credentials())?;
            self.users.find_by_username(username.as_str()).await?
        }
        .filter(|u| u.active);
        // No usable account: verify against a dummy hash all the same.
        let hash = user.as_ref().map(|u| u.password_hash.as_str());
        if !self.passwords.verify(password, hash).await? {
            return Err(invalid_credentials());
        }
        let user = user.ok_or_else(invalid_credentials)?;
        let email = Email::parse(&user.email)?;
        self.codes
            .send(Purpose::Login, &email, Payload::Account { id: user.id })
            .await
    }

    #[tracing::instrument(skip_all)]
    pub async fn verify_login(
        &self,
        challenge_id: &str,
        code: &str,
        ip: IpAddr,
    ) -> ServiceResult<Authenticated> {
        let id = self
            .codes
            .verify_account(Purpose::Login, challenge_id, code, ip)
            .await?;
        let mut user = self
            .users
            .find_by_id(id)
            .await?
            .filter(|u| u.active)
            .ok_or_else(invalid_credentials)?;
        let now = self.clock.now();
        self.users.record_login(user.id, now).await?;
        user.last_login_at = Some(now);
        self.start_session(user).await
    }
}
