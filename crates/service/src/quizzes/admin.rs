//! Admins' tests and questions: create, change, remove (each audited), and
//! a test with its questions and their answers.

use super::test_not_found;
use crate::admin::{Actor, Auditor};
use crate::{ServiceError, ServiceResult};
use bilim_domain::DomainError;
use bilim_domain::ports::{Clock, QuizRepository};
use bilim_domain::quizzes::{NewTest, Question, QuestionDraft, QuestionPatch, QuizTest, TestPatch};
use bilim_domain::values::Position;
use serde_json::json;
use std::sync::Arc;
use uuid::Uuid;

#[derive(Debug, Clone)]
pub struct TestWithQuestions {
    pub test: QuizTest,
    pub questions: Vec<Question>,
}

#[derive(Clone)]
pub struct AdminQuizzes {
    tests: Arc<dyn QuizRepository>,
    auditor: Auditor,
    clock: Arc<dyn Clock>,
}

fn question_not_found() -> ServiceError {
    ServiceError::NotFound {
        code: "question.not_found",
    }
}

/// `NotFound` from the port as the route's own code.
fn or_not_found(code: &'static str) -> impl Fn(DomainError) -> ServiceError {
    move |error| match error {
        DomainError::NotFound => ServiceError::NotFound { code },
        other => other.into(),
    }
}

impl AdminQuizzes {
    pub fn new(tests: Arc<dyn QuizRepository>, auditor: Auditor, clock: Arc<dyn Clock>) -> Self {
        Self {
            tests,
            auditor,
            clock,
        }
    }

    pub async fn test(&self, id: Uuid) -> ServiceResult<TestWithQuestions> {
        let test = self.tests.test(id).await?.ok_or_else(test_not_found)?;
        let questions = self.tests.questions(id).await?;
        Ok(TestWithQuestions { test, questions })
    }

    #[tracing::instrument(skip_all, fields(admin = %actor.admin.id, lesson = %lesson_id))]
    pub async fn create_test(
        &self,
        actor: &Actor<'_>,
        lesson_id: Uuid,
        new: NewTest,
    ) -> ServiceResult<QuizTest> {
        let id = Uuid::now_v7();
        let now = self.clock.now();
        self.auditor
            .audited(
                actor,
                "test.create",
                ("test", id.to_string()),
                json!({ "lesson_id": lesson_id, "title": new.title.as_str() }),
                |entry| async move {
                    self.tests
                        .create_test(id, lesson_id, &new, now, &entry)
                        .await
                        .map_err(or_not_found("lesson.not_found"))
                },
            )
            .await
    }

    #[tracing::instrument(skip_all, fields(admin = %actor.admin.id, test = %id))]
    pub async fn update_test(
        &self,
        actor: &Actor<'_>,
        id: Uuid,
        patch: TestPatch,
    ) -> ServiceResult<QuizTest> {
        let now = self.clock.now();
        let details = json!({
            "title": patch.title.as_ref().map(|t| t.as_str().to_owned()),
            "time_limit_seconds": patch.time_limit.map(|t| t.map(|l| l.get())),
            "max_attempts": patch.max_attempts.map(|m| m.get()),
            "pass_percent": patch.pass_percent.map(|p| p.get()),
        });
        self.auditor
            .audited(
                actor,
                "test.update",
                ("test", id.to_string()),
                details,
                |entry| async move {
                    self.tests
                        .update_test(id, &patch, now, &entry)
                        .await
                        .map_err(or_not_found("test.not_found"))
                },
            )
            .await
    }

    #[tracing::instrument(skip_all, fields(admin = %actor.admin.id, test = %id))]
    pub async fn delete_test(&self, actor: &Actor<'_>, id: Uuid) -> ServiceResult<()> {
        self.auditor
            .audited(
                actor,
                "test.delete",
                ("test", id.to_string()),
                json!({}),
                |entry| async move {
                    self.tests
                        .delete_test(id, &entry)
                        .await
                        .map_err(or_not_found("test.not_found"))
                },
            )
            .await
    }

    #[tracing::instrument(skip_all, fields(admin = %actor.admin.id, test = %test_id))]
    pub async fn create_question(
        &self,
        actor: &Actor<'_>,
        test_id: Uuid,
        draft: QuestionDraft,
        position: Option<Position>,
    ) -> ServiceResult<Question> {
        let id = Uuid::now_v7();
        self.auditor
            .audited(
                actor,
                "question.create",
                ("question", id.to_string()),
                json!({ "test_id": test_id, "kind": draft.kind.as_str() }),
                |entry| async move {
                    self.tests
                        .create_question(id, test_id, &draft, position.map(Position::get), &entry)
                        .await
                        .map_err(or_not_found("test.not_found"))
                },
            )
            .await
    }

    #[tracing::instrument(skip_all, fields(admin = %actor.admin.id, question = %id))]
    pub async fn update_question(
        &self,
        actor: &Actor<'_>,
        id: Uuid,
        patch: QuestionPatch,
    ) -> ServiceResult<Question> {
        let existing = self
            .tests
            .question(id)
            .await?
            .ok_or_else(question_not_found)?;
        let draft = existing.patched(&patch)?;
        let position = patch.position.map(Position::get);
        self.auditor
            .audited(
                actor,
                "question.update",
                ("question", id.to_string()),
                json!({ "test_id": existing.test_id }),
                |entry| async move {
                    self.tests
                        .update_question(id, &draft, position, &entry)
                        .await
                        .map_err(or_not_found("question.not_found"))
                },
            )
            .await
    }

    #[tracing::instrument(skip_all, fields(admin = %actor.admin.id, question = %id))]
    pub async fn delete_question(&self, actor: &Actor<'_>, id: Uuid) -> ServiceResult<()> {
        self.auditor
            .audited(
                actor,
                "question.delete",
                ("question", id.to_string()),
                json!({}),
                |entry| async move {
                    self.tests
                        .delete_question(id, &entry)
                        .await
                        .map_err(or_not_found("question.not_found"))
                },
            )
            .await
    }
}
