//! The access job: a reminder mail 7 days before a grant ends and a mail when
//! it has ended, each exactly once. Safe to run on every instance at once:
//! every mail is sent only by the caller whose conditional update marked it.
//! Access itself never waits for this job; it is judged against the clock.

use crate::ServiceResult;
use bilim_domain::learning::AccessNotice;
use bilim_domain::ports::{AccessRepository, Clock, MailMessage, Mailer, NoticeKind, OutgoingMail};
use bilim_domain::values::Email;
use chrono::Duration;
use std::sync::Arc;

/// How long before the end the reminder goes out.
pub const REMINDER_BEFORE: Duration = Duration::days(7);
/// Grants handled per query.
const BATCH: u64 = 100;
/// Batches per kind and run: bounds one run; the next run goes on.
const MAX_BATCHES: usize = 50;

/// What one run sent.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ExpiryRun {
    pub reminders: usize,
    pub expiries: usize,
}

#[derive(Clone)]
pub struct AccessExpiry {
    pub(crate) access: Arc<dyn AccessRepository>,
    pub(crate) mailer: Arc<dyn Mailer>,
    pub(crate) clock: Arc<dyn Clock>,
}

impl AccessExpiry {
    pub fn new(
        access: Arc<dyn AccessRepository>,
        mailer: Arc<dyn Mailer>,
        clock: Arc<dyn Clock>,
    ) -> Self {
        Self {
            access,
            mailer,
            clock,
        }
    }

    /// Sends every reminder and expiry mail that is due now.
    #[tracing::instrument(skip(self))]
    pub async fn run_once(&self) -> ServiceResult<ExpiryRun> {
        let reminders = self.send_due(NoticeKind::Reminder).await?;
        let expiries = self.send_due(NoticeKind::Expiry).await?;
        if reminders + expiries > 0 {
            tracing::info!(reminders, expiries, "access mails sent");
        }
        Ok(ExpiryRun {
            reminders,
            expiries,
        })
    }

    /// Runs the job every `interval` until the process ends. A failed run is
    /// logged and retried at the next tick.
    pub async fn run_every(self, interval: std::time::Duration) {
        let mut ticks = tokio::time::interval(interval);
        ticks.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        loop {
            ticks.tick().await;
            if let Err(error) = self.run_once().await {
                tracing::warn!(%error, "access job failed; retrying at the next tick");
            }
        }
    }

    async fn send_due(&self, kind: NoticeKind) -> ServiceResult<usize> {
        let mut sent = 0;
        for _ in 0..MAX_BATCHES {
            let now = self.clock.now();
            let due = match kind {
                NoticeKind::Reminder => {
                    self.access
                        .due_reminders(now, now + REMINDER_BEFORE, BATCH)
                        .await?
                }
                NoticeKind::Expiry => self.access.due_expiries(now, BATCH).await?,
            };
            let full_batch = due.len() as u64 == BATCH;
            let mut failed = false;
            for notice in due {
                match self.notify(kind, &notice).await {
                    Ok(true) => sent += 1,
                    Ok(false) => {}
                    Err(error) => {
                        failed = true;
                        tracing::warn!(%error, grant = %notice.grant_id, ?kind, "access mail not sent; will retry");
                    }
                }
            }
            // A failed mail is unmarked and would come back in the next batch.
            if !full_batch || failed {
                break;
            }
        }
        Ok(sent)
    }

    /// Marks the notice and mails it; `false` when another caller marked it.
    /// A mail that cannot be sent is unmarked, so a later run retries it.
    async fn notify(&self, kind: NoticeKind, notice: &AccessNotice) -> ServiceResult<bool> {
        let now = self.clock.now();
        let won = match kind {
            NoticeKind::Reminder => {
                self.access
                    .mark_reminded(notice.grant_id, notice.expires_at, now)
                    .await?
            }
            NoticeKind::Expiry => {
                self.access
                    .mark_expired(notice.grant_id, notice.expires_at, now)
                    .await?
            }
        };
        if !won {
            return Ok(false);
        }
        let message = match kind {
            NoticeKind::Reminder => MailMessage::AccessEnding {
                first_name: notice.first_name.clone(),
                course_title: notice.course_title.clone(),
                expires_at: notice.expires_at,
            },
            NoticeKind::Expiry => MailMessage::AccessEnded {
                first_name: notice.first_name.clone(),
                course_title: notice.course_title.clone(),
            },
        };
        let sent = match Email::parse(&notice.email) {
            Ok(to) => self.mailer.send(&OutgoingMail { to, message }).await,
            Err(error) => Err(error),
        };
        if let Err(error) = sent {
            self.access.clear_notice_mark(notice.grant_id, kind).await?;
            return Err(error.into());
        }
        Ok(true)
    }
}
