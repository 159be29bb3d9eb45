//! A shop app: an admin, users, top-ups and purchases with their keys, and
//! the ledger summed.

use crate::helpers::{TestApp, spawn_app};
use crate::support::{admin_login, create_admin, get, json_of, user_token};
use bilim_domain::admins::AdminRole;
use reqwest::Response;
use serde_json::{Value, json};

pub(super) const PRODUCTS: &str = "/api/v1/products";
pub(super) const WALLET: &str = "/api/v1/users/me/wallet";
pub(super) const ENTRIES: &str = "/api/v1/users/me/wallet/entries";
pub(super) const MY_SUBSCRIPTIONS: &str = "/api/v1/users/me/subscriptions";

pub(super) struct Shop {
    pub app: TestApp,
    pub admin: String,
}

pub(super) struct Buyer {
    pub id: String,
    pub token: String,
}

pub(super) async fn shop() -> Shop {
    let app = spawn_app().await;
    create_admin(&app, "kassir", "kassir@bilim.uz", AdminRole::Admin).await;
    let admin = admin_login(&app, "kassir", "kassir@bilim.uz").await.access;
    Shop { app, admin }
}

impl Shop {
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

    pub(super) async fn top_up_raw(&self, user: &str, key: &str, body: &Value) -> Response {
        let path = format!("/api/v1/admin/users/{user}/wallet/top-ups");
        self.keyed(&path, &self.admin, key, body).await
    }

    pub(super) async fn adjust(&self, user: &str, key: &str, body: &Value) -> Response {
        let path = format!("/api/v1/admin/users/{user}/wallet/adjustments");
        self.keyed(&path, &self.admin, key, body).await
    }

    /// A top-up that must succeed; returns the balance.
    pub(super) async fn top_up(&self, user: &str, amount: i64) -> i64 {
        let key = uuid::Uuid::now_v7().to_string();
        let body = json_of(
            self.top_up_raw(user, &key, &json!({"amount": amount}))
                .await,
            201,
        )
        .await;
        body["balance"].as_i64().unwrap()
    }

    pub(super) async fn product(&self, code: &str) -> Value {
        let list = json_of(self.app.get(PRODUCTS).await, 200).await;
        list["items"]
            .as_array()
            .unwrap()
            .iter()
            .find(|p| p["code"] == code)
            .cloned()
            .unwrap_or_else(|| panic!("no product {code}"))
    }

    pub(super) async fn purchase(
        &self,
        buyer: &Buyer,
        product: &str,
        key: &str,
        body: &Value,
    ) -> Response {
        let path = format!("/api/v1/products/{product}/purchase");
        self.keyed(&path, &buyer.token, key, body).await
    }

    pub(super) async fn balance(&self, buyer: &Buyer) -> i64 {
        json_of(get(&self.app, WALLET, &buyer.token).await, 200).await["balance"]
            .as_i64()
            .unwrap()
    }

    /// Every ledger row of the buyer (at most 100), newest first.
    pub(super) async fn entries(&self, buyer: &Buyer) -> Vec<Value> {
        let page = json_of(
            get(&self.app, &format!("{ENTRIES}?limit=100"), &buyer.token).await,
            200,
        )
        .await;
        page["items"].as_array().unwrap().clone()
    }

    /// The balance, after checking that the ledger sums to it.
    pub(super) async fn checked_balance(&self, buyer: &Buyer) -> i64 {
        let balance = self.balance(buyer).await;
        let sum: i64 = self
            .entries(buyer)
            .await
            .iter()
            .map(|e| e["amount"].as_i64().unwrap())
            .sum();
        assert_eq!(sum, balance, "the ledger sums to the balance");
        assert!(balance >= 0);
        balance
    }
}
