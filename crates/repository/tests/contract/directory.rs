//! The `UserDirectory` contract, and the totals `SeaUserRepository` keeps for it,
//! on a fresh database per test: SQLite, or PostgreSQL when `TEST_DATABASE_URL`
//! is set.

use crate::users::{Fixture, migrated_database, now};
use bilim_domain::DomainError;
use bilim_domain::ports::{UserDirectory, UserQuery, UserRepository, UserStatus, UserTotals};
use bilim_domain::users::{NewUser, ProfileChanges, User, UserRole};
use bilim_domain::values::{Email, PersonName, Phone};
use bilim_repository::database::{Database, DatabaseOptions};
use bilim_repository::directory::SeaUserDirectory;
use bilim_repository::users::SeaUserRepository;
use bilim_testkit::TestDatabase;
use migration::{Migrator, MigratorTrait};
use sea_orm::{ConnectionTrait, DatabaseBackend, Statement};
use std::sync::Arc;
use uuid::Uuid;

struct Setup {
    _fixture: Fixture,
    users: Arc<dyn UserRepository>,
    directory: Arc<dyn UserDirectory>,
}

async fn setup() -> Setup {
    let fixture = migrated_database().await;
    Setup {
        users: Arc::new(SeaUserRepository::new(fixture.db.clone())),
        directory: Arc::new(SeaUserDirectory::new(fixture.db.clone())),
        _fixture: fixture,
    }
}

fn person(first_name: &str, last_name: &str, email: &str, phone: Option<&str>) -> NewUser {
    NewUser {
        id: Uuid::now_v7(),
        first_name: PersonName::parse("first_name", first_name).unwrap(),
        last_name: PersonName::parse("last_name", last_name).unwrap(),
        email: Email::parse(email).unwrap(),
        phone: phone.map(|phone| Phone::parse(phone).unwrap()),
        password_hash: "$argon2id$v=19$m=19456,t=2,p=1$c2FsdA$aGFzaA".to_owned(),
        role: UserRole::Student,
        email_verified_at: None,
        now: now(),
    }
}

fn numbered(n: usize) -> NewUser {
    person("Aziz", "Karimov", &format!("user{n}@example.uz"), None)
}

fn query(status: UserStatus, search: Option<&str>) -> UserQuery {
    UserQuery {
        status,
        search: search.map(str::to_owned),
        after: None,
        limit: 100,
    }
}

impl Setup {
    async fn insert(&self, user: NewUser) -> User {
        self.users.insert(user).await.unwrap()
    }

    async fn ids(&self, query: UserQuery) -> Vec<Uuid> {
        let users = self.directory.list(&query).await.unwrap();
        users.into_iter().map(|user| user.id).collect()
    }

    async fn search(&self, search: &str) -> Vec<Uuid> {
        self.ids(query(UserStatus::All, Some(search))).await
    }

    async fn totals(&self) -> (u64, u64) {
        let UserTotals { active, inactive } = self.directory.totals().await.unwrap();
        (active, inactive)
    }

    /// Every page of `query`, following the keyset until an empty page.
    async fn all_pages(&self, mut query: UserQuery) -> Vec<Vec<Uuid>> {
        let mut pages = Vec::new();
        loop {
            let page = self.ids(query.clone()).await;
            if page.is_empty() {
                return pages;
            }
            assert!(page.len() as u64 <= query.limit);
            query.after = page.last().copied();
            pages.push(page);
        }
    }
}

/// Ids newest first, as the directory lists them.
fn newest_first<'a>(users: impl IntoIterator<Item = &'a User>) -> Vec<Uuid> {
    let mut ids: Vec<Uuid> = users.into_iter().map(|user| user.id).collect();
    ids.sort_unstable_by(|a, b| b.cmp(a));
    ids
}

#[tokio::test]
async fn the_status_filter_lists_active_inactive_or_all_users_newest_first() {
    let setup = setup().await;
    let mut users = Vec::new();
    for n in 0..5 {
        users.push(setup.insert(numbered(n)).await);
    }
    for user in [&users[1], &users[3]] {
        setup.users.set_active(user.id, false, now()).await.unwrap();
    }

    let active = setup.ids(query(UserStatus::Active, None)).await;
    let inactive = setup.ids(query(UserStatus::Inactive, None)).await;
    let all = setup.ids(query(UserStatus::All, None)).await;

    assert_eq!(active, vec![users[4].id, users[2].id, users[0].id]);
    assert_eq!(inactive, vec![users[3].id, users[1].id]);
    assert_eq!(all, newest_first(&users));
    let listed = setup
        .directory
        .list(&query(UserStatus::Inactive, None))
        .await
        .unwrap();
    assert!(listed.iter().all(|user| !user.active));
    assert_eq!(
        listed[0],
        setup.users.find_by_id(users[3].id).await.unwrap().unwrap()
    );
}

#[tokio::test]
async fn search_finds_part_of_a_name_email_or_phone_in_any_case_and_script() {
    let setup = setup().await;
    let muhammad = setup
        .insert(person(
            "Муҳаммад",
            "Юсупов",
            "m.yusupov@mail.uz",
            Some("+998 93 555 12 34"),
        ))
        .await;
    let oktam = setup
        .insert(person(
            "Oʻktam",
            "Karimov",
            "OKTAM.K@Example.UZ",
            Some("+998 90 123 45 67"),
        ))
        .await;
    let dilnoza = setup
        .insert(person("Dilnoza", "Rahimova", "dilnoza@bilim.uz", None))
        .await;

    assert_eq!(setup.search("муҳам").await, vec![muhammad.id]);
    assert_eq!(setup.search("МУҲАМ").await, vec![muhammad.id]);
    assert_eq!(setup.search("юсуп").await, vec![muhammad.id]);
    assert_eq!(setup.search("oʻkt").await, vec![oktam.id]);
    assert_eq!(setup.search("arimo").await, vec![oktam.id]);
    assert_eq!(setup.search("KARIMOV").await, vec![oktam.id]);
    assert_eq!(setup.search("oktam.k@exa").await, vec![oktam.id]);
    assert_eq!(setup.search("9012345").await, vec![oktam.id]);
    assert_eq!(setup.search("+99893").await, vec![muhammad.id]);
    assert_eq!(setup.search("dilnoza rahim").await, vec![dilnoza.id]);
    assert_eq!(
        setup.search("mov").await,
        vec![dilnoza.id, oktam.id],
        "Rahimova and Karimov, newest first"
    );
    assert_eq!(
        setup.search(".uz").await,
        newest_first([&muhammad, &oktam, &dilnoza])
    );
    assert_eq!(
        setup.search("").await.len(),
        3,
        "an empty search filters nothing"
    );
    assert_eq!(setup.search("toshkent").await, Vec::<Uuid>::new());

    // Search and status together.
    setup
        .users
        .set_active(oktam.id, false, now())
        .await
        .unwrap();
    assert_eq!(
        setup.ids(query(UserStatus::Active, Some(".uz"))).await,
        vec![dilnoza.id, muhammad.id]
    );
    assert_eq!(
        setup.ids(query(UserStatus::Inactive, Some("karim"))).await,
        vec![oktam.id]
    );
    assert_eq!(
        setup
            .ids(query(UserStatus::Inactive, Some("dilnoza")))
            .await,
        Vec::<Uuid>::new()
    );
}

#[tokio::test]
async fn percent_underscore_and_backslash_in_a_search_are_literal() {
    let setup = setup().await;
    let underscore = setup
        .insert(person("Aziz", "Karimov", "a_b@example.uz", None))
        .await;
    let percent = setup
        .insert(person("Aziz", "Karimov", "a%b@example.uz", None))
        .await;
    let plain = setup
        .insert(person("Aziz", "Karimov", "axb@example.uz", None))
        .await;

    assert_eq!(setup.search("a_b").await, vec![underscore.id]);
    assert_eq!(setup.search("a%b").await, vec![percent.id]);
    assert_eq!(setup.search("_").await, vec![underscore.id]);
    assert_eq!(setup.search("%").await, vec![percent.id]);
    assert_eq!(setup.search("axb").await, vec![plain.id]);
    assert_eq!(setup.search("\\").await, Vec::<Uuid>::new());
    assert_eq!(setup.search("a\\_b").await, Vec::<Uuid>::new());
    assert_eq!(setup.search("\\%").await, Vec::<Uuid>::new());
}

#[tokio::test]
async fn a_profile_change_is_searchable_at_once() {
    let setup = setup().await;
    let user = setup
        .insert(person(
            "Aziz",
            "Karimov",
            "aziz@example.uz",
            Some("+998 90 123 45 67"),
        ))
        .await;

    setup
        .users
        .update_profile(
            user.id,
            ProfileChanges {
                first_name: Some(PersonName::parse("first_name", "Гулом").unwrap()),
                phone: Some(None),
                ..ProfileChanges::default()
            },
            now(),
        )
        .await
        .unwrap();

    assert_eq!(setup.search("aziz k").await, Vec::<Uuid>::new());
    assert_eq!(setup.search("901234").await, Vec::<Uuid>::new());
    assert_eq!(setup.search("гулом karimov").await, vec![user.id]);
    assert_eq!(setup.search("aziz@").await, vec![user.id]);
}

#[tokio::test]
async fn keyset_pages_cover_every_user_exactly_once_in_order() {
    let setup = setup().await;
    let mut users = Vec::new();
    for n in 0..23 {
        let user = if n % 3 == 0 {
            person("Laylo", "Nazarova", &format!("laylo{n}@example.uz"), None)
        } else {
            numbered(n)
        };
        let user = setup.insert(user).await;
        if n % 4 == 0 {
            setup.users.set_active(user.id, false, now()).await.unwrap();
        }
        users.push(setup.users.find_by_id(user.id).await.unwrap().unwrap());
    }

    for (status, search) in [
        (UserStatus::All, None),
        (UserStatus::Active, None),
        (UserStatus::Inactive, None),
        (UserStatus::All, Some("laylo")),
        (UserStatus::Active, Some("laylo")),
    ] {
        let expected = newest_first(users.iter().filter(|user| {
            let status_ok = match status {
                UserStatus::All => true,
                UserStatus::Active => user.active,
                UserStatus::Inactive => !user.active,
            };
            status_ok && search.is_none_or(|_| user.first_name == "Laylo")
        }));
        for limit in [1, 4, 7, 100] {
            let pages = setup
                .all_pages(UserQuery {
                    limit,
                    ..query(status, search)
                })
                .await;
            assert_eq!(
                pages.concat(),
                expected,
                "{status:?} {search:?} in pages of {limit}"
            );
        }
    }
    let nothing = UserQuery {
        limit: 0,
        ..query(UserStatus::All, None)
    };
    assert_eq!(setup.ids(nothing).await, Vec::<Uuid>::new());
}

#[tokio::test]
async fn totals_follow_inserts_and_real_changes_of_active_only() {
    let setup = setup().await;
    assert_eq!(setup.totals().await, (0, 0));
    let mut users = Vec::new();
    for n in 0..4 {
        users.push(setup.insert(numbered(n)).await);
    }
    assert_eq!(setup.totals().await, (4, 0));

    setup
        .users
        .set_active(users[0].id, false, now())
        .await
        .unwrap();
    setup
        .users
        .set_active(users[1].id, false, now())
        .await
        .unwrap();
    assert_eq!(setup.totals().await, (2, 2));

    // Repeating a call changes nothing, not even the token version.
    for _ in 0..3 {
        setup
            .users
            .set_active(users[0].id, false, now())
            .await
            .unwrap();
        setup
            .users
            .set_active(users[2].id, true, now())
            .await
            .unwrap();
    }
    assert_eq!(setup.totals().await, (2, 2));
    let deactivated = setup.users.find_by_id(users[0].id).await.unwrap().unwrap();
    assert_eq!(deactivated.token_version, 1);

    setup
        .users
        .set_active(users[0].id, true, now())
        .await
        .unwrap();
    assert_eq!(setup.totals().await, (3, 1));

    // A refused insert (taken email) and an unknown user count for nothing.
    assert!(setup.users.insert(numbered(0)).await.is_err());
    assert_eq!(
        setup.users.set_active(Uuid::now_v7(), false, now()).await,
        Err(DomainError::NotFound)
    );
    assert_eq!(
        setup.users.set_active(Uuid::now_v7(), true, now()).await,
        Err(DomainError::NotFound)
    );
    assert_eq!(setup.totals().await, (3, 1));
    assert_eq!(setup.ids(query(UserStatus::Active, None)).await.len(), 3);
    assert_eq!(setup.ids(query(UserStatus::Inactive, None)).await.len(), 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn concurrent_flips_of_twenty_users_keep_the_totals_exact() {
    let setup = setup().await;
    let mut ids = Vec::new();
    for n in 0..20 {
        ids.push(setup.insert(numbered(n)).await.id);
    }

    // Each user deactivated by two racing calls: one changes it, one finds it done.
    let flip = async |active: bool, ids: &[Uuid]| {
        let tasks: Vec<_> = ids
            .iter()
            .chain(ids.iter())
            .map(|&id| {
                let users = Arc::clone(&setup.users);
                tokio::spawn(async move { users.set_active(id, active, now()).await })
            })
            .collect();
        for task in tasks {
            task.await.unwrap().unwrap();
        }
    };
    flip(false, &ids).await;
    assert_eq!(setup.totals().await, (0, 20));
    for &id in &ids {
        let user = setup.users.find_by_id(id).await.unwrap().unwrap();
        assert_eq!(user.token_version, 1, "deactivated once");
    }

    flip(true, &ids[..12]).await;
    assert_eq!(setup.totals().await, (12, 8));

    // Twenty at once in both directions.
    let tasks: Vec<_> = ids
        .iter()
        .enumerate()
        .map(|(n, &id)| {
            let users = Arc::clone(&setup.users);
            tokio::spawn(async move { users.set_active(id, n >= 12, now()).await })
        })
        .collect();
    for task in tasks {
        task.await.unwrap().unwrap();
    }
    assert_eq!(setup.totals().await, (8, 12));
    assert_eq!(setup.ids(query(UserStatus::Active, None)).await.len(), 8);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn concurrent_registrations_are_all_counted() {
    let setup = setup().await;
    let tasks: Vec<_> = (0..20)
        .map(|n| {
            let users = Arc::clone(&setup.users);
            tokio::spawn(async move { users.insert(numbered(n % 15)).await })
        })
        .collect();
    let mut stored = 0;
    for task in tasks {
        if task.await.unwrap().is_ok() {
            stored += 1;
        }
    }
    assert_eq!(stored, 15);
    assert_eq!(setup.totals().await, (15, 0));
}

/// Users stored before the migration that adds the directory are counted and
/// searchable after it (the search text is filled in Rust, so Cyrillic too).
#[tokio::test]
async fn the_migration_counts_and_indexes_the_users_already_stored() {
    let dir = tempfile::tempdir().unwrap();
    let test_db = TestDatabase::create(dir.path()).await;
    let db = Database::connect(&DatabaseOptions::new(test_db.url()))
        .await
        .unwrap();
    Migrator::up(db.connection(), Some(1)).await.unwrap();
    let backend = db.backend();
    let placeholders = match backend {
        DatabaseBackend::Postgres => "$1, $2, $3, $4, $5, $6, $7",
        _ => "?, ?, ?, ?, ?, ?, ?",
    };
    let rows = [
        (
            "Муҳаммад",
            "Юсупов",
            "m@example.uz",
            Some("+998935551234"),
            true,
        ),
        ("Aziz", "Karimov", "aziz@example.uz", None, false),
        ("Laylo", "Nazarova", "laylo@example.uz", None, true),
    ];
    let mut ids = Vec::new();
    for (first_name, last_name, email, phone, active) in rows {
        let id = Uuid::now_v7();
        ids.push(id);
        let at = now().fixed_offset();
        let sql = format!(
            "INSERT INTO users (id, first_name, last_name, email, phone, created_at, \
             updated_at, password_hash, active) VALUES ({placeholders}, '$argon2id$x', {})",
            if active { "TRUE" } else { "FALSE" },
        );
        let values: [sea_orm::Value; 7] = [
            id.into(),
            first_name.into(),
            last_name.into(),
            email.into(),
            phone.map(str::to_owned).into(),
            at.into(),
            at.into(),
        ];
        db.connection()
            .execute_raw(Statement::from_sql_and_values(backend, sql, values))
            .await
            .unwrap();
    }

    db.migrate().await.unwrap();

    let directory = SeaUserDirectory::new(db.clone());
    assert_eq!(
        directory.totals().await.unwrap(),
        UserTotals {
            active: 2,
            inactive: 1
        }
    );
    let found = directory
        .list(&query(UserStatus::All, Some("муҳам")))
        .await
        .unwrap();
    assert_eq!(found.iter().map(|u| u.id).collect::<Vec<_>>(), vec![ids[0]]);
    let found = directory
        .list(&query(UserStatus::Inactive, Some("karimov aziz@")))
        .await
        .unwrap();
    assert_eq!(found.iter().map(|u| u.id).collect::<Vec<_>>(), vec![ids[1]]);
    db.close().await;
}
