//! The command line: `bilim` (= `bilim serve`), `bilim migrate`, `bilim openapi`,
//! `bilim telegram set-webhook`.

use clap::{Parser, Subcommand};

#[derive(Debug, Parser)]
#[command(
    name = "bilim",
    version,
    about = "Bilim: the backend of an online education platform"
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Option<Command>,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Apply migrations and serve the API (the default).
    Serve,
    /// Apply pending database migrations and exit.
    Migrate,
    /// Print the OpenAPI document as JSON.
    Openapi,
    /// Create an admin; the password comes from BILIM_ADMIN_PASSWORD or, in a terminal, a prompt.
    CreateAdmin {
        #[arg(long)]
        username: String,
        #[arg(long)]
        email: String,
        /// A super admin may also manage admins.
        #[arg(long = "super")]
        make_super: bool,
    },
    /// The Telegram bot (document 002).
    Telegram {
        #[command(subcommand)]
        command: TelegramCommand,
    },
    /// Load demo data (users; the password is printed) for trying and benchmarking.
    SeedDemo {
        /// How many demo users to add.
        #[arg(long, default_value_t = 10_000)]
        users: u64,
        /// How many demo courses (10 modules × 10 lessons each) to add across
        /// the three directions; skipped when the demo catalogue exists.
        #[arg(long, default_value_t = 50)]
        courses: u64,
        /// How many of the demo students get courses opened (grants).
        #[arg(long, default_value_t = 1_000)]
        granted_users: u64,
        /// How many published courses each of them gets.
        #[arg(long, default_value_t = 3)]
        courses_per_user: u64,
    },
}

#[derive(Debug, Subcommand)]
pub enum TelegramCommand {
    /// Point Telegram at this server's webhook, with BILIM_TELEGRAM_WEBHOOK_SECRET
    /// (needs BILIM_TELEGRAM_BOT_TOKEN).
    SetWebhook {
        /// The webhook's public https URL; default
        /// `{BILIM_PUBLIC_URL}/api/v1/telegram/webhook`.
        #[arg(long)]
        url: Option<String>,
    },
}
