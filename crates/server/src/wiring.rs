//! Builds every adapter from the settings, puts each behind its port and builds
//! the services. Used by the server and by the one-shot commands.

use crate::settings::{MailTransport, Settings, redacted_url};
use crate::startup::StartupError;
use bilim_documents::PdfCertificatePrinter;
use bilim_domain::ports::{Clock, EphemeralStore, HealthProbe, Mailer};
use bilim_mail::{FileMailer, LogMailer, SmtpMailer};
use bilim_repository::admins::SeaAdminRepository;
use bilim_repository::audit::SeaAuditLog;
use bilim_repository::catalogue::{SeaCatalogueReader, SeaCatalogueWriter, SeaVideoRepository};
use bilim_repository::database::{Database, DatabaseOptions};
use bilim_repository::directory::SeaUserDirectory;
use bilim_repository::ephemeral::{MemoryStore, RedisStore};
use bilim_repository::files::LocalFileStore;
use bilim_repository::learning::{SeaAccessRepository, SeaClaimRepository, SeaProgressRepository};
use bilim_repository::sessions::SeaSessionRepository;
use bilim_repository::users::SeaUserRepository;
use bilim_service::catalogue::UploadLimits;
use bilim_service::limits::LimitSettings;
use bilim_service::{Ports, ServiceConfig, Services};
use secrecy::ExposeSecret;
use std::sync::Arc;

/// Entries the in-process store holds at most (challenges and counters).
const MEMORY_STORE_CAPACITY: usize = 200_000;

pub struct Wiring {
    pub database: Database,
    pub ports: Ports,
    pub services: Services,
}

/// Connects and migrates the database, then builds every adapter and service.
/// `public_url` is the base of absolute links.
pub async fn wire(
    settings: &Settings,
    clock: Arc<dyn Clock>,
    public_url: &str,
) -> Result<Wiring, StartupError> {
    let database = Database::connect(&DatabaseOptions::new(settings.database_url.expose_secret()))
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
    let ports = Ports {
        clock,
        ephemeral,
        mailer: build_mailer(settings)?,
        files: Arc::new(LocalFileStore::new(&settings.storage_dir).map_err(StartupError::Storage)?),
        users: Arc::new(SeaUserRepository::new(database.clone())),
        sessions: Arc::new(SeaSessionRepository::new(database.clone())),
        directory: Arc::new(SeaUserDirectory::new(database.clone())),
        admins: Arc::new(SeaAdminRepository::new(database.clone())),
        audit: Arc::new(SeaAuditLog::new(database.clone())),
        catalogue_reader: Arc::new(
            SeaCatalogueReader::new(database.clone()).caching_trees(settings.course_cache_size),
        ),
        catalogue_writer: Arc::new(SeaCatalogueWriter::new(database.clone())),
        videos: Arc::new(SeaVideoRepository::new(database.clone())),
        access: Arc::new(SeaAccessRepository::new(database.clone())),
        claims: Arc::new(SeaClaimRepository::new(database.clone())),
        progress: Arc::new(SeaProgressRepository::new(database.clone())),
        printer: Arc::new(PdfCertificatePrinter::new()),
        probes,
    };
    let config = ServiceConfig {
        secret: settings.jwt_secret.expose_secret().as_bytes().into(),
        file_link_base: format!("{public_url}/api/v1/files/"),
        certificate_check_base: format!("{public_url}/api/v1/certificates/"),
        resend_after: settings.resend_after,
        limits: LimitSettings {
            auth_requests_per_ip_per_minute: settings.auth_requests_per_ip_per_minute,
            code_mails_per_address_per_hour: settings.code_mails_per_address_per_hour,
        },
        log_codes: !settings.is_production(),
        upload_limits: UploadLimits {
            workbook_bytes: settings.max_workbook_bytes,
            video_bytes: settings.max_video_bytes,
        },
    };
    let services = Services::new(ports.clone(), config);
    Ok(Wiring {
        database,
        ports,
        services,
    })
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
