//! What the server is reached through: its public URL, the browser origins
//! allowed by CORS and the proxies trusted for the client address.

use super::reader::Reader;
use std::net::IpAddr;
use url::Url;

impl Reader {
    pub(super) fn public_url(&mut self, production: bool) -> Option<String> {
        let Some(raw) = self
            .raw("BILIM_PUBLIC_URL")
            .map(|v| v.trim_end_matches('/').to_owned())
        else {
            if production {
                self.fail(
                    "BILIM_PUBLIC_URL",
                    "required in production: the base of links in mails and file links, e.g. https://api.bilim.uz",
                );
            }
            return None;
        };
        match Url::parse(&raw) {
            Ok(url) if matches!(url.scheme(), "http" | "https") && url.host().is_some() => {
                Some(raw)
            }
            _ => {
                self.fail(
                    "BILIM_PUBLIC_URL",
                    "expected an absolute http(s) URL, e.g. https://api.bilim.uz",
                );
                None
            }
        }
    }

    pub(super) fn cors_origins(&mut self) -> Vec<String> {
        let origins = self.list("BILIM_CORS_ORIGINS");
        for origin in &origins {
            let valid = Url::parse(origin).is_ok_and(|url| {
                matches!(url.scheme(), "http" | "https")
                    && url.path() == "/"
                    && !origin.ends_with('/')
            });
            if !valid {
                self.fail(
                    "BILIM_CORS_ORIGINS",
                    format!(
                        "{origin:?} is not an origin like https://bilim.uz ('*' is not allowed)"
                    ),
                );
            }
        }
        origins
    }

    pub(super) fn trusted_proxies(&mut self) -> Vec<IpAddr> {
        let mut proxies = Vec::new();
        for entry in self.list("BILIM_TRUSTED_PROXIES") {
            match entry.parse() {
                Ok(ip) => proxies.push(ip),
                Err(_) => self.fail(
                    "BILIM_TRUSTED_PROXIES",
                    format!("{entry:?} is not an IP address"),
                ),
            }
        }
        proxies
    }
}
