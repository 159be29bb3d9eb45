//! Fakes of the two payment providers: scripted clients that call the
//! server as Payme's merchant sandbox and Click's servers do, speaking their
//! documented protocols (Payme: JSON-RPC 2.0 with Basic auth `Paycom:<key>`,
//! amounts in tiyin; Click: signed form posts).

use super::helpers::{CLICK_SECRET, CLICK_SERVICE, PAYME_KEY};
use crate::helpers::TestApp;
use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use md5::{Digest, Md5};
use serde_json::{Value, json};

pub(super) const PAYME: &str = "/api/v1/payments/payme";
pub(super) const CLICK_PREPARE: &str = "/api/v1/payments/click/prepare";
pub(super) const CLICK_COMPLETE: &str = "/api/v1/payments/click/complete";

/// Payme as its merchant sandbox calls the merchant.
pub(super) struct FakePayme<'a> {
    pub app: &'a TestApp,
    pub key: String,
}

impl<'a> FakePayme<'a> {
    pub(super) fn new(app: &'a TestApp) -> Self {
        Self {
            app,
            key: PAYME_KEY.to_owned(),
        }
    }

    /// Posts `body` as it is with this key; the answer must be 200 JSON.
    pub(super) async fn raw(&self, body: impl Into<reqwest::Body>) -> Value {
        let auth = format!("Basic {}", STANDARD.encode(format!("Paycom:{}", self.key)));
        let response = self
            .app
            .client
            .post(self.app.url(PAYME))
            .header("Authorization", auth)
            .header("Content-Type", "application/json")
            .body(body)
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), 200);
        response.json().await.unwrap()
    }

    pub(super) async fn call(&self, method: &str, params: Value) -> Value {
        let body = json!({"jsonrpc": "2.0", "id": 7001, "method": method, "params": params});
        let answer = self.raw(body.to_string()).await;
        assert_eq!(answer["id"], 7001, "{answer}");
        answer
    }

    /// The `result`, which must be there.
    pub(super) async fn ok(&self, method: &str, params: Value) -> Value {
        let answer = self.call(method, params).await;
        assert!(answer["error"].is_null(), "{method}: {answer}");
        answer["result"].clone()
    }

    /// The error's code, after checking its three messages.
    pub(super) async fn error(&self, method: &str, params: Value) -> i64 {
        let answer = self.call(method, params).await;
        error_code(&answer)
    }

    pub(super) fn account(order: &str) -> Value {
        json!({"order_id": order})
    }

    pub(super) async fn create(&self, id: &str, order: &str, tiyin: i64, time: i64) -> Value {
        self.call(
            "CreateTransaction",
            json!({"id": id, "time": time, "amount": tiyin, "account": Self::account(order)}),
        )
        .await
    }
}

/// The code of a Payme error answer, whose message must be in all three languages.
pub(super) fn error_code(answer: &Value) -> i64 {
    assert!(answer["result"].is_null(), "{answer}");
    let error = &answer["error"];
    for lang in ["uz", "ru", "en"] {
        assert!(
            error["message"][lang]
                .as_str()
                .is_some_and(|m| !m.is_empty()),
            "no {lang} message: {answer}"
        );
    }
    error["code"].as_i64().unwrap()
}

/// Click as its servers call the merchant's prepare and complete URLs.
pub(super) struct FakeClick<'a> {
    pub app: &'a TestApp,
    pub secret: String,
}

pub(super) struct ClickCall<'a> {
    pub click_trans_id: &'a str,
    pub order: &'a str,
    pub amount: &'a str,
    pub prepare_id: Option<&'a str>,
    /// Click's own status: below 0 on complete means the payment failed.
    pub error: &'a str,
}

impl<'a> FakeClick<'a> {
    pub(super) fn new(app: &'a TestApp) -> Self {
        Self {
            app,
            secret: CLICK_SECRET.to_owned(),
        }
    }

    /// The fields of a call, signed as Click signs them.
    pub(super) fn fields(&self, call: &ClickCall<'_>) -> Vec<(String, String)> {
        let action = if call.prepare_id.is_some() { "1" } else { "0" };
        let sign_time = "2026-09-01 13:00:00";
        let signed = format!(
            "{}{}{}{}{}{}{}{}",
            call.click_trans_id,
            CLICK_SERVICE,
            self.secret,
            call.order,
            call.prepare_id.unwrap_or(""),
            call.amount,
            action,
            sign_time
        );
        let sign: String = Md5::digest(signed.as_bytes())
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect();
        let mut fields = vec![
            ("click_trans_id", call.click_trans_id.to_owned()),
            ("service_id", CLICK_SERVICE.to_owned()),
            ("click_paydoc_id", "1900012345".to_owned()),
            ("merchant_trans_id", call.order.to_owned()),
            ("amount", call.amount.to_owned()),
            ("action", action.to_owned()),
            ("error", call.error.to_owned()),
            ("error_note", "Success".to_owned()),
            ("sign_time", sign_time.to_owned()),
            ("sign_string", sign),
        ];
        if let Some(prepare_id) = call.prepare_id {
            fields.push(("merchant_prepare_id", prepare_id.to_owned()));
        }
        fields.into_iter().map(|(k, v)| (k.to_owned(), v)).collect()
    }

    pub(super) async fn post(&self, path: &str, fields: &[(String, String)]) -> Value {
        let body = form_urlencoded::Serializer::new(String::new())
            .extend_pairs(fields)
            .finish();
        let response = self
            .app
            .client
            .post(self.app.url(path))
            .header("Content-Type", "application/x-www-form-urlencoded")
            .body(body)
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), 200);
        response.json().await.unwrap()
    }

    pub(super) async fn send(&self, call: &ClickCall<'_>) -> Value {
        let path = if call.prepare_id.is_some() {
            CLICK_COMPLETE
        } else {
            CLICK_PREPARE
        };
        self.post(path, &self.fields(call)).await
    }
}
