//! `/admin/users`: the filtered keyset list with whole-table totals, one user,
//! and switching a user's `active` flag or role.
//!
//! Reading users (the list and one user) is in `reads`; `PATCH` of `active` and
//! the role, with the totals and sessions it changes, in `changes`.

mod changes;
mod reads;

use crate::helpers::TestApp;
use serde_json::Value;
use std::collections::BTreeSet;

/// The keys of a user as an admin sees it in the list.
const USER_KEYS: [&str; 18] = [
    "active",
    "avatar_url",
    "balance",
    "created_at",
    "email",
    "email_verified_at",
    "first_name",
    "id",
    "last_login_at",
    "last_name",
    "phone",
    "role",
    "school",
    "updated_at",
    "username",
    "sex",
    "tg_id",
    "online",
];

fn sorted_keys(item: &Value) -> Vec<String> {
    let mut keys: Vec<String> = item.as_object().unwrap().keys().cloned().collect();
    keys.sort();
    keys
}

fn user_keys() -> Vec<String> {
    let set: BTreeSet<&str> = USER_KEYS.into_iter().collect();
    set.into_iter().map(str::to_owned).collect()
}

/// A registered user's id, access and refresh tokens.
async fn registered(app: &TestApp, email: &str) -> (String, String, String) {
    let body = app.register(email).await;
    (
        body["user"]["id"].as_str().unwrap().to_owned(),
        body["access_token"].as_str().unwrap().to_owned(),
        body["refresh_token"].as_str().unwrap().to_owned(),
    )
}
