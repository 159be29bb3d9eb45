//! The one-shot commands: `create-admin` and `seed-demo`.

use crate::settings::Settings;
use crate::startup::Application;
use bilim_domain::admins::AdminRole;
use bilim_repository::database::{Database, DatabaseOptions};
use bilim_service::admin::AdminInput;
use bilim_service::passwords::hash_blocking;
use secrecy::ExposeSecret;
use std::time::Instant;

/// Creates an admin. The password comes from `BILIM_ADMIN_PASSWORD` or a
/// prompt that does not echo; it must pass the same policy as users'.
pub async fn create_admin(
    settings: Settings,
    username: String,
    email: String,
    make_super: bool,
) -> Result<(), String> {
    let password = match std::env::var("BILIM_ADMIN_PASSWORD") {
        Ok(password) if !password.is_empty() => password,
        _ => rpassword::prompt_password(format!("Password for {username}: "))
            .map_err(|e| format!("cannot read the password: {e}"))?,
    };
    let wiring = Application::build_offline(settings)
        .await
        .map_err(|e| e.to_string())?;
    let input = AdminInput {
        username,
        email,
        password,
        role: if make_super {
            AdminRole::Super
        } else {
            AdminRole::Admin
        },
        tg_id: None,
    };
    let admin = wiring
        .services
        .http
        .admins
        .create_first(input)
        .await
        .map_err(|e| crate::startup::describe(&e))?;
    println!(
        "created {} admin {} <{}>",
        admin.role.as_str(),
        admin.username,
        admin.email
    );
    wiring.database.close().await;
    Ok(())
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
/// some courses to some students, for trying the dashboard and for benchmarks.
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
    database.close().await;
    Ok(())
}
