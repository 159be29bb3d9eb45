//! The one composition root: builds every adapter from the settings, puts each
//! behind its port, builds the services and the HTTP server. `main` and the
//! tests both go through `Application::build`.

use crate::settings::{MailTransport, Settings, redacted_url};
use actix_web::HttpServer;
use actix_web::dev::Server;
use bilim_domain::DomainError;
use bilim_domain::ports::{Clock, EphemeralStore, HealthProbe, Mailer, SystemClock};
use bilim_http::{AppState, HttpConfig, Metrics};
use bilim_mail::{FileMailer, LogMailer, SmtpMailer};
use bilim_repository::database::{Database, DatabaseOptions};
use bilim_repository::ephemeral::{MemoryStore, RedisStore};
use bilim_repository::files::LocalFileStore;
use bilim_repository::sessions::SeaSessionRepository;
use bilim_repository::users::SeaUserRepository;
use bilim_service::limits::LimitSettings;
use bilim_service::{Ports, ServiceConfig, Services};
use secrecy::ExposeSecret;
use std::net::TcpListener;
use std::sync::Arc;
use thiserror::Error;

/// Entries the in-process store holds at most (challenges and counters).
const MEMORY_STORE_CAPACITY: usize = 200_000;

#[derive(Debug, Error)]
pub enum StartupError {
    #[error("database: {0}")]
    Database(DomainError),
    #[error("redis: {0}")]
    Redis(DomainError),
    #[error("mail: {0}")]
    Mail(#[from] bilim_mail::MailError),
    #[error("storage: {0}")]
    Storage(DomainError),
    #[error("cannot listen on {addr}: {source}")]
    Bind {
        addr: std::net::SocketAddr,
        source: std::io::Error,
    },
    #[error("metrics: {0}")]
    Metrics(String),
}

pub struct Application {
    port: u16,
    server: Server,
    database: Database,
    services: Services,
    ports: Ports,
}

impl Application {
    pub async fn build(settings: Settings) -> Result<Self, StartupError> {
        Self::build_with_clock(settings, Arc::new(SystemClock)).await
    }

    /// As `build`, with a clock the caller controls (tests move time).
    pub async fn build_with_clock(
        settings: Settings,
        clock: Arc<dyn Clock>,
    ) -> Result<Self, StartupError> {
        let database =
            Database::connect(&DatabaseOptions::new(settings.database_url.expose_secret()))
                .await
                .map_err(StartupError::Database)?;
        database.migrate().await.map_err(StartupError::Database)?;
        tracing::info!(database = %redacted_url(&settings.database_url), "database ready, migrations applied");

        let mut probes: Vec<Arc<dyn HealthProbe>> = vec![Arc::new(database.clone())];
        let ephemeral: Arc<dyn EphemeralStore> = match &settings.redis_url {
            Some(url) => {
                let redis = Arc::new(
                    RedisStore::connect(url.expose_secret(), &settings.redis_key_prefix)
                        .map_err(StartupError::Redis)?,
                );
                probes.push(redis.clone());
                tracing::info!(redis = %redacted_url(url), "ephemeral store: redis");
                redis
            }
            None => {
                tracing::info!("ephemeral store: in-process (correct for a single instance only)");
                Arc::new(MemoryStore::new(MEMORY_STORE_CAPACITY))
            }
        };
        let mailer = build_mailer(&settings)?;
        let files =
            Arc::new(LocalFileStore::new(&settings.storage_dir).map_err(StartupError::Storage)?);

        let listener =
            TcpListener::bind(settings.bind_addr).map_err(|source| StartupError::Bind {
                addr: settings.bind_addr,
                source,
            })?;
        let local = listener.local_addr().map_err(|source| StartupError::Bind {
            addr: settings.bind_addr,
            source,
        })?;
        let public_url = settings
            .public_url
            .clone()
            .unwrap_or_else(|| format!("http://{local}"));

        let ports = Ports {
            clock,
            ephemeral,
            mailer,
            files,
            users: Arc::new(SeaUserRepository::new(database.clone())),
            sessions: Arc::new(SeaSessionRepository::new(database.clone())),
            probes,
        };
        let config = ServiceConfig {
            secret: settings.jwt_secret.expose_secret().as_bytes().into(),
            file_link_base: format!("{public_url}/api/v1/files/"),
            resend_after: settings.resend_after,
            limits: LimitSettings {
                auth_requests_per_ip_per_minute: settings.auth_requests_per_ip_per_minute,
                code_mails_per_address_per_hour: settings.code_mails_per_address_per_hour,
            },
            log_codes: !settings.is_production(),
        };
        let services = Services::new(ports.clone(), config);
        let state = AppState {
            services: services.clone(),
            metrics: Metrics::new().map_err(|e| StartupError::Metrics(e.to_string()))?,
            config: HttpConfig {
                cors_origins: settings.cors_origins.clone(),
                trusted_proxies: settings.trusted_proxies.clone(),
                ..HttpConfig::default()
            },
        };
        let server = HttpServer::new(move || bilim_http::app(state.clone()))
            .workers(settings.workers.max(1))
            .shutdown_timeout(20)
            .listen(listener)
            .map_err(|source| StartupError::Bind {
                addr: settings.bind_addr,
                source,
            })?
            .run();
        tracing::info!(address = %local, public_url, "listening; Swagger UI at {public_url}/swagger-ui/");
        Ok(Self {
            port: local.port(),
            server,
            database,
            services,
            ports,
        })
    }

    pub fn port(&self) -> u16 {
        self.port
    }

    pub fn services(&self) -> &Services {
        &self.services
    }

    pub fn ports(&self) -> &Ports {
        &self.ports
    }

    /// Serves until SIGTERM (requests in flight get up to 20 s) or SIGINT
    /// (immediate), then waits for mail still being sent.
    pub async fn run_until_stopped(self) -> std::io::Result<()> {
        let result = self.server.await;
        if tokio::time::timeout(
            std::time::Duration::from_secs(10),
            self.services.outbox.settled(),
        )
        .await
        .is_err()
        {
            tracing::warn!("stopped with mail still being sent");
        }
        self.database.close().await;
        tracing::info!("stopped");
        result
    }
}

fn build_mailer(settings: &Settings) -> Result<Arc<dyn Mailer>, StartupError> {
    let from = settings.mail_from.as_str();
    Ok(match settings.mail_transport {
        MailTransport::File => {
            tracing::info!(outbox = %settings.mail_outbox_dir.display(), "mail: file outbox");
            Arc::new(FileMailer::new(&settings.mail_outbox_dir, from)?)
        }
        MailTransport::Smtp => {
            let url = settings
                .smtp_url
                .as_ref()
                .map(|u| u.expose_secret().to_owned())
                .unwrap_or_default();
            Arc::new(SmtpMailer::from_url(&url, from)?)
        }
        MailTransport::Log => Arc::new(LogMailer::new(from)?),
    })
}
