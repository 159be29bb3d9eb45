//! A market: an app with Payme and Click configured, an admin, a published
//! course, a course offering, and buyers with money.

use crate::helpers::{TestApp, spawn_app_with};
use crate::support::{admin_login, create_admin, direction, get, json_of, published, user_token};
use bilim_domain::admins::AdminRole;
use reqwest::Response;
use serde_json::{Value, json};

pub(super) const PAYME_MERCHANT: &str = "5e730e8e0b852a417aa49ceb";
pub(super) const PAYME_KEY: &str = "sandbox-key-Zx#9Qm2&7Lw";
pub(super) const CLICK_SERVICE: &str = "31245";
pub(super) const CLICK_MERCHANT: &str = "20781";
pub(super) const CLICK_SECRET: &str = "click-secret-8Hq2Ls";
pub(super) const PRICE: i64 = 450_000;

pub(super) struct Market {
    pub app: TestApp,
    pub admin: String,
    pub course: String,
    /// A course_access offering of `course`, 6 months, `PRICE` so'm.
    pub offering: String,
}

pub(super) struct Buyer {
    pub id: String,
    pub token: String,
}

pub(super) fn provider_vars(vars: &mut std::collections::BTreeMap<String, String>) {
    for (name, value) in [
        ("BILIM_PAYME_MERCHANT_ID", PAYME_MERCHANT),
        ("BILIM_PAYME_KEY", PAYME_KEY),
        ("BILIM_CLICK_SERVICE_ID", CLICK_SERVICE),
        ("BILIM_CLICK_MERCHANT_ID", CLICK_MERCHANT),
        ("BILIM_CLICK_SECRET_KEY", CLICK_SECRET),
    ] {
        vars.insert(name.to_owned(), value.to_owned());
    }
}

pub(super) async fn market() -> Market {
    market_with(provider_vars).await
}

pub(super) async fn market_with(
    adjust: impl FnOnce(&mut std::collections::BTreeMap<String, String>),
) -> Market {
    let app = spawn_app_with(adjust).await;
    create_admin(&app, "kassir", "kassir@bilim.uz", AdminRole::Admin).await;
    let admin = admin_login(&app, "kassir", "kassir@bilim.uz").await.access;
    let dir = direction(&app, &admin, "Matematika").await;
    let course = published(&app, &admin, &dir, "Algebra asoslari").await;
    let offering = json_of(
        crate::support::post(
            &app,
            "/api/v1/admin/offerings",
            &admin,
            &json!({
                "name": "Algebra: 6 oylik kirish",
                "description": "Algebra asoslari kursiga 6 oy kirish.",
                "price": PRICE,
                "kind": "course_access",
                "course_id": course,
                "months": 6,
            }),
        )
        .await,
        201,
    )
    .await["id"]
        .as_str()
        .unwrap()
        .to_owned();
    Market {
        app,
        admin,
        course,
        offering,
    }
}

impl Market {
    pub(super) async fn buyer(&self, email: &str) -> Buyer {
        let token = user_token(&self.app, email).await;
        let me = json_of(get(&self.app, "/api/v1/users/me", &token).await, 200).await;
        Buyer {
            id: me["id"].as_str().unwrap().to_owned(),
            token,
        }
    }

    /// A POST with a bearer token and an `Idempotency-Key`.
    pub(super) async fn keyed(&self, path: &str, token: &str, key: &str, body: &Value) -> Response {
        self.app
            .client
            .post(self.app.url(path))
            .bearer_auth(token)
            .header("Idempotency-Key", key)
            .json(body)
            .send()
            .await
            .unwrap()
    }

    pub(super) async fn order_raw(&self, buyer: &Buyer, key: &str, body: &Value) -> Response {
        self.keyed("/api/v1/orders", &buyer.token, key, body).await
    }

    /// An order of `offering` that must be placed; returns it.
    pub(super) async fn order(&self, buyer: &Buyer, offering: &str) -> Value {
        let key = uuid::Uuid::now_v7().to_string();
        json_of(
            self.order_raw(buyer, &key, &json!({"offering_id": offering}))
                .await,
            201,
        )
        .await
    }

    pub(super) async fn pay_balance(&self, buyer: &Buyer, order: &str) -> Response {
        let key = uuid::Uuid::now_v7().to_string();
        self.keyed(
            &format!("/api/v1/orders/{order}/pay/balance"),
            &buyer.token,
            &key,
            &json!(null),
        )
        .await
    }

    pub(super) async fn admin_post(&self, path: &str) -> Response {
        self.app
            .client
            .post(self.app.url(path))
            .bearer_auth(&self.admin)
            .send()
            .await
            .unwrap()
    }

    pub(super) async fn top_up(&self, buyer: &Buyer, amount: i64) {
        let key = uuid::Uuid::now_v7().to_string();
        json_of(
            self.keyed(
                &format!("/api/v1/admin/users/{}/wallet/top-ups", buyer.id),
                &self.admin,
                &key,
                &json!({"amount": amount}),
            )
            .await,
            201,
        )
        .await;
    }

    pub(super) async fn order_of(&self, buyer: &Buyer, order: &str) -> Value {
        json_of(
            get(&self.app, &format!("/api/v1/orders/{order}"), &buyer.token).await,
            200,
        )
        .await
    }

    /// The balance, after checking that the ledger sums to it.
    pub(super) async fn checked_balance(&self, buyer: &Buyer) -> i64 {
        let wallet = json_of(
            get(&self.app, "/api/v1/users/me/wallet", &buyer.token).await,
            200,
        )
        .await;
        let entries = json_of(
            get(
                &self.app,
                "/api/v1/users/me/wallet/entries?limit=100",
                &buyer.token,
            )
            .await,
            200,
        )
        .await;
        let sum: i64 = entries["items"]
            .as_array()
            .unwrap()
            .iter()
            .map(|e| e["amount"].as_i64().unwrap())
            .sum();
        let balance = wallet["balance"].as_i64().unwrap();
        assert_eq!(sum, balance, "the ledger sums to the balance");
        balance
    }

    /// The buyer's access to the market's course: `(granted, active)`.
    pub(super) async fn access(&self, buyer: &Buyer) -> (usize, bool) {
        let me = json_of(get(&self.app, "/api/v1/users/me", &buyer.token).await, 200).await;
        let grants: Vec<&Value> = me["courses"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|c| c["course_id"] == self.course.as_str())
            .collect();
        let active = grants.iter().any(|c| c["active"] == true);
        (grants.len(), active)
    }
}
