//! Storage of tests, questions, attempts and points.

use super::AuditEntry;
use crate::DomainResult;
use crate::quizzes::{
    Attempt, GivenAnswer, Leader, NewAttempt, NewTest, PointAward, Question, QuestionDraft,
    QuizTest, Score, TestPatch,
};
use async_trait::async_trait;
use chrono::{DateTime, Utc};
use uuid::Uuid;

/// What `AttemptRepository::start` reports when the user has an open attempt.
pub const ATTEMPT_OPEN: &str = "test.attempt_open";
/// What `AttemptRepository::start` reports when every attempt is used.
pub const ATTEMPTS_EXHAUSTED: &str = "test.attempts_exhausted";
/// What `AttemptRepository::save_answers` reports after submit or deadline.
pub const ATTEMPT_CLOSED: &str = "attempt.closed";

/// Tests and questions. Admins' changes are audited in their transaction.
#[async_trait]
pub trait QuizRepository: Send + Sync {
    /// The test with its course, direction and question count.
    async fn test(&self, id: Uuid) -> DomainResult<Option<QuizTest>>;

    /// The tests of the lessons of `course_id`, by lesson and creation.
    async fn tests_of_course(&self, course_id: Uuid) -> DomainResult<Vec<QuizTest>>;

    /// `NotFound` when the lesson does not exist.
    async fn create_test(
        &self,
        id: Uuid,
        lesson_id: Uuid,
        new: &NewTest,
        now: DateTime<Utc>,
        audit: &AuditEntry,
    ) -> DomainResult<QuizTest>;

    async fn update_test(
        &self,
        id: Uuid,
        patch: &TestPatch,
        now: DateTime<Utc>,
        audit: &AuditEntry,
    ) -> DomainResult<QuizTest>;

    /// Removes the test with its questions, attempts and olympiads.
    async fn delete_test(&self, id: Uuid, audit: &AuditEntry) -> DomainResult<()>;

    /// The test's questions by position.
    async fn questions(&self, test_id: Uuid) -> DomainResult<Vec<Question>>;

    async fn question(&self, id: Uuid) -> DomainResult<Option<Question>>;

    /// Adds a question at `position`, or after the last one. `NotFound`
    /// without the test.
    async fn create_question(
        &self,
        id: Uuid,
        test_id: Uuid,
        draft: &QuestionDraft,
        position: Option<i32>,
        audit: &AuditEntry,
    ) -> DomainResult<Question>;

    /// Writes the question as `draft` says (and moves it to `position`).
    async fn update_question(
        &self,
        id: Uuid,
        draft: &QuestionDraft,
        position: Option<i32>,
        audit: &AuditEntry,
    ) -> DomainResult<Question>;

    async fn delete_question(&self, id: Uuid, audit: &AuditEntry) -> DomainResult<()>;
}

/// Attempts and the points they earn.
#[async_trait]
pub trait AttemptRepository: Send + Sync {
    /// A new attempt numbered after the user's others, in one transaction:
    /// `Conflict { what: ATTEMPT_OPEN }` while one is unsubmitted (also when
    /// a concurrent start won: the unique keys refuse the second),
    /// `Conflict { what: ATTEMPTS_EXHAUSTED }` when `max_attempts` are used.
    /// An olympiad's attempt (`olympiad_id`) is the user's one: `Conflict {
    /// OLYMPIAD_NOT_REGISTERED | OLYMPIAD_ATTEMPT_TAKEN }`.
    async fn start(&self, attempt: &NewAttempt) -> DomainResult<Attempt>;

    async fn get(&self, id: Uuid) -> DomainResult<Option<Attempt>>;

    /// The user's attempts at the test, oldest first.
    async fn of_user(&self, test_id: Uuid, user_id: Uuid) -> DomainResult<Vec<Attempt>>;

    /// Replaces the saved answers with one conditional update that holds
    /// only while the attempt is the user's, unsubmitted and before its
    /// deadline: `NotFound` (not the user's), `Conflict { what:
    /// ATTEMPT_CLOSED }` otherwise.
    async fn save_answers(
        &self,
        id: Uuid,
        user_id: Uuid,
        answers: &[GivenAnswer],
        now: DateTime<Utc>,
    ) -> DomainResult<()>;

    /// Closes the attempt with `score` unless it is closed already, and
    /// then, if `award` is given, adds its points once per user and source,
    /// all in one transaction. Returns the attempt as stored afterwards: a
    /// second submit finds the first one's result.
    async fn finish(
        &self,
        id: Uuid,
        score: Score,
        submitted_at: DateTime<Utc>,
        award: Option<&PointAward>,
    ) -> DomainResult<Attempt>;
}

#[async_trait]
pub trait PointsRepository: Send + Sync {
    /// The user's points (0 without any).
    async fn total(&self, user_id: Uuid) -> DomainResult<i64>;

    /// Most points first, then by user id; `after` is the last row of the
    /// previous page. `direction_id` narrows it to that direction's points.
    async fn leaderboard(
        &self,
        direction_id: Option<Uuid>,
        after: Option<(i64, Uuid)>,
        limit: u64,
    ) -> DomainResult<Vec<Leader>>;
}
