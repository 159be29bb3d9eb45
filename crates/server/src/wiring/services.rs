//! Every use case, built once over the adapters with the settings it needs.
//! The shared building blocks (passwords, sessions, codes, the outbox, the
//! auditor, file links) are built first and handed to each use case that
//! uses them.

use super::Adapters;
use crate::settings::Settings;
use bilim_http::ApiServices;
use bilim_service::accounts::Accounts;
use bilim_service::admin::{AdminAuth, AdminStats, AdminUsers, Admins, Auditor};
use bilim_service::catalogue::{AdminCatalogue, Catalogue, UploadLimits};
use bilim_service::challenges::Challenges;
use bilim_service::codes::Codes;
use bilim_service::files::FileService;
use bilim_service::health::HealthService;
use bilim_service::idempotency::Idempotency;
use bilim_service::learning::{AccessExpiry, AdminAccess, Learning, LearningPorts};
use bilim_service::limits::{LimitSettings, RateLimits};
use bilim_service::olympiads::{AdminOlympiads, Olympiads};
use bilim_service::orders::{AdminOrders, Click, Completions, Orders, Payme, PaymentLinks};
use bilim_service::outbox::Outbox;
use bilim_service::passwords::Passwords;
use bilim_service::profiles::Profiles;
use bilim_service::quizzes::{AdminQuizzes, Quizzes};
use bilim_service::search::Search;
use bilim_service::sessions::Sessions;
use bilim_service::shop::{AdminShop, LicenceKeys, Shop};
use bilim_service::telegram::{Telegram, TelegramSettings};
use bilim_service::tokens::AccessTokens;
use bilim_service::wallet::{AdminWallets, Wallets};
use secrecy::ExposeSecret;
use std::sync::Arc;

/// Every use case of the process (cheap to clone).
#[derive(Clone)]
pub struct Services {
    /// What the HTTP handlers call; handed to `bilim_http::app`.
    pub http: ApiServices,
    /// Mail sent in the background; a graceful stop waits for it to settle.
    pub outbox: Outbox,
    /// The access job: reminder and expiry mails.
    pub access_expiry: AccessExpiry,
}

impl Services {
    /// `public_url` is the base of absolute links (files, the certificate check).
    pub fn build(adapters: &Adapters, settings: &Settings, public_url: &str) -> Self {
        let a = adapters;
        let clock = || Arc::clone(&a.clock);
        // Keys the JWTs, code tags and file links, each through its own derived key.
        let secret = settings.jwt_secret.expose_secret().as_bytes();

        let files = FileService::new(
            Arc::clone(&a.files),
            clock(),
            secret,
            format!("{public_url}/api/v1/files/"),
        );
        let passwords = Passwords::default();
        let sessions = Sessions::new(
            Arc::clone(&a.sessions),
            AccessTokens::new(secret, clock()),
            clock(),
        );
        let outbox = Outbox::new(Arc::clone(&a.mailer));
        let limits = RateLimits::new(
            Arc::clone(&a.ephemeral),
            LimitSettings {
                auth_requests_per_ip_per_minute: settings.auth_requests_per_ip_per_minute,
                code_mails_per_address_per_hour: settings.code_mails_per_address_per_hour,
            },
        );
        let codes = Codes::new(
            Challenges::new(
                Arc::clone(&a.ephemeral),
                clock(),
                secret,
                settings.resend_after,
            ),
            limits.clone(),
            outbox.clone(),
            // Development only: a developer needs no mailbox.
            !settings.is_production(),
        );
        let auditor = Auditor::new(Arc::clone(&a.audit), clock());
        let upload_limits = UploadLimits {
            workbook_bytes: settings.max_workbook_bytes,
            video_bytes: settings.max_video_bytes,
        };
        let learning_ports = LearningPorts {
            reader: Arc::clone(&a.catalogue_reader),
            videos: Arc::clone(&a.videos),
            access: Arc::clone(&a.access),
            claims: Arc::clone(&a.claims),
            progress: Arc::clone(&a.progress),
            users: Arc::clone(&a.users),
            printer: Arc::clone(&a.printer),
            watches: Arc::clone(&a.ephemeral),
        };

        let accounts = Accounts::new(
            Arc::clone(&a.users),
            passwords.clone(),
            codes.clone(),
            sessions.clone(),
            outbox.clone(),
            Arc::clone(&a.ephemeral),
            clock(),
        );
        let shop = Shop::new(
            Arc::clone(&a.products),
            Arc::clone(&a.subscriptions),
            limits.clone(),
            LicenceKeys::new(secret),
            chrono::Duration::days(i64::from(settings.device_change_days)),
            clock(),
        );

        let completions = Completions::new(LicenceKeys::new(secret), clock());
        let links = PaymentLinks {
            payme_merchant_id: settings.payme.as_ref().map(|p| p.merchant_id.clone()),
            click: settings
                .click
                .as_ref()
                .map(|c| (c.service_id.clone(), c.merchant_id.clone())),
        };
        let payme = settings.payme.as_ref().map(|config| {
            Arc::new(Payme::new(
                config,
                Arc::clone(&a.orders),
                Arc::clone(&a.payments),
                completions.clone(),
            ))
        });
        let click = settings.click.as_ref().map(|config| {
            Arc::new(Click::new(
                config.clone(),
                Arc::clone(&a.payments),
                completions.clone(),
            ))
        });
        let telegram = settings.telegram.enabled().then(|| {
            let config = &settings.telegram;
            Arc::new(Telegram::new(
                Arc::clone(&a.pre_registrations),
                a.bot.clone(),
                accounts.clone(),
                limits.clone(),
                TelegramSettings {
                    bot_secret: config
                        .bot_secret
                        .as_ref()
                        .map(|s| s.expose_secret().to_owned()),
                    webhook_secret: config
                        .webhook_secret
                        .as_ref()
                        .map(|s| s.expose_secret().to_owned()),
                    required_channel: config.required_channel.clone(),
                    token_lifetime: chrono::Duration::minutes(i64::from(config.token_minutes)),
                    register_url: config
                        .register_url
                        .clone()
                        .unwrap_or_else(|| format!("{public_url}/register/telegram")),
                },
                clock(),
            ))
        });

        let quizzes = Quizzes::new(
            Arc::clone(&a.quizzes),
            Arc::clone(&a.attempts),
            Arc::clone(&a.points),
            Arc::clone(&a.access),
            clock(),
        );
        let olympiads = Olympiads::new(
            Arc::clone(&a.olympiads),
            Arc::clone(&a.quizzes),
            Arc::clone(&a.attempts),
            quizzes.clone(),
            clock(),
        );
        let http = ApiServices {
            orders: Arc::new(Orders::new(
                Arc::clone(&a.offerings),
                Arc::clone(&a.orders),
                completions.clone(),
                links,
            )),
            admin_orders: Arc::new(AdminOrders::new(
                Arc::clone(&a.offerings),
                Arc::clone(&a.orders),
                completions,
                auditor.clone(),
            )),
            payme,
            click,
            health: Arc::new(HealthService::new(a.probes.clone())),
            accounts: Arc::new(accounts),
            profiles: Arc::new(Profiles::new(
                Arc::clone(&a.users),
                passwords.clone(),
                sessions.clone(),
                files.clone(),
                limits,
                clock(),
            )),
            admin_auth: Arc::new(AdminAuth::new(
                Arc::clone(&a.admins),
                passwords.clone(),
                codes,
                sessions.clone(),
                clock(),
            )),
            admin_users: Arc::new(AdminUsers::new(
                Arc::clone(&a.users),
                Arc::clone(&a.directory),
                sessions,
                auditor.clone(),
                clock(),
            )),
            admins: Arc::new(Admins::new(
                Arc::clone(&a.admins),
                passwords,
                auditor.clone(),
                clock(),
            )),
            catalogue: Arc::new(Catalogue::new(Arc::clone(&a.catalogue_reader))),
            admin_catalogue: Arc::new(AdminCatalogue::new(
                Arc::clone(&a.catalogue_reader),
                Arc::clone(&a.catalogue_writer),
                Arc::clone(&a.users),
                Arc::clone(&a.files),
                upload_limits,
                auditor.clone(),
                clock(),
            )),
            learning: Arc::new(Learning::new(
                learning_ports,
                files.clone(),
                format!("{public_url}/api/v1/certificates/"),
                clock(),
            )),
            admin_access: Arc::new(AdminAccess::new(
                Arc::clone(&a.access),
                Arc::clone(&a.claims),
                Arc::clone(&a.catalogue_reader),
                Arc::clone(&a.users),
                auditor.clone(),
                clock(),
            )),
            idempotency: Arc::new(Idempotency::new(Arc::clone(&a.idempotency), clock())),
            wallets: Arc::new(Wallets::new(Arc::clone(&a.wallet))),
            admin_wallets: Arc::new(AdminWallets::new(
                Arc::clone(&a.wallet),
                Arc::clone(&a.users),
                auditor.clone(),
                clock(),
            )),
            admin_shop: Arc::new(AdminShop::new(
                Arc::clone(&a.products),
                Arc::clone(&a.subscriptions),
                Arc::clone(&a.users),
                shop.clone(),
                auditor.clone(),
                clock(),
            )),
            shop: Arc::new(shop),
            quizzes: Arc::new(quizzes.clone()),
            olympiads: Arc::new(olympiads.clone()),
            admin_olympiads: Arc::new(AdminOlympiads::new(
                Arc::clone(&a.olympiads),
                olympiads,
                auditor.clone(),
                clock(),
            )),
            admin_quizzes: Arc::new(AdminQuizzes::new(
                Arc::clone(&a.quizzes),
                auditor.clone(),
                clock(),
            )),
            search: Arc::new(Search::new(Arc::clone(&a.search))),
            admin_stats: Arc::new(AdminStats::new(Arc::clone(&a.stats), clock())),
            telegram,
            auditor: Arc::new(auditor),
            files: Arc::new(files),
        };
        Self {
            http,
            outbox,
            access_expiry: AccessExpiry::new(Arc::clone(&a.access), Arc::clone(&a.mailer), clock()),
        }
    }
}
