//! Rows of the quiz tables to domain types, and back.

use crate::database::db_error;
use crate::entities::{questions, test_attempts};
use bilim_domain::quizzes::{
    AnswerOption, Attempt, GivenAnswer, Question, QuestionKind, QuizTest, Score,
};
use bilim_domain::{DomainError, DomainResult};
use sea_orm::prelude::DateTimeWithTimeZone;
use sea_orm::{ConnectionTrait, FromQueryResult, Statement, Value};
use uuid::Uuid;

/// A test with where it sits, as `TEST_SELECT` reads it.
#[derive(Debug, FromQueryResult)]
pub(super) struct TestRow {
    id: Uuid,
    lesson_id: Uuid,
    title: String,
    time_limit_seconds: Option<i32>,
    max_attempts: i32,
    pass_percent: i32,
    shuffle: bool,
    partial_credit: bool,
    created_at: DateTimeWithTimeZone,
    updated_at: DateTimeWithTimeZone,
    course_id: Uuid,
    direction_id: Uuid,
    question_count: i64,
}

const TEST_SELECT: &str = "SELECT t.id, t.lesson_id, t.title, t.time_limit_seconds, \
     t.max_attempts, t.pass_percent, t.shuffle, t.partial_credit, t.created_at, t.updated_at, \
     m.course_id, c.direction_id, \
     (SELECT COUNT(*) FROM questions q WHERE q.test_id = t.id) AS question_count \
     FROM tests t \
     JOIN lessons l ON l.id = t.lesson_id \
     JOIN modules m ON m.id = l.module_id \
     JOIN courses c ON c.id = m.course_id";

impl From<TestRow> for QuizTest {
    fn from(row: TestRow) -> Self {
        Self {
            id: row.id,
            lesson_id: row.lesson_id,
            course_id: row.course_id,
            direction_id: row.direction_id,
            title: row.title,
            time_limit_seconds: row.time_limit_seconds,
            max_attempts: row.max_attempts,
            pass_percent: row.pass_percent,
            shuffle: row.shuffle,
            partial_credit: row.partial_credit,
            question_count: i32::try_from(row.question_count).unwrap_or(i32::MAX),
            created_at: row.created_at.to_utc(),
            updated_at: row.updated_at.to_utc(),
        }
    }
}

/// The tests `filter` (a `WHERE` over `t`, `l`, `m`, with `$1`) selects.
pub(crate) async fn select_tests<C: ConnectionTrait>(
    conn: &C,
    filter: &str,
    value: Uuid,
) -> DomainResult<Vec<QuizTest>> {
    let sql = format!("{TEST_SELECT} WHERE {filter} ORDER BY l.position, t.id");
    let statement =
        Statement::from_sql_and_values(conn.get_database_backend(), sql, [Value::from(value)]);
    let rows = TestRow::find_by_statement(statement)
        .all(conn)
        .await
        .map_err(db_error)?;
    Ok(rows.into_iter().map(QuizTest::from).collect())
}

pub(super) async fn find_test<C: ConnectionTrait>(
    conn: &C,
    id: Uuid,
) -> DomainResult<Option<QuizTest>> {
    Ok(select_tests(conn, "t.id = $1", id)
        .await?
        .into_iter()
        .next())
}

fn corrupt(what: &str, id: Uuid) -> DomainError {
    DomainError::internal(format!("{what} of {id} is unreadable"))
}

pub(super) fn options_column(options: &[AnswerOption]) -> DomainResult<String> {
    serde_json::to_string(options).map_err(DomainError::internal)
}

pub(super) fn answers_column(answers: &[GivenAnswer]) -> DomainResult<String> {
    serde_json::to_string(answers).map_err(DomainError::internal)
}

impl TryFrom<questions::Model> for Question {
    type Error = DomainError;

    fn try_from(row: questions::Model) -> DomainResult<Self> {
        let kind =
            QuestionKind::parse(&row.kind).ok_or_else(|| corrupt("questions.kind", row.id))?;
        let options: Vec<AnswerOption> =
            serde_json::from_str(&row.options).map_err(|_| corrupt("questions.options", row.id))?;
        Ok(Self {
            id: row.id,
            test_id: row.test_id,
            kind,
            text: row.text,
            points: row.points,
            position: row.position,
            options,
            answer: row.answer,
            tolerance: row.tolerance,
        })
    }
}

impl TryFrom<test_attempts::Model> for Attempt {
    type Error = DomainError;

    fn try_from(row: test_attempts::Model) -> DomainResult<Self> {
        let answers: Vec<GivenAnswer> = serde_json::from_str(&row.answers)
            .map_err(|_| corrupt("test_attempts.answers", row.id))?;
        let score = match (row.score, row.max_score, row.passed) {
            (Some(score), Some(max_score), Some(passed)) => Some(Score {
                score,
                max_score,
                passed,
            }),
            _ => None,
        };
        Ok(Self {
            id: row.id,
            test_id: row.test_id,
            user_id: row.user_id,
            number: row.number,
            started_at: row.started_at.to_utc(),
            deadline: row.deadline.map(|d| d.to_utc()),
            answers,
            submitted_at: row.submitted_at.map(|d| d.to_utc()),
            score,
            olympiad_id: row.olympiad_id,
        })
    }
}
