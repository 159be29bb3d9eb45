//! The email-code step shared by every flow (users and admins): rate limits,
//! issuing a challenge and mailing its code, resending, verifying.

use crate::challenges::{
    CODE_TTL_MINUTES, Challenge, ChallengeView, Challenges, Issued, Payload, Purpose,
};
use crate::limits::RateLimits;
use crate::outbox::Outbox;
use crate::{ServiceError, ServiceResult};
use bilim_domain::ports::{MailMessage, OutgoingMail};
use bilim_domain::values::Email;
use std::net::IpAddr;
use uuid::Uuid;

#[derive(Clone)]
pub struct Codes {
    pub(crate) challenges: Challenges,
    pub(crate) limits: RateLimits,
    pub(crate) outbox: Outbox,
    /// Development only: log codes so a developer needs no mailbox.
    pub(crate) log_codes: bool,
}

impl Codes {
    /// `log_codes` (development only) logs each code at info level.
    pub fn new(
        challenges: Challenges,
        limits: RateLimits,
        outbox: Outbox,
        log_codes: bool,
    ) -> Self {
        Self {
            challenges,
            limits,
            outbox,
            log_codes,
        }
    }

    /// Counts one step-one or verify request from `ip`.
    pub async fn count_request(&self, ip: IpAddr) -> ServiceResult<()> {
        self.limits.auth_request(ip).await
    }

    /// Issues a challenge and mails its code (a decoy gets no mail, but counts
    /// against the address's mail limit all the same).
    pub async fn send(
        &self,
        purpose: Purpose,
        email: &Email,
        payload: Payload,
    ) -> ServiceResult<ChallengeView> {
        self.limits.code_mail(purpose.as_str(), email).await?;
        let issued = self.challenges.issue(purpose, email, payload).await?;
        self.mail(&issued, email);
        Ok(issued.view)
    }

    /// A new code for a live challenge, once `resend_in` has passed. A resend
    /// that is refused counts nothing against the address's mail limit.
    /// Only challenges of the given purposes: the user routes never resend an
    /// admin's code, nor the admin routes a user's.
    pub async fn resend(
        &self,
        challenge_id: &str,
        purposes: &[Purpose],
        ip: IpAddr,
    ) -> ServiceResult<ChallengeView> {
        self.limits.auth_request(ip).await?;
        let challenge = self.challenges.check_resend(challenge_id).await?;
        if !purposes.contains(&challenge.purpose) {
            return Err(ServiceError::validation(
                "challenge_id",
                "auth.code_expired",
                "The code has expired or the challenge is unknown; start again.",
            ));
        }
        let email = Email::parse(&challenge.email)?;
        self.limits
            .code_mail(challenge.purpose.as_str(), &email)
            .await?;
        let issued = self.challenges.reissue(challenge_id, challenge).await?;
        self.mail(&issued, &email);
        Ok(issued.view)
    }

    /// Counts the request, then checks the code (see `Challenges::verify`).
    pub async fn verify(
        &self,
        purpose: Purpose,
        challenge_id: &str,
        code: &str,
        ip: IpAddr,
    ) -> ServiceResult<Challenge> {
        self.limits.auth_request(ip).await?;
        self.challenges.verify(purpose, challenge_id, code).await
    }

    /// Verifies the code of a challenge that names an existing account (login,
    /// password reset, admin login) and returns that account's id.
    pub async fn verify_account(
        &self,
        purpose: Purpose,
        challenge_id: &str,
        code: &str,
        ip: IpAddr,
    ) -> ServiceResult<Uuid> {
        match self.verify(purpose, challenge_id, code, ip).await?.payload {
            Payload::Account { id } => Ok(id),
            _ => Err(ServiceError::Internal(format!(
                "{purpose:?} challenge without an account"
            ))),
        }
    }

    fn mail(&self, issued: &Issued, to: &Email) {
        if issued.challenge.payload == Payload::Decoy {
            return;
        }
        if self.log_codes {
            tracing::info!(email = %to, code = issued.code.expose(), "email code (development only)");
        }
        self.outbox.send(OutgoingMail {
            to: to.clone(),
            message: MailMessage::Code {
                purpose: issued.challenge.purpose.mail_purpose(),
                code: issued.code.clone(),
                valid_minutes: CODE_TTL_MINUTES,
            },
        });
    }
}
