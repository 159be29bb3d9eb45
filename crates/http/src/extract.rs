//! Request extractors: the client's address (behind trusted proxies only) and
//! the authenticated user of a `[user, token]` route.

use crate::app::HttpConfig;
use crate::error::ApiError;
use actix_web::dev::Payload;
use actix_web::http::{StatusCode, header};
use actix_web::{FromRequest, HttpRequest, web};
use bilim_service::accounts::{Accounts, AuthUser};
use bilim_service::admin::{AdminAuth, AuthAdmin};
use std::future::{Ready, ready};
use std::net::{IpAddr, Ipv4Addr};
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

fn forwarded_for(request: &HttpRequest) -> Vec<IpAddr> {
    request
        .headers()
        .get_all("x-forwarded-for")
        .filter_map(|value| value.to_str().ok())
        .flat_map(|value| value.split(','))
        .filter_map(|entry| entry.trim().parse().ok())
        .collect()
}

fn client_ip(peer: IpAddr, forwarded: Vec<IpAddr>, trusted: &[IpAddr]) -> IpAddr {
    if !trusted.contains(&peer) {
        return peer;
    }
    // Right to left: each trusted proxy appended the address it saw.
    forwarded
        .into_iter()
        .rev()
        .find(|ip| !trusted.contains(ip))
        .unwrap_or(peer)
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

#[cfg(test)]
mod tests {
    use super::*;

    fn ip(raw: &str) -> IpAddr {
        raw.parse().unwrap()
    }

    #[test]
    fn forwarded_for_is_ignored_from_untrusted_peers() {
        let forwarded = vec![ip("1.2.3.4")];
        assert_eq!(
            client_ip(ip("9.9.9.9"), forwarded, &[ip("10.0.0.1")]),
            ip("9.9.9.9")
        );
    }

    #[test]
    fn the_first_untrusted_address_from_the_right_is_the_client() {
        let trusted = [ip("10.0.0.1"), ip("10.0.0.2")];
        let forwarded = vec![ip("6.6.6.6"), ip("1.2.3.4"), ip("10.0.0.2")];
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
}
