//! Document 003's olympiads: the public list and page (status from the
//! clock), registration with capacity-safe places, the one attempt while in
//! progress (its deadline the earlier of the time limit and the end),
//! results after the end, and the admins' side with the participant list.

use crate::admin::{Actor, Auditor};
use crate::paging::{Page, PageRequest, page};
use crate::quizzes::{AttemptSheet, Quizzes};
use crate::{ServiceError, ServiceResult};
use bilim_domain::DomainError;
use bilim_domain::olympiads::{
    NewOlympiad, Olympiad, OlympiadLevel, OlympiadPatch, OlympiadQuery, OlympiadStatus, Participant,
};
use bilim_domain::ports::{
    AttemptRepository, Clock, OLYMPIAD_ATTEMPT_TAKEN, OLYMPIAD_NOT_REGISTERED, OlympiadRepository,
    QuizRepository,
};
use bilim_domain::quizzes::NewAttempt;
use serde_json::json;
use std::sync::Arc;
use uuid::Uuid;

fn not_found() -> ServiceError {
    ServiceError::NotFound {
        code: "olympiad.not_found",
    }
}

fn conflict(code: &'static str, message: &str) -> ServiceError {
    ServiceError::Conflict {
        code,
        message: message.to_owned(),
    }
}

/// A port's conflict as the route's code (the codes are the ports' own).
fn olympiad_error(error: DomainError) -> ServiceError {
    match error {
        DomainError::NotFound => not_found(),
        DomainError::Conflict { what } => {
            let code = [
                "olympiad.full",
                "olympiad.registration_closed",
                "olympiad.already_registered",
                "olympiad.started",
                "olympiad.capacity_below_registered",
            ]
            .into_iter()
            .find(|code| *code == what)
            .unwrap_or("conflict");
            conflict(code, &what)
        }
        other => other.into(),
    }
}

/// One row of the results.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Standing {
    pub rank: u64,
    pub user_id: Uuid,
    pub first_name: String,
    pub last_name: String,
    pub score: i32,
    pub duration_seconds: i64,
}

#[derive(Clone)]
pub struct Olympiads {
    olympiads: Arc<dyn OlympiadRepository>,
    tests: Arc<dyn QuizRepository>,
    attempts: Arc<dyn AttemptRepository>,
    quizzes: Quizzes,
    clock: Arc<dyn Clock>,
}

impl Olympiads {
    pub fn new(
        olympiads: Arc<dyn OlympiadRepository>,
        tests: Arc<dyn QuizRepository>,
        attempts: Arc<dyn AttemptRepository>,
        quizzes: Quizzes,
        clock: Arc<dyn Clock>,
    ) -> Self {
        Self {
            olympiads,
            tests,
            attempts,
            quizzes,
            clock,
        }
    }

    pub fn status(&self, olympiad: &Olympiad) -> OlympiadStatus {
        olympiad.status(self.clock.now())
    }

    pub async fn list(
        &self,
        level: Option<OlympiadLevel>,
        status: Option<OlympiadStatus>,
        request: &PageRequest,
    ) -> ServiceResult<Page<Olympiad>> {
        let limit = request.limit()?;
        let query = OlympiadQuery {
            level,
            status,
            after: request.after()?,
            limit: limit + 1,
        };
        let rows = self.olympiads.list(&query, self.clock.now()).await?;
        Ok(page(rows, limit, |o| o.id))
    }

    pub async fn get(&self, id: Uuid) -> ServiceResult<Olympiad> {
        self.olympiads.get(id).await?.ok_or_else(not_found)
    }

    /// 409 `olympiad.full`, `olympiad.registration_closed`,
    /// `olympiad.already_registered`.
    #[tracing::instrument(skip(self))]
    pub async fn register(&self, id: Uuid, user_id: Uuid) -> ServiceResult<Olympiad> {
        self.olympiads
            .register(id, user_id, self.clock.now())
            .await
            .map_err(olympiad_error)?;
        self.get(id).await
    }

    /// 404 `olympiad.not_registered` when not registered; 409
    /// `olympiad.started` from the start on.
    pub async fn unregister(&self, id: Uuid, user_id: Uuid) -> ServiceResult<()> {
        self.get(id).await?;
        self.olympiads
            .unregister(id, user_id, self.clock.now())
            .await
            .map_err(|error| match error {
                DomainError::NotFound => ServiceError::NotFound {
                    code: "olympiad.not_registered",
                },
                other => olympiad_error(other),
            })
    }

    /// The one attempt, while in progress, for a registered user.
    #[tracing::instrument(skip(self))]
    pub async fn start(&self, id: Uuid, user_id: Uuid) -> ServiceResult<AttemptSheet> {
        let olympiad = self.get(id).await?;
        let now = self.clock.now();
        if olympiad.status(now) != OlympiadStatus::InProgress {
            return Err(conflict(
                "olympiad.not_in_progress",
                "The olympiad is not in progress.",
            ));
        }
        let test = self
            .tests
            .test(olympiad.test_id)
            .await?
            .ok_or_else(|| ServiceError::Internal("an olympiad without its test".into()))?;
        let questions = self.tests.questions(test.id).await?;
        if questions.is_empty() {
            return Err(conflict(
                "test.empty",
                "The olympiad's test has no questions yet.",
            ));
        }
        let limit_end = test
            .time_limit_seconds
            .map(|seconds| now + chrono::Duration::seconds(i64::from(seconds)));
        let deadline = limit_end.map_or(olympiad.schedule.ends_at, |end| {
            end.min(olympiad.schedule.ends_at)
        });
        let attempt = self
            .attempts
            .start(&NewAttempt {
                id: Uuid::now_v7(),
                test_id: test.id,
                user_id,
                max_attempts: 1,
                started_at: now,
                deadline: Some(deadline),
                olympiad_id: Some(olympiad.id),
            })
            .await
            .map_err(|error| match error {
                DomainError::Conflict { what } if what == OLYMPIAD_NOT_REGISTERED => {
                    ServiceError::Forbidden {
                        code: "olympiad.not_registered",
                    }
                }
                DomainError::Conflict { what } if what == OLYMPIAD_ATTEMPT_TAKEN => {
                    conflict("olympiad.attempt_taken", "The olympiad is written once.")
                }
                other => other.into(),
            })?;
        self.quizzes.sheet(user_id, attempt.id).await
    }

    /// After the end: score desc, then time taken asc. Attempts left open are
    /// graded with what was saved by the deadline first.
    pub async fn results(&self, id: Uuid) -> ServiceResult<Vec<Standing>> {
        let olympiad = self.get(id).await?;
        if olympiad.status(self.clock.now()) != OlympiadStatus::Completed {
            return Err(conflict(
                "olympiad.not_completed",
                "Results are out after the end.",
            ));
        }
        let participants = self.settled(&olympiad).await?;
        Ok(rank(participants))
    }

    /// Participants, their open attempts past the deadline graded.
    pub(crate) async fn settled(&self, olympiad: &Olympiad) -> ServiceResult<Vec<Participant>> {
        let mut participants = self.olympiads.participants(olympiad.id).await?;
        let now = self.clock.now();
        if participants.iter().any(|p| {
            p.attempt
                .as_ref()
                .is_some_and(|a| a.submitted_at.is_none() && !a.is_open(now))
        }) {
            let test = self
                .tests
                .test(olympiad.test_id)
                .await?
                .ok_or_else(|| ServiceError::Internal("an olympiad without its test".into()))?;
            let questions = self.tests.questions(test.id).await?;
            for participant in &mut participants {
                if let Some(attempt) = participant.attempt.as_mut()
                    && attempt.submitted_at.is_none()
                    && !attempt.is_open(now)
                {
                    *attempt = self
                        .quizzes
                        .close(&test, &questions, attempt, now)
                        .await?
                        .attempt;
                }
            }
        }
        Ok(participants)
    }
}

fn rank(participants: Vec<Participant>) -> Vec<Standing> {
    let mut rows: Vec<Standing> = participants
        .into_iter()
        .filter_map(|p| {
            let attempt = p.attempt?;
            let score = attempt.score?;
            let submitted = attempt.submitted_at?;
            Some(Standing {
                rank: 0,
                user_id: p.user_id,
                first_name: p.first_name,
                last_name: p.last_name,
                score: score.score,
                duration_seconds: (submitted - attempt.started_at).num_seconds().max(0),
            })
        })
        .collect();
    rows.sort_by(|a, b| {
        b.score
            .cmp(&a.score)
            .then(a.duration_seconds.cmp(&b.duration_seconds))
            .then(a.user_id.cmp(&b.user_id))
    });
    for (i, row) in rows.iter_mut().enumerate() {
        row.rank = i as u64 + 1;
    }
    rows
}

#[derive(Clone)]
pub struct AdminOlympiads {
    olympiads: Arc<dyn OlympiadRepository>,
    public: Olympiads,
    auditor: Auditor,
    clock: Arc<dyn Clock>,
}

impl AdminOlympiads {
    pub fn new(
        olympiads: Arc<dyn OlympiadRepository>,
        public: Olympiads,
        auditor: Auditor,
        clock: Arc<dyn Clock>,
    ) -> Self {
        Self {
            olympiads,
            public,
            auditor,
            clock,
        }
    }

    #[tracing::instrument(skip_all, fields(admin = %actor.admin.id))]
    pub async fn create(&self, actor: &Actor<'_>, new: NewOlympiad) -> ServiceResult<Olympiad> {
        let id = Uuid::now_v7();
        let now = self.clock.now();
        self.auditor
            .audited(
                actor,
                "olympiad.create",
                ("olympiad", id.to_string()),
                json!({ "title": new.title.as_str(), "test_id": new.test_id, "capacity": new.capacity.get() }),
                |entry| async move {
                    self.olympiads
                        .create(id, &new, now, &entry)
                        .await
                        .map_err(|error| match error {
                            DomainError::NotFound => ServiceError::validation(
                                "test_id",
                                "olympiad.reference_missing",
                                "the direction or the test does not exist",
                            ),
                            other => other.into(),
                        })
                },
            )
            .await
    }

    #[tracing::instrument(skip_all, fields(admin = %actor.admin.id, olympiad = %id))]
    pub async fn update(
        &self,
        actor: &Actor<'_>,
        id: Uuid,
        patch: OlympiadPatch,
    ) -> ServiceResult<Olympiad> {
        let existing = self.public.get(id).await?;
        let schedule = existing.patched_schedule(&patch)?;
        let now = self.clock.now();
        self.auditor
            .audited(
                actor,
                "olympiad.update",
                ("olympiad", id.to_string()),
                json!({ "capacity": patch.capacity.map(|c| c.get()) }),
                |entry| async move {
                    self.olympiads
                        .update(id, &patch, &schedule, now, &entry)
                        .await
                        .map_err(olympiad_error)
                },
            )
            .await
    }

    #[tracing::instrument(skip_all, fields(admin = %actor.admin.id, olympiad = %id))]
    pub async fn delete(&self, actor: &Actor<'_>, id: Uuid) -> ServiceResult<()> {
        self.auditor
            .audited(
                actor,
                "olympiad.delete",
                ("olympiad", id.to_string()),
                json!({}),
                |entry| async move {
                    self.olympiads
                        .delete(id, &entry)
                        .await
                        .map_err(olympiad_error)
                },
            )
            .await
    }

    /// Every registered user with their result, if any.
    pub async fn participants(&self, id: Uuid) -> ServiceResult<(Olympiad, Vec<Participant>)> {
        let olympiad = self.public.get(id).await?;
        let participants = self.public.settled(&olympiad).await?;
        Ok((olympiad, participants))
    }

    pub async fn list(&self, request: &PageRequest) -> ServiceResult<Page<Olympiad>> {
        self.public.list(None, None, request).await
    }
}
