//! The wallet and `Idempotency-Key` over fakes: a key does its work once, a
//! failure frees it, another request under it is refused; admin changes are
//! audited with their change; a short balance is refused in the document's
//! words.

use crate::support::{IP, clock, code, dyn_clock, err_code, field_code, start};
use bilim_domain::admins::{Admin, AdminRole};
use bilim_domain::idempotency::StoredAnswer;
use bilim_domain::users::UserRole;
use bilim_domain::values::{Amount, IdempotencyKey, Note, SignedAmount};
use bilim_domain::wallet::{Adjustment, TopUp};
use bilim_service::admin::{Actor, Auditor};
use bilim_service::idempotency::Idempotency;
use bilim_service::paging::PageRequest;
use bilim_service::wallet::{AdminWallets, Wallets};
use bilim_service::{ServiceError, ServiceResult};
use bilim_testkit::fakes::{
    InMemoryAuditLog, InMemoryIdempotencyStore, InMemoryUserRepository, InMemoryWalletRepository,
};
use std::sync::Arc;
use std::sync::atomic::{AtomicU32, Ordering};
use uuid::Uuid;

pub fn admin() -> Admin {
    Admin {
        id: Uuid::now_v7(),
        username: "kassir".into(),
        email: "kassir@example.uz".into(),
        password_hash: String::new(),
        role: AdminRole::Admin,
        active: true,
        tg_id: None,
        token_version: 0,
        last_login_at: None,
        created_at: start(),
        updated_at: start(),
    }
}

fn answer(body: &str) -> ServiceResult<StoredAnswer> {
    Ok(StoredAnswer {
        status: 201,
        body: body.into(),
    })
}

#[tokio::test]
async fn a_key_does_its_work_once_and_answers_the_same_again() {
    let clock = clock();
    let idempotency =
        Idempotency::new(Arc::new(InMemoryIdempotencyStore::new()), dyn_clock(&clock));
    let key = IdempotencyKey::parse("k-1").unwrap();
    let runs = AtomicU32::new(0);
    let work = || async {
        runs.fetch_add(1, Ordering::SeqCst);
        answer("{\"n\":1}")
    };
    let first = idempotency
        .run("admin:a", &key, b"POST /x\n{}", work)
        .await
        .unwrap();
    assert!(!first.replayed);
    let again = idempotency
        .run("admin:a", &key, b"POST /x\n{}", work)
        .await
        .unwrap();
    assert!(again.replayed);
    assert_eq!(again.answer, first.answer);
    assert_eq!(runs.load(Ordering::SeqCst), 1);

    let other = idempotency
        .run("admin:a", &key, b"POST /x\n{\"a\":2}", work)
        .await;
    assert_eq!(err_code(other), "idempotency.mismatch");
    // Keys are per caller.
    idempotency
        .run("admin:b", &key, b"POST /x\n{\"a\":2}", work)
        .await
        .unwrap();
    assert_eq!(runs.load(Ordering::SeqCst), 2);
    // After 24 hours the key is new.
    clock.advance(chrono::Duration::hours(24));
    let later = idempotency
        .run("admin:a", &key, b"POST /x\n{\"a\":2}", work)
        .await
        .unwrap();
    assert!(!later.replayed);
}

#[tokio::test]
async fn a_failed_request_frees_its_key_and_a_running_one_holds_it() {
    let clock = clock();
    let store = Arc::new(InMemoryIdempotencyStore::new());
    let idempotency = Idempotency::new(store.clone(), dyn_clock(&clock));
    let key = IdempotencyKey::parse("k-2").unwrap();
    let failed = idempotency
        .run("user:u", &key, b"r", || async {
            Err::<StoredAnswer, _>(ServiceError::NotFound {
                code: "product.not_found",
            })
        })
        .await;
    assert_eq!(err_code(failed), "product.not_found");
    idempotency
        .run("user:u", &key, b"r", || async { answer("{}") })
        .await
        .unwrap();

    let inner = idempotency.clone();
    let running = IdempotencyKey::parse("k-3").unwrap();
    let nested = idempotency
        .run("user:u", &running, b"r", || async {
            let second = inner
                .run("user:u", &running, b"r", || async { answer("{}") })
                .await;
            assert_eq!(err_code(second), "idempotency.in_progress");
            answer("{}")
        })
        .await;
    assert!(nested.is_ok());
}

struct Kit {
    wallet: Arc<InMemoryWalletRepository>,
    audit: Arc<InMemoryAuditLog>,
    admin_wallets: AdminWallets,
    wallets: Wallets,
    user: Uuid,
    admin: Admin,
}

fn kit() -> Kit {
    let clock = clock();
    let wallet = Arc::new(InMemoryWalletRepository::new());
    let users = Arc::new(InMemoryUserRepository::new());
    let audit = Arc::new(InMemoryAuditLog::new());
    let user = users.add("aziz@example.uz", UserRole::Student, start()).id;
    wallet.open(user);
    Kit {
        admin_wallets: AdminWallets::new(
            wallet.clone(),
            users,
            Auditor::new(audit.clone(), dyn_clock(&clock)),
            dyn_clock(&clock),
        ),
        wallets: Wallets::new(wallet.clone()),
        wallet,
        audit,
        user,
        admin: admin(),
    }
}

impl Kit {
    fn actor(&self) -> Actor<'_> {
        Actor {
            admin: &self.admin,
            ip: IP,
        }
    }
}

fn top_up(amount: i64) -> TopUp {
    TopUp {
        amount: Amount::parse("amount", amount).unwrap(),
        note: None,
    }
}

fn adjustment(amount: i64) -> Adjustment {
    Adjustment {
        amount: SignedAmount::parse("amount", amount).unwrap(),
        note: Note::required("note", "Qaytarish").unwrap(),
    }
}

#[tokio::test]
async fn admin_changes_are_audited_with_their_change_and_never_overdraw() {
    let k = kit();
    let done = k
        .admin_wallets
        .top_up(&k.actor(), k.user, top_up(5000))
        .await
        .unwrap();
    assert_eq!(done.balance, 5000);
    let short = k
        .admin_wallets
        .adjust(&k.actor(), k.user, adjustment(-5001))
        .await;
    match short {
        Err(ServiceError::Conflict { code, message }) => {
            assert_eq!(code, "wallet.insufficient_funds");
            assert_eq!(message, "Balansingizga yetarli mablag' mavjud emas!");
        }
        other => panic!("{other:?}"),
    }
    k.admin_wallets
        .adjust(&k.actor(), k.user, adjustment(-1000))
        .await
        .unwrap();
    let actions: Vec<String> = k.wallet.audits().into_iter().map(|e| e.action).collect();
    assert_eq!(actions, ["wallet.top_up", "wallet.adjustment"]);
    assert!(
        k.audit.entries().is_empty(),
        "entries go with their change, not alone"
    );
    assert_eq!(k.wallets.balance(k.user).await.unwrap(), 4000);
    assert_eq!(k.wallet.ledger_sum(k.user), 4000);
    let page = k
        .wallets
        .entries(
            k.user,
            &PageRequest {
                limit: Some(1),
                cursor: None,
            },
        )
        .await
        .unwrap();
    assert_eq!(page.items.len(), 1);
    assert!(page.next_cursor.is_some());

    let nobody = k
        .admin_wallets
        .top_up(&k.actor(), Uuid::now_v7(), top_up(1))
        .await;
    assert_eq!(err_code(nobody), "user.not_found");
    let bad_limit = k
        .wallets
        .entries(
            k.user,
            &PageRequest {
                limit: Some(0),
                cursor: None,
            },
        )
        .await;
    assert_eq!(field_code(bad_limit).0, "limit");
    assert_eq!(
        code(&ServiceError::Unprocessable {
            code: "idempotency.mismatch",
            message: String::new()
        }),
        "idempotency.mismatch"
    );
}
