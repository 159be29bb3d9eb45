//! `TestApp`: a running Bilim with everything a black-box test needs.

use bilim_domain::ports::{FileKey, ManualClock};
use bilim_server::Application;
use bilim_server::settings::{MailTransport, Settings, Storage};
use bilim_server::wiring::{Adapters, Services};
use bilim_service::files::SignedLink;
use bilim_testkit::TestDatabase;
use chrono::{DateTime, Utc};
use std::collections::BTreeMap;
use std::path::PathBuf;
use std::sync::Arc;

pub struct TestApp {
    /// `http://127.0.0.1:{port}`
    pub address: String,
    pub client: reqwest::Client,
    pub clock: Arc<ManualClock>,
    pub services: Services,
    /// The adapters behind their ports.
    pub ports: Adapters,
    pub outbox: PathBuf,
    pub storage: PathBuf,
    _dir: tempfile::TempDir,
    _database: TestDatabase,
}

/// The settings every test starts from; `BILIM_*` variables as in production.
pub fn test_vars() -> BTreeMap<String, String> {
    BTreeMap::from([
        ("BILIM_BIND_ADDR".to_owned(), "127.0.0.1:0".to_owned()),
        (
            "BILIM_JWT_SECRET".to_owned(),
            "test-secret-that-is-long-enough-0123456789".to_owned(),
        ),
    ])
}

/// A password every test user has: long enough and not guessable.
pub const TEST_PASSWORD: &str = "Samarqand-1924-bahor!";

/// A fixed starting time, so tests that move the clock are repeatable.
pub fn start_time() -> DateTime<Utc> {
    DateTime::parse_from_rfc3339("2026-09-01T08:00:00Z")
        .unwrap()
        .with_timezone(&Utc)
}

pub async fn spawn_app() -> TestApp {
    spawn_app_with(|_| {}).await
}

/// Spawns an app after `adjust` has changed the settings variables.
pub async fn spawn_app_with(adjust: impl FnOnce(&mut BTreeMap<String, String>)) -> TestApp {
    let dir = tempfile::tempdir().unwrap();
    let database = TestDatabase::create(dir.path()).await;
    let mut vars = test_vars();
    vars.insert("BILIM_DATABASE_URL".into(), database.url().to_owned());
    vars.insert(
        "BILIM_MAIL_OUTBOX_DIR".into(),
        dir.path().join("outbox").display().to_string(),
    );
    vars.insert(
        "BILIM_STORAGE_URL".into(),
        dir.path().join("files").display().to_string(),
    );
    if let Ok(redis) = std::env::var("TEST_REDIS_URL") {
        vars.insert("BILIM_REDIS_URL".into(), redis);
    }
    adjust(&mut vars);

    let mut settings = Settings::from_vars(vars).unwrap();
    settings.workers = 1;
    settings.redis_key_prefix = format!("bilim_test:{}:", uuid::Uuid::new_v4().simple());
    assert_eq!(
        settings.mail_transport,
        MailTransport::File,
        "tests read mail from the outbox"
    );
    let outbox = settings.mail_outbox_dir.clone();
    // Empty for an object store: tests that look at files on disk use a directory.
    let storage = match &settings.storage {
        Storage::Directory(dir) => dir.clone(),
        Storage::Object { .. } => PathBuf::new(),
    };

    let clock = Arc::new(ManualClock::new(start_time()));
    let application = Application::build_with_clock(settings, clock.clone())
        .await
        .unwrap();
    let address = format!("http://127.0.0.1:{}", application.port());
    let services = application.services().clone();
    let ports = application.adapters().clone();
    tokio::spawn(application.run_until_stopped());

    let client = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .cookie_store(true)
        .build()
        .unwrap();
    TestApp {
        address,
        client,
        clock,
        services,
        ports,
        outbox,
        storage,
        _dir: dir,
        _database: database,
    }
}

impl TestApp {
    /// The database of this app; another app started on it is a second instance.
    pub fn database_url(&self) -> String {
        self._database.url().to_owned()
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.address)
    }

    pub async fn get(&self, path: &str) -> reqwest::Response {
        self.client.get(self.url(path)).send().await.unwrap()
    }

    /// Posts a raw body with a content type, for malformed-input tests.
    pub async fn post_raw(
        &self,
        path: &str,
        content_type: &str,
        body: impl Into<reqwest::Body>,
    ) -> reqwest::Response {
        self.client
            .post(self.url(path))
            .header("content-type", content_type)
            .body(body)
            .send()
            .await
            .unwrap()
    }

    pub async fn post_json(&self, path: &str, body: &serde_json::Value) -> reqwest::Response {
        self.client
            .post(self.url(path))
            .json(body)
            .send()
            .await
            .unwrap()
    }

    /// A request with the user's bearer token.
    pub fn authed(
        &self,
        method: reqwest::Method,
        path: &str,
        token: &str,
    ) -> reqwest::RequestBuilder {
        self.client
            .request(method, self.url(path))
            .bearer_auth(token)
    }

    /// Registers `email` through both steps and returns the 201 body (tokens
    /// and user).
    pub async fn register(&self, email: &str) -> serde_json::Value {
        let step_one = self
            .post_json(
                "/api/v1/auth/register",
                &serde_json::json!({
                    "first_name": "Oʻktam",
                    "last_name": "Karimov",
                    "email": email,
                    "password": TEST_PASSWORD,
                }),
            )
            .await;
        assert_eq!(step_one.status(), 200, "{}", step_one.text().await.unwrap());
        let challenge: serde_json::Value = step_one.json().await.unwrap();
        let code = self.last_code_for(email).await;
        let verified = self
            .post_json(
                "/api/v1/auth/register/verify",
                &serde_json::json!({"challenge_id": challenge["challenge_id"], "code": code}),
            )
            .await;
        assert_eq!(verified.status(), 201, "{}", verified.text().await.unwrap());
        verified.json().await.unwrap()
    }

    /// Logs an existing user in through both steps; returns the 200 body.
    pub async fn login(&self, email: &str, password: &str) -> serde_json::Value {
        let step_one = self
            .post_json(
                "/api/v1/auth/login",
                &serde_json::json!({"email": email, "password": password}),
            )
            .await;
        assert_eq!(step_one.status(), 200, "{}", step_one.text().await.unwrap());
        let challenge: serde_json::Value = step_one.json().await.unwrap();
        let code = self.last_code_for(email).await;
        let verified = self
            .post_json(
                "/api/v1/auth/login/verify",
                &serde_json::json!({"challenge_id": challenge["challenge_id"], "code": code}),
            )
            .await;
        assert_eq!(verified.status(), 200, "{}", verified.text().await.unwrap());
        verified.json().await.unwrap()
    }

    /// Stores a file and returns a signed link to it valid for `ttl`.
    pub async fn stored_file(&self, key: &str, bytes: &[u8], ttl: chrono::Duration) -> SignedLink {
        let key = FileKey::parse(key).unwrap();
        self.ports.files.put(&key, bytes).await.unwrap();
        self.services.http.files.link(&key, ttl)
    }

    /// Every message in the outbox, oldest first, once mail in flight is written.
    pub async fn sent_mail(&self) -> Vec<SentMail> {
        self.services.outbox.settled().await;
        self.sent_mail_now()
    }

    fn sent_mail_now(&self) -> Vec<SentMail> {
        let Ok(entries) = std::fs::read_dir(&self.outbox) else {
            return Vec::new();
        };
        let mut paths: Vec<PathBuf> = entries
            .map(|e| e.unwrap().path())
            .filter(|p| p.extension().is_some_and(|ext| ext == "eml"))
            .collect();
        paths.sort();
        paths
            .iter()
            .map(|p| SentMail::parse(&std::fs::read(p).unwrap()))
            .collect()
    }

    /// The six-digit code of the last mail sent to `email`, once mail in flight
    /// has been written.
    pub async fn last_code_for(&self, email: &str) -> String {
        self.services.outbox.settled().await;
        let mail = self
            .sent_mail_now()
            .into_iter()
            .rev()
            .find(|m| m.to.eq_ignore_ascii_case(email))
            .unwrap_or_else(|| panic!("no mail was sent to {email}"));
        mail.code()
            .unwrap_or_else(|| panic!("the last mail to {email} holds no code:\n{}", mail.text))
    }
}

/// One message from the outbox, decoded.
#[derive(Debug, Clone)]
pub struct SentMail {
    pub to: String,
    pub subject: String,
    pub text: String,
    pub html: String,
}

impl SentMail {
    fn parse(raw: &[u8]) -> Self {
        let message = mail_parser::MessageParser::default().parse(raw).unwrap();
        let to = message
            .to()
            .and_then(|to| to.first())
            .and_then(|addr| addr.address())
            .unwrap_or_default()
            .to_owned();
        Self {
            to,
            subject: message.subject().unwrap_or_default().to_owned(),
            text: message
                .body_text(0)
                .map(|t| t.replace("\r\n", "\n"))
                .unwrap_or_default(),
            html: message
                .body_html(0)
                .map(|t| t.into_owned())
                .unwrap_or_default(),
        }
    }

    /// The code: a line that is exactly six digits.
    pub fn code(&self) -> Option<String> {
        self.text
            .lines()
            .map(str::trim)
            .find(|line| line.len() == 6 && line.chars().all(|c| c.is_ascii_digit()))
            .map(str::to_owned)
    }
}
