//! What the rule tests share: a clock, the services wired over fakes, and a
//! way to read the stable code out of an error.

mod catalogue;

pub use catalogue::{CatalogueKit, UPLOAD_LIMITS, catalogue_kit, form, mp4, part, pdf};

use bilim_domain::ports::{Clock, MailMessage, ManualClock, OutgoingMail};
use bilim_domain::values::Code;
use bilim_service::ServiceError;
use bilim_service::challenges::Challenges;
use bilim_service::codes::Codes;
use bilim_service::limits::{LimitSettings, RateLimits};
use bilim_service::outbox::Outbox;
use bilim_testkit::fakes::{FakeMailer, InMemoryEphemeralStore};
use chrono::{DateTime, TimeZone, Utc};
use std::net::{IpAddr, Ipv4Addr};
use std::sync::Arc;

pub const SECRET: &[u8] = b"a test secret that is long enough for every key";

pub const IP: IpAddr = IpAddr::V4(Ipv4Addr::new(192, 0, 2, 1));
pub const OTHER_IP: IpAddr = IpAddr::V4(Ipv4Addr::new(192, 0, 2, 2));

pub fn start() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2025, 3, 1, 9, 0, 0).unwrap()
}

pub fn clock() -> Arc<ManualClock> {
    Arc::new(ManualClock::new(start()))
}

/// The clock as the services take it.
pub fn dyn_clock(clock: &Arc<ManualClock>) -> Arc<dyn Clock> {
    clock.clone()
}

pub fn seconds(n: i64) -> chrono::Duration {
    chrono::Duration::seconds(n)
}

pub fn minutes(n: i64) -> chrono::Duration {
    chrono::Duration::minutes(n)
}

/// The stable code of an error, as the HTTP layer would show it; rate limits
/// and outages have none, so they get a name here.
pub fn code(error: &ServiceError) -> &'static str {
    match error {
        ServiceError::Validation { code, .. }
        | ServiceError::Unauthorized { code }
        | ServiceError::Forbidden { code }
        | ServiceError::Locked { code }
        | ServiceError::NotFound { code }
        | ServiceError::Conflict { code, .. }
        | ServiceError::TooLarge { code, .. }
        | ServiceError::Unprocessable { code, .. }
        | ServiceError::UnsupportedMedia { code, .. } => code,
        ServiceError::RateLimited { .. } => "rate_limited",
        ServiceError::Unavailable { .. } => "unavailable",
        ServiceError::Internal(_) => "internal",
    }
}

/// The code of the error a call must have answered.
pub fn err_code<T: std::fmt::Debug>(result: Result<T, ServiceError>) -> &'static str {
    match result {
        Ok(value) => panic!("expected an error, got {value:?}"),
        Err(error) => code(&error),
    }
}

/// The code of the one field a 400 names.
pub fn field_code<T: std::fmt::Debug>(result: Result<T, ServiceError>) -> (String, String) {
    match result {
        Err(ServiceError::Validation { errors, .. }) if errors.len() == 1 => {
            (errors[0].field.clone(), errors[0].code.clone())
        }
        other => panic!("expected a 400 naming one field, got {other:?}"),
    }
}

/// The wait a 429 asks for.
pub fn retry_after<T: std::fmt::Debug>(result: Result<T, ServiceError>) -> std::time::Duration {
    match result {
        Err(ServiceError::RateLimited { retry_after }) => retry_after,
        other => panic!("expected 429, got {other:?}"),
    }
}

/// `Codes` over an in-memory store and a recording mailer.
pub struct CodeKit {
    pub clock: Arc<ManualClock>,
    pub store: Arc<InMemoryEphemeralStore>,
    pub mailer: Arc<FakeMailer>,
    pub outbox: Outbox,
    pub codes: Codes,
}

/// Limits far from the tests' counts unless a test sets them.
pub const ROOMY: LimitSettings = LimitSettings {
    auth_requests_per_ip_per_minute: 1000,
    code_mails_per_address_per_hour: 1000,
};

pub fn code_kit(limits: LimitSettings) -> CodeKit {
    let clock = clock();
    let store = Arc::new(InMemoryEphemeralStore::new(dyn_clock(&clock)));
    let mailer = Arc::new(FakeMailer::new());
    let outbox = Outbox::new(mailer.clone());
    let resend_after = std::time::Duration::from_secs(60);
    let challenges = Challenges::new(store.clone(), dyn_clock(&clock), SECRET, resend_after);
    let limits = RateLimits::new(store.clone(), limits);
    let codes = Codes::new(challenges, limits, outbox.clone(), false);
    CodeKit {
        clock,
        store,
        mailer,
        outbox,
        codes,
    }
}

impl CodeKit {
    /// The mail delivered so far, once every mail in flight has gone out.
    pub async fn sent(&self) -> Vec<OutgoingMail> {
        self.outbox.settled().await;
        self.mailer.sent()
    }

    /// The code of the last code mail to `to`.
    pub async fn last_code(&self, to: &str) -> Code {
        let sent = self.sent().await;
        let codes = sent.iter().rev().filter(|mail| mail.to.as_str() == to);
        let mut codes = codes.filter_map(|mail| match &mail.message {
            MailMessage::Code { code, .. } => Some(code.clone()),
            _ => None,
        });
        codes.next().expect("a code mail")
    }
}
