//! `bilim create-admin` run as a newcomer runs it: the built binary, with no
//! terminal (standard input closed), on a SQLite file in a temporary directory.

use crate::helpers::TEST_PASSWORD;
use bilim_domain::admins::AdminRole;
use bilim_service::admin::AdminInput;
use std::path::Path;
use std::process::{Command, Output, Stdio};

/// Runs `bilim create-admin --username root --email root@bilim.test --super`
/// in `dir` with `BILIM_ADMIN_PASSWORD` set to `password` (or unset).
fn create_admin(dir: &Path, password: Option<&str>) -> Output {
    let mut command = Command::new(env!("CARGO_BIN_EXE_bilim"));
    command
        .args([
            "create-admin",
            "--username",
            "root",
            "--email",
            "root@bilim.test",
            "--super",
        ])
        .current_dir(dir)
        .stdin(Stdio::null())
        .env_remove("BILIM_ADMIN_PASSWORD")
        .env("BILIM_ENV", "development")
        .env(
            "BILIM_DATABASE_URL",
            format!("sqlite://{}?mode=rwc", dir.join("bilim.db").display()),
        )
        .env("BILIM_REDIS_URL", "")
        .env("BILIM_MAIL_TRANSPORT", "file")
        .env("BILIM_MAIL_OUTBOX_DIR", dir.join("outbox"))
        .env("BILIM_STORAGE_URL", dir.join("files"));
    if let Some(password) = password {
        command.env("BILIM_ADMIN_PASSWORD", password);
    }
    command.output().unwrap()
}

fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

#[test]
fn without_a_terminal_or_the_variable_it_names_the_variable() {
    let dir = tempfile::tempdir().unwrap();
    let output = create_admin(dir.path(), None);
    let stderr = stderr(&output);
    assert_eq!(output.status.code(), Some(1), "{stderr}");
    assert!(stderr.contains("BILIM_ADMIN_PASSWORD"), "{stderr}");
    assert!(!stderr.contains("No such device"), "{stderr}");
    assert!(
        !dir.path().join("bilim.db").exists(),
        "it stops before opening the database"
    );
}

#[test]
fn a_weak_password_from_the_variable_is_refused_with_its_reason_once() {
    let dir = tempfile::tempdir().unwrap();
    let output = create_admin(dir.path(), Some("password1"));
    let stderr = stderr(&output);
    assert_eq!(output.status.code(), Some(1), "{stderr}");
    assert_eq!(stderr.lines().count(), 1, "one line: {stderr}");
    assert!(
        stderr.starts_with("BILIM_ADMIN_PASSWORD: The password is too easy to guess: "),
        "{stderr}"
    );
    let reason = stderr
        .trim_end()
        .trim_start_matches("BILIM_ADMIN_PASSWORD: The password is too easy to guess: ");
    assert!(!reason.is_empty(), "{stderr}");
    assert_eq!(stderr.matches(reason).count(), 1, "said once: {stderr}");
}

#[test]
fn a_good_password_from_the_variable_creates_the_admin() {
    let dir = tempfile::tempdir().unwrap();
    let output = create_admin(dir.path(), Some(TEST_PASSWORD));
    assert!(output.status.success(), "{}", stderr(&output));
    assert_eq!(
        String::from_utf8_lossy(&output.stdout),
        "created super admin root <root@bilim.test>\n"
    );
}

#[tokio::test]
async fn checking_an_admin_s_input_stores_nothing_and_blames_only_the_password() {
    let app = crate::helpers::spawn_app().await;
    let admins = &app.services.http.admins;
    let input = |password: &str| AdminInput {
        username: "root".into(),
        email: "root@bilim.test".into(),
        password: password.into(),
        role: AdminRole::Super,
        tg_id: None,
    };
    admins.check_input(&input(TEST_PASSWORD)).await.unwrap();
    assert_eq!(admins.count().await.unwrap(), 0);
    let weak = admins.check_input(&input("password1")).await.unwrap_err();
    let bilim_service::ServiceError::Validation { errors, .. } = weak else {
        panic!("{weak:?}");
    };
    assert!(errors.iter().all(|e| e.field == "password"), "{errors:?}");
}
