//! Mail sent in the background, so a response never waits for SMTP and its
//! timing does not tell whether a mail was sent at all. Failures are logged.
//! `settled` waits for mail in flight (graceful shutdown, tests).

use bilim_domain::ports::{Mailer, OutgoingMail};
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use tokio::sync::Notify;

#[derive(Clone)]
pub struct Outbox {
    mailer: Arc<dyn Mailer>,
    in_flight: Arc<InFlight>,
}

#[derive(Default)]
struct InFlight {
    count: AtomicUsize,
    idle: Notify,
}

impl Outbox {
    pub fn new(mailer: Arc<dyn Mailer>) -> Self {
        Self {
            mailer,
            in_flight: Arc::default(),
        }
    }

    pub fn send(&self, mail: OutgoingMail) {
        let mailer = Arc::clone(&self.mailer);
        let in_flight = Arc::clone(&self.in_flight);
        in_flight.count.fetch_add(1, Ordering::SeqCst);
        tokio::spawn(async move {
            if let Err(error) = mailer.send(&mail).await {
                tracing::error!(to = %mail.to, %error, "mail not delivered");
            }
            if in_flight.count.fetch_sub(1, Ordering::SeqCst) == 1 {
                in_flight.idle.notify_waiters();
            }
        });
    }

    /// Returns once no mail is in flight.
    pub async fn settled(&self) {
        loop {
            let idle = self.in_flight.idle.notified();
            if self.in_flight.count.load(Ordering::SeqCst) == 0 {
                return;
            }
            idle.await;
        }
    }
}
