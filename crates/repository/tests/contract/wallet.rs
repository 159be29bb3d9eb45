//! The wallet ports (`WalletRepository`, `IdempotencyStore`) and the purchase
//! of `SubscriptionRepository` on a fresh database per test: SQLite, or
//! PostgreSQL when `TEST_DATABASE_URL` is set. Money rules hold in the
//! database: a debit is one conditional update, concurrent debits never
//! overdraw, the ledger always sums to the balance, and one key has one
//! effect. The property test is in `wallet_property.rs`.

use crate::admins::new_admin;
use crate::catalogue::audit_entry;
use crate::users::{Fixture, migrated_database, now};
use bilim_domain::DomainError;
use bilim_domain::idempotency::{KeyClaim, StoredAnswer};
use bilim_domain::ports::{
    AdminRepository, INSUFFICIENT_FUNDS, IdempotencyStore, SubscriptionRepository, UserRepository,
    WalletRepository,
};
use bilim_domain::shop::Purchase;
use bilim_domain::users::{NewUser, UserRole};
use bilim_domain::values::{DeviceId, Email, Months, PersonName};
use bilim_domain::wallet::{BalanceChange, EntryKind};
use bilim_repository::admins::SeaAdminRepository;
use bilim_repository::idempotency::SeaIdempotencyStore;
use bilim_repository::shop::SeaSubscriptionRepository;
use bilim_repository::users::SeaUserRepository;
use bilim_repository::wallet::SeaWalletRepository;
use chrono::{DateTime, Duration, Utc};
use sea_orm::ConnectionTrait;
use std::sync::Arc;
use uuid::Uuid;

/// `kundalik-mobile`, created by the migration.
pub const MOBILE: &str = "0193a000-0000-7000-8000-000000000002";
pub const MOBILE_PRICE: i64 = 15_000;

pub struct Wallets {
    pub fixture: Fixture,
    pub wallet: Arc<SeaWalletRepository>,
    pub subscriptions: Arc<SeaSubscriptionRepository>,
    pub user: Uuid,
    pub admin: Uuid,
}

pub async fn wallets() -> Wallets {
    let fixture = migrated_database().await;
    let db = fixture.db.clone();
    let user = SeaUserRepository::new(db.clone())
        .insert(NewUser {
            id: Uuid::now_v7(),
            first_name: PersonName::parse("first_name", "Sardor").unwrap(),
            last_name: PersonName::parse("last_name", "Aliyev").unwrap(),
            email: Email::parse("sardor@example.uz").unwrap(),
            phone: None,
            password_hash: "x".into(),
            role: UserRole::Student,
            email_verified_at: None,
            now: now(),
        })
        .await
        .unwrap()
        .id;
    let admin = SeaAdminRepository::new(db.clone())
        .insert(new_admin("kassir", "kassir@bilim.uz"), None)
        .await
        .unwrap()
        .id;
    Wallets {
        wallet: Arc::new(SeaWalletRepository::new(db.clone())),
        subscriptions: Arc::new(SeaSubscriptionRepository::new(db)),
        fixture,
        user,
        admin,
    }
}

pub fn change(user: Uuid, amount: i64, kind: EntryKind) -> BalanceChange {
    BalanceChange {
        entry_id: Uuid::now_v7(),
        user_id: user,
        amount,
        kind,
        note: None,
        admin_id: None,
        reference: None,
        at: now(),
    }
}

pub fn purchase(user: Uuid, device: &str, months: i64, at: DateTime<Utc>) -> Purchase {
    let months = Months::parse("months", "validation", months).unwrap();
    Purchase {
        user_id: user,
        product_id: Uuid::parse_str(MOBILE).unwrap(),
        months,
        device_id: DeviceId::parse("device_id", device).unwrap(),
        subjects: Vec::new(),
        total: MOBILE_PRICE * i64::from(months.get()),
        subscription_id: Uuid::now_v7(),
        entry_id: Uuid::now_v7(),
        licence_key_hash: None,
        now: at,
    }
}

impl Wallets {
    /// The balance, after checking that the whole ledger sums to it.
    pub async fn checked_balance(&self) -> i64 {
        let balance = self.wallet.balance(self.user).await.unwrap();
        let entries = self.wallet.entries(self.user, None, 10_000).await.unwrap();
        let sum: i64 = entries.iter().map(|e| e.amount).sum();
        assert_eq!(sum, balance, "the ledger sums to the balance");
        assert!(balance >= 0);
        assert!(entries.iter().all(|e| e.balance_after >= 0));
        balance
    }
}

#[tokio::test]
async fn credits_and_debits_move_the_balance_with_their_ledger_rows() {
    let w = wallets().await;
    let credited = w
        .wallet
        .apply(&change(w.user, 5000, EntryKind::TopUp), None)
        .await
        .unwrap();
    assert_eq!(
        (credited.balance, credited.entry.balance_after),
        (5000, 5000)
    );
    let debited = w
        .wallet
        .apply(&change(w.user, -1500, EntryKind::Adjustment), None)
        .await
        .unwrap();
    assert_eq!(debited.balance, 3500);
    let refused = w
        .wallet
        .apply(&change(w.user, -3501, EntryKind::Adjustment), None)
        .await;
    assert_eq!(
        refused,
        Err(DomainError::Conflict {
            what: INSUFFICIENT_FUNDS.into()
        })
    );
    assert_eq!(w.checked_balance().await, 3500);
    assert_eq!(w.wallet.entries(w.user, None, 100).await.unwrap().len(), 2);
    let nobody = w
        .wallet
        .apply(&change(Uuid::now_v7(), 10, EntryKind::TopUp), None)
        .await;
    assert_eq!(nobody, Err(DomainError::NotFound));
    // Newest first, by keyset.
    let first = w.wallet.entries(w.user, None, 1).await.unwrap();
    assert_eq!(first[0].amount, -1500);
    let next = w
        .wallet
        .entries(w.user, Some(first[0].id), 1)
        .await
        .unwrap();
    assert_eq!(next[0].amount, 5000);
}

#[tokio::test]
async fn an_audited_change_commits_with_its_entry_or_not_at_all() {
    let w = wallets().await;
    let entry = audit_entry(w.admin, "wallet.top_up", &w.user.to_string());
    w.wallet
        .apply(&change(w.user, 700, EntryKind::TopUp), Some(&entry))
        .await
        .unwrap();
    // A repeated audit id breaks its insert: the change rolls back with it.
    let again = w
        .wallet
        .apply(&change(w.user, 700, EntryKind::TopUp), Some(&entry))
        .await;
    assert!(again.is_err());
    assert_eq!(w.checked_balance().await, 700);
}

#[tokio::test]
async fn the_database_refuses_a_negative_balance_whoever_writes_it() {
    let w = wallets().await;
    let connection = w.fixture.db.connection();
    let refused = connection
        .execute_unprepared("UPDATE users SET balance = -1")
        .await;
    assert!(refused.is_err(), "CHECK (balance >= 0)");
    let zero = connection
        .execute_unprepared(&format!(
            "INSERT INTO wallet_entries (id, user_id, amount, balance_after, kind, created_at) \
             VALUES ('{}', '{}', 0, 0, 'top_up', '2026-01-01T00:00:00+00:00')",
            Uuid::now_v7(),
            w.user
        ))
        .await;
    assert!(zero.is_err(), "CHECK (amount <> 0)");
}

#[tokio::test]
async fn fifty_concurrent_debits_never_overdraw() {
    let w = Arc::new(wallets().await);
    w.wallet
        .apply(&change(w.user, 3000, EntryKind::TopUp), None)
        .await
        .unwrap();
    let tasks: Vec<_> = (0..50)
        .map(|_| {
            let w = Arc::clone(&w);
            tokio::spawn(async move {
                w.wallet
                    .apply(&change(w.user, -1000, EntryKind::Adjustment), None)
                    .await
            })
        })
        .collect();
    let mut won = 0;
    for task in tasks {
        match task.await.unwrap() {
            Ok(_) => won += 1,
            Err(DomainError::Conflict { what }) => assert_eq!(what, INSUFFICIENT_FUNDS),
            Err(other) => panic!("{other:?}"),
        }
    }
    assert_eq!(won, 3);
    assert_eq!(w.checked_balance().await, 0);
}

#[tokio::test]
async fn fifty_concurrent_purchases_covered_three_times_make_three() {
    let w = Arc::new(wallets().await);
    w.wallet
        .apply(&change(w.user, MOBILE_PRICE * 3, EntryKind::TopUp), None)
        .await
        .unwrap();
    let at = now();
    let tasks: Vec<_> = (0..50)
        .map(|n| {
            let w = Arc::clone(&w);
            tokio::spawn(async move {
                w.subscriptions
                    .purchase(&purchase(w.user, &format!("phone-{n}"), 1, at))
                    .await
            })
        })
        .collect();
    let mut won = 0;
    for task in tasks {
        match task.await.unwrap() {
            Ok(_) => won += 1,
            Err(DomainError::Conflict { what }) => assert_eq!(what, INSUFFICIENT_FUNDS),
            Err(other) => panic!("{other:?}"),
        }
    }
    assert_eq!(won, 3);
    assert_eq!(w.checked_balance().await, 0);
    assert_eq!(w.subscriptions.of_user(w.user).await.unwrap().len(), 3);
}

#[tokio::test]
async fn concurrent_purchases_for_one_device_extend_one_subscription() {
    let w = Arc::new(wallets().await);
    w.wallet
        .apply(&change(w.user, MOBILE_PRICE * 10, EntryKind::TopUp), None)
        .await
        .unwrap();
    let at = now();
    let tasks: Vec<_> = (0..10)
        .map(|_| {
            let w = Arc::clone(&w);
            tokio::spawn(async move {
                w.subscriptions
                    .purchase(&purchase(w.user, "phone", 1, at))
                    .await
            })
        })
        .collect();
    for task in tasks {
        task.await.unwrap().unwrap();
    }
    let all = w.subscriptions.of_user(w.user).await.unwrap();
    assert_eq!(all.len(), 1);
    assert_eq!(
        all[0].ends_at,
        at.checked_add_months(chrono::Months::new(10)).unwrap()
    );
    assert_eq!(w.checked_balance().await, 0);
}

#[tokio::test]
async fn a_purchase_at_a_stale_price_or_for_nothing_changes_nothing() {
    let w = wallets().await;
    w.wallet
        .apply(&change(w.user, 100_000, EntryKind::TopUp), None)
        .await
        .unwrap();
    let mut stale = purchase(w.user, "phone", 1, now());
    stale.total = 1;
    assert_eq!(
        w.subscriptions.purchase(&stale).await,
        Err(DomainError::Conflict {
            what: "product.price_changed".into()
        })
    );
    let mut unknown = purchase(w.user, "phone", 1, now());
    unknown.product_id = Uuid::now_v7();
    assert_eq!(
        w.subscriptions.purchase(&unknown).await,
        Err(DomainError::NotFound)
    );
    assert_eq!(w.checked_balance().await, 100_000);
    assert!(w.subscriptions.of_user(w.user).await.unwrap().is_empty());
}

fn store(fixture: &Fixture) -> SeaIdempotencyStore {
    SeaIdempotencyStore::new(fixture.db.clone())
}

#[tokio::test]
async fn one_key_is_claimed_once_answered_and_compared() {
    let w = wallets().await;
    let store = Arc::new(store(&w.fixture));
    let at = now();
    let until = at + Duration::hours(24);
    let tasks: Vec<_> = (0..50)
        .map(|_| {
            let store = Arc::clone(&store);
            tokio::spawn(async move {
                store
                    .claim("admin:1", "k", "hash-a", at, until)
                    .await
                    .unwrap()
            })
        })
        .collect();
    let mut claimed = 0;
    for task in tasks {
        match task.await.unwrap() {
            KeyClaim::Claimed => claimed += 1,
            KeyClaim::InProgress => {}
            other => panic!("{other:?}"),
        }
    }
    assert_eq!(claimed, 1);
    let answer = StoredAnswer {
        status: 201,
        body: "{\"balance\":1}".into(),
    };
    store.answer("admin:1", "k", &answer).await.unwrap();
    assert_eq!(
        store
            .claim("admin:1", "k", "hash-a", at, until)
            .await
            .unwrap(),
        KeyClaim::Answered(answer)
    );
    assert_eq!(
        store
            .claim("admin:1", "k", "hash-b", at, until)
            .await
            .unwrap(),
        KeyClaim::Mismatch
    );
    // Keys are per caller.
    assert_eq!(
        store
            .claim("admin:2", "k", "hash-b", at, until)
            .await
            .unwrap(),
        KeyClaim::Claimed
    );
    // After 24 hours the key is new again.
    let later = until + Duration::seconds(1);
    assert_eq!(
        store
            .claim("admin:1", "k", "hash-b", later, later + Duration::hours(24))
            .await
            .unwrap(),
        KeyClaim::Claimed
    );
    // A released claim can be made again; an answered one is not released.
    store.release("admin:2", "k").await.unwrap();
    assert_eq!(
        store
            .claim("admin:2", "k", "hash-c", at, until)
            .await
            .unwrap(),
        KeyClaim::Claimed
    );
}

#[tokio::test]
async fn a_key_holds_across_instances() {
    let w = wallets().await;
    let other = SeaIdempotencyStore::new(w.fixture.another_instance().await);
    let at = now();
    let until = at + Duration::hours(24);
    assert_eq!(
        store(&w.fixture)
            .claim("user:1", "k", "h", at, until)
            .await
            .unwrap(),
        KeyClaim::Claimed
    );
    assert_eq!(
        other.claim("user:1", "k", "h", at, until).await.unwrap(),
        KeyClaim::InProgress
    );
}

#[tokio::test]
async fn seeded_wallets_have_ledgers_that_sum_to_their_balances() {
    use bilim_repository::seed::{seed_users, seed_wallets};
    let fixture = migrated_database().await;
    seed_users(&fixture.db, 8, "hash", now()).await.unwrap();
    assert_eq!(seed_wallets(&fixture.db, 8, now()).await.unwrap(), 8);
    assert_eq!(
        seed_wallets(&fixture.db, 8, now()).await.unwrap(),
        0,
        "a repeat adds nothing"
    );
    let row = fixture
        .db
        .connection()
        .query_one_raw(sea_orm::Statement::from_string(
            fixture.db.backend(),
            "SELECT COUNT(*) FROM users u WHERE u.balance <> \
             (SELECT COALESCE(SUM(e.amount), 0) FROM wallet_entries e WHERE e.user_id = u.id)",
        ))
        .await
        .unwrap()
        .unwrap();
    assert_eq!(row.try_get_by_index::<i64>(0).unwrap(), 0);
    let subscriptions = fixture
        .db
        .connection()
        .query_one_raw(sea_orm::Statement::from_string(
            fixture.db.backend(),
            "SELECT COUNT(*) FROM subscriptions",
        ))
        .await
        .unwrap()
        .unwrap();
    assert_eq!(subscriptions.try_get_by_index::<i64>(0).unwrap(), 2);
}
