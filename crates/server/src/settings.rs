//! Settings from the environment (or a `.env` file), parsed once, typed and
//! validated at start. Every bad setting is reported on its own line, naming the
//! variable. Secrets are wrapped so they never print.

use secrecy::{ExposeSecret, SecretString};
use std::collections::BTreeMap;
use std::fmt;
use std::net::{IpAddr, SocketAddr};
use std::path::PathBuf;
use std::time::Duration;
use url::Url;

pub const DEFAULT_DATABASE_URL: &str = "sqlite://./data/bilim.db?mode=rwc";
/// The placeholder of `.env.example`; refused in production.
const EXAMPLE_SECRET_MARK: &str = "change-me";
const MIN_SECRET_BYTES: usize = 32;
const MAX_COURSE_CACHE_SIZE: usize = 10_000;

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
    pub storage_dir: PathBuf,
    /// Base of absolute links; `None` means "the address the server bound".
    pub public_url: Option<String>,
    pub cors_origins: Vec<String>,
    pub trusted_proxies: Vec<IpAddr>,
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
    /// Not from the environment: HTTP worker threads (tests use fewer).
    pub workers: usize,
    /// Not from the environment: prefix of every Redis key (tests use a fresh one).
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
    /// Reads the process environment.
    pub fn from_env() -> Result<Self, SettingsError> {
        Self::from_vars(
            std::env::vars()
                .filter(|(name, _)| name.starts_with("BILIM_"))
                .collect(),
        )
    }

    /// Reads the given variables; anything absent takes its default.
    pub fn from_vars(vars: BTreeMap<String, String>) -> Result<Self, SettingsError> {
        let mut reader = Reader {
            vars,
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

struct Reader {
    vars: BTreeMap<String, String>,
    errors: Vec<String>,
}

impl Reader {
    fn raw(&self, name: &str) -> Option<&str> {
        self.vars
            .get(name)
            .map(|v| v.trim())
            .filter(|v| !v.is_empty())
    }

    fn fail(&mut self, name: &str, problem: impl fmt::Display) {
        self.errors.push(format!("{name}: {problem}"));
    }

    fn parsed<T: std::str::FromStr>(&mut self, name: &str, default: T, expected: &str) -> T {
        match self.raw(name).map(str::parse) {
            None => default,
            Some(Ok(value)) => value,
            Some(Err(_)) => {
                self.fail(name, format!("expected {expected}"));
                default
            }
        }
    }

    fn positive(&mut self, name: &str, default: u32) -> u32 {
        let value = self.parsed(name, default, "a whole number from 1 up");
        if value == 0 {
            self.fail(name, "must be at least 1");
        }
        value
    }

    /// A size in bytes, 1 KiB to 64 GiB.
    fn byte_limit(&mut self, name: &str, default: u64) -> u64 {
        let value = self.parsed(name, default, "a size in bytes");
        if !(1024..=64 * 1024 * 1024 * 1024).contains(&value) {
            self.fail(name, "must be 1024 bytes to 64 GiB");
        }
        value
    }

    fn list(&self, name: &str) -> Vec<String> {
        self.raw(name)
            .map(|v| {
                v.split(',')
                    .map(str::trim)
                    .filter(|s| !s.is_empty())
                    .map(String::from)
                    .collect()
            })
            .unwrap_or_default()
    }

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
        let mail_transport = match self.raw("BILIM_MAIL_TRANSPORT") {
            None | Some("file") => MailTransport::File,
            Some("smtp") => MailTransport::Smtp,
            Some("log") => MailTransport::Log,
            Some(_) => {
                self.fail("BILIM_MAIL_TRANSPORT", "expected file, smtp or log");
                MailTransport::File
            }
        };
        let smtp_url = self
            .raw("BILIM_SMTP_URL")
            .map(|v| SecretString::from(v.to_owned()));
        if mail_transport == MailTransport::Smtp && smtp_url.is_none() {
            self.fail("BILIM_SMTP_URL", "required when BILIM_MAIL_TRANSPORT=smtp, e.g. smtps://user:pass@smtp.example.uz:465");
        }
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
            storage_dir: self.storage_dir(),
            public_url: self.public_url(production),
            cors_origins: self.cors_origins(),
            trusted_proxies: self.trusted_proxies(),
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
            workers: std::thread::available_parallelism()
                .map(usize::from)
                .unwrap_or(2),
            redis_key_prefix: "bilim:".to_owned(),
        }
    }

    /// 0 to 10 000 trees (a 10 × 10 course is about 60 KB in memory).
    fn course_cache_size(&mut self) -> usize {
        let size = self.parsed(
            "BILIM_COURSE_CACHE_SIZE",
            256usize,
            "a whole number of courses (0 turns the cache off)",
        );
        if size > MAX_COURSE_CACHE_SIZE {
            self.fail("BILIM_COURSE_CACHE_SIZE", "must be at most 10000");
        }
        size
    }

    fn database_url(&mut self) -> SecretString {
        let url = self
            .raw("BILIM_DATABASE_URL")
            .unwrap_or(DEFAULT_DATABASE_URL)
            .to_owned();
        if !["sqlite:", "postgres://", "postgresql://"]
            .iter()
            .any(|p| url.starts_with(p))
        {
            self.fail(
                "BILIM_DATABASE_URL",
                "expected sqlite://path?mode=rwc or postgres://user:pass@host:5432/db",
            );
        }
        SecretString::from(url)
    }

    fn redis_url(&mut self) -> Option<SecretString> {
        let url = self.raw("BILIM_REDIS_URL")?.to_owned();
        if url.starts_with("rediss://") {
            self.fail(
                "BILIM_REDIS_URL",
                "rediss:// (TLS) is not built into this version; use redis:// on a private network",
            );
        } else if !url.starts_with("redis://") {
            self.fail(
                "BILIM_REDIS_URL",
                "expected redis://[:password@]host:6379[/db]",
            );
        }
        Some(SecretString::from(url))
    }

    fn jwt_secret(&mut self, production: bool) -> (SecretString, bool) {
        let Some(secret) = self.raw("BILIM_JWT_SECRET").map(str::to_owned) else {
            if production {
                self.fail(
                    "BILIM_JWT_SECRET",
                    "required in production (32+ random bytes, e.g. `openssl rand -base64 48`)",
                );
            }
            return (SecretString::from(random_secret()), true);
        };
        if production && secret.len() < MIN_SECRET_BYTES {
            self.fail(
                "BILIM_JWT_SECRET",
                format!("too short: at least {MIN_SECRET_BYTES} bytes"),
            );
        }
        if production && secret.contains(EXAMPLE_SECRET_MARK) {
            self.fail(
                "BILIM_JWT_SECRET",
                "is the example value from .env.example; generate your own",
            );
        }
        (SecretString::from(secret), false)
    }

    fn storage_dir(&mut self) -> PathBuf {
        let raw = self
            .raw("BILIM_STORAGE_URL")
            .unwrap_or("./data/files")
            .to_owned();
        if raw.starts_with("s3://") || raw.starts_with("gs://") {
            self.fail(
                "BILIM_STORAGE_URL",
                "object storage (s3://, gs://) is not built into this version yet; use a directory",
            );
        }
        PathBuf::from(raw.strip_prefix("file://").unwrap_or(&raw))
    }

    fn public_url(&mut self, production: bool) -> Option<String> {
        let Some(raw) = self
            .raw("BILIM_PUBLIC_URL")
            .map(|v| v.trim_end_matches('/').to_owned())
        else {
            if production {
                self.fail(
                    "BILIM_PUBLIC_URL",
                    "required in production: the base of links in mails and file links, e.g. https://api.bilim.uz",
                );
            }
            return None;
        };
        match Url::parse(&raw) {
            Ok(url) if matches!(url.scheme(), "http" | "https") && url.host().is_some() => {
                Some(raw)
            }
            _ => {
                self.fail(
                    "BILIM_PUBLIC_URL",
                    "expected an absolute http(s) URL, e.g. https://api.bilim.uz",
                );
                None
            }
        }
    }

    fn cors_origins(&mut self) -> Vec<String> {
        let origins = self.list("BILIM_CORS_ORIGINS");
        for origin in &origins {
            let valid = Url::parse(origin).is_ok_and(|url| {
                matches!(url.scheme(), "http" | "https")
                    && url.path() == "/"
                    && !origin.ends_with('/')
            });
            if !valid {
                self.fail(
                    "BILIM_CORS_ORIGINS",
                    format!(
                        "{origin:?} is not an origin like https://bilim.uz ('*' is not allowed)"
                    ),
                );
            }
        }
        origins
    }

    fn trusted_proxies(&mut self) -> Vec<IpAddr> {
        let mut proxies = Vec::new();
        for entry in self.list("BILIM_TRUSTED_PROXIES") {
            match entry.parse() {
                Ok(ip) => proxies.push(ip),
                Err(_) => self.fail(
                    "BILIM_TRUSTED_PROXIES",
                    format!("{entry:?} is not an IP address"),
                ),
            }
        }
        proxies
    }
}

fn random_secret() -> String {
    use rand::RngExt;
    let bytes: [u8; 48] = rand::rng().random();
    bytes.iter().map(|b| format!("{b:02x}")).collect()
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
mod tests {
    use super::*;

    fn vars(pairs: &[(&str, &str)]) -> BTreeMap<String, String> {
        pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    }

    const GOOD_SECRET: &str = "0123456789abcdef0123456789abcdef-production";

    #[test]
    fn nothing_set_gives_a_usable_development_server() {
        let settings = Settings::from_vars(BTreeMap::new()).unwrap();
        assert_eq!(settings.environment, Environment::Development);
        assert_eq!(settings.bind_addr.to_string(), "127.0.0.1:8080");
        assert_eq!(settings.database_url.expose_secret(), DEFAULT_DATABASE_URL);
        assert!(settings.redis_url.is_none());
        assert_eq!(settings.mail_transport, MailTransport::File);
        assert!(settings.jwt_secret_generated);
        assert!(settings.jwt_secret.expose_secret().len() >= 32);
        assert_eq!(settings.resend_after, Duration::from_secs(60));
        assert_eq!(settings.code_mails_per_address_per_hour, 10);
        assert_eq!(settings.auth_requests_per_ip_per_minute, 30);
        assert_eq!(settings.course_cache_size, 256);
    }

    #[test]
    fn the_course_cache_can_be_sized_or_turned_off() {
        let sized = |value: &str| Settings::from_vars(vars(&[("BILIM_COURSE_CACHE_SIZE", value)]));
        assert_eq!(sized("0").unwrap().course_cache_size, 0);
        assert_eq!(sized("10000").unwrap().course_cache_size, 10_000);
        for bad in ["10001", "-1", "many"] {
            let error = sized(bad).unwrap_err();
            assert!(
                error.lines[0].starts_with("BILIM_COURSE_CACHE_SIZE: "),
                "{bad}: {error}"
            );
        }
    }

    #[test]
    fn production_refuses_missing_short_or_example_secrets() {
        for (secret, expected) in [
            (None, "BILIM_JWT_SECRET: required in production"),
            (Some("short"), "BILIM_JWT_SECRET: too short"),
            (
                Some("change-me-to-32-or-more-random-bytes"),
                "BILIM_JWT_SECRET: is the example value",
            ),
        ] {
            let mut pairs = vec![
                ("BILIM_ENV", "production"),
                ("BILIM_REDIS_URL", "redis://127.0.0.1:6379"),
                ("BILIM_PUBLIC_URL", "https://api.bilim.uz"),
            ];
            if let Some(secret) = secret {
                pairs.push(("BILIM_JWT_SECRET", secret));
            }
            let error = Settings::from_vars(vars(&pairs)).unwrap_err();
            assert!(
                error.lines.iter().any(|l| l.starts_with(expected)),
                "{error}"
            );
        }
    }

    #[test]
    fn production_refuses_the_in_process_store_unless_allowed() {
        let base = [
            ("BILIM_ENV", "production"),
            ("BILIM_JWT_SECRET", GOOD_SECRET),
            ("BILIM_PUBLIC_URL", "https://api.bilim.uz"),
        ];
        let error = Settings::from_vars(vars(&base)).unwrap_err();
        assert!(
            error.lines[0].starts_with("BILIM_REDIS_URL: required in production"),
            "{error}"
        );
        let allowed = [
            base[0],
            base[1],
            base[2],
            ("BILIM_ALLOW_INPROCESS_STORE", "true"),
        ];
        assert!(Settings::from_vars(vars(&allowed)).is_ok());
    }

    #[test]
    fn production_needs_a_public_url_and_plain_redis() {
        let error = Settings::from_vars(vars(&[
            ("BILIM_ENV", "production"),
            ("BILIM_JWT_SECRET", GOOD_SECRET),
            ("BILIM_REDIS_URL", "rediss://cache.example.uz:6380"),
        ]))
        .unwrap_err();
        let named: Vec<&str> = error
            .lines
            .iter()
            .map(|l| l.split(':').next().unwrap())
            .collect();
        assert_eq!(named, ["BILIM_REDIS_URL", "BILIM_PUBLIC_URL"], "{error}");
    }

    #[test]
    fn every_bad_setting_gets_its_own_line() {
        let error = Settings::from_vars(vars(&[
            ("BILIM_ENV", "staging"),
            ("BILIM_BIND_ADDR", "localhost"),
            ("BILIM_DATABASE_URL", "mysql://x"),
            ("BILIM_REDIS_URL", "http://x"),
            ("BILIM_MAIL_TRANSPORT", "smtp"),
            ("BILIM_STORAGE_URL", "s3://bucket"),
            ("BILIM_PUBLIC_URL", "not a url"),
            ("BILIM_CORS_ORIGINS", "https://bilim.uz,*"),
            ("BILIM_TRUSTED_PROXIES", "10.0.0.1,proxy"),
            ("BILIM_RESEND_AFTER_SECONDS", "0"),
            ("BILIM_CODE_MAILS_PER_ADDRESS_PER_HOUR", "ten"),
            ("BILIM_ALLOW_INPROCESS_STORE", "yes"),
        ]))
        .unwrap_err();
        let named: Vec<&str> = error
            .lines
            .iter()
            .map(|l| l.split(':').next().unwrap())
            .collect();
        for name in [
            "BILIM_ENV",
            "BILIM_BIND_ADDR",
            "BILIM_DATABASE_URL",
            "BILIM_REDIS_URL",
            "BILIM_SMTP_URL",
            "BILIM_STORAGE_URL",
            "BILIM_PUBLIC_URL",
            "BILIM_CORS_ORIGINS",
            "BILIM_TRUSTED_PROXIES",
            "BILIM_RESEND_AFTER_SECONDS",
            "BILIM_CODE_MAILS_PER_ADDRESS_PER_HOUR",
            "BILIM_ALLOW_INPROCESS_STORE",
        ] {
            assert!(named.contains(&name), "{name} not reported in:\n{error}");
        }
    }

    #[test]
    fn secrets_never_print() {
        let settings = Settings::from_vars(vars(&[
            ("BILIM_JWT_SECRET", GOOD_SECRET),
            (
                "BILIM_DATABASE_URL",
                "postgres://bilim:db-password@db:5432/bilim",
            ),
            (
                "BILIM_SMTP_URL",
                "smtps://mail:smtp-password@smtp.example.uz:465",
            ),
            ("BILIM_MAIL_TRANSPORT", "smtp"),
        ]))
        .unwrap();
        let printed = format!("{settings:?}");
        for secret in [GOOD_SECRET, "db-password", "smtp-password"] {
            assert!(!printed.contains(secret), "{secret} printed");
        }
        assert_eq!(
            redacted_url(&settings.database_url),
            "postgres://bilim:***@db:5432/bilim"
        );
    }
}
