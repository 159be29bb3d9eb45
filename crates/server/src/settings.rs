//! Settings from the environment (or a `.env` file), parsed once, typed and
//! validated at start. Every bad setting is reported on its own line, naming the
//! variable. Secrets are wrapped so they never print.
//!
//! Here: the settings, their defaults and the order they are read in. The
//! parsing helpers are in `reader`; the rules of each group are in `stores`
//! (database, Redis, files, course cache), `secrets` (the JWT secret), `mail`
//! and `web` (public URL, CORS, trusted proxies).

mod mail;
mod payments;
mod reader;
mod secrets;
mod stores;
mod telegram;
mod web;

use reader::Reader;
use secrecy::{ExposeSecret, SecretString};
use std::collections::BTreeMap;
use std::fmt;
use std::net::{IpAddr, SocketAddr};
use std::path::PathBuf;
use std::time::Duration;
pub use stores::Storage;
pub use telegram::TelegramConfig;
use url::Url;

pub const DEFAULT_DATABASE_URL: &str = "sqlite://./data/bilim.db?mode=rwc";

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Environment {
    Development,
    Production,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MailTransport {
    File,
    Smtp,
    Log,
}

#[derive(Debug, Clone)]
pub struct Settings {
    pub environment: Environment,
    pub bind_addr: SocketAddr,
    pub database_url: SecretString,
    pub redis_url: Option<SecretString>,
    /// Production refuses the in-process store unless this is set.
    pub allow_inprocess_store: bool,
    pub jwt_secret: SecretString,
    /// True when no secret was configured and a random one was made for this run.
    pub jwt_secret_generated: bool,
    pub mail_transport: MailTransport,
    pub mail_outbox_dir: PathBuf,
    pub smtp_url: Option<SecretString>,
    pub mail_from: String,
    pub storage: Storage,
    /// Base of absolute links; `None` means "the address the server bound".
    pub public_url: Option<String>,
    pub cors_origins: Vec<String>,
    pub trusted_proxies: Vec<IpAddr>,
    /// How long a request may take before it is answered 503.
    pub request_deadline: Duration,
    pub resend_after: Duration,
    pub code_mails_per_address_per_hour: u32,
    pub auth_requests_per_ip_per_minute: u32,
    /// Largest workbook upload, in bytes.
    pub max_workbook_bytes: u64,
    /// Largest video upload, in bytes.
    pub max_video_bytes: u64,
    /// How often the access job (reminders, expiry mails) runs; `None`: never.
    pub access_job_interval: Option<Duration>,
    /// Course trees kept in memory, each valid while the catalogue revision
    /// stays the same; 0: none.
    pub course_cache_size: usize,
    /// How often a user may move a subscription to another device, in days.
    pub device_change_days: u32,
    /// Payme's merchant id and key; `None`: Payme is off.
    pub payme: Option<bilim_service::orders::PaymeConfig>,
    /// Click's service id, merchant id and secret key; `None`: Click is off.
    pub click: Option<bilim_service::orders::ClickConfig>,
    /// The Telegram bot; every part off while unset.
    pub telegram: TelegramConfig,
    /// Not from the environment: HTTP worker threads (tests use fewer).
    pub workers: usize,
    /// Put before every Redis key (`BILIM_REDIS_KEY_PREFIX`), so deployments can
    /// share one Redis; tests use a fresh one each.
    pub redis_key_prefix: String,
}

/// Every problem found, one line each.
#[derive(Debug, PartialEq, Eq)]
pub struct SettingsError {
    pub lines: Vec<String>,
}

impl fmt::Display for SettingsError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(f, "invalid settings:")?;
        for line in &self.lines {
            writeln!(f, "  {line}")?;
        }
        Ok(())
    }
}

impl std::error::Error for SettingsError {}

impl Settings {
    /// Reads the process environment: the `BILIM_*` variables, and the
    /// `AWS_*` / `GOOGLE_*` ones object storage reads.
    pub fn from_env() -> Result<Self, SettingsError> {
        Self::from_vars(
            std::env::vars()
                .filter(|(name, _)| {
                    ["BILIM_", "AWS_", "GOOGLE_"]
                        .iter()
                        .any(|prefix| name.starts_with(prefix))
                })
                .collect(),
        )
    }

    /// Reads the given variables; anything absent takes its default.
    pub fn from_vars(vars: BTreeMap<String, String>) -> Result<Self, SettingsError> {
        let (object_store_vars, vars) = vars
            .into_iter()
            .partition(|(name, _)| name.starts_with("AWS_") || name.starts_with("GOOGLE_"));
        let mut reader = Reader {
            vars,
            object_store_vars: object_store_vars.into_iter().collect(),
            errors: Vec::new(),
        };
        let settings = reader.settings();
        if reader.errors.is_empty() {
            Ok(settings)
        } else {
            Err(SettingsError {
                lines: reader.errors,
            })
        }
    }

    pub fn is_production(&self) -> bool {
        self.environment == Environment::Production
    }
}

impl Reader {
    fn settings(&mut self) -> Settings {
        let environment = match self.raw("BILIM_ENV") {
            None | Some("development") => Environment::Development,
            Some("production") => Environment::Production,
            Some(_) => {
                self.fail("BILIM_ENV", "expected development or production");
                Environment::Development
            }
        };
        let production = environment == Environment::Production;
        let bind_addr = self.parsed(
            "BILIM_BIND_ADDR",
            SocketAddr::from(([127, 0, 0, 1], 8080)),
            "host:port, e.g. 127.0.0.1:8080",
        );
        let database_url = self.database_url();
        let redis_url = self.redis_url();
        let allow_inprocess_store =
            self.parsed("BILIM_ALLOW_INPROCESS_STORE", false, "true or false");
        if production && redis_url.is_none() && !allow_inprocess_store {
            self.fail(
                "BILIM_REDIS_URL",
                "required in production: the in-process store is correct for one instance only (set BILIM_ALLOW_INPROCESS_STORE=true to run one instance anyway)",
            );
        }
        let (jwt_secret, jwt_secret_generated) = self.jwt_secret(production);
        let mail_transport = self.mail_transport();
        let smtp_url = self.smtp_url(mail_transport);
        Settings {
            environment,
            bind_addr,
            database_url,
            redis_url,
            allow_inprocess_store,
            jwt_secret,
            jwt_secret_generated,
            mail_transport,
            mail_outbox_dir: PathBuf::from(
                self.raw("BILIM_MAIL_OUTBOX_DIR").unwrap_or("./data/outbox"),
            ),
            smtp_url,
            mail_from: self
                .raw("BILIM_MAIL_FROM")
                .unwrap_or("Bilim <no-reply@bilim.uz>")
                .to_owned(),
            storage: self.storage(),
            public_url: self.public_url(production),
            cors_origins: self.cors_origins(),
            trusted_proxies: self.trusted_proxies(),
            request_deadline: Duration::from_secs(u64::from(
                self.positive("BILIM_REQUEST_DEADLINE_SECONDS", 5),
            )),
            resend_after: Duration::from_secs(u64::from(
                self.positive("BILIM_RESEND_AFTER_SECONDS", 60),
            )),
            code_mails_per_address_per_hour: self
                .positive("BILIM_CODE_MAILS_PER_ADDRESS_PER_HOUR", 10),
            auth_requests_per_ip_per_minute: self
                .positive("BILIM_AUTH_REQUESTS_PER_IP_PER_MINUTE", 30),
            max_workbook_bytes: self.byte_limit("BILIM_MAX_WORKBOOK_BYTES", 50 * 1024 * 1024),
            max_video_bytes: self.byte_limit("BILIM_MAX_VIDEO_BYTES", 2 * 1024 * 1024 * 1024),
            access_job_interval: match self.parsed(
                "BILIM_ACCESS_JOB_INTERVAL_SECONDS",
                300u32,
                "a whole number of seconds (0 turns the job off)",
            ) {
                0 => None,
                seconds => Some(Duration::from_secs(u64::from(seconds))),
            },
            course_cache_size: self.course_cache_size(),
            device_change_days: self.positive("BILIM_DEVICE_CHANGE_DAYS", 30),
            payme: self.payme(),
            click: self.click(),
            telegram: self.telegram(),
            workers: std::thread::available_parallelism()
                .map(usize::from)
                .unwrap_or(2),
            redis_key_prefix: self.redis_key_prefix(),
        }
    }
}

/// Shows a URL without its password, for logs.
pub fn redacted_url(secret: &SecretString) -> String {
    match Url::parse(secret.expose_secret()) {
        Ok(mut url) if url.password().is_some() => {
            let _ = url.set_password(Some("***"));
            url.to_string()
        }
        Ok(url) => url.to_string(),
        Err(_) => "(unparsable URL)".to_owned(),
    }
}

#[cfg(test)]
mod tests;
