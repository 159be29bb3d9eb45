//! Refresh tokens (`Sessions`, and `Accounts` on top): every refresh rotates,
//! a rotated token presented again revokes its whole family, logout ends a
//! family (docs/architecture.md "Tokens and sessions").

use crate::support::{ROOMY, SECRET, clock, code_kit, dyn_clock, err_code, seconds};
use bilim_domain::ports::ManualClock;
use bilim_domain::sessions::{Audience, Session};
use bilim_domain::users::{User, UserRole};
use bilim_service::accounts::Accounts;
use bilim_service::passwords::Passwords;
use bilim_service::sessions::{Sessions, Subject, TokenPair};
use bilim_service::tokens::AccessTokens;
use bilim_testkit::fakes::{InMemorySessionRepository, InMemoryUserRepository};
use chrono::Duration;
use std::sync::Arc;
use uuid::Uuid;

struct Kit {
    clock: Arc<ManualClock>,
    repository: Arc<InMemorySessionRepository>,
    sessions: Sessions,
    subject_id: Uuid,
}

fn kit() -> Kit {
    let clock = clock();
    let repository = Arc::new(InMemorySessionRepository::new());
    let access = AccessTokens::new(SECRET, dyn_clock(&clock));
    let sessions = Sessions::new(repository.clone(), access, dyn_clock(&clock));
    Kit {
        clock,
        repository,
        sessions,
        subject_id: Uuid::now_v7(),
    }
}

impl Kit {
    fn subject(&self) -> Subject<'static> {
        Subject {
            audience: Audience::User,
            id: self.subject_id,
            email: "aziz@example.uz",
            token_version: 0,
        }
    }

    async fn login(&self) -> TokenPair {
        self.sessions.start(&self.subject()).await.unwrap()
    }

    /// Redeems `token` and continues its family: what a refresh does.
    async fn refresh(&self, token: &TokenPair) -> Result<TokenPair, &'static str> {
        let redeemed = self
            .sessions
            .redeem(Audience::User, &token.refresh_token)
            .await;
        let redeemed = redeemed.map_err(|e| crate::support::code(&e))?;
        let next = self
            .sessions
            .continue_family(&self.subject(), &redeemed)
            .await;
        next.map_err(|e| crate::support::code(&e))
    }

    fn family_of(&self, token: &TokenPair) -> Uuid {
        let access = self.sessions.access();
        access
            .verify(&token.access_token, Audience::User)
            .unwrap()
            .sid
    }

    fn clock_now(&self) -> chrono::DateTime<chrono::Utc> {
        use bilim_domain::ports::Clock;
        self.clock.now()
    }

    fn all_revoked(&self, family: Uuid) -> bool {
        let sessions = self.repository.family(family);
        !sessions.is_empty() && sessions.iter().all(|s: &Session| s.revoked_at.is_some())
    }
}

#[tokio::test]
async fn a_refresh_rotates_the_token_within_its_family() {
    let kit = kit();
    let first = kit.login().await;
    let family = kit.family_of(&first);
    kit.clock.advance(seconds(30));

    let second = kit.refresh(&first).await.unwrap();

    assert_ne!(second.refresh_token, first.refresh_token);
    assert_eq!(kit.family_of(&second), family);
    let rows = kit.repository.family(family);
    assert_eq!(rows.len(), 2);
    assert_eq!(rows[0].rotated_at, Some(kit.clock_now()));
    assert!(rows[1].is_live(kit.clock_now()));
    // The new session has a fresh 30 days, and the chain goes on.
    assert_eq!(rows[1].expires_at, kit.clock_now() + Duration::days(30));
    assert_eq!(second.refresh_expires_in, 30 * 24 * 3600);
    assert!(kit.refresh(&second).await.is_ok());
}

#[tokio::test]
async fn the_refresh_token_itself_is_never_stored() {
    let kit = kit();
    let pair = kit.login().await;

    let stored = kit.repository.all();
    assert_eq!(stored.len(), 1);
    assert_ne!(stored[0].token_hash, pair.refresh_token.as_bytes());
    assert_eq!(stored[0].token_hash.len(), 32);
}

#[tokio::test]
async fn reusing_a_rotated_token_revokes_the_whole_family() {
    let kit = kit();
    let stolen = kit.login().await;
    let family = kit.family_of(&stolen);
    let other_login = kit.login().await;
    let rotated = kit.refresh(&stolen).await.unwrap();

    assert_eq!(
        kit.refresh(&stolen).await.unwrap_err(),
        "auth.refresh_invalid"
    );

    assert!(kit.all_revoked(family));
    // The rightful holder's newer token died with the family…
    assert_eq!(
        kit.refresh(&rotated).await.unwrap_err(),
        "auth.refresh_invalid"
    );
    // …but another login of the same user lives on.
    assert!(kit.refresh(&other_login).await.is_ok());
}

#[tokio::test]
async fn a_reuse_racing_a_rotation_leaves_the_family_dead() {
    let kit = kit();
    let pair = kit.login().await;
    let family = kit.family_of(&pair);

    // The winner redeems the token; before its next token is stored, a copy
    // of the old one is presented.
    let redeemed = kit
        .sessions
        .redeem(Audience::User, &pair.refresh_token)
        .await
        .unwrap();
    let reuse = kit
        .sessions
        .redeem(Audience::User, &pair.refresh_token)
        .await;
    assert_eq!(err_code(reuse), "auth.refresh_invalid");
    let next = kit
        .sessions
        .continue_family(&kit.subject(), &redeemed)
        .await;

    assert_eq!(err_code(next), "auth.refresh_invalid");
    assert_eq!(kit.repository.family(family).len(), 2);
    assert!(kit.all_revoked(family));
}

/// One thread and a repository that yields in `mark_rotated`: every racer
/// finds the session live before any marks it, on every run.
#[tokio::test]
async fn of_concurrent_refreshes_of_one_token_one_redeems_and_the_family_dies() {
    let kit = Arc::new(kit());
    let pair = kit.login().await;
    let family = kit.family_of(&pair);

    let racers: Vec<_> = (0..10)
        .map(|_| {
            let (kit, token) = (Arc::clone(&kit), pair.refresh_token.clone());
            tokio::spawn(async move { kit.sessions.redeem(Audience::User, &token).await })
        })
        .collect();
    let mut redeemed = Vec::new();
    for racer in racers {
        if let Ok(session) = racer.await.unwrap() {
            redeemed.push(session);
        }
    }

    assert_eq!(redeemed.len(), 1);
    let next = kit
        .sessions
        .continue_family(&kit.subject(), &redeemed[0])
        .await;
    assert_eq!(err_code(next), "auth.refresh_invalid");
    assert!(kit.all_revoked(family));
}

#[tokio::test]
async fn a_refresh_token_lasts_thirty_days_of_the_clock() {
    let kit = kit();
    let kept = kit.login().await;
    let forgotten = kit.login().await;

    kit.clock.advance(Duration::days(30) - seconds(1));
    assert!(kit.refresh(&kept).await.is_ok());
    kit.clock.advance(seconds(1));
    assert_eq!(
        kit.refresh(&forgotten).await.unwrap_err(),
        "auth.refresh_invalid"
    );
}

#[tokio::test]
async fn a_token_of_the_other_audience_is_simply_refused() {
    let kit = kit();
    let pair = kit.login().await;

    let admin = kit
        .sessions
        .redeem(Audience::Admin, &pair.refresh_token)
        .await;
    assert_eq!(err_code(admin), "auth.refresh_invalid");
    kit.sessions
        .end(Audience::Admin, &pair.refresh_token)
        .await
        .unwrap();

    // Neither revoked the family.
    assert!(kit.refresh(&pair).await.is_ok());
}

#[tokio::test]
async fn logout_ends_the_family_of_its_token_only() {
    let kit = kit();
    let phone = kit.login().await;
    let laptop = kit.login().await;
    let rotated = kit.refresh(&phone).await.unwrap();

    kit.sessions
        .end(Audience::User, &rotated.refresh_token)
        .await
        .unwrap();

    assert!(kit.all_revoked(kit.family_of(&phone)));
    assert_eq!(
        kit.refresh(&rotated).await.unwrap_err(),
        "auth.refresh_invalid"
    );
    assert!(kit.refresh(&laptop).await.is_ok());
    // Logging out twice, or with a token nobody knows, is not an error.
    kit.sessions
        .end(Audience::User, &rotated.refresh_token)
        .await
        .unwrap();
    kit.sessions
        .end(Audience::User, "no such token")
        .await
        .unwrap();
}

#[tokio::test]
async fn ending_all_sessions_may_spare_the_callers_family() {
    let kit = kit();
    let (kept, ended) = (kit.login().await, kit.login().await);
    let someone_else = Subject {
        id: Uuid::now_v7(),
        ..kit.subject()
    };
    let other_user = kit.sessions.start(&someone_else).await.unwrap();

    let spared = kit.family_of(&kept);
    kit.sessions
        .end_all(Audience::User, kit.subject_id, Some(spared))
        .await
        .unwrap();

    assert!(kit.all_revoked(kit.family_of(&ended)));
    assert!(kit.refresh(&kept).await.is_ok());
    assert!(!kit.all_revoked(kit.family_of(&other_user)));
}

/// `Accounts` over fakes, for what it adds to `Sessions`: the user behind a
/// refresh must still be active, and logout everywhere ends access tokens.
struct AccountKit {
    accounts: Accounts,
    /// The same sessions `accounts` uses, to log in without a password.
    sessions: Sessions,
    repository: Arc<InMemorySessionRepository>,
    users: Arc<InMemoryUserRepository>,
}

fn accounts() -> AccountKit {
    let users = Arc::new(InMemoryUserRepository::new());
    let codes = code_kit(ROOMY);
    let repository = Arc::new(InMemorySessionRepository::new());
    let clock = dyn_clock(&codes.clock);
    let access = AccessTokens::new(SECRET, clock.clone());
    let sessions = Sessions::new(repository.clone(), access, clock.clone());
    let accounts = Accounts::new(
        users.clone(),
        Passwords::default(),
        codes.codes,
        sessions.clone(),
        codes.outbox,
        codes.store,
        clock,
    );
    AccountKit {
        accounts,
        sessions,
        repository,
        users,
    }
}

impl AccountKit {
    async fn login(&self, user: &User) -> TokenPair {
        let subject = Subject {
            audience: Audience::User,
            id: user.id,
            email: &user.email,
            token_version: user.token_version,
        };
        self.sessions.start(&subject).await.unwrap()
    }

    fn user(&self) -> User {
        let now = crate::support::start();
        self.users.add("aziz@example.uz", UserRole::Student, now)
    }

    fn all_revoked(&self) -> bool {
        self.repository.all().iter().all(|s| s.revoked_at.is_some())
    }
}

#[tokio::test]
async fn a_refresh_for_a_deactivated_user_ends_the_family() {
    let kit = accounts();
    let user = kit.user();
    let pair = kit.login(&user).await;
    let next = kit.accounts.refresh(&pair.refresh_token).await.unwrap();

    let mut inactive = kit.users.get(user.id).unwrap();
    inactive.active = false;
    kit.users.put(inactive);
    let refused = kit.accounts.refresh(&next.refresh_token).await;

    assert_eq!(err_code(refused), "auth.refresh_invalid");
    assert!(kit.all_revoked());
}

#[tokio::test]
async fn logout_everywhere_ends_every_session_and_access_token() {
    let kit = accounts();
    let user = kit.user();
    let (phone, laptop) = (kit.login(&user).await, kit.login(&user).await);
    assert!(
        kit.accounts
            .authenticate(&laptop.access_token)
            .await
            .is_ok()
    );

    kit.accounts.logout_all(user.id).await.unwrap();

    for pair in [&phone, &laptop] {
        let access = kit.accounts.authenticate(&pair.access_token).await;
        assert_eq!(err_code(access), "auth.token_invalid");
        let refresh = kit.accounts.refresh(&pair.refresh_token).await;
        assert_eq!(err_code(refresh), "auth.refresh_invalid");
    }
    assert!(kit.all_revoked());
}

#[tokio::test]
async fn logout_through_accounts_ends_the_family() {
    let kit = accounts();
    let user = kit.user();
    let pair = kit.login(&user).await;

    kit.accounts.logout(&pair.refresh_token).await.unwrap();

    assert!(kit.all_revoked());
    let refresh = kit.accounts.refresh(&pair.refresh_token).await;
    assert_eq!(err_code(refresh), "auth.refresh_invalid");
}
