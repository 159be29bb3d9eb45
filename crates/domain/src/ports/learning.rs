//! Storage of grants, once-only claims and progress.

use super::AuditEntry;
use crate::DomainResult;
use crate::learning::{
    AccessNotice, CertificateClaim, CourseProgress, Grant, GrantTerm, Holdings, IssuedCertificate,
    LessonProgress, WorkbookClaim,
};
use async_trait::async_trait;
use chrono::{DateTime, Utc};
use uuid::Uuid;

#[async_trait]
pub trait AccessRepository: Send + Sync {
    /// In one transaction: opens or extends each course for the user (a
    /// revoked or expired grant is reopened with `opened_at = now`; an active
    /// one keeps its `opened_at`), clears the reminder and expiry marks, and
    /// adds every workbook and the certificate of each course to the user's
    /// claims without duplicating any, and writes `audit`. A repeat never
    /// shortens access: an active grant ends at the later of its end and the
    /// term's (its marks are kept when the end does not move); a revoked or
    /// expired one ends at the term's. Returns the grants in `terms` order.
    /// `NotFound` (nothing written) when a course does not exist.
    async fn grant(
        &self,
        user_id: Uuid,
        terms: &[GrantTerm],
        granted_by: Uuid,
        now: DateTime<Utc>,
        audit: &AuditEntry,
    ) -> DomainResult<Vec<Grant>>;

    /// Sets `revoked_at` (kept if already set) and writes `audit`, in one
    /// transaction. `NotFound` (nothing written) without a grant.
    async fn revoke(
        &self,
        user_id: Uuid,
        course_id: Uuid,
        now: DateTime<Utc>,
        audit: &AuditEntry,
    ) -> DomainResult<()>;

    async fn grant_of(&self, user_id: Uuid, course_id: Uuid) -> DomainResult<Option<Grant>>;

    /// The user's grants and claims, with titles, newest grant first.
    async fn holdings(&self, user_id: Uuid) -> DomainResult<Holdings>;

    /// Grants neither revoked nor reminded whose expiry lies in `(now, until]`.
    async fn due_reminders(
        &self,
        now: DateTime<Utc>,
        until: DateTime<Utc>,
        limit: u64,
    ) -> DomainResult<Vec<AccessNotice>>;

    /// Marks the reminder sent, only if it was not and the grant still ends
    /// at `expires_at`. `true` for the one caller that wins.
    async fn mark_reminded(
        &self,
        grant_id: Uuid,
        expires_at: DateTime<Utc>,
        now: DateTime<Utc>,
    ) -> DomainResult<bool>;

    /// Grants not revoked, not yet marked expired, whose expiry is `<= now`.
    async fn due_expiries(&self, now: DateTime<Utc>, limit: u64)
    -> DomainResult<Vec<AccessNotice>>;

    /// Marks the grant expired, only if it was not and it still ends at
    /// `expires_at`. `true` for the one caller that wins.
    async fn mark_expired(
        &self,
        grant_id: Uuid,
        expires_at: DateTime<Utc>,
        now: DateTime<Utc>,
    ) -> DomainResult<bool>;

    /// Undoes a mark whose mail could not be sent, so the next run retries.
    async fn clear_notice_mark(&self, grant_id: Uuid, notice: NoticeKind) -> DomainResult<()>;
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NoticeKind {
    Reminder,
    Expiry,
}

#[async_trait]
pub trait ClaimRepository: Send + Sync {
    async fn workbook_claim(
        &self,
        user_id: Uuid,
        workbook_id: Uuid,
    ) -> DomainResult<Option<WorkbookClaim>>;

    /// One conditional update `available → false`: `true` for exactly one of
    /// any number of concurrent callers, `false` once taken.
    async fn take_workbook(
        &self,
        user_id: Uuid,
        workbook_id: Uuid,
        now: DateTime<Utc>,
    ) -> DomainResult<bool>;

    /// Allows one more download and writes `audit`, in one transaction.
    /// `NotFound` (nothing written) when the user has no such claim.
    async fn reset_workbook(
        &self,
        user_id: Uuid,
        workbook_id: Uuid,
        audit: &AuditEntry,
    ) -> DomainResult<()>;

    /// The user's claim on the certificate of `course_id`.
    async fn certificate_claim(
        &self,
        user_id: Uuid,
        course_id: Uuid,
    ) -> DomainResult<Option<CertificateClaim>>;

    /// One conditional update `available → false` that sets `claimed_at`,
    /// the serial (`serial` only when the claim has none yet) and the names.
    /// `Some` for exactly one of concurrent callers, `None` once claimed.
    async fn claim_certificate(
        &self,
        user_id: Uuid,
        certificate_id: Uuid,
        serial: &str,
        holder_name: &str,
        course_title: &str,
        now: DateTime<Utc>,
    ) -> DomainResult<Option<IssuedCertificate>>;

    /// Makes a claim available again, keeping its serial (the admin reset),
    /// and writes `audit`, in one transaction. `NotFound` (nothing written)
    /// when the user has no such claim.
    async fn reset_certificate(
        &self,
        user_id: Uuid,
        certificate_id: Uuid,
        audit: &AuditEntry,
    ) -> DomainResult<()>;

    /// A claimed certificate by serial, for the public check.
    async fn issued_certificate(&self, serial: &str) -> DomainResult<Option<IssuedCertificate>>;
}

#[async_trait]
pub trait ProgressRepository: Send + Sync {
    /// Stores the position; sets `completed_at = now` when `completed` and it
    /// was not set. Never clears it.
    async fn record(
        &self,
        user_id: Uuid,
        lesson_id: Uuid,
        position_seconds: i32,
        completed: bool,
        now: DateTime<Utc>,
    ) -> DomainResult<LessonProgress>;

    /// The lessons of `course_id` the user has completed.
    async fn completed_lessons(&self, user_id: Uuid, course_id: Uuid) -> DomainResult<Vec<Uuid>>;

    /// The tests of `course_id` the user has passed in some attempt.
    async fn passed_tests(&self, user_id: Uuid, course_id: Uuid) -> DomainResult<Vec<Uuid>>;

    /// Every course the user holds or held a grant on (active, expired or
    /// revoked), newest grant first, with each module's counts in outline
    /// order. A fixed number of statements, whatever the number of courses.
    async fn report(&self, user_id: Uuid) -> DomainResult<Vec<CourseProgress>>;
}
