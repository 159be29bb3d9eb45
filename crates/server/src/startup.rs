//! The running server: binds the listener, builds the object graph (see
//! `wiring`) and serves its handlers' services over HTTP. `main` and the tests both go through
//! `Application::build`.

use crate::settings::Settings;
use crate::wiring::{Adapters, Services, Wiring, wire};
use actix_web::HttpServer;
use actix_web::dev::Server;
use bilim_domain::DomainError;
use bilim_domain::ports::{Clock, SystemClock};
use bilim_http::{AppState, HttpConfig, Metrics};
use bilim_service::ServiceError;
use std::net::TcpListener;
use std::sync::Arc;
use thiserror::Error;

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
    #[error("telegram: {0}")]
    Telegram(DomainError),
}

pub struct Application {
    port: u16,
    server: Server,
    wiring: Wiring,
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
        bilim_repository::files::use_ring_for_tls();
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
        let wiring = wire(&settings, clock, &public_url).await?;
        let services = &wiring.services;
        if services
            .http
            .admins
            .count()
            .await
            .map_err(describe_startup)?
            == 0
        {
            tracing::warn!("{}", no_admin_hint());
        }
        if let Some(interval) = settings.access_job_interval {
            tokio::spawn(services.access_expiry.clone().run_every(interval));
            tracing::info!(every_seconds = interval.as_secs(), "access job scheduled");
        }
        let state = AppState {
            services: services.http.clone(),
            metrics: Metrics::new().map_err(|e| StartupError::Metrics(e.to_string()))?,
            config: HttpConfig {
                cors_origins: settings.cors_origins.clone(),
                trusted_proxies: settings.trusted_proxies.clone(),
                request_deadline: settings.request_deadline,
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
            wiring,
        })
    }

    /// The services without an HTTP server, for one-shot commands.
    pub async fn build_offline(settings: Settings) -> Result<Wiring, StartupError> {
        let public_url = settings
            .public_url
            .clone()
            .unwrap_or_else(|| format!("http://{}", settings.bind_addr));
        wire(&settings, Arc::new(SystemClock), &public_url).await
    }

    pub fn port(&self) -> u16 {
        self.port
    }

    pub fn services(&self) -> &Services {
        &self.wiring.services
    }

    pub fn adapters(&self) -> &Adapters {
        &self.wiring.adapters
    }

    /// Serves until SIGTERM (requests in flight get up to 20 s) or SIGINT
    /// (immediate), then waits for mail still being sent.
    pub async fn run_until_stopped(self) -> std::io::Result<()> {
        let result = self.server.await;
        if tokio::time::timeout(
            std::time::Duration::from_secs(10),
            self.wiring.services.outbox.settled(),
        )
        .await
        .is_err()
        {
            tracing::warn!("stopped with mail still being sent");
        }
        self.wiring.database.close().await;
        tracing::info!("stopped");
        result
    }
}

/// The warning logged at start while no admin exists. From a source tree the
/// binary is not on the PATH, so it names `cargo run` (with `--release` when
/// this is a release build) as well as the installed `bilim`.
pub fn no_admin_hint() -> String {
    let cargo = if cfg!(debug_assertions) {
        "cargo run --"
    } else {
        "cargo run --release --"
    };
    format!(
        "no admin exists yet: create one with `{cargo} create-admin --username NAME --email EMAIL --super` \
         from the source tree, or `bilim create-admin …` where the binary is installed"
    )
}

fn describe_startup(error: ServiceError) -> StartupError {
    StartupError::Database(bilim_domain::DomainError::internal(describe(&error)))
}

/// One readable line for an error met outside a request (commands, startup).
pub fn describe(error: &ServiceError) -> String {
    match error {
        ServiceError::Validation {
            message, errors, ..
        } if !errors.is_empty() => {
            // A field's reason that the message already gives is not repeated.
            let fields: Vec<String> = errors
                .iter()
                .filter(|e| !message.contains(&e.message))
                .map(|e| format!("{}: {}", e.field, e.message))
                .collect();
            if fields.is_empty() {
                message.clone()
            } else {
                format!("{message} {}", fields.join("; "))
            }
        }
        ServiceError::Conflict { message, .. } => message.clone(),
        other => other.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use bilim_service::FieldError;

    fn field(field: &str, message: &str) -> FieldError {
        FieldError {
            field: field.to_owned(),
            code: "x".to_owned(),
            message: message.to_owned(),
        }
    }

    #[test]
    fn a_reason_the_message_gives_is_said_once() {
        let weak = ServiceError::Validation {
            code: "password.weak",
            message: "The password is too easy to guess: This is a top-10 common password."
                .to_owned(),
            errors: vec![field("password", "This is a top-10 common password.")],
        };
        assert_eq!(
            describe(&weak),
            "The password is too easy to guess: This is a top-10 common password."
        );
    }

    #[test]
    fn fields_the_message_only_names_are_explained() {
        let invalid = ServiceError::Validation {
            code: "validation",
            message: "Invalid fields: username, password.".to_owned(),
            errors: vec![
                field("username", "must start with a letter"),
                field("password", "must be 8 to 128 characters"),
            ],
        };
        assert_eq!(
            describe(&invalid),
            "Invalid fields: username, password. username: must start with a letter; \
             password: must be 8 to 128 characters"
        );
    }

    #[test]
    fn the_no_admin_hint_names_cargo_run_and_the_installed_binary() {
        let hint = no_admin_hint();
        let cargo = if cfg!(debug_assertions) {
            "`cargo run -- create-admin --username NAME --email EMAIL --super`"
        } else {
            "`cargo run --release -- create-admin --username NAME --email EMAIL --super`"
        };
        assert!(hint.contains(cargo), "{hint}");
        assert!(hint.contains("`bilim create-admin …`"), "{hint}");
    }
}
