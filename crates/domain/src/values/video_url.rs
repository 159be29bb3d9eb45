//! An external video's address: an https URL with a host and no credentials,
//! parsed and stored as the parser writes it. Text a URL parser would drop or
//! escape (CR, LF, tab, spaces, quotes, angle brackets, backslashes) is refused,
//! not repaired: it is either a mistake or an attempt to smuggle markup or
//! headers through a link that is handed to every student.

use crate::{DomainError, DomainResult};
use std::fmt;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VideoUrl(String);

impl VideoUrl {
    pub const MAX_BYTES: usize = 2000;

    pub fn parse(raw: &str) -> DomainResult<Self> {
        let invalid = || DomainError::invalid("url", "validation", "must be an https URL");
        let refused = |c: char| {
            c.is_ascii_control()
                || c.is_whitespace()
                || matches!(
                    c,
                    '"' | '\'' | '<' | '>' | '\\' | '`' | '{' | '}' | '|' | '^'
                )
        };
        // `https:` then exactly two slashes and a host: the parser would
        // otherwise read `https:///x` or `https:/x` as the host `x`.
        let authority = raw
            .get(..8)
            .filter(|scheme| scheme.eq_ignore_ascii_case("https://"))
            .and_then(|_| raw.get(8..))
            .is_some_and(|rest| !rest.starts_with('/'));
        if !authority || raw.len() > Self::MAX_BYTES || raw.chars().any(refused) {
            return Err(invalid());
        }
        let url = url::Url::parse(raw).map_err(|_| invalid())?;
        let plain = url.scheme() == "https"
            && url.host_str().is_some_and(|host| !host.is_empty())
            && url.username().is_empty()
            && url.password().is_none();
        let written = url.to_string();
        if !plain || written.len() > Self::MAX_BYTES {
            return Err(invalid());
        }
        Ok(Self(written))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    pub fn into_string(self) -> String {
        self.0
    }
}

impl fmt::Display for VideoUrl {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn https_urls_are_kept_as_the_parser_writes_them() {
        let parsed = VideoUrl::parse("https://CDN.example.uz/darslar/1.mp4?t=3#a").unwrap();
        assert_eq!(
            parsed.as_str(),
            "https://cdn.example.uz/darslar/1.mp4?t=3#a"
        );
        assert_eq!(
            VideoUrl::parse("https://cdn.example.uz").unwrap().as_str(),
            "https://cdn.example.uz/"
        );
    }

    #[test]
    fn anything_a_parser_would_not_write_is_refused() {
        for raw in [
            "https://cdn.example.uz/a\r\nSet-Cookie: x=1",
            "https://cdn.example.uz/a\n.mp4",
            "https://cdn.example.uz/a\t.mp4",
            "https://cdn.example.uz/\"><script>alert(1)</script>",
            "https://cdn.example.uz/a b.mp4",
            "https://cdn.example.uz/a'b",
            "https://cdn.example.uz\\evil.uz/",
            "https://cdn.example.uz/a\0.mp4",
            "http://cdn.example.uz/a.mp4",
            "javascript:alert(1)",
            "https://user:pw@cdn.example.uz/a.mp4",
            "https:///a.mp4",
            "cdn.example.uz/a.mp4",
            "",
        ] {
            assert!(VideoUrl::parse(raw).is_err(), "{raw:?}");
        }
        let long = format!("https://cdn.example.uz/{}", "a".repeat(2000));
        assert!(VideoUrl::parse(&long).is_err());
    }
}
