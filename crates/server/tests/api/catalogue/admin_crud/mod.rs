//! Admin CRUD of the catalogue: validation with clear codes, positions kept
//! `1..n`, one certificate per course, files removed with what held them, and
//! every change in the audit log.
//!
//! One file per part of the catalogue: `directions`, `courses`, `outline`
//! (modules, lessons and the certificate), `files` (removed with what held
//! them) and `audit`.

mod audit;
mod courses;
mod directions;
mod files;
mod outline;

use super::helpers::{ADMIN_COURSES, get, json_of};
use crate::helpers::TestApp;
use serde_json::Value;
use std::collections::BTreeSet;

fn id(value: &Value) -> String {
    value["id"].as_str().unwrap().to_owned()
}

fn pairs(list: &[(&str, &str)]) -> BTreeSet<(String, String)> {
    list.iter()
        .map(|(a, b)| ((*a).to_owned(), (*b).to_owned()))
        .collect()
}

/// `(title, position)` of the modules of a course, as admins see them.
async fn module_outline(app: &TestApp, token: &str, course: &str) -> Vec<(String, i64)> {
    let tree = json_of(
        get(app, &format!("{ADMIN_COURSES}/{course}"), token).await,
        200,
    )
    .await;
    tree["modules"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| {
            (
                m["title"].as_str().unwrap().to_owned(),
                m["position"].as_i64().unwrap(),
            )
        })
        .collect()
}

fn outline(titles: &[&str]) -> Vec<(String, i64)> {
    titles
        .iter()
        .zip(1..)
        .map(|(t, p)| ((*t).to_owned(), p))
        .collect()
}
