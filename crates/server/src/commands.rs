//! The one-shot commands: `create-admin`, `seed-demo` and
//! `telegram set-webhook`.

use crate::settings::Settings;
use crate::startup::{Application, describe};
use bilim_domain::admins::{Admin, AdminRole};
use bilim_domain::values::{Email, Username};
use bilim_repository::database::{Database, DatabaseOptions};
use bilim_service::ServiceError;
use bilim_service::admin::{AdminInput, Admins};
use bilim_service::passwords::hash_blocking;
use secrecy::ExposeSecret;
use std::io::IsTerminal;
use std::time::Instant;

/// `bilim telegram set-webhook`: registers the webhook with Telegram
/// (`setWebhook`), with the webhook secret Telegram then sends back.
pub async fn set_webhook(settings: Settings, url: Option<String>) -> Result<(), String> {
    let secret = settings
        .telegram
        .webhook_secret
        .as_ref()
        .map(|s| s.expose_secret().to_owned())
        .ok_or("BILIM_TELEGRAM_BOT_TOKEN and BILIM_TELEGRAM_WEBHOOK_SECRET must be set")?;
    let url = match url {
        Some(url) => url,
        None => {
            let base = settings
                .public_url
                .clone()
                .ok_or("BILIM_PUBLIC_URL is not set: pass --url")?;
            format!("{base}/api/v1/telegram/webhook")
        }
    };
    if !url.starts_with("https://") {
        return Err(format!(
            "{url}: Telegram delivers webhooks to https URLs only"
        ));
    }
    let wiring = Application::build_offline(settings)
        .await
        .map_err(|e| e.to_string())?;
    let telegram = wiring
        .services
        .http
        .telegram
        .as_ref()
        .ok_or("the Telegram settings are unset")?;
    telegram
        .set_webhook(&url, &secret)
        .await
        .map_err(|e| format!("setWebhook: {}", describe(&e)))?;
    println!("Telegram now delivers the bot's updates to {url}");
    Ok(())
}

/// Where `create-admin` takes the password from.
#[derive(Debug, PartialEq, Eq)]
pub enum PasswordSource {
    /// `BILIM_ADMIN_PASSWORD`, set and not empty: checked once, a refusal ends the command.
    Variable(String),
    /// A prompt on the terminal that does not echo: asked again when refused, and
    /// typed twice.
    Prompt,
}

/// How many passwords the prompt takes before giving up.
pub const PASSWORD_TRIES: usize = 3;

/// The password's source: `BILIM_ADMIN_PASSWORD` when set and not empty, else
/// a prompt, which needs a terminal. Without one (a pipe, CI, `docker exec`
/// without `-t`) the command stops at once, naming the variable.
pub fn password_source(variable: Option<String>, terminal: bool) -> Result<PasswordSource, String> {
    match variable {
        Some(password) if !password.is_empty() => Ok(PasswordSource::Variable(password)),
        _ if terminal => Ok(PasswordSource::Prompt),
        _ => Err(
            "no terminal to ask for the password: set BILIM_ADMIN_PASSWORD to it, or run the \
             command in a terminal"
                .to_owned(),
        ),
    }
}

/// Why a typed password was not taken.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Refusal {
    /// The password breaks the rules: say why, once, and ask again.
    AskAgain(String),
    /// Something else is wrong (a taken name, the database): stop.
    Stop(String),
}

impl Refusal {
    /// A refusal of the password alone asks again; any other error stops.
    pub fn of(error: &ServiceError) -> Self {
        match error {
            ServiceError::Validation { errors, .. }
                if !errors.is_empty() && errors.iter().all(|e| e.field == "password") =>
            {
                Self::AskAgain(describe(error))
            }
            other => Self::Stop(describe(other)),
        }
    }
}

/// Asks for the password until one passes `check` and is typed the same a
/// second time, at most `PASSWORD_TRIES` times. `read` shows a prompt and
/// reads a line without echo; `tell` shows why a try was not taken.
pub async fn ask_password(
    username: &str,
    mut read: impl FnMut(&str) -> std::io::Result<String>,
    mut check: impl AsyncFnMut(&str) -> Result<(), Refusal>,
    mut tell: impl FnMut(&str),
) -> Result<String, String> {
    let unreadable = |e: std::io::Error| {
        format!(
            "cannot read the password ({e}): set BILIM_ADMIN_PASSWORD to run without a terminal"
        )
    };
    for _ in 0..PASSWORD_TRIES {
        let password = read(&format!("Password for {username}: ")).map_err(unreadable)?;
        match check(&password).await {
            Ok(()) => {}
            Err(Refusal::AskAgain(reason)) => {
                tell(&reason);
                continue;
            }
            Err(Refusal::Stop(message)) => return Err(message),
        }
        let again = read("Type the password again: ").map_err(unreadable)?;
        if again == password {
            return Ok(password);
        }
        tell("The two passwords differ.");
    }
    Err(format!(
        "no password taken after {PASSWORD_TRIES} tries; nothing was created"
    ))
}

/// The username and email as `create_first` will judge them, checked before
/// anyone types a password.
fn check_names(username: &str, email: &str) -> Result<(), String> {
    let problems: Vec<String> = [Username::parse(username).err(), Email::parse(email).err()]
        .into_iter()
        .flatten()
        .map(|e| e.to_string())
        .collect();
    if problems.is_empty() {
        Ok(())
    } else {
        Err(problems.join("; "))
    }
}

/// Creates an admin. The password comes from `BILIM_ADMIN_PASSWORD` or a
/// prompt that does not echo; it must pass the same policy as users'.
pub async fn create_admin(
    settings: Settings,
    username: String,
    email: String,
    make_super: bool,
) -> Result<(), String> {
    let source = password_source(
        std::env::var("BILIM_ADMIN_PASSWORD").ok(),
        std::io::stdin().is_terminal(),
    )?;
    if source == PasswordSource::Prompt {
        check_names(&username, &email)?;
    }
    let wiring = Application::build_offline(settings)
        .await
        .map_err(|e| e.to_string())?;
    let input = AdminInput {
        username,
        email,
        password: String::new(),
        role: if make_super {
            AdminRole::Super
        } else {
            AdminRole::Admin
        },
        tg_id: None,
    };
    let result = create_with(&wiring.services.http.admins, input, source).await;
    wiring.database.close().await;
    let admin = result?;
    println!(
        "created {} admin {} <{}>",
        admin.role.as_str(),
        admin.username,
        admin.email
    );
    Ok(())
}

async fn create_with(
    admins: &Admins,
    mut input: AdminInput,
    source: PasswordSource,
) -> Result<Admin, String> {
    input.password = match source {
        PasswordSource::Variable(password) => password,
        PasswordSource::Prompt => {
            let username = input.username.clone();
            ask_password(
                &username,
                |prompt| rpassword::prompt_password(prompt),
                async |password| {
                    let candidate = AdminInput {
                        password: password.to_owned(),
                        ..input.clone()
                    };
                    admins
                        .check_input(&candidate)
                        .await
                        .map_err(|e| Refusal::of(&e))
                },
                |line| eprintln!("{line}"),
            )
            .await?
        }
    };
    admins
        .create_first(input)
        .await
        .map_err(|e| match Refusal::of(&e) {
            // Only the variable's password can be refused here: the prompt's passed.
            Refusal::AskAgain(reason) => format!("BILIM_ADMIN_PASSWORD: {reason}"),
            Refusal::Stop(message) => message,
        })
}

/// How much demo data `seed-demo` loads.
#[derive(Debug, Clone, Copy)]
pub struct DemoSize {
    pub users: u64,
    pub courses: u64,
    pub granted_users: u64,
    pub courses_per_user: u64,
}

/// Loads demo data quickly: demo users sharing one precomputed password hash
/// (the password is printed), a catalogue of published courses, and grants of
/// some courses to some students, and balances with ledgers and subscriptions
/// to as many demo users, for trying the dashboard and for benchmarks.
pub async fn seed_demo(settings: Settings, demo: DemoSize) -> Result<(), String> {
    let DemoSize { users, courses, .. } = demo;
    let database = Database::connect(&DatabaseOptions::new(settings.database_url.expose_secret()))
        .await
        .map_err(|e| format!("database: {e}"))?;
    database
        .migrate()
        .await
        .map_err(|e| format!("migrate: {e}"))?;
    let password = "Bilim-demo-2026!";
    let hash = tokio::task::spawn_blocking(move || hash_blocking(password))
        .await
        .map_err(|e| e.to_string())?
        .map_err(|e| e.to_string())?;
    let started = Instant::now();
    let added = bilim_repository::seed::seed_users(&database, users, &hash, chrono::Utc::now())
        .await
        .map_err(|e| format!("seed: {e}"))?;
    println!(
        "added {added} demo users in {:.2} s (emails demo<N>@bilim.test, password {password})",
        started.elapsed().as_secs_f64()
    );
    let started = Instant::now();
    let added = bilim_repository::seed::seed_catalogue(&database, courses, chrono::Utc::now())
        .await
        .map_err(|e| format!("seed catalogue: {e}"))?;
    if added == 0 {
        println!("the demo catalogue exists already");
    } else {
        println!(
            "added {added} demo courses (10 modules x 10 lessons each) in {:.2} s",
            started.elapsed().as_secs_f64()
        );
    }
    let started = Instant::now();
    let added = bilim_repository::seed::seed_grants(
        &database,
        demo.granted_users,
        demo.courses_per_user,
        chrono::Utc::now(),
    )
    .await
    .map_err(|e| format!("seed grants: {e}"))?;
    println!(
        "added {added} demo grants ({} courses for each of up to {} students) in {:.2} s",
        demo.courses_per_user,
        demo.granted_users,
        started.elapsed().as_secs_f64()
    );
    let started = Instant::now();
    let (tests, olympiads) = bilim_repository::seed::seed_quizzes(&database, chrono::Utc::now())
        .await
        .map_err(|e| format!("seed tests: {e}"))?;
    println!(
        "added {tests} demo tests (four questions each) and {olympiads} olympiads in {:.2} s",
        started.elapsed().as_secs_f64()
    );
    let started = Instant::now();
    let added =
        bilim_repository::seed::seed_wallets(&database, demo.granted_users, chrono::Utc::now())
            .await
            .map_err(|e| format!("seed wallets: {e}"))?;
    println!(
        "gave {added} demo users a balance and its ledger (every fourth a kundalik-mobile subscription) in {:.2} s",
        started.elapsed().as_secs_f64()
    );
    database.close().await;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::VecDeque;

    #[test]
    fn the_variable_wins_and_without_it_a_terminal_is_needed() {
        assert_eq!(
            password_source(Some("Samarqand-1924-bahor".into()), false),
            Ok(PasswordSource::Variable("Samarqand-1924-bahor".into()))
        );
        assert_eq!(password_source(None, true), Ok(PasswordSource::Prompt));
        assert_eq!(
            password_source(Some(String::new()), true),
            Ok(PasswordSource::Prompt),
            "an empty variable counts as unset"
        );
        for variable in [None, Some(String::new())] {
            let error = password_source(variable, false).unwrap_err();
            assert!(error.contains("BILIM_ADMIN_PASSWORD"), "{error}");
        }
    }

    /// What a scripted prompt session showed and answered.
    struct Session {
        prompts: Vec<String>,
        told: Vec<String>,
        result: Result<String, String>,
    }

    /// Runs `ask_password` with `typed` as the lines typed (an error ends the
    /// input), refusing `weak` and stopping on `taken`.
    async fn session(typed: &[&str]) -> Session {
        let mut lines: VecDeque<String> = typed.iter().map(|s| (*s).to_owned()).collect();
        let mut prompts = Vec::new();
        let mut told = Vec::new();
        let result = ask_password(
            "root",
            |prompt| {
                prompts.push(prompt.to_owned());
                lines
                    .pop_front()
                    .ok_or_else(|| std::io::Error::other("No such device or address"))
            },
            async |password| match password {
                "weak" => Err(Refusal::AskAgain("too easy to guess".into())),
                "taken" => Err(Refusal::Stop("An admin with this username exists.".into())),
                _ => Ok(()),
            },
            |line| told.push(line.to_owned()),
        )
        .await;
        Session {
            prompts,
            told,
            result,
        }
    }

    #[tokio::test]
    async fn a_good_password_is_typed_twice() {
        let s = session(&["good-one", "good-one"]).await;
        assert_eq!(s.result, Ok("good-one".into()));
        assert_eq!(
            s.prompts,
            ["Password for root: ", "Type the password again: "]
        );
        assert!(s.told.is_empty());
    }

    #[tokio::test]
    async fn a_refused_password_says_why_once_and_asks_again() {
        let s = session(&["weak", "good-one", "good-one"]).await;
        assert_eq!(s.result, Ok("good-one".into()));
        assert_eq!(s.told, ["too easy to guess"]);
        assert_eq!(
            s.prompts,
            [
                "Password for root: ",
                "Password for root: ",
                "Type the password again: "
            ]
        );
    }

    #[tokio::test]
    async fn differing_passwords_ask_again() {
        let s = session(&["good-one", "good-two", "good-two", "good-two"]).await;
        assert_eq!(s.result, Ok("good-two".into()));
        assert_eq!(s.told, ["The two passwords differ."]);
    }

    #[tokio::test]
    async fn it_gives_up_after_three_tries() {
        let s = session(&["weak", "good-one", "good-two", "weak", "never read"]).await;
        let error = s.result.unwrap_err();
        assert!(error.contains("3 tries"), "{error}");
        assert_eq!(
            s.told,
            [
                "too easy to guess",
                "The two passwords differ.",
                "too easy to guess"
            ]
        );
        assert_eq!(s.prompts.len(), 4);
    }

    #[tokio::test]
    async fn another_error_stops_at_once() {
        let s = session(&["taken", "never read"]).await;
        assert_eq!(s.result, Err("An admin with this username exists.".into()));
        assert_eq!(s.prompts.len(), 1);
    }

    #[tokio::test]
    async fn an_unreadable_terminal_names_the_variable() {
        let s = session(&[]).await;
        let error = s.result.unwrap_err();
        assert!(error.contains("BILIM_ADMIN_PASSWORD"), "{error}");
    }

    #[test]
    fn only_a_refusal_of_the_password_alone_asks_again() {
        let field = |name: &str| bilim_service::FieldError {
            field: name.to_owned(),
            code: "x".to_owned(),
            message: "bad".to_owned(),
        };
        let validation = |fields: Vec<bilim_service::FieldError>| ServiceError::Validation {
            code: "validation",
            message: "Invalid fields.".to_owned(),
            errors: fields,
        };
        assert!(matches!(
            Refusal::of(&validation(vec![field("password")])),
            Refusal::AskAgain(_)
        ));
        assert!(matches!(
            Refusal::of(&validation(vec![field("username"), field("password")])),
            Refusal::Stop(_)
        ));
        assert!(matches!(
            Refusal::of(&ServiceError::Conflict {
                code: "admin.username_taken",
                message: "An admin with this username exists.".into(),
            }),
            Refusal::Stop(_)
        ));
    }

    #[test]
    fn names_are_checked_before_a_password_is_asked_for() {
        assert!(check_names("root", "root@bilim.test").is_ok());
        let error = check_names("1root", "not-an-email").unwrap_err();
        assert!(
            error.contains("username") && error.contains("email"),
            "{error}"
        );
    }
}
