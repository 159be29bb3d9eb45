//! Unit tests of the settings: the development defaults, the production
//! requirements, every bad setting on its own line, and secrets never printed.

use super::*;

fn vars(pairs: &[(&str, &str)]) -> BTreeMap<String, String> {
    pairs
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect()
}

const GOOD_SECRET: &str = "0123456789abcdef0123456789abcdef-production";

#[test]
fn nothing_set_gives_a_usable_development_server() {
    let settings = Settings::from_vars(BTreeMap::new()).unwrap();
    assert_eq!(settings.environment, Environment::Development);
    assert_eq!(settings.bind_addr.to_string(), "127.0.0.1:8080");
    assert_eq!(settings.database_url.expose_secret(), DEFAULT_DATABASE_URL);
    assert!(settings.redis_url.is_none());
    assert_eq!(settings.mail_transport, MailTransport::File);
    assert!(settings.jwt_secret_generated);
    assert!(settings.jwt_secret.expose_secret().len() >= 32);
    assert_eq!(settings.resend_after, Duration::from_secs(60));
    assert_eq!(settings.code_mails_per_address_per_hour, 10);
    assert_eq!(settings.auth_requests_per_ip_per_minute, 30);
    assert_eq!(settings.course_cache_size, 256);
    assert_eq!(settings.device_change_days, 30);
}

#[test]
fn a_payment_provider_is_off_unset_on_complete_and_refused_half_set() {
    let off = Settings::from_vars(vars(&[])).unwrap();
    assert!(off.payme.is_none() && off.click.is_none());
    let on = Settings::from_vars(vars(&[
        ("BILIM_PAYME_MERCHANT_ID", "5e730e8e0b852a417aa49ceb"),
        ("BILIM_PAYME_KEY", "k3y"),
        ("BILIM_CLICK_SERVICE_ID", "31245"),
        ("BILIM_CLICK_MERCHANT_ID", "20781"),
        ("BILIM_CLICK_SECRET_KEY", "s3cret"),
    ]))
    .unwrap();
    assert_eq!(on.payme.unwrap().merchant_id, "5e730e8e0b852a417aa49ceb");
    assert_eq!(on.click.unwrap().service_id, "31245");
    let half = Settings::from_vars(vars(&[
        ("BILIM_PAYME_KEY", "k3y"),
        ("BILIM_CLICK_SERVICE_ID", "x1"),
        ("BILIM_CLICK_MERCHANT_ID", "20781"),
        ("BILIM_CLICK_SECRET_KEY", "s3cret"),
    ]))
    .unwrap_err();
    assert!(
        half.lines
            .iter()
            .any(|l| l.starts_with("BILIM_PAYME_MERCHANT_ID: ")),
        "{half}"
    );
    assert!(
        half.lines
            .iter()
            .any(|l| l.starts_with("BILIM_CLICK_SERVICE_ID: ")),
        "{half}"
    );
    assert!(!format!("{half}").contains("k3y") && !format!("{half}").contains("s3cret"));
}

#[test]
fn the_device_change_period_is_a_positive_number_of_days() {
    let days = |value: &str| Settings::from_vars(vars(&[("BILIM_DEVICE_CHANGE_DAYS", value)]));
    assert_eq!(days("7").unwrap().device_change_days, 7);
    for bad in ["0", "-1", "soon"] {
        let error = days(bad).unwrap_err();
        assert!(
            error.lines[0].starts_with("BILIM_DEVICE_CHANGE_DAYS: "),
            "{bad}: {error}"
        );
    }
}

#[test]
fn the_course_cache_can_be_sized_or_turned_off() {
    let sized = |value: &str| Settings::from_vars(vars(&[("BILIM_COURSE_CACHE_SIZE", value)]));
    assert_eq!(sized("0").unwrap().course_cache_size, 0);
    assert_eq!(sized("10000").unwrap().course_cache_size, 10_000);
    for bad in ["10001", "-1", "many"] {
        let error = sized(bad).unwrap_err();
        assert!(
            error.lines[0].starts_with("BILIM_COURSE_CACHE_SIZE: "),
            "{bad}: {error}"
        );
    }
}

#[test]
fn production_refuses_missing_short_or_example_secrets() {
    for (secret, expected) in [
        (None, "BILIM_JWT_SECRET: required in production"),
        (Some("short"), "BILIM_JWT_SECRET: too short"),
        (
            Some("change-me-to-32-or-more-random-bytes"),
            "BILIM_JWT_SECRET: is the example value",
        ),
    ] {
        let mut pairs = vec![
            ("BILIM_ENV", "production"),
            ("BILIM_REDIS_URL", "redis://127.0.0.1:6379"),
            ("BILIM_PUBLIC_URL", "https://api.bilim.uz"),
        ];
        if let Some(secret) = secret {
            pairs.push(("BILIM_JWT_SECRET", secret));
        }
        let error = Settings::from_vars(vars(&pairs)).unwrap_err();
        assert!(
            error.lines.iter().any(|l| l.starts_with(expected)),
            "{error}"
        );
    }
}

#[test]
fn production_refuses_the_in_process_store_unless_allowed() {
    let base = [
        ("BILIM_ENV", "production"),
        ("BILIM_JWT_SECRET", GOOD_SECRET),
        ("BILIM_PUBLIC_URL", "https://api.bilim.uz"),
    ];
    let error = Settings::from_vars(vars(&base)).unwrap_err();
    assert!(
        error.lines[0].starts_with("BILIM_REDIS_URL: required in production"),
        "{error}"
    );
    let allowed = [
        base[0],
        base[1],
        base[2],
        ("BILIM_ALLOW_INPROCESS_STORE", "true"),
    ];
    assert!(Settings::from_vars(vars(&allowed)).is_ok());
}

#[test]
fn production_needs_a_public_url_and_plain_redis() {
    let error = Settings::from_vars(vars(&[
        ("BILIM_ENV", "production"),
        ("BILIM_JWT_SECRET", GOOD_SECRET),
        ("BILIM_REDIS_URL", "rediss://cache.example.uz:6380"),
    ]))
    .unwrap_err();
    let named: Vec<&str> = error
        .lines
        .iter()
        .map(|l| l.split(':').next().unwrap())
        .collect();
    assert_eq!(named, ["BILIM_REDIS_URL", "BILIM_PUBLIC_URL"], "{error}");
}

#[test]
fn every_bad_setting_gets_its_own_line() {
    let error = Settings::from_vars(vars(&[
        ("BILIM_ENV", "staging"),
        ("BILIM_BIND_ADDR", "localhost"),
        ("BILIM_DATABASE_URL", "mysql://x"),
        ("BILIM_REDIS_URL", "http://x"),
        ("BILIM_MAIL_TRANSPORT", "smtp"),
        ("BILIM_STORAGE_URL", "s3://"),
        ("BILIM_PUBLIC_URL", "not a url"),
        ("BILIM_CORS_ORIGINS", "https://bilim.uz,*"),
        ("BILIM_TRUSTED_PROXIES", "10.0.0.1,proxy"),
        ("BILIM_RESEND_AFTER_SECONDS", "0"),
        ("BILIM_CODE_MAILS_PER_ADDRESS_PER_HOUR", "ten"),
        ("BILIM_ALLOW_INPROCESS_STORE", "yes"),
    ]))
    .unwrap_err();
    let named: Vec<&str> = error
        .lines
        .iter()
        .map(|l| l.split(':').next().unwrap())
        .collect();
    for name in [
        "BILIM_ENV",
        "BILIM_BIND_ADDR",
        "BILIM_DATABASE_URL",
        "BILIM_REDIS_URL",
        "BILIM_SMTP_URL",
        "BILIM_STORAGE_URL",
        "BILIM_PUBLIC_URL",
        "BILIM_CORS_ORIGINS",
        "BILIM_TRUSTED_PROXIES",
        "BILIM_RESEND_AFTER_SECONDS",
        "BILIM_CODE_MAILS_PER_ADDRESS_PER_HOUR",
        "BILIM_ALLOW_INPROCESS_STORE",
    ] {
        assert!(named.contains(&name), "{name} not reported in:\n{error}");
    }
}

#[test]
fn secrets_never_print() {
    let settings = Settings::from_vars(vars(&[
        ("BILIM_JWT_SECRET", GOOD_SECRET),
        (
            "BILIM_DATABASE_URL",
            "postgres://bilim:db-password@db:5432/bilim",
        ),
        (
            "BILIM_SMTP_URL",
            "smtps://mail:smtp-password@smtp.example.uz:465",
        ),
        ("BILIM_MAIL_TRANSPORT", "smtp"),
        ("BILIM_STORAGE_URL", "s3://bilim-files"),
        ("AWS_SECRET_ACCESS_KEY", "s3-secret-key"),
    ]))
    .unwrap();
    let printed = format!("{settings:?}");
    for secret in [GOOD_SECRET, "db-password", "smtp-password", "s3-secret-key"] {
        assert!(!printed.contains(secret), "{secret} printed");
    }
    assert_eq!(
        redacted_url(&settings.database_url),
        "postgres://bilim:***@db:5432/bilim"
    );
}

#[test]
fn storage_is_a_directory_or_a_bucket_with_the_aws_variables() {
    let storage = |pairs: &[(&str, &str)]| Settings::from_vars(vars(pairs)).map(|s| s.storage);
    assert!(matches!(
        storage(&[]).unwrap(),
        Storage::Directory(dir) if dir == std::path::Path::new("./data/files")
    ));
    assert!(matches!(
        storage(&[("BILIM_STORAGE_URL", "file:///srv/files")]).unwrap(),
        Storage::Directory(dir) if dir == std::path::Path::new("/srv/files")
    ));
    let Storage::Object {
        url,
        options,
        direct_links,
    } = storage(&[
        ("BILIM_STORAGE_URL", "s3://bilim-files/prod"),
        ("BILIM_STORAGE_DIRECT_LINKS", "false"),
        ("AWS_ENDPOINT", "http://127.0.0.1:9000"),
        ("AWS_ALLOW_HTTP", "true"),
    ])
    .unwrap()
    else {
        panic!("a bucket is object storage");
    };
    assert_eq!(url, "s3://bilim-files/prod");
    assert!(!direct_links);
    let names: Vec<&str> = options.iter().map(|(name, _)| name.as_str()).collect();
    assert_eq!(names, ["AWS_ALLOW_HTTP", "AWS_ENDPOINT"]);
    assert!(matches!(
        storage(&[("BILIM_STORAGE_URL", "gs://bilim-files")]).unwrap(),
        Storage::Object {
            direct_links: true,
            ..
        }
    ));
    for bad in ["s3://", "ftp://host/files", "gs:///prefix"] {
        let error = storage(&[("BILIM_STORAGE_URL", bad)]).unwrap_err();
        assert!(
            error.lines[0].starts_with("BILIM_STORAGE_URL: "),
            "{bad}: {error}"
        );
    }
}

#[test]
fn the_redis_key_prefix_can_be_set() {
    let prefix = |value: &str| {
        Settings::from_vars(vars(&[("BILIM_REDIS_KEY_PREFIX", value)])).map(|s| s.redis_key_prefix)
    };
    assert_eq!(
        Settings::from_vars(BTreeMap::new())
            .unwrap()
            .redis_key_prefix,
        "bilim:"
    );
    assert_eq!(prefix("staging:").unwrap(), "staging:");
    for bad in ["with space:", &"x".repeat(65)] {
        assert!(prefix(bad).is_err(), "{bad}");
    }
}

#[test]
fn telegram_is_off_until_set_and_its_parts_come_together() {
    let off = Settings::from_vars(BTreeMap::new()).unwrap().telegram;
    assert!(!off.enabled());
    assert_eq!(off.api_url, "https://api.telegram.org");
    assert_eq!(off.token_minutes, 30);

    let on = Settings::from_vars(vars(&[
        ("BILIM_TELEGRAM_BOT_TOKEN", "123456:AA-bot_token"),
        ("BILIM_TELEGRAM_WEBHOOK_SECRET", "webhook_secret-1"),
        ("BILIM_TELEGRAM_API_URL", "http://127.0.0.1:8081/"),
        ("BILIM_TELEGRAM_TOKEN_MINUTES", "15"),
        ("BILIM_TELEGRAM_REQUIRED_CHANNEL", "@bilim_uz"),
    ]))
    .unwrap()
    .telegram;
    assert!(on.enabled());
    assert_eq!(on.api_url, "http://127.0.0.1:8081");
    assert_eq!(on.token_minutes, 15);

    for (pairs, variable) in [
        (
            vec![("BILIM_TELEGRAM_BOT_TOKEN", "123456:AA-bot_token")],
            "BILIM_TELEGRAM_WEBHOOK_SECRET",
        ),
        (
            vec![("BILIM_TELEGRAM_WEBHOOK_SECRET", "only-the-secret")],
            "BILIM_TELEGRAM_WEBHOOK_SECRET",
        ),
        (
            vec![("BILIM_TELEGRAM_BOT_SECRET", "short")],
            "BILIM_TELEGRAM_BOT_SECRET",
        ),
        (
            vec![
                ("BILIM_TELEGRAM_BOT_TOKEN", "no-colon"),
                ("BILIM_TELEGRAM_WEBHOOK_SECRET", "ok"),
            ],
            "BILIM_TELEGRAM_BOT_TOKEN",
        ),
        (
            vec![
                ("BILIM_TELEGRAM_BOT_TOKEN", "1:a"),
                ("BILIM_TELEGRAM_WEBHOOK_SECRET", "has spaces!"),
            ],
            "BILIM_TELEGRAM_WEBHOOK_SECRET",
        ),
        (
            vec![("BILIM_TELEGRAM_TOKEN_MINUTES", "0")],
            "BILIM_TELEGRAM_TOKEN_MINUTES",
        ),
        (
            vec![("BILIM_TELEGRAM_TOKEN_MINUTES", "1441")],
            "BILIM_TELEGRAM_TOKEN_MINUTES",
        ),
        (
            vec![("BILIM_TELEGRAM_API_URL", "ftp://x")],
            "BILIM_TELEGRAM_API_URL",
        ),
        (
            vec![("BILIM_TELEGRAM_REQUIRED_CHANNEL", "bilim")],
            "BILIM_TELEGRAM_REQUIRED_CHANNEL",
        ),
        (
            vec![("BILIM_TELEGRAM_REGISTER_URL", "bilim.uz/register")],
            "BILIM_TELEGRAM_REGISTER_URL",
        ),
    ] {
        let error = Settings::from_vars(vars(&pairs)).unwrap_err();
        assert!(
            error
                .lines
                .iter()
                .any(|l| l.starts_with(&format!("{variable}: "))),
            "{pairs:?}: {error}"
        );
    }
}

#[test]
fn telegram_secrets_never_print() {
    let settings = Settings::from_vars(vars(&[
        ("BILIM_TELEGRAM_BOT_SECRET", "bot-secret-never-printed"),
        ("BILIM_TELEGRAM_BOT_TOKEN", "123456:token-never-printed"),
        ("BILIM_TELEGRAM_WEBHOOK_SECRET", "webhook-never-printed"),
    ]))
    .unwrap();
    let shown = format!("{settings:?}");
    assert!(!shown.contains("never-printed"), "{shown}");
}
