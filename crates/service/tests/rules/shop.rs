//! The shop over fakes: prices within `max_months`, subjects where needed,
//! purchases that debit or change nothing, licence keys shown to the owner
//! and stored hashed, device moves once per period, the licence check's
//! rate limit, and audited admin changes.

use crate::support::{IP, clock, dyn_clock, err_code, field_code, start};
use crate::wallet::admin;
use bilim_domain::ports::ManualClock;
use bilim_domain::shop::{Product, ProductPatch, PurchaseRequest, SubscriptionPatch};
use bilim_domain::values::{DeviceId, Months};
use bilim_domain::wallet::{BalanceChange, EntryKind};
use bilim_service::admin::{Actor, Auditor};
use bilim_service::limits::{LimitSettings, RateLimits};
use bilim_service::shop::{AdminShop, LicenceKeys, Shop};
use bilim_testkit::fakes::{
    InMemoryAuditLog, InMemoryEphemeralStore, InMemoryShop, InMemoryUserRepository,
    InMemoryWalletRepository,
};
use std::sync::Arc;
use uuid::Uuid;

struct Kit {
    clock: Arc<ManualClock>,
    wallet: Arc<InMemoryWalletRepository>,
    fake: Arc<InMemoryShop>,
    shop: Shop,
    admin_shop: AdminShop,
    keys: LicenceKeys,
    user: Uuid,
    pc: Product,
    teacher: Product,
}

fn product(code: &str, price: i64, subjects: bool, licence: bool) -> Product {
    Product {
        id: Uuid::now_v7(),
        code: code.into(),
        name: code.into(),
        description: String::new(),
        monthly_price: price,
        max_months: 12,
        needs_subjects: subjects,
        has_licence: licence,
        active: true,
        created_at: start(),
        updated_at: start(),
    }
}

fn kit() -> Kit {
    let clock = clock();
    let wallet = Arc::new(InMemoryWalletRepository::new());
    let fake = Arc::new(InMemoryShop::new(wallet.clone()));
    let users = Arc::new(InMemoryUserRepository::new());
    let user = users
        .add(
            "ilhom@example.uz",
            bilim_domain::users::UserRole::Teacher,
            start(),
        )
        .id;
    wallet.open(user);
    let pc = product("kundalik-pc", 25_000, false, true);
    let teacher = product("testmax-teacher", 30_000, true, false);
    fake.put_product(pc.clone());
    fake.put_product(teacher.clone());
    let limits = RateLimits::new(
        Arc::new(InMemoryEphemeralStore::new(dyn_clock(&clock))),
        LimitSettings {
            auth_requests_per_ip_per_minute: 2,
            code_mails_per_address_per_hour: 10,
        },
    );
    let keys = LicenceKeys::new(b"secret");
    let shop = Shop::new(
        fake.clone(),
        fake.clone(),
        limits,
        keys.clone(),
        chrono::Duration::days(30),
        dyn_clock(&clock),
    );
    let admin_shop = AdminShop::new(
        fake.clone(),
        fake.clone(),
        users,
        shop.clone(),
        Auditor::new(Arc::new(InMemoryAuditLog::new()), dyn_clock(&clock)),
        dyn_clock(&clock),
    );
    Kit {
        clock,
        wallet,
        fake,
        shop,
        admin_shop,
        keys,
        user,
        pc,
        teacher,
    }
}

fn request(months: i64, device: &str, subjects: &[&str]) -> PurchaseRequest {
    PurchaseRequest {
        months: Months::parse("months", "months.invalid", months).unwrap(),
        device_id: DeviceId::parse("device_id", device).unwrap(),
        subjects: subjects.iter().map(|s| (*s).to_owned()).collect(),
    }
}

impl Kit {
    fn credit(&self, amount: i64) {
        self.wallet
            .apply_now(&BalanceChange {
                entry_id: Uuid::now_v7(),
                user_id: self.user,
                amount,
                kind: EntryKind::TopUp,
                note: None,
                admin_id: None,
                reference: None,
                at: start(),
            })
            .unwrap();
    }
}

#[tokio::test]
async fn prices_stay_within_max_months_and_subjects_where_needed() {
    let k = kit();
    let price = k
        .shop
        .price(k.pc.id, Months::parse("m", "c", 3).unwrap())
        .await
        .unwrap();
    assert_eq!((price.months, price.total), (3, 75_000));
    let long = k
        .shop
        .price(k.pc.id, Months::parse("m", "c", 13).unwrap())
        .await;
    assert_eq!(field_code(long), ("months".into(), "months.invalid".into()));
    assert_eq!(
        err_code(k.shop.price(Uuid::now_v7(), Months::DEFAULT).await),
        "product.not_found"
    );
    k.credit(1_000_000);
    let none = k
        .shop
        .purchase(k.user, k.teacher.id, request(1, "d", &[]))
        .await;
    assert_eq!(field_code(none), ("subjects".into(), "required".into()));
    let extra = k
        .shop
        .purchase(k.user, k.pc.id, request(1, "d", &["fizika"]))
        .await;
    assert_eq!(
        field_code(extra),
        ("subjects".into(), "subjects.not_allowed".into())
    );
    assert_eq!(k.wallet.ledger_sum(k.user), 1_000_000, "nothing charged");
}

#[tokio::test]
async fn a_purchase_debits_or_changes_nothing() {
    let k = kit();
    k.credit(40_000);
    let short = k
        .shop
        .purchase(k.user, k.pc.id, request(2, "PC-1", &[]))
        .await;
    assert_eq!(err_code(short), "wallet.insufficient_funds");
    let done = k
        .shop
        .purchase(k.user, k.pc.id, request(1, "PC-1", &[]))
        .await
        .unwrap();
    assert_eq!(done.balance, 15_000);
    assert_eq!(k.wallet.ledger_sum(k.user), 15_000);
    // The key shown to the owner is the one whose hash is stored.
    let own = k.shop.subscriptions(k.user).await.unwrap();
    let key = own[0].licence_key.clone().unwrap();
    assert_eq!(
        k.fake.licence_hash_of(done.subscription.id),
        Some(k.keys.hash(&key))
    );
    assert!(own[0].active);

    k.admin_shop
        .update_product(
            &actor(&admin()),
            k.pc.id,
            ProductPatch {
                active: Some(false),
                ..ProductPatch::default()
            },
        )
        .await
        .unwrap();
    let off = k
        .shop
        .purchase(k.user, k.pc.id, request(1, "PC-1", &[]))
        .await;
    assert_eq!(err_code(off), "product.not_found");
}

fn actor(admin: &bilim_domain::admins::Admin) -> Actor<'_> {
    Actor { admin, ip: IP }
}

#[tokio::test]
async fn devices_move_once_per_period_and_licences_follow() {
    let k = kit();
    k.credit(1_000_000);
    let done = k
        .shop
        .purchase(k.user, k.pc.id, request(3, "PC-A", &[]))
        .await
        .unwrap();
    let id = done.subscription.id;
    let key = k.keys.key_of(id);
    let check = |device: &'static str| {
        let (shop, key) = (k.shop.clone(), key.clone());
        async move { shop.check_licence(IP, &key, device).await }
    };
    assert!(check("PC-A").await.unwrap().unwrap().active);
    let moved = k
        .shop
        .move_device(k.user, id, DeviceId::parse("d", "PC-B").unwrap())
        .await
        .unwrap();
    assert_eq!(moved.subscription.device_id, "PC-B");
    let soon = k
        .shop
        .move_device(k.user, id, DeviceId::parse("d", "PC-C").unwrap())
        .await;
    assert_eq!(err_code(soon), "subscription.device_change_too_soon");
    k.clock.advance(chrono::Duration::days(30));
    k.shop
        .move_device(k.user, id, DeviceId::parse("d", "PC-C").unwrap())
        .await
        .unwrap();
    let stranger = k
        .shop
        .move_device(Uuid::now_v7(), id, DeviceId::parse("d", "PC-D").unwrap())
        .await;
    assert_eq!(err_code(stranger), "subscription.not_found");
    // Two checks a minute from one address, as configured: the third waits.
    assert!(check("PC-C").await.unwrap().unwrap().active);
    assert!(!check("PC-A").await.unwrap().unwrap().active);
    assert_eq!(err_code(check("PC-C").await), "rate_limited");
}

#[tokio::test]
async fn admin_changes_to_subscriptions_are_audited() {
    let k = kit();
    k.credit(1_000_000);
    let done = k
        .shop
        .purchase(k.user, k.pc.id, request(1, "PC-A", &[]))
        .await
        .unwrap();
    let admin = admin();
    let ends_at = start() + chrono::Duration::days(400);
    let changed = k
        .admin_shop
        .update_subscription(
            &actor(&admin),
            done.subscription.id,
            SubscriptionPatch {
                ends_at: Some(ends_at),
                device_id: None,
            },
        )
        .await
        .unwrap();
    assert_eq!(changed.subscription.ends_at, ends_at);
    k.admin_shop
        .delete_subscription(&actor(&admin), done.subscription.id)
        .await
        .unwrap();
    let again = k
        .admin_shop
        .delete_subscription(&actor(&admin), done.subscription.id)
        .await;
    assert_eq!(err_code(again), "subscription.not_found");
    let actions: Vec<String> = k.fake.audits().into_iter().map(|e| e.action).collect();
    assert_eq!(actions, ["subscription.update", "subscription.delete"]);
    let nobody = k.admin_shop.subscriptions_of(Uuid::now_v7()).await;
    assert_eq!(err_code(nobody), "user.not_found");
}
