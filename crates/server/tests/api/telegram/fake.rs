//! `FakeBotApi`: a local stand-in for Telegram's Bot API. An HTTP server on
//! port 0 that answers `/bot<token>/<method>` as Telegram does
//! (`{"ok": true, "result": …}`), records every call, and can be told what
//! `getChatMember` says or to fail like an outage.

use actix_web::{App, HttpResponse, HttpServer, web};
use serde_json::{Value, json};
use std::sync::{Arc, Mutex};

pub const BOT_TOKEN: &str = "123456789:AAFakeTokenForTests_0123456789abcdef";

/// One recorded call.
#[derive(Debug, Clone)]
pub struct Call {
    pub token: String,
    pub method: String,
    pub body: Value,
}

#[derive(Default)]
struct State {
    calls: Vec<Call>,
    /// `getChatMember`'s `status` (`member` when unset).
    member_status: Option<String>,
    /// Answer every call with HTTP 502, as an outage.
    down: bool,
}

#[derive(Clone)]
pub struct FakeBotApi {
    /// `http://127.0.0.1:{port}`
    pub url: String,
    state: Arc<Mutex<State>>,
}

async fn answer(
    path: web::Path<(String, String)>,
    body: web::Bytes,
    state: web::Data<Mutex<State>>,
) -> HttpResponse {
    let (token, method) = path.into_inner();
    let token = token.strip_prefix("bot").unwrap_or_default().to_owned();
    let body: Value = serde_json::from_slice(&body).unwrap_or(Value::Null);
    let mut state = state.lock().unwrap();
    state.calls.push(Call {
        token: token.clone(),
        method: method.clone(),
        body: body.clone(),
    });
    if state.down {
        return HttpResponse::BadGateway().finish();
    }
    if token != BOT_TOKEN {
        return HttpResponse::Unauthorized()
            .json(json!({"ok": false, "error_code": 401, "description": "Unauthorized"}));
    }
    let result = match method.as_str() {
        "sendMessage" => json!({
            "message_id": state.calls.len(),
            "date": 1_796_112_000,
            "chat": {"id": body["chat_id"], "type": "private"},
            "text": body["text"],
        }),
        "getChatMember" => {
            let status = state
                .member_status
                .clone()
                .unwrap_or_else(|| "member".into());
            json!({
                "status": status,
                "user": {"id": body["user_id"], "is_bot": false, "first_name": "Dilnoza"},
            })
        }
        "setWebhook" => json!(true),
        _ => {
            return HttpResponse::NotFound()
                .json(json!({"ok": false, "error_code": 404, "description": "Not Found"}));
        }
    };
    HttpResponse::Ok().json(json!({"ok": true, "result": result}))
}

impl FakeBotApi {
    pub async fn start() -> Self {
        let state = Arc::new(Mutex::new(State::default()));
        let data = web::Data::from(Arc::clone(&state));
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        let port = listener.local_addr().unwrap().port();
        let server = HttpServer::new(move || {
            App::new()
                .app_data(data.clone())
                .route("/{token}/{method}", web::post().to(answer))
        })
        .workers(1)
        .listen(listener)
        .unwrap()
        .run();
        tokio::spawn(server);
        Self {
            url: format!("http://127.0.0.1:{port}"),
            state,
        }
    }

    pub fn calls(&self) -> Vec<Call> {
        self.state.lock().unwrap().calls.clone()
    }

    /// The `sendMessage` calls, oldest first.
    pub fn messages(&self) -> Vec<Value> {
        self.calls()
            .into_iter()
            .filter(|c| c.method == "sendMessage")
            .map(|c| c.body)
            .collect()
    }

    /// The last `sendMessage`'s body.
    pub fn last_message(&self) -> Value {
        self.messages().pop().expect("the bot sent nothing")
    }

    pub fn set_member_status(&self, status: &str) {
        self.state.lock().unwrap().member_status = Some(status.to_owned());
    }

    pub fn set_down(&self, down: bool) {
        self.state.lock().unwrap().down = down;
    }
}
