//! Document 003's tests from the user's side (`Quizzes`): a test's overview,
//! attempts started, answered, submitted and graded on the server, the
//! points a first pass earns and the leaderboard; the admins' side is
//! `AdminQuizzes`. A question's answer reaches a user only in the review of
//! their own submitted attempt.

mod admin;
mod answers;
mod leaderboard;

pub use admin::{AdminQuizzes, TestWithQuestions};
pub use leaderboard::LeaderPage;

use crate::{ServiceError, ServiceResult};
use bilim_domain::DomainError;
use bilim_domain::learning::AccessState;
use bilim_domain::ports::{
    ATTEMPT_CLOSED, ATTEMPT_OPEN, ATTEMPTS_EXHAUSTED, AccessRepository, AttemptRepository, Clock,
    PointsRepository, QuizRepository,
};
use bilim_domain::quizzes::{
    Attempt, GivenAnswer, NewAttempt, PointAward, Question, QuestionView, QuizTest, Review, Score,
    grade,
};
use chrono::{DateTime, Utc};
use std::sync::Arc;
use uuid::Uuid;

/// A test as a user sees it before starting: no questions, no answers.
#[derive(Debug, Clone)]
pub struct TestOverview {
    pub test: QuizTest,
    pub attempts_used: i32,
    pub attempts_left: i32,
    pub passed: bool,
}

/// An attempt with its questions in the attempt's order, without answers.
#[derive(Debug, Clone)]
pub struct AttemptSheet {
    pub attempt: Attempt,
    pub questions: Vec<QuestionView>,
}

/// A submitted attempt: its score and, per question, what was right.
#[derive(Debug, Clone)]
pub struct AttemptResult {
    pub attempt: Attempt,
    pub score: Score,
    pub reviews: Vec<Review>,
}

#[derive(Clone)]
pub struct Quizzes {
    tests: Arc<dyn QuizRepository>,
    attempts: Arc<dyn AttemptRepository>,
    points: Arc<dyn PointsRepository>,
    access: Arc<dyn AccessRepository>,
    clock: Arc<dyn Clock>,
}

pub(crate) fn test_not_found() -> ServiceError {
    ServiceError::NotFound {
        code: "test.not_found",
    }
}

fn attempt_not_found() -> ServiceError {
    ServiceError::NotFound {
        code: "attempt.not_found",
    }
}

fn conflict(code: &'static str, message: &str) -> ServiceError {
    ServiceError::Conflict {
        code,
        message: message.to_owned(),
    }
}

impl Quizzes {
    pub fn new(
        tests: Arc<dyn QuizRepository>,
        attempts: Arc<dyn AttemptRepository>,
        points: Arc<dyn PointsRepository>,
        access: Arc<dyn AccessRepository>,
        clock: Arc<dyn Clock>,
    ) -> Self {
        Self {
            tests,
            attempts,
            points,
            access,
            clock,
        }
    }

    /// The test, if the user has active access to its course: 404
    /// `test.not_found`, 403 `access.none` / `access.expired`.
    async fn accessible(&self, user_id: Uuid, test_id: Uuid) -> ServiceResult<QuizTest> {
        let test = self.tests.test(test_id).await?.ok_or_else(test_not_found)?;
        let grant = self.access.grant_of(user_id, test.course_id).await?;
        match grant.map(|g| g.state(self.clock.now())) {
            Some(AccessState::Active) => Ok(test),
            Some(AccessState::Expired) => Err(ServiceError::Forbidden {
                code: "access.expired",
            }),
            _ => Err(ServiceError::Forbidden {
                code: "access.none",
            }),
        }
    }

    /// The user's own attempt (another user's is 404) and its test.
    async fn own(&self, user_id: Uuid, attempt_id: Uuid) -> ServiceResult<(Attempt, QuizTest)> {
        let attempt = self
            .attempts
            .get(attempt_id)
            .await?
            .filter(|a| a.user_id == user_id)
            .ok_or_else(attempt_not_found)?;
        let test = self
            .tests
            .test(attempt.test_id)
            .await?
            .ok_or_else(attempt_not_found)?;
        Ok((attempt, test))
    }

    /// The user's attempts at the test, those past their deadline graded
    /// with what was saved by then.
    async fn settled(&self, user_id: Uuid, test: &QuizTest) -> ServiceResult<Vec<Attempt>> {
        let mut attempts = self.attempts.of_user(test.id, user_id).await?;
        let now = self.clock.now();
        if attempts
            .iter()
            .any(|a| a.submitted_at.is_none() && !a.is_open(now))
        {
            let questions = self.tests.questions(test.id).await?;
            for attempt in &mut attempts {
                if attempt.submitted_at.is_none() && !attempt.is_open(now) {
                    *attempt = self.close(test, &questions, attempt, now).await?.attempt;
                }
            }
        }
        Ok(attempts)
    }

    /// `GET /tests/{id}`.
    pub async fn overview(&self, user_id: Uuid, test_id: Uuid) -> ServiceResult<TestOverview> {
        let test = self.accessible(user_id, test_id).await?;
        let attempts = self.settled(user_id, &test).await?;
        let used = i32::try_from(attempts.len()).unwrap_or(i32::MAX);
        Ok(TestOverview {
            attempts_used: used,
            attempts_left: (test.max_attempts - used).max(0),
            passed: attempts.iter().any(|a| a.score.is_some_and(|s| s.passed)),
            test,
        })
    }

    /// `GET /tests/{id}/attempts`: oldest first.
    pub async fn attempts(&self, user_id: Uuid, test_id: Uuid) -> ServiceResult<Vec<Attempt>> {
        let test = self.accessible(user_id, test_id).await?;
        self.settled(user_id, &test).await
    }

    /// `POST /tests/{id}/attempts`: 409 `test.empty`, `test.attempt_open`,
    /// `test.attempts_exhausted`.
    #[tracing::instrument(skip(self))]
    pub async fn start(&self, user_id: Uuid, test_id: Uuid) -> ServiceResult<AttemptSheet> {
        let test = self.accessible(user_id, test_id).await?;
        let questions = self.tests.questions(test.id).await?;
        if questions.is_empty() {
            return Err(conflict("test.empty", "The test has no questions yet."));
        }
        // An attempt past its deadline is closed first, so it does not hold
        // the one open place.
        self.settled(user_id, &test).await?;
        let now = self.clock.now();
        let deadline = test
            .time_limit_seconds
            .map(|seconds| now + chrono::Duration::seconds(i64::from(seconds)));
        let attempt = self
            .attempts
            .start(&NewAttempt {
                id: Uuid::now_v7(),
                test_id: test.id,
                user_id,
                max_attempts: test.max_attempts,
                started_at: now,
                deadline,
                olympiad_id: None,
            })
            .await
            .map_err(|error| match error {
                DomainError::Conflict { what } if what == ATTEMPTS_EXHAUSTED => conflict(
                    "test.attempts_exhausted",
                    "Every attempt at this test is used.",
                ),
                DomainError::Conflict { what } if what == ATTEMPT_OPEN => conflict(
                    "test.attempt_open",
                    "An attempt at this test is open: submit it first.",
                ),
                other => other.into(),
            })?;
        Ok(AttemptSheet {
            questions: answers::in_attempt_order(&test, &attempt, &questions),
            attempt,
        })
    }

    /// `GET /attempts/{id}`: the questions and what is saved, never answers
    /// before the submit.
    pub async fn sheet(&self, user_id: Uuid, attempt_id: Uuid) -> ServiceResult<AttemptSheet> {
        let (attempt, test) = self.own(user_id, attempt_id).await?;
        let questions = self.tests.questions(test.id).await?;
        let now = self.clock.now();
        let attempt = if attempt.submitted_at.is_none() && !attempt.is_open(now) {
            self.close(&test, &questions, &attempt, now).await?.attempt
        } else {
            attempt
        };
        Ok(AttemptSheet {
            questions: answers::in_attempt_order(&test, &attempt, &questions),
            attempt,
        })
    }

    /// `PUT /attempts/{id}/answers`: replaces what is saved. 400 for answers
    /// to other questions or options; 409 `attempt.closed` after the submit
    /// or the deadline.
    #[tracing::instrument(skip(self, given))]
    pub async fn save(
        &self,
        user_id: Uuid,
        attempt_id: Uuid,
        given: Vec<GivenAnswer>,
    ) -> ServiceResult<Vec<GivenAnswer>> {
        let (attempt, test) = self.own(user_id, attempt_id).await?;
        let questions = self.tests.questions(test.id).await?;
        let now = self.clock.now();
        if !attempt.is_open(now) {
            return Err(closed());
        }
        let cleaned = answers::check(&questions, given)?;
        self.attempts
            .save_answers(attempt.id, user_id, &cleaned, now)
            .await
            .map_err(|error| match error {
                DomainError::Conflict { what } if what == ATTEMPT_CLOSED => closed(),
                DomainError::NotFound => attempt_not_found(),
                other => other.into(),
            })?;
        Ok(cleaned)
    }

    /// `POST /attempts/{id}/submit`: grades what is saved. A second submit
    /// answers the first one's result.
    #[tracing::instrument(skip(self))]
    pub async fn submit(&self, user_id: Uuid, attempt_id: Uuid) -> ServiceResult<AttemptResult> {
        let (attempt, test) = self.own(user_id, attempt_id).await?;
        let questions = self.tests.questions(test.id).await?;
        self.close(&test, &questions, &attempt, self.clock.now())
            .await
    }

    /// Grades and closes the attempt (at the earlier of `now` and its
    /// deadline), or reads the result of the submit that closed it first.
    pub(crate) async fn close(
        &self,
        test: &QuizTest,
        questions: &[Question],
        attempt: &Attempt,
        now: DateTime<Utc>,
    ) -> ServiceResult<AttemptResult> {
        let graded = grade(test, questions, &attempt.answers);
        let stored = if attempt.submitted_at.is_some() {
            attempt.clone()
        } else {
            let at = attempt.deadline.map_or(now, |deadline| deadline.min(now));
            // A test's first pass earns its score; an olympiad's result does,
            // whatever the pass.
            let (source, earned) = match attempt.olympiad_id {
                Some(olympiad) => (format!("olympiad:{olympiad}"), graded.score.score > 0),
                None => (format!("test:{}", test.id), graded.score.passed),
            };
            let award = earned.then(|| PointAward {
                id: Uuid::now_v7(),
                source,
                points: graded.score.score,
                direction_id: Some(test.direction_id),
                at,
            });
            self.attempts
                .finish(attempt.id, graded.score, at, award.as_ref())
                .await?
        };
        // Another submit may have closed it first: its score stands.
        let score = stored.score.unwrap_or(graded.score);
        let reviews = grade(test, questions, &stored.answers).reviews;
        Ok(AttemptResult {
            attempt: stored,
            score,
            reviews,
        })
    }

    /// The user's points.
    pub async fn points_of(&self, user_id: Uuid) -> ServiceResult<i64> {
        Ok(self.points.total(user_id).await?)
    }

    /// Summaries of the tests of a course, for its page.
    pub async fn tests_of_course(&self, course_id: Uuid) -> ServiceResult<Vec<QuizTest>> {
        Ok(self.tests.tests_of_course(course_id).await?)
    }
}

fn closed() -> ServiceError {
    conflict(
        "attempt.closed",
        "The attempt is submitted or past its deadline.",
    )
}
