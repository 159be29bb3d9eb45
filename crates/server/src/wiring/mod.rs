//! The one composition root: builds every adapter from the settings, puts each
//! behind its port (`adapters`), then builds every use case over them
//! (`services`). Used by the server and by the one-shot commands.

mod adapters;
mod services;

pub use adapters::Adapters;
pub use services::Services;

use crate::settings::{Settings, redacted_url};
use crate::startup::StartupError;
use bilim_domain::ports::Clock;
use bilim_repository::database::{Database, DatabaseOptions};
use secrecy::ExposeSecret;
use std::sync::Arc;

/// The whole object graph of one process.
pub struct Wiring {
    pub database: Database,
    pub adapters: Adapters,
    pub services: Services,
}

/// Connects and migrates the database, then builds every adapter and service.
/// `public_url` is the base of absolute links.
pub async fn wire(
    settings: &Settings,
    clock: Arc<dyn Clock>,
    public_url: &str,
) -> Result<Wiring, StartupError> {
    // Every reqwest client (object storage, the Telegram Bot API) needs the
    // process's rustls provider before it is built: also for one-shot commands.
    bilim_repository::files::use_ring_for_tls();
    let database = Database::connect(&DatabaseOptions::new(settings.database_url.expose_secret()))
        .await
        .map_err(StartupError::Database)?;
    database.migrate().await.map_err(StartupError::Database)?;
    tracing::info!(database = %redacted_url(&settings.database_url), "database ready, migrations applied");
    let adapters = Adapters::build(settings, &database, clock)?;
    let services = Services::build(&adapters, settings, public_url);
    Ok(Wiring {
        database,
        adapters,
        services,
    })
}
