//! The adapters, each behind its port: the database repositories, the
//! ephemeral store (Redis or in-process), the mailer, the file store, the
//! certificate printer and the clock.

use crate::settings::{MailTransport, Settings, Storage, redacted_url};
use crate::startup::StartupError;
use bilim_documents::PdfCertificatePrinter;
use bilim_domain::ports::{
    AccessRepository, AdminRepository, AuditLog, BotApi, CatalogueReader, CatalogueWriter,
    CertificatePrinter, ClaimRepository, Clock, EphemeralStore, FileStore, HealthProbe,
    IdempotencyStore, Mailer, OfferingRepository, OrderRepository, PaymentRepository,
    PreRegistrationRepository, ProductRepository, ProgressRepository, SearchIndex,
    SessionRepository, StatsRepository, SubscriptionRepository, UserDirectory, UserRepository,
    VideoRepository, WalletRepository,
};
use bilim_domain::ports::{
    AttemptRepository, OlympiadRepository, PointsRepository, QuizRepository,
};
use bilim_mail::{FileMailer, LogMailer, SmtpMailer};
use bilim_repository::admins::SeaAdminRepository;
use bilim_repository::audit::SeaAuditLog;
use bilim_repository::catalogue::{SeaCatalogueReader, SeaCatalogueWriter, SeaVideoRepository};
use bilim_repository::database::Database;
use bilim_repository::directory::SeaUserDirectory;
use bilim_repository::ephemeral::{MemoryStore, RedisStore};
use bilim_repository::files::{LocalFileStore, ObjectFileStore};
use bilim_repository::idempotency::SeaIdempotencyStore;
use bilim_repository::learning::{SeaAccessRepository, SeaClaimRepository, SeaProgressRepository};
use bilim_repository::olympiads::SeaOlympiadRepository;
use bilim_repository::orders::{SeaOfferingRepository, SeaOrderRepository, SeaPaymentRepository};
use bilim_repository::quizzes::{SeaAttemptRepository, SeaPointsRepository, SeaQuizRepository};
use bilim_repository::search::SeaSearchIndex;
use bilim_repository::sessions::SeaSessionRepository;
use bilim_repository::shop::{SeaProductRepository, SeaSubscriptionRepository};
use bilim_repository::stats::SeaStatsRepository;
use bilim_repository::telegram::SeaPreRegistrationRepository;
use bilim_repository::users::SeaUserRepository;
use bilim_repository::wallet::SeaWalletRepository;
use bilim_telegram::HttpBotApi;
use secrecy::ExposeSecret;
use std::sync::Arc;

/// Entries the in-process store holds at most (challenges and counters).
const MEMORY_STORE_CAPACITY: usize = 200_000;

/// Every adapter, behind its port (cheap to clone).
#[derive(Clone)]
pub struct Adapters {
    pub clock: Arc<dyn Clock>,
    pub ephemeral: Arc<dyn EphemeralStore>,
    pub mailer: Arc<dyn Mailer>,
    pub files: Arc<dyn FileStore>,
    pub users: Arc<dyn UserRepository>,
    pub sessions: Arc<dyn SessionRepository>,
    pub directory: Arc<dyn UserDirectory>,
    pub admins: Arc<dyn AdminRepository>,
    pub audit: Arc<dyn AuditLog>,
    pub catalogue_reader: Arc<dyn CatalogueReader>,
    pub catalogue_writer: Arc<dyn CatalogueWriter>,
    pub videos: Arc<dyn VideoRepository>,
    pub access: Arc<dyn AccessRepository>,
    pub claims: Arc<dyn ClaimRepository>,
    pub progress: Arc<dyn ProgressRepository>,
    pub printer: Arc<dyn CertificatePrinter>,
    pub idempotency: Arc<dyn IdempotencyStore>,
    pub wallet: Arc<dyn WalletRepository>,
    pub products: Arc<dyn ProductRepository>,
    pub subscriptions: Arc<dyn SubscriptionRepository>,
    pub search: Arc<dyn SearchIndex>,
    pub stats: Arc<dyn StatsRepository>,
    pub offerings: Arc<dyn OfferingRepository>,
    pub orders: Arc<dyn OrderRepository>,
    pub payments: Arc<dyn PaymentRepository>,
    pub pre_registrations: Arc<dyn PreRegistrationRepository>,
    /// `None` without `BILIM_TELEGRAM_BOT_TOKEN`.
    pub bot: Option<Arc<dyn BotApi>>,
    pub quizzes: Arc<dyn QuizRepository>,
    pub attempts: Arc<dyn AttemptRepository>,
    pub points: Arc<dyn PointsRepository>,
    pub olympiads: Arc<dyn OlympiadRepository>,
    /// Dependencies that readiness reports on (the database, a configured Redis).
    pub probes: Vec<Arc<dyn HealthProbe>>,
}

impl Adapters {
    /// Builds every adapter over `database`, which is connected and migrated.
    pub fn build(
        settings: &Settings,
        database: &Database,
        clock: Arc<dyn Clock>,
    ) -> Result<Self, StartupError> {
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
        Ok(Self {
            clock,
            ephemeral,
            mailer: build_mailer(settings)?,
            files: build_file_store(&settings.storage)?,
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
            idempotency: Arc::new(SeaIdempotencyStore::new(database.clone())),
            wallet: Arc::new(SeaWalletRepository::new(database.clone())),
            products: Arc::new(SeaProductRepository::new(database.clone())),
            subscriptions: Arc::new(SeaSubscriptionRepository::new(database.clone())),
            search: Arc::new(SeaSearchIndex::new(database.clone())),
            stats: Arc::new(SeaStatsRepository::new(database.clone())),
            offerings: Arc::new(SeaOfferingRepository::new(database.clone())),
            orders: Arc::new(SeaOrderRepository::new(database.clone())),
            payments: Arc::new(SeaPaymentRepository::new(database.clone())),
            pre_registrations: Arc::new(SeaPreRegistrationRepository::new(database.clone())),
            bot: build_bot(settings)?,
            quizzes: Arc::new(SeaQuizRepository::new(database.clone())),
            attempts: Arc::new(SeaAttemptRepository::new(database.clone())),
            points: Arc::new(SeaPointsRepository::new(database.clone())),
            olympiads: Arc::new(SeaOlympiadRepository::new(database.clone())),
            probes,
        })
    }
}

fn build_bot(settings: &Settings) -> Result<Option<Arc<dyn BotApi>>, StartupError> {
    let telegram = &settings.telegram;
    let Some(token) = &telegram.bot_token else {
        return Ok(None);
    };
    let bot = HttpBotApi::new(&telegram.api_url, token.expose_secret())
        .map_err(StartupError::Telegram)?;
    tracing::info!(api = %telegram.api_url, "telegram bot: on");
    Ok(Some(Arc::new(bot)))
}

fn build_file_store(storage: &Storage) -> Result<Arc<dyn FileStore>, StartupError> {
    Ok(match storage {
        Storage::Directory(dir) => {
            tracing::info!(dir = %dir.display(), "file storage: directory");
            Arc::new(LocalFileStore::new(dir).map_err(StartupError::Storage)?)
        }
        Storage::Object {
            url,
            options,
            direct_links,
        } => {
            let options: Vec<(String, String)> = options
                .iter()
                .map(|(name, value)| (name.clone(), value.expose_secret().to_owned()))
                .collect();
            let store = ObjectFileStore::connect(url, &options).map_err(StartupError::Storage)?;
            let store = if *direct_links {
                store
            } else {
                store.without_direct_links()
            };
            tracing::info!(?store, "file storage: object store");
            Arc::new(store)
        }
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
