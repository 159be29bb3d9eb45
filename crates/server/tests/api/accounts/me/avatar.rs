//! `PUT /users/me/avatar`: an image stored re-encoded as a JPEG without its
//! metadata behind a signed link, the old file removed on replacement, and
//! wrong types, sizes and forms refused before anything is stored.

use super::{
    AVATAR, BOUNDARY, PNG_1X1, PNG_AFTER_IHDR, PNG_SIGNATURE, assert_problem, base64url_decode,
    error_fields, form, me_of, path_of, png_chunk, put_avatar, put_avatar_as, registered,
};
use crate::helpers::{TestApp, spawn_app};
use bilim_domain::ports::FileKey;
use reqwest::Method;
use serde_json::{Value, json};
use std::collections::BTreeSet;
use tokio::io::{AsyncReadExt, AsyncWriteExt};

const MAX_AVATAR_BYTES: usize = 5 * 1024 * 1024;

/// Uploads `bytes` as the avatar, which must answer 200; returns the URL.
async fn avatar_set(app: &TestApp, token: &str, bytes: &[u8]) -> String {
    let response = put_avatar(app, token, bytes).await;
    let status = response.status();
    let text = response.text().await.unwrap();
    assert_eq!(status, 200, "{text}");
    let body: Value = serde_json::from_str(&text).unwrap();
    assert_eq!(
        body.as_object().unwrap().keys().collect::<Vec<_>>(),
        ["avatar_url"]
    );
    body["avatar_url"].as_str().unwrap().to_owned()
}

/// The storage key a signed file link names (its first, base64url segment).
fn key_of(url: &str) -> String {
    let signed = &path_of(url)["/api/v1/files/".len()..];
    let encoded = signed.split('.').next().unwrap();
    String::from_utf8(base64url_decode(encoded)).unwrap()
}

/// `PNG_1X1` with a text chunk of metadata after its header.
fn png_with_text(keyword: &str, text: &str) -> Vec<u8> {
    let mut data = keyword.as_bytes().to_vec();
    data.push(0);
    data.extend_from_slice(text.as_bytes());
    let mut png = PNG_1X1[..PNG_AFTER_IHDR].to_vec();
    png.extend(png_chunk(b"tEXt", &data));
    png.extend_from_slice(&PNG_1X1[PNG_AFTER_IHDR..]);
    png
}

/// The PNG signature followed by zeros, `len` bytes in all: big, not an image.
fn padded_png(len: usize) -> Vec<u8> {
    let mut bytes = PNG_SIGNATURE.to_vec();
    bytes.resize(len, 0);
    bytes
}

#[tokio::test]
async fn a_png_avatar_is_stored_as_a_jpeg_behind_a_signed_link() {
    let app = spawn_app().await;
    let session = registered(&app, "avatar@example.uz").await;

    let url = avatar_set(&app, &session.access, PNG_1X1).await;
    assert!(url.starts_with("http"), "links are absolute: {url}");
    let key = key_of(&url);
    assert!(key.starts_with("avatars/"), "{key}");

    let download = app.get(path_of(&url)).await;
    assert_eq!(download.status(), 200);
    assert_eq!(download.headers()["content-type"], "image/jpeg");
    let jpeg = download.bytes().await.unwrap();
    assert!(
        jpeg.starts_with(&[0xFF, 0xD8, 0xFF]),
        "not a JPEG: {:02X?}",
        &jpeg[..jpeg.len().min(8)]
    );
    assert!(jpeg.ends_with(&[0xFF, 0xD9]), "a JPEG ends with EOI");

    let me = me_of(&app, &session.access).await;
    let shown = me["avatar_url"].as_str().expect("avatar_url is set");
    assert_eq!(key_of(shown), key);
    let again = app.get(path_of(shown)).await;
    assert_eq!(again.status(), 200);
    assert_eq!(again.bytes().await.unwrap(), jpeg);

    let stored = app
        .ports
        .users
        .find_by_id(session.uuid())
        .await
        .unwrap()
        .unwrap();
    assert_eq!(stored.avatar_key.as_deref(), Some(key.as_str()));
}

#[tokio::test]
async fn the_avatar_is_re_encoded_without_the_uploaded_metadata() {
    let app = spawn_app().await;
    let session = registered(&app, "exif@example.uz").await;
    let marker = "gps=41.29950,69.24007 device=SecretPhone";
    let png = png_with_text("Comment", marker);

    let url = avatar_set(&app, &session.access, &png).await;
    let jpeg = app.get(path_of(&url)).await.bytes().await.unwrap();
    assert!(jpeg.starts_with(&[0xFF, 0xD8, 0xFF]));
    assert!(
        !jpeg.windows(marker.len()).any(|w| w == marker.as_bytes()),
        "the metadata survived re-encoding"
    );
    assert!(!jpeg.windows(10).any(|w| w == b"SecretPhon"));
}

#[tokio::test]
async fn a_new_avatar_replaces_the_old_one_and_the_old_link_dies() {
    let app = spawn_app().await;
    let session = registered(&app, "replace@example.uz").await;

    let first = avatar_set(&app, &session.access, PNG_1X1).await;
    assert_eq!(app.get(path_of(&first)).await.status(), 200);
    let second = avatar_set(&app, &session.access, &png_with_text("Title", "two")).await;
    assert_ne!(key_of(&first), key_of(&second));

    // The old link is still signed and unexpired, yet its file is gone.
    assert_problem(app.get(path_of(&first)).await, 404, "file.not_found").await;
    let old_key = FileKey::parse(&key_of(&first)).unwrap();
    assert!(app.ports.files.size(&old_key).await.is_err());

    let download = app.get(path_of(&second)).await;
    assert_eq!(download.status(), 200);
    assert_eq!(download.headers()["content-type"], "image/jpeg");
    let me = me_of(&app, &session.access).await;
    assert_eq!(key_of(me["avatar_url"].as_str().unwrap()), key_of(&second));
}

#[tokio::test]
async fn gif_and_pdf_bytes_are_refused_even_when_labelled_png() {
    let app = spawn_app().await;
    let session = registered(&app, "types@example.uz").await;
    let gif: &[u8] = b"GIF89a\x01\x00\x01\x00\x80\x00\x00\xff\xff\xff\x00\x00\x00!\xf9\x04\x01\x00\x00\x00\x00,\x00\x00\x00\x00\x01\x00\x01\x00\x00\x02\x02D\x01\x00;";
    let pdf: &[u8] =
        b"%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n";
    let svg: &[u8] = br#"<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>"#;
    for (bytes, filename, content_type) in [
        (gif, "cat.png", "image/png"),
        (gif, "cat.gif", "image/gif"),
        (pdf, "scan.png", "image/png"),
        (pdf, "scan.pdf", "application/pdf"),
        (svg, "logo.png", "image/png"),
    ] {
        let response = put_avatar_as(&app, &session.access, filename, content_type, bytes).await;
        assert_problem(response, 415, "file.type_not_allowed").await;
    }
    assert_eq!(
        me_of(&app, &session.access).await["avatar_url"],
        Value::Null
    );
}

#[tokio::test]
async fn an_avatar_over_5_mib_is_413_too_large() {
    let app = spawn_app().await;
    let session = registered(&app, "big@example.uz").await;
    let response = put_avatar(&app, &session.access, &padded_png(MAX_AVATAR_BYTES + 1)).await;
    assert_problem(response, 413, "file.too_large").await;
    assert_eq!(
        me_of(&app, &session.access).await["avatar_url"],
        Value::Null
    );
}

#[tokio::test]
async fn an_avatar_of_exactly_5_mib_is_not_refused_for_its_size() {
    let app = spawn_app().await;
    let session = registered(&app, "edge@example.uz").await;
    // At the limit the size is fine; these bytes just are not a picture.
    let response = put_avatar(&app, &session.access, &padded_png(MAX_AVATAR_BYTES)).await;
    assert_problem(response, 400, "file.invalid_image").await;
}

/// Sends request headers and the first `body` bytes over a raw connection,
/// then reads whatever the server answers (status, body).
async fn raw_exchange(app: &TestApp, head: &str, body: &[u8]) -> (u16, Value) {
    let address = app.address.trim_start_matches("http://");
    let mut stream = tokio::net::TcpStream::connect(address).await.unwrap();
    stream.write_all(head.as_bytes()).await.unwrap();
    stream.write_all(body).await.unwrap();
    let mut received = Vec::new();
    let read = async {
        let mut buffer = [0u8; 8192];
        loop {
            let n = stream.read(&mut buffer).await.unwrap_or(0);
            if n == 0 {
                break;
            }
            received.extend_from_slice(&buffer[..n]);
            if let Some(end) = received.windows(4).position(|w| w == b"\r\n\r\n") {
                let headers = String::from_utf8_lossy(&received[..end]).to_lowercase();
                let length = headers
                    .lines()
                    .find_map(|l| l.strip_prefix("content-length:"))
                    .and_then(|v| v.trim().parse::<usize>().ok());
                if length.is_some_and(|length| received.len() >= end + 4 + length) {
                    break;
                }
            }
        }
    };
    tokio::time::timeout(std::time::Duration::from_secs(10), read)
        .await
        .expect("the server answered without waiting for the announced body");
    let text = String::from_utf8_lossy(&received).into_owned();
    let status: u16 = text
        .split(' ')
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or_else(|| panic!("no status line in {text:?}"));
    let end = text.find("\r\n\r\n").unwrap();
    assert!(
        text[..end]
            .to_lowercase()
            .contains("content-type: application/problem+json"),
        "{text}"
    );
    (status, serde_json::from_str(&text[end + 4..]).unwrap())
}

#[tokio::test]
async fn an_announced_6_mib_upload_is_refused_before_the_body_is_sent() {
    let app = spawn_app().await;
    let session = registered(&app, "announced@example.uz").await;
    let (content_type, body) = form("image", "huge.png", "image/png", PNG_SIGNATURE);
    // Only the start of the form is sent: the announced length alone must do.
    let head = format!(
        "PUT {AVATAR} HTTP/1.1\r\nHost: {}\r\nAuthorization: Bearer {}\r\n\
         Content-Type: {content_type}\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
        app.address.trim_start_matches("http://"),
        session.access,
        6 * 1024 * 1024,
    );
    let (status, problem) = raw_exchange(&app, &head, &body[..body.len() - 10]).await;
    assert_eq!(status, 413, "{problem}");
    assert_eq!(problem["code"], "file.too_large");
    assert_eq!(
        me_of(&app, &session.access).await["avatar_url"],
        Value::Null
    );
}

#[tokio::test]
async fn an_avatar_form_without_an_image_field_is_400() {
    let app = spawn_app().await;
    let session = registered(&app, "nofield@example.uz").await;

    let (content_type, body) = form("picture", "a.png", "image/png", PNG_1X1);
    let response = app
        .authed(Method::PUT, AVATAR, &session.access)
        .header("content-type", content_type)
        .body(body)
        .send()
        .await
        .unwrap();
    assert_problem(response, 400, "validation").await;

    let empty = app
        .authed(Method::PUT, AVATAR, &session.access)
        .header(
            "content-type",
            format!("multipart/form-data; boundary={BOUNDARY}"),
        )
        .body(format!("--{BOUNDARY}--\r\n"))
        .send()
        .await
        .unwrap();
    assert_problem(empty, 400, "validation").await;
    assert_eq!(
        me_of(&app, &session.access).await["avatar_url"],
        Value::Null
    );
}

#[tokio::test]
async fn a_non_multipart_avatar_body_is_415_problem_json() {
    let app = spawn_app().await;
    let session = registered(&app, "notaform@example.uz").await;

    let raw_png = app
        .authed(Method::PUT, AVATAR, &session.access)
        .header("content-type", "image/png")
        .body(PNG_1X1.to_vec())
        .send()
        .await
        .unwrap();
    assert_problem(raw_png, 415, "request.unsupported_media_type").await;

    let json_body = app
        .authed(Method::PUT, AVATAR, &session.access)
        .json(&json!({"image": "iVBORw0KGgo="}))
        .send()
        .await
        .unwrap();
    assert_problem(json_body, 415, "request.unsupported_media_type").await;

    let no_type = app
        .authed(Method::PUT, AVATAR, &session.access)
        .body(PNG_1X1.to_vec())
        .send()
        .await
        .unwrap();
    assert_problem(no_type, 415, "request.unsupported_media_type").await;
    assert_eq!(
        me_of(&app, &session.access).await["avatar_url"],
        Value::Null
    );
}

#[tokio::test]
async fn a_corrupt_png_is_400_invalid_image() {
    let app = spawn_app().await;
    let session = registered(&app, "corrupt@example.uz").await;

    let truncated = &PNG_1X1[..40];
    let mut garbled = PNG_1X1.to_vec();
    // Break the compressed pixel data (and so its CRC) inside IDAT.
    for byte in &mut garbled[41..54] {
        *byte ^= 0x5A;
    }
    for bytes in [truncated, &garbled, PNG_SIGNATURE] {
        let response = put_avatar(&app, &session.access, bytes).await;
        let problem = assert_problem(response, 400, "file.invalid_image").await;
        assert_eq!(error_fields(&problem), BTreeSet::from(["image".to_owned()]));
    }
    assert_eq!(
        me_of(&app, &session.access).await["avatar_url"],
        Value::Null
    );
}
