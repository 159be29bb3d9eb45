//! A TCP relay in front of a real service (PostgreSQL, Redis) that a test can cut
//! and restore on the same port: an outage and a recovery without touching the
//! service itself, which other tests share. It can also freeze: every
//! connection stays open and nothing more passes, a hung service.

use std::io;
use tokio::net::TcpListener;
use tokio::sync::watch;
use tokio::task::JoinSet;

pub struct TcpRelay {
    upstream: String,
    address: String,
    tasks: JoinSet<()>,
    frozen: watch::Sender<bool>,
}

impl TcpRelay {
    /// Starts relaying from a free local port to `upstream` (`host:port`).
    pub async fn start(upstream: &str) -> io::Result<Self> {
        let mut relay = Self {
            upstream: upstream.to_owned(),
            address: String::new(),
            tasks: JoinSet::new(),
            frozen: watch::Sender::new(false),
        };
        relay.address = relay.listen("127.0.0.1:0").await?;
        Ok(relay)
    }

    /// `127.0.0.1:port` where clients connect.
    pub fn address(&self) -> &str {
        &self.address
    }

    /// Closes the port and every relayed connection: the service looks dead.
    pub async fn cut(&mut self) {
        self.tasks.shutdown().await;
    }

    /// Keeps every connection (and new ones) open but passes nothing more: the
    /// service hangs without closing anything. `cut` ends it.
    pub fn freeze(&self) {
        self.frozen.send_replace(true);
    }

    /// Listens again on the same port: the service is back.
    pub async fn restore(&mut self) -> io::Result<()> {
        let address = self.address.clone();
        self.listen(&address).await.map(|_| ())
    }

    async fn listen(&mut self, address: &str) -> io::Result<String> {
        let listener = TcpListener::bind(address).await?;
        let bound = listener.local_addr()?.to_string();
        let upstream = self.upstream.clone();
        self.frozen.send_replace(false);
        let frozen = self.frozen.subscribe();
        // Connections live in the accept task's own JoinSet, so cutting the accept
        // task closes every relayed socket too.
        self.tasks.spawn(async move {
            let mut connections = JoinSet::new();
            while let Ok((mut client, _)) = listener.accept().await {
                let upstream = upstream.clone();
                let mut frozen = frozen.clone();
                connections.spawn(async move {
                    if let Ok(mut server) = tokio::net::TcpStream::connect(&upstream).await {
                        tokio::select! {
                            _ = tokio::io::copy_bidirectional(&mut client, &mut server) => return,
                            _ = frozen.wait_for(|frozen| *frozen) => {}
                        }
                        // Frozen: hold both sockets open, silent, until cut.
                        std::future::pending::<()>().await;
                    }
                });
            }
        });
        Ok(bound)
    }
}

/// Splits `scheme://[user:pw@]host:port[/path]` into `host:port` and the URL with
/// `{}` where the authority stood, so the URL can be pointed at a relay.
pub fn split_authority(url: &str) -> Option<(String, String)> {
    let (scheme, rest) = url.split_once("://")?;
    let (credentials, rest) = match rest.rsplit_once('@') {
        Some((credentials, rest)) => (format!("{credentials}@"), rest),
        None => (String::new(), rest),
    };
    let (host_port, path) = rest.split_at(rest.find('/').unwrap_or(rest.len()));
    Some((
        host_port.to_owned(),
        format!("{scheme}://{credentials}{{}}{path}"),
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_urls_with_and_without_credentials() {
        assert_eq!(
            split_authority("postgres://postgres@127.0.0.1:5432/postgres"),
            Some((
                "127.0.0.1:5432".into(),
                "postgres://postgres@{}/postgres".into()
            ))
        );
        assert_eq!(
            split_authority("redis://127.0.0.1:6379"),
            Some(("127.0.0.1:6379".into(), "redis://{}".into()))
        );
        assert_eq!(split_authority("no scheme"), None);
    }
}
