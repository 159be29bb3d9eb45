//! The `bilim` binary.

use bilim_repository::database::{Database, DatabaseOptions};
use bilim_server::cli::{Cli, Command, TelegramCommand};
use bilim_server::settings::{DEFAULT_DATABASE_URL, Settings};
use bilim_server::{Application, commands, telemetry};
use clap::Parser;
use std::process::ExitCode;

fn main() -> ExitCode {
    // A missing .env is normal; a malformed one is reported.
    if let Err(error) = dotenvy::dotenv()
        && !error.not_found()
    {
        eprintln!(".env: {error}");
        return ExitCode::FAILURE;
    }
    let cli = Cli::parse();
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(runtime) => runtime,
        Err(error) => {
            eprintln!("cannot start the async runtime: {error}");
            return ExitCode::FAILURE;
        }
    };
    let result = match cli.command.unwrap_or(Command::Serve) {
        Command::Openapi => openapi(),
        Command::Migrate => runtime.block_on(migrate()),
        Command::Serve => runtime.block_on(serve()),
        Command::CreateAdmin {
            username,
            email,
            make_super,
        } => runtime.block_on(async {
            let settings = command_settings()?;
            commands::create_admin(settings, username, email, make_super).await
        }),
        Command::Telegram {
            command: TelegramCommand::SetWebhook { url },
        } => runtime.block_on(async {
            let settings = command_settings()?;
            commands::set_webhook(settings, url).await
        }),
        Command::SeedDemo {
            users,
            courses,
            granted_users,
            courses_per_user,
        } => runtime.block_on(async {
            let settings = command_settings()?;
            let demo = commands::DemoSize {
                users,
                courses,
                granted_users,
                courses_per_user,
            };
            commands::seed_demo(settings, demo).await
        }),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("{message}");
            ExitCode::FAILURE
        }
    }
}

fn openapi() -> Result<(), String> {
    let document = bilim_http::openapi()
        .to_pretty_json()
        .map_err(|e| e.to_string())?;
    println!("{document}");
    Ok(())
}

async fn migrate() -> Result<(), String> {
    let url =
        std::env::var("BILIM_DATABASE_URL").unwrap_or_else(|_| DEFAULT_DATABASE_URL.to_owned());
    let database = Database::connect(&DatabaseOptions::new(url))
        .await
        .map_err(|e| format!("database: {e}"))?;
    database
        .migrate()
        .await
        .map_err(|e| format!("migrate: {e}"))?;
    database.close().await;
    println!("migrations applied");
    Ok(())
}

/// Settings for a one-shot command: logs go to stderr at warn level so the
/// command's own output stays readable.
fn command_settings() -> Result<Settings, String> {
    let settings = Settings::from_env().map_err(|e| e.to_string())?;
    telemetry::init_for_command();
    Ok(settings)
}

async fn serve() -> Result<(), String> {
    let settings = Settings::from_env().map_err(|e| e.to_string())?;
    telemetry::init(settings.environment);
    if settings.jwt_secret_generated {
        tracing::warn!(
            "BILIM_JWT_SECRET is not set: using a random secret for this run; tokens and links die on restart"
        );
    }
    let application = Application::build(settings)
        .await
        .map_err(|e| e.to_string())?;
    application
        .run_until_stopped()
        .await
        .map_err(|e| e.to_string())
}
