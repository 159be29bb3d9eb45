//! Storage of olympiads and their registrations.

use super::AuditEntry;
use crate::DomainResult;
use crate::olympiads::{
    NewOlympiad, Olympiad, OlympiadPatch, OlympiadQuery, Participant, Schedule,
};
use async_trait::async_trait;
use chrono::{DateTime, Utc};
use uuid::Uuid;

pub const OLYMPIAD_FULL: &str = "olympiad.full";
pub const OLYMPIAD_REGISTRATION_CLOSED: &str = "olympiad.registration_closed";
pub const OLYMPIAD_ALREADY_REGISTERED: &str = "olympiad.already_registered";
pub const OLYMPIAD_STARTED: &str = "olympiad.started";
pub const OLYMPIAD_CAPACITY_BELOW: &str = "olympiad.capacity_below_registered";
/// What `AttemptRepository::start` reports for an olympiad attempt of an
/// unregistered user, and for a second one.
pub const OLYMPIAD_NOT_REGISTERED: &str = "olympiad.not_registered";
pub const OLYMPIAD_ATTEMPT_TAKEN: &str = "olympiad.attempt_taken";

#[async_trait]
pub trait OlympiadRepository: Send + Sync {
    /// Newest first, by keyset; the status judged at `now`.
    async fn list(&self, query: &OlympiadQuery, now: DateTime<Utc>) -> DomainResult<Vec<Olympiad>>;

    async fn get(&self, id: Uuid) -> DomainResult<Option<Olympiad>>;

    /// `NotFound` when the direction or the test does not exist.
    async fn create(
        &self,
        id: Uuid,
        new: &NewOlympiad,
        now: DateTime<Utc>,
        audit: &AuditEntry,
    ) -> DomainResult<Olympiad>;

    /// `Conflict { OLYMPIAD_CAPACITY_BELOW }` when more are registered than
    /// the new capacity (one conditional update).
    async fn update(
        &self,
        id: Uuid,
        patch: &OlympiadPatch,
        schedule: &Schedule,
        now: DateTime<Utc>,
        audit: &AuditEntry,
    ) -> DomainResult<Olympiad>;

    async fn delete(&self, id: Uuid, audit: &AuditEntry) -> DomainResult<()>;

    /// Takes a place with one conditional update of the counter (`registered
    /// < capacity`, registration open at `now`) and writes the registration,
    /// in one transaction: `NotFound`, `Conflict { OLYMPIAD_FULL |
    /// OLYMPIAD_REGISTRATION_CLOSED | OLYMPIAD_ALREADY_REGISTERED }`.
    async fn register(&self, id: Uuid, user_id: Uuid, now: DateTime<Utc>) -> DomainResult<()>;

    /// Gives the place back before the start: `NotFound` (not registered),
    /// `Conflict { OLYMPIAD_STARTED }`.
    async fn unregister(&self, id: Uuid, user_id: Uuid, now: DateTime<Utc>) -> DomainResult<()>;

    /// Every registered user with their attempt, by registration.
    async fn participants(&self, id: Uuid) -> DomainResult<Vec<Participant>>;
}
