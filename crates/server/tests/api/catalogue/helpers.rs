//! Catalogue helpers: the public reads, what the local storage holds, and a
//! SHA-256 to check what the server computed. Sessions, requests and the
//! catalogue builders live in `crate::support`.

use crate::helpers::TestApp;
pub(super) use crate::support::{
    ADMIN_COURSES, ADMIN_DIRECTIONS, ADMIN_LESSONS, ADMIN_MODULES, AUDIT, Form, ME, certificate,
    course, delete, direction, field_errors, get, ids, json_of, lesson, module, mp4, patch, pdf,
    png, post, problem, published, put, put_video_url, send, send_form, set_status,
    status_and_text, upload_video, upload_workbook, user_token, webm, with_query, workbook,
};
use crate::support::{API, AdminSession, admin_login, create_admin, store_user};
use bilim_domain::admins::AdminRole;
use bilim_domain::users::UserRole;
use serde_json::Value;
use std::collections::BTreeSet;
use std::path::Path;

pub(super) const DIRECTIONS: &str = "/api/v1/directions";
pub(super) const COURSES: &str = "/api/v1/courses";
pub(super) const LESSONS: &str = "/api/v1/lessons";
pub(super) const ADMIN_WORKBOOKS: &str = "/api/v1/admin/workbooks";

// ---------------------------------------------------------------- sessions

/// A super admin created as `bilim create-admin` does, then logged in through
/// both steps; returns the admin access token.
pub(super) async fn admin_token(app: &TestApp) -> String {
    let email = "katalog@bilim.uz";
    create_admin(app, "katalog", email, AdminRole::Super).await;
    let AdminSession { access, .. } = admin_login(app, "katalog", email).await;
    access
}

/// A user stored directly with `role`; returns the id.
pub(super) async fn insert_user(app: &TestApp, email: &str, role: UserRole) -> String {
    let user = store_user(app, ("Gʻayrat", "Oʻrinov"), email, None, role).await;
    user.id.to_string()
}

// ---------------------------------------------------------------- answers

/// A public `GET` (no token) that must answer 200.
pub(super) async fn public(app: &TestApp, path: &str) -> Value {
    json_of(app.get(path).await, 200).await
}

/// Every page of a public course list, `limit` at a time, following
/// `next_cursor`; returns the pages.
pub(super) async fn walk(app: &TestApp, query: &[(&str, &str)], limit: usize) -> Vec<Value> {
    let limit = limit.to_string();
    let mut pages = Vec::new();
    let mut cursor: Option<String> = None;
    loop {
        let mut full = query.to_vec();
        full.push(("limit", &limit));
        if let Some(cursor) = cursor.as_deref() {
            full.push(("cursor", cursor));
        }
        let page = public(app, &with_query(COURSES, &full)).await;
        cursor = page["next_cursor"].as_str().map(str::to_owned);
        pages.push(page);
        assert!(pages.len() < 200, "the pages never end");
        if cursor.is_none() {
            return pages;
        }
    }
}

// ---------------------------------------------------------------- storage

fn walk_dir(root: &Path, dir: &Path, found: &mut BTreeSet<String>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries {
        let path = entry.unwrap().path();
        if path.is_dir() {
            walk_dir(root, &path, found);
        } else {
            let relative = path.strip_prefix(root).unwrap();
            let parts: Vec<String> = relative
                .components()
                .map(|c| c.as_os_str().to_string_lossy().into_owned())
                .collect();
            found.insert(parts.join("/"));
        }
    }
}

/// Every file in the app's local storage, as keys (`workbooks/….pdf`),
/// the temporary `.incoming` directory left out.
pub(super) fn stored(app: &TestApp) -> BTreeSet<String> {
    let mut found = BTreeSet::new();
    walk_dir(&app.storage, &app.storage, &mut found);
    found.retain(|key| !key.starts_with(".incoming/"));
    found
}

/// The stored files under `prefix` (`videos/`, `workbooks/`).
pub(super) fn stored_under(app: &TestApp, prefix: &str) -> BTreeSet<String> {
    stored(app)
        .into_iter()
        .filter(|key| key.starts_with(prefix))
        .collect()
}

/// What the temporary `.incoming` directory holds.
pub(super) fn incoming(app: &TestApp) -> BTreeSet<String> {
    let mut found = BTreeSet::new();
    walk_dir(&app.storage, &app.storage.join(".incoming"), &mut found);
    found
}

/// The bytes of the stored file `key`.
pub(super) fn read_stored(app: &TestApp, key: &str) -> Vec<u8> {
    std::fs::read(app.storage.join(key)).unwrap()
}

/// Asserts the storage holds exactly `before` and nothing waits in `.incoming`.
pub(super) fn assert_storage_unchanged(app: &TestApp, before: &BTreeSet<String>, what: &str) {
    assert_eq!(&stored(app), before, "{what}: the storage changed");
    assert!(
        incoming(app).is_empty(),
        "{what}: left in .incoming: {:?}",
        incoming(app)
    );
}

/// The lowercase hex SHA-256 of `bytes` (FIPS 180-4).
pub(super) fn sha256_hex(bytes: &[u8]) -> String {
    const K: [u32; 64] = [
        0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4,
        0xab1c5ed5, 0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe,
        0x9bdc06a7, 0xc19bf174, 0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f,
        0x4a7484aa, 0x5cb0a9dc, 0x76f988da, 0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7,
        0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967, 0x27b70a85, 0x2e1b2138, 0x4d2c6dfc,
        0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85, 0xa2bfe8a1, 0xa81a664b,
        0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070, 0x19a4c116,
        0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
        0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7,
        0xc67178f2,
    ];
    let mut h: [u32; 8] = [
        0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab,
        0x5be0cd19,
    ];
    let mut message = bytes.to_vec();
    let bit_len = (bytes.len() as u64).wrapping_mul(8);
    message.push(0x80);
    while message.len() % 64 != 56 {
        message.push(0);
    }
    message.extend_from_slice(&bit_len.to_be_bytes());
    for block in message.chunks(64) {
        let mut w = [0u32; 64];
        for (i, word) in block.chunks(4).enumerate() {
            w[i] = u32::from_be_bytes([word[0], word[1], word[2], word[3]]);
        }
        for i in 16..64 {
            let s0 = w[i - 15].rotate_right(7) ^ w[i - 15].rotate_right(18) ^ (w[i - 15] >> 3);
            let s1 = w[i - 2].rotate_right(17) ^ w[i - 2].rotate_right(19) ^ (w[i - 2] >> 10);
            w[i] = w[i - 16]
                .wrapping_add(s0)
                .wrapping_add(w[i - 7])
                .wrapping_add(s1);
        }
        let [mut a, mut b, mut c, mut d, mut e, mut f, mut g, mut hh] = h;
        for i in 0..64 {
            let s1 = e.rotate_right(6) ^ e.rotate_right(11) ^ e.rotate_right(25);
            let ch = (e & f) ^ (!e & g);
            let t1 = hh
                .wrapping_add(s1)
                .wrapping_add(ch)
                .wrapping_add(K[i])
                .wrapping_add(w[i]);
            let s0 = a.rotate_right(2) ^ a.rotate_right(13) ^ a.rotate_right(22);
            let maj = (a & b) ^ (a & c) ^ (b & c);
            let t2 = s0.wrapping_add(maj);
            hh = g;
            g = f;
            f = e;
            e = d.wrapping_add(t1);
            d = c;
            c = b;
            b = a;
            a = t1.wrapping_add(t2);
        }
        for (slot, value) in h.iter_mut().zip([a, b, c, d, e, f, g, hh]) {
            *slot = slot.wrapping_add(value);
        }
    }
    h.iter().map(|word| format!("{word:08x}")).collect()
}

#[test]
fn the_test_sha256_matches_the_published_vectors() {
    assert_eq!(
        sha256_hex(b""),
        "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
    );
    assert_eq!(
        sha256_hex(b"abc"),
        "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
    );
    assert_eq!(
        sha256_hex(&[b'a'; 1_000]),
        "41edece42d63e8d9bf515a9ba6932e1c20cbc9f5a5d134645adb5db1b9737ea3"
    );
}

// ---------------------------------------------------------------- JSON

/// Every object key anywhere in `value`.
pub(super) fn keys_of(value: &Value) -> BTreeSet<String> {
    let mut keys = BTreeSet::new();
    collect_keys(value, &mut keys);
    keys
}

fn collect_keys(value: &Value, keys: &mut BTreeSet<String>) {
    match value {
        Value::Object(map) => {
            for (key, inner) in map {
                keys.insert(key.clone());
                collect_keys(inner, keys);
            }
        }
        Value::Array(items) => items.iter().for_each(|item| collect_keys(item, keys)),
        _ => {}
    }
}

/// The keys of one JSON object, sorted.
pub(super) fn object_keys(value: &Value) -> Vec<String> {
    let mut keys: Vec<String> = value
        .as_object()
        .unwrap_or_else(|| panic!("not an object: {value}"))
        .keys()
        .cloned()
        .collect();
    keys.sort();
    keys
}

/// `names` as owned, sorted strings, to compare with `object_keys`.
pub(super) fn sorted(names: &[&str]) -> Vec<String> {
    let mut names: Vec<String> = names.iter().map(|n| (*n).to_owned()).collect();
    names.sort();
    names
}

/// `API` + `path`.
pub(super) fn api(path: &str) -> String {
    format!("{API}{path}")
}
