//! A TCP relay in front of a real service (PostgreSQL, Redis, S3) that a test can
//! cut and restore on the same port, or freeze (connections stay open, nothing
//! passes): an outage, a hang and a recovery without touching the service
//! itself, which other tests share.

use std::io;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
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

    /// Holds every byte in both directions, on open and new connections: the
    /// service hangs without closing anything.
    pub fn freeze(&self) {
        self.frozen.send_replace(true);
    }

    /// Lets the held bytes and everything after them through again.
    pub fn thaw(&self) {
        self.frozen.send_replace(false);
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
            while let Ok((client, _)) = listener.accept().await {
                let upstream = upstream.clone();
                let frozen = frozen.clone();
                connections.spawn(async move {
                    if let Ok(server) = tokio::net::TcpStream::connect(&upstream).await {
                        let (client_read, client_write) = client.into_split();
                        let (server_read, server_write) = server.into_split();
                        tokio::join!(
                            pump(client_read, server_write, frozen.clone()),
                            pump(server_read, client_write, frozen),
                        );
                    }
                });
            }
        });
        Ok(bound)
    }
}

/// Copies one direction, holding what it read while the relay is frozen.
async fn pump(
    mut from: tokio::net::tcp::OwnedReadHalf,
    mut to: tokio::net::tcp::OwnedWriteHalf,
    mut frozen: watch::Receiver<bool>,
) {
    let mut buffer = vec![0; 16 * 1024];
    loop {
        let read = match from.read(&mut buffer).await {
            Ok(0) | Err(_) => break,
            Ok(read) => read,
        };
        if frozen.wait_for(|frozen| !*frozen).await.is_err()
            || to.write_all(&buffer[..read]).await.is_err()
        {
            break;
        }
    }
    let _ = to.shutdown().await;
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
