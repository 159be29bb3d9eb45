//! Request extractors: the client's address (behind trusted proxies only),
//! the authenticated user of a `[user, token]` route, and JSON bodies that
//! must be objects.

use crate::app::HttpConfig;
use crate::error::ApiError;
use actix_web::dev::Payload;
use actix_web::http::{StatusCode, header};
use actix_web::{FromRequest, HttpRequest, web};
use bilim_service::accounts::{Accounts, AuthUser};
use bilim_service::admin::{AdminAuth, AuthAdmin};
use serde::de::{self, DeserializeOwned};
use serde::{Deserialize, Deserializer};
use serde_json::Value;
use std::future::{Ready, ready};
use std::net::{IpAddr, Ipv4Addr, SocketAddr};
use std::pin::Pin;

/// The client's IP address. `X-Forwarded-For` is believed only when the peer is
/// a configured proxy, and then only up to the first address that is not one.
#[derive(Debug, Clone, Copy)]
pub struct ClientIp(pub IpAddr);

impl FromRequest for ClientIp {
    type Error = ApiError;
    type Future = Ready<Result<Self, ApiError>>;

    fn from_request(request: &HttpRequest, _: &mut Payload) -> Self::Future {
        let peer = request
            .peer_addr()
            .map_or(IpAddr::V4(Ipv4Addr::UNSPECIFIED), |a| a.ip());
        let trusted = request
            .app_data::<web::Data<HttpConfig>>()
            .map(|config| config.trusted_proxies.clone())
            .unwrap_or_default();
        ready(Ok(Self(client_ip(peer, forwarded_for(request), &trusted))))
    }
}

/// The `X-Forwarded-For` entries, left to right; `None` for one that is not an
/// address (`ip`, `ip:port`, `[v6]` or `[v6]:port`).
fn forwarded_for(request: &HttpRequest) -> Vec<Option<IpAddr>> {
    request
        .headers()
        .get_all("x-forwarded-for")
        .filter_map(|value| value.to_str().ok())
        .flat_map(|value| value.split(','))
        .map(forwarded_entry)
        .collect()
}

fn forwarded_entry(entry: &str) -> Option<IpAddr> {
    let entry = entry.trim();
    entry
        .parse::<IpAddr>()
        .ok()
        .or_else(|| entry.parse::<SocketAddr>().ok().map(|a| a.ip()))
        .or_else(|| {
            let inner = entry.strip_prefix('[')?.strip_suffix(']')?;
            inner.parse::<std::net::Ipv6Addr>().ok().map(IpAddr::V6)
        })
}

fn client_ip(peer: IpAddr, forwarded: Vec<Option<IpAddr>>, trusted: &[IpAddr]) -> IpAddr {
    // Right to left: each trusted proxy appended the address it saw. The first
    // untrusted address is the client; an entry that is not an address stops
    // the walk at the proxy that passed it on.
    let mut client = peer;
    for entry in forwarded.into_iter().rev() {
        if !trusted.contains(&client) {
            break;
        }
        match entry {
            Some(ip) => client = ip,
            None => break,
        }
    }
    client
}

/// The bearer token of the request, if any.
pub fn bearer_token(request: &HttpRequest) -> Option<&str> {
    let value = request
        .headers()
        .get(header::AUTHORIZATION)?
        .to_str()
        .ok()?;
    let (scheme, token) = value.split_once(' ')?;
    scheme
        .eq_ignore_ascii_case("bearer")
        .then(|| token.trim())
        .filter(|t| !t.is_empty())
}

/// The token and the service that checks it, or 401 `auth.required` when no
/// token came.
fn required<S>(
    token: Option<String>,
    service: Option<web::Data<S>>,
) -> Result<(String, web::Data<S>), ApiError> {
    let token = token.ok_or_else(|| {
        ApiError::new(
            StatusCode::UNAUTHORIZED,
            "auth.required",
            "Send an access token: Authorization: Bearer <token>.",
        )
    })?;
    let service = service.ok_or_else(|| {
        ApiError::new(
            StatusCode::INTERNAL_SERVER_ERROR,
            "internal",
            "services missing",
        )
    })?;
    Ok((token, service))
}

/// The signed-in user: a valid user access token whose user is active and whose
/// token version is current. Otherwise 401.
pub struct CurrentUser(pub AuthUser);

impl FromRequest for CurrentUser {
    type Error = ApiError;
    type Future = Pin<Box<dyn Future<Output = Result<Self, ApiError>>>>;

    fn from_request(request: &HttpRequest, _: &mut Payload) -> Self::Future {
        let token = bearer_token(request).map(str::to_owned);
        let accounts = request.app_data::<web::Data<Accounts>>().cloned();
        Box::pin(async move {
            let (token, accounts) = required(token, accounts)?;
            Ok(Self(accounts.authenticate(&token).await?))
        })
    }
}

/// The signed-in admin: a valid admin access token (audience `admin`) whose
/// admin is active and whose token version is current. Otherwise 401.
pub struct CurrentAdmin(pub AuthAdmin);

impl FromRequest for CurrentAdmin {
    type Error = ApiError;
    type Future = Pin<Box<dyn Future<Output = Result<Self, ApiError>>>>;

    fn from_request(request: &HttpRequest, _: &mut Payload) -> Self::Future {
        let token = bearer_token(request).map(str::to_owned);
        let admin_auth = request.app_data::<web::Data<AdminAuth>>().cloned();
        Box::pin(async move {
            let (token, admin_auth) = required(token, admin_auth)?;
            Ok(Self(admin_auth.authenticate(&token).await?))
        })
    }
}

/// A JSON body that must be an object, read like `web::Json` (the app's
/// `JsonConfig`: limit, content type, error codes) with one more rule. Serde's
/// derived struct deserializers also take an array of the fields in order, so
/// `[false, "teacher"]` would be read as `{"active": false, "role":
/// "teacher"}`; here an array, string, number or `null` is a 400 `validation`
/// like any other body of the wrong shape. Every route reads its JSON body
/// through this extractor (a test keeps `web::Json` out of handler arguments).
#[derive(Debug)]
pub struct JsonObject<T>(pub T);

impl<T> JsonObject<T> {
    pub fn into_inner(self) -> T {
        self.0
    }
}

impl<T> std::ops::Deref for JsonObject<T> {
    type Target = T;

    fn deref(&self) -> &T {
        &self.0
    }
}

impl<T: DeserializeOwned + 'static> FromRequest for JsonObject<T> {
    type Error = actix_web::Error;
    type Future = Pin<Box<dyn Future<Output = Result<Self, actix_web::Error>>>>;

    fn from_request(request: &HttpRequest, payload: &mut Payload) -> Self::Future {
        let body = web::Json::<serde_json::Value>::from_request(request, payload);
        Box::pin(async move {
            let value = body.await?.into_inner();
            crate::controls::check_json(&value)?;
            Ok(Self(object_from(value)?))
        })
    }
}

/// `T` deserialized from a JSON object and nothing else.
///
/// The body is read into a `serde_json::Value` first, so that two things hold
/// before `T` sees it:
/// - anything but an object (an array, string, number, `null`) is refused;
///   the whole body is parsed before, so a truncated one is malformed JSON,
///   not JSON of the wrong type;
/// - a number with a zero fraction (`34.0`, `1e3`) is the integer it equals,
///   as JSON Schema's `integer` says; `34.5` stays a float, which an integer
///   field refuses.
pub struct Object<T>(pub T);

impl<'de, T: DeserializeOwned> Deserialize<'de> for Object<T> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let mut value = Value::deserialize(deserializer)?;
        if !value.is_object() {
            return Err(de::Error::invalid_type(
                unexpected(&value),
                &"a JSON object",
            ));
        }
        integral_numbers(&mut value);
        // The object's entries go to T's own deserializer: unknown, missing and
        // mistyped fields are refused exactly as before.
        T::deserialize(value).map(Object).map_err(de::Error::custom)
    }
}

fn unexpected(value: &Value) -> de::Unexpected<'_> {
    match value {
        Value::Null => de::Unexpected::Unit,
        Value::Bool(b) => de::Unexpected::Bool(*b),
        Value::Number(_) => de::Unexpected::Other("a number"),
        Value::String(s) => de::Unexpected::Str(s),
        Value::Array(_) => de::Unexpected::Seq,
        Value::Object(_) => de::Unexpected::Map,
    }
}

/// The largest integer an `f64` holds exactly: beyond it `1e300` would become
/// some other integer, so it stays a float (and an integer field refuses it).
const EXACT_F64_INTEGER: f64 = 9_007_199_254_740_992.0;

fn integral_numbers(value: &mut Value) {
    match value {
        Value::Number(n) => {
            if let Some(f) = n.as_f64().filter(|_| n.is_f64())
                && f.fract() == 0.0
                && f.abs() <= EXACT_F64_INTEGER
            {
                // In range by the check above: the cast is exact.
                *n = serde_json::Number::from(f as i64);
            }
        }
        Value::Array(items) => items.iter_mut().for_each(integral_numbers),
        Value::Object(map) => map.values_mut().for_each(integral_numbers),
        Value::Null | Value::Bool(_) | Value::String(_) => {}
    }
}

/// A JSON object read from bytes by hand (routes whose body may be empty or a
/// form): 400 `validation` for JSON of the wrong shape (an array included),
/// 400 `request.malformed_json` for anything that is not JSON.
pub fn json_object<T: DeserializeOwned>(body: &[u8]) -> Result<T, ApiError> {
    let value: serde_json::Value = serde_json::from_slice(body)
        .map_err(|e| ApiError::bad_request("request.malformed_json", e.to_string()))?;
    crate::controls::check_json(&value)?;
    object_from(value)
}

/// `T` from a JSON value that must be an object: 400 `validation` otherwise.
fn object_from<T: DeserializeOwned>(value: serde_json::Value) -> Result<T, ApiError> {
    serde_json::from_value::<Object<T>>(value)
        .map(|object| object.0)
        .map_err(|e| ApiError::bad_request("validation", e.to_string()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ip(raw: &str) -> IpAddr {
        raw.parse().unwrap()
    }

    #[test]
    fn forwarded_for_is_ignored_from_untrusted_peers() {
        let forwarded = vec![Some(ip("1.2.3.4"))];
        assert_eq!(
            client_ip(ip("9.9.9.9"), forwarded, &[ip("10.0.0.1")]),
            ip("9.9.9.9")
        );
    }

    #[test]
    fn the_first_untrusted_address_from_the_right_is_the_client() {
        let trusted = [ip("10.0.0.1"), ip("10.0.0.2")];
        let forwarded = vec![
            Some(ip("6.6.6.6")),
            Some(ip("1.2.3.4")),
            Some(ip("10.0.0.2")),
        ];
        // 6.6.6.6 was written by the client itself and is not believed.
        assert_eq!(
            client_ip(ip("10.0.0.1"), forwarded, &trusted),
            ip("1.2.3.4")
        );
    }

    #[test]
    fn a_trusted_peer_without_forwarded_for_is_the_client() {
        assert_eq!(
            client_ip(ip("10.0.0.1"), vec![], &[ip("10.0.0.1")]),
            ip("10.0.0.1")
        );
    }

    #[test]
    fn entries_with_ports_are_addresses_and_garbage_stops_the_walk() {
        assert_eq!(
            forwarded_entry(" 198.51.100.8:5555"),
            Some(ip("198.51.100.8"))
        );
        assert_eq!(
            forwarded_entry("[2001:db8::1]:443"),
            Some(ip("2001:db8::1"))
        );
        assert_eq!(forwarded_entry("[2001:db8::1]"), Some(ip("2001:db8::1")));
        assert_eq!(forwarded_entry("2001:db8::1"), Some(ip("2001:db8::1")));
        for garbage in ["6.7.i.i", "", "unknown", "[1.2.3.4]", "1.2.3.4:x"] {
            assert_eq!(forwarded_entry(garbage), None, "{garbage:?}");
        }
        let trusted = [ip("127.0.0.1")];
        let with_port = vec![
            forwarded_entry("6.7.8.9"),
            forwarded_entry("198.51.100.8:5555"),
        ];
        assert_eq!(
            client_ip(ip("127.0.0.1"), with_port, &trusted),
            ip("198.51.100.8")
        );
        // Garbage from the right: the proxy that passed it on is all we know.
        let garbage = vec![forwarded_entry("6.7.8.9"), forwarded_entry("6.7.i.i")];
        assert_eq!(
            client_ip(ip("127.0.0.1"), garbage, &trusted),
            ip("127.0.0.1")
        );
    }

    #[derive(Debug, Deserialize, PartialEq)]
    #[serde(deny_unknown_fields)]
    struct Change {
        active: Option<bool>,
        role: Option<String>,
    }

    fn code_of(body: &str) -> Result<Change, String> {
        json_object::<Change>(body.as_bytes()).map_err(|e| e.problem().code)
    }

    #[test]
    fn an_object_is_read_as_before() {
        assert_eq!(
            code_of(r#"{"active": false, "role": "teacher"}"#),
            Ok(Change {
                active: Some(false),
                role: Some("teacher".into())
            })
        );
        assert_eq!(
            code_of("{}"),
            Ok(Change {
                active: None,
                role: None
            })
        );
    }

    #[derive(Debug, Deserialize, PartialEq)]
    #[serde(deny_unknown_fields)]
    struct Counted {
        months: Option<u16>,
        position: Option<i32>,
        items: Option<Vec<u8>>,
    }

    fn counted(body: &str) -> Result<Counted, String> {
        json_object::<Counted>(body.as_bytes()).map_err(|e| e.problem().code)
    }

    #[test]
    fn a_number_with_a_zero_fraction_is_an_integer() {
        assert_eq!(
            counted(r#"{"months": 34.0, "position": -2.0, "items": [1.0, 2]}"#),
            Ok(Counted {
                months: Some(34),
                position: Some(-2),
                items: Some(vec![1, 2])
            })
        );
        assert_eq!(
            counted(r#"{"months": 1e1}"#).map(|c| c.months),
            Ok(Some(10))
        );
        for body in [
            r#"{"months": 34.5}"#,
            r#"{"months": 1e300}"#,
            r#"{"months": -1.0}"#,
            r#"{"months": 70000.0}"#,
        ] {
            assert_eq!(counted(body), Err("validation".into()), "{body}");
        }
    }

    #[test]
    fn anything_but_an_object_is_a_validation_error() {
        for body in [
            r#"[false, "teacher"]"#,
            "[]",
            r#""teacher""#,
            "42",
            "null",
            "true",
        ] {
            assert_eq!(code_of(body), Err("validation".into()), "{body}");
        }
        for body in [r#"{"active": "no"}"#, r#"{"admin": true}"#] {
            assert_eq!(code_of(body), Err("validation".into()), "{body}");
        }
        for body in ["", "{", "[false,", "nope"] {
            assert_eq!(
                code_of(body),
                Err("request.malformed_json".into()),
                "{body:?}"
            );
        }
    }

    /// Handlers take JSON bodies as `JsonObject`, never as `web::Json`, which
    /// would take an array for an object.
    #[test]
    fn no_handler_reads_a_body_with_web_json() {
        fn walk(dir: &std::path::Path, found: &mut Vec<String>) {
            for entry in std::fs::read_dir(dir).unwrap() {
                let path = entry.unwrap().path();
                if path.is_dir() {
                    walk(&path, found);
                } else if path.extension().is_some_and(|e| e == "rs") {
                    let text = std::fs::read_to_string(&path).unwrap();
                    for (n, line) in text.lines().enumerate() {
                        if line.contains(": web::Json<") {
                            found.push(format!("{}:{}: {}", path.display(), n + 1, line.trim()));
                        }
                    }
                }
            }
        }
        let mut found = Vec::new();
        walk(
            &std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src/routes"),
            &mut found,
        );
        assert!(found.is_empty(), "use JsonObject: {found:#?}");
    }
}
