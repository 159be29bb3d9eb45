//! Document 003's tests: a lesson's test, its questions, the users' attempts
//! and their grading (`grading`), and the points a first pass earns.
//! A question's right answer lives only in `Question`; what a user sees of a
//! question before submitting is `QuestionView`, which has no place for it.

mod grading;

pub use grading::{Graded, Review, grade};

use crate::values::{
    MaxAttempts, PassPercent, Position, QuestionPoints, QuestionText, ShortText, TimeLimit, Title,
    normalise_answer, parse_number,
};
use crate::{DomainError, DomainResult};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

/// Most options a choice question may have.
pub const MAX_OPTIONS: usize = 20;
/// Most answers one save may carry.
pub const MAX_ANSWERS: usize = 200;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum QuestionKind {
    Single,
    Multiple,
    Number,
    Text,
}

impl QuestionKind {
    pub const ALL: [Self; 4] = [Self::Single, Self::Multiple, Self::Number, Self::Text];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Single => "single",
            Self::Multiple => "multiple",
            Self::Number => "number",
            Self::Text => "text",
        }
    }

    pub fn parse(raw: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.as_str() == raw)
    }

    pub fn has_options(self) -> bool {
        matches!(self, Self::Single | Self::Multiple)
    }
}

/// A lesson's test, with where it sits in the catalogue.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QuizTest {
    pub id: Uuid,
    pub lesson_id: Uuid,
    pub course_id: Uuid,
    pub direction_id: Uuid,
    pub title: String,
    pub time_limit_seconds: Option<i32>,
    pub max_attempts: i32,
    pub pass_percent: i32,
    /// Questions and their options in another order for each attempt.
    pub shuffle: bool,
    /// `multiple` questions earn a share of their points for a partly right
    /// choice; otherwise all or nothing.
    pub partial_credit: bool,
    pub question_count: i32,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

/// `POST /admin/lessons/{id}/tests`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewTest {
    pub title: Title,
    pub time_limit: Option<TimeLimit>,
    pub max_attempts: MaxAttempts,
    pub pass_percent: PassPercent,
    pub shuffle: bool,
    pub partial_credit: bool,
}

/// `PATCH /admin/tests/{id}`: `None` keeps a field; `Some(None)` removes the
/// time limit.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct TestPatch {
    pub title: Option<Title>,
    pub time_limit: Option<Option<TimeLimit>>,
    pub max_attempts: Option<MaxAttempts>,
    pub pass_percent: Option<PassPercent>,
    pub shuffle: Option<bool>,
    pub partial_credit: Option<bool>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AnswerOption {
    pub id: Uuid,
    pub text: String,
    pub correct: bool,
}

/// A question with its right answer: admins' and the grader's view only.
#[derive(Debug, Clone, PartialEq)]
pub struct Question {
    pub id: Uuid,
    pub test_id: Uuid,
    pub kind: QuestionKind,
    pub text: String,
    pub points: i32,
    pub position: i32,
    pub options: Vec<AnswerOption>,
    /// The number (as written) or the text of a `number` or `text` question.
    pub answer: Option<String>,
    /// How far a `number` answer may be from `answer`.
    pub tolerance: Option<f64>,
}

/// An option as an admin writes it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewOption {
    pub text: ShortText,
    pub correct: bool,
}

/// What a question asks and expects, checked as a whole: `single` has one
/// right option of at least two, `multiple` at least one, `number` a number
/// (and a tolerance), `text` a text; only choices have options.
#[derive(Debug, Clone, PartialEq)]
pub struct QuestionDraft {
    pub kind: QuestionKind,
    pub text: QuestionText,
    pub points: QuestionPoints,
    /// Kept ids for options an edit did not replace.
    pub options: Vec<AnswerOption>,
    pub answer: Option<String>,
    pub tolerance: Option<f64>,
}

impl QuestionDraft {
    pub fn new(
        kind: QuestionKind,
        text: QuestionText,
        points: QuestionPoints,
        options: Vec<AnswerOption>,
        answer: Option<String>,
        tolerance: Option<f64>,
    ) -> DomainResult<Self> {
        let refuse = |field, code, message: &str| Err(DomainError::invalid(field, code, message));
        if kind.has_options() {
            let right = options.iter().filter(|o| o.correct).count();
            if options.len() < 2 || options.len() > MAX_OPTIONS {
                return refuse("options", "options.count", "a choice needs 2 to 20 options");
            }
            if kind == QuestionKind::Single && right != 1 {
                return refuse(
                    "options",
                    "options.correct",
                    "exactly one option must be correct",
                );
            }
            if right == 0 {
                return refuse(
                    "options",
                    "options.correct",
                    "at least one option must be correct",
                );
            }
            if answer.is_some() || tolerance.is_some() {
                return refuse(
                    "answer",
                    "answer.not_allowed",
                    "a choice has options, not an answer",
                );
            }
        } else {
            if !options.is_empty() {
                return refuse(
                    "options",
                    "options.not_allowed",
                    "only choices have options",
                );
            }
            let Some(answer) = answer.as_deref() else {
                return refuse("answer", "required", "is required");
            };
            if kind == QuestionKind::Number {
                parse_number("answer", answer)?;
            } else {
                ShortText::parse("answer", answer, ShortText::ANSWER_MAX)?;
                if tolerance.is_some() {
                    return refuse(
                        "tolerance",
                        "tolerance.not_allowed",
                        "only numbers have one",
                    );
                }
            }
        }
        Ok(Self {
            kind,
            text,
            points,
            options,
            answer,
            tolerance,
        })
    }
}

/// `PATCH /admin/questions/{id}`: `None` keeps a field; new `options`
/// replace them all.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct QuestionPatch {
    pub text: Option<QuestionText>,
    pub points: Option<QuestionPoints>,
    pub position: Option<Position>,
    pub options: Option<Vec<NewOption>>,
    pub answer: Option<String>,
    pub tolerance: Option<Option<f64>>,
}

impl Question {
    /// The question after `patch`, checked as a whole.
    pub fn patched(&self, patch: &QuestionPatch) -> DomainResult<QuestionDraft> {
        let text = match &patch.text {
            Some(text) => text.clone(),
            None => QuestionText::parse(&self.text)?,
        };
        let points = match patch.points {
            Some(points) => points,
            None => QuestionPoints::parse(i64::from(self.points))?,
        };
        let options = match &patch.options {
            Some(new) => new_options(new),
            None => self.options.clone(),
        };
        let answer = patch.answer.clone().or_else(|| self.answer.clone());
        let tolerance = match patch.tolerance {
            Some(tolerance) => tolerance,
            None => self.tolerance,
        };
        QuestionDraft::new(self.kind, text, points, options, answer, tolerance)
    }

    /// The question as a user sees it while answering: no right answer.
    pub fn view(&self) -> QuestionView {
        QuestionView {
            id: self.id,
            kind: self.kind,
            text: self.text.clone(),
            points: self.points,
            options: self
                .options
                .iter()
                .map(|o| OptionView {
                    id: o.id,
                    text: o.text.clone(),
                })
                .collect(),
        }
    }
}

/// Fresh ids for options an admin wrote.
pub fn new_options(options: &[NewOption]) -> Vec<AnswerOption> {
    options
        .iter()
        .map(|o| AnswerOption {
            id: Uuid::now_v7(),
            text: o.text.as_str().to_owned(),
            correct: o.correct,
        })
        .collect()
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OptionView {
    pub id: Uuid,
    pub text: String,
}

/// A question without its answer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QuestionView {
    pub id: Uuid,
    pub kind: QuestionKind,
    pub text: String,
    pub points: i32,
    pub options: Vec<OptionView>,
}

/// One answer a user gave (and saved) to one question.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct GivenAnswer {
    pub question_id: Uuid,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub option_ids: Vec<Uuid>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub value: Option<String>,
}

impl GivenAnswer {
    /// Whether the text or number given matches `expected` (a text compared
    /// after [`normalise_answer`], a number within `tolerance`).
    pub(crate) fn matches_value(&self, kind: QuestionKind, expected: &str, tolerance: f64) -> bool {
        let Some(value) = self.value.as_deref() else {
            return false;
        };
        match kind {
            QuestionKind::Number => match (
                parse_number("value", value),
                parse_number("answer", expected),
            ) {
                (Ok(given), Ok(right)) => (given - right).abs() <= tolerance + 1e-9,
                _ => false,
            },
            _ => normalise_answer(value) == normalise_answer(expected),
        }
    }
}

/// The result of a submitted attempt.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Score {
    pub score: i32,
    pub max_score: i32,
    pub passed: bool,
}

impl Score {
    /// Whole percent, rounded down.
    pub fn percent(&self) -> i32 {
        if self.max_score <= 0 {
            return 0;
        }
        let percent = i64::from(self.score) * 100 / i64::from(self.max_score);
        i32::try_from(percent).unwrap_or(0)
    }
}

/// A user's attempt at a test.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Attempt {
    pub id: Uuid,
    pub test_id: Uuid,
    pub user_id: Uuid,
    /// 1 to the test's `max_attempts`.
    pub number: i32,
    pub started_at: DateTime<Utc>,
    /// When answers stop being taken; `None` without a time limit.
    pub deadline: Option<DateTime<Utc>>,
    pub answers: Vec<GivenAnswer>,
    pub submitted_at: Option<DateTime<Utc>>,
    pub score: Option<Score>,
    /// The olympiad it was written in; `None` for a lesson's attempt.
    pub olympiad_id: Option<Uuid>,
}

impl Attempt {
    /// Taking answers: not submitted and before its deadline.
    pub fn is_open(&self, now: DateTime<Utc>) -> bool {
        self.submitted_at.is_none() && self.deadline.is_none_or(|deadline| now < deadline)
    }
}

/// What the port needs to start an attempt.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewAttempt {
    pub id: Uuid,
    pub test_id: Uuid,
    pub user_id: Uuid,
    pub max_attempts: i32,
    pub started_at: DateTime<Utc>,
    pub deadline: Option<DateTime<Utc>>,
    pub olympiad_id: Option<Uuid>,
}

/// Points a first pass earns, once per user and `source`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PointAward {
    pub id: Uuid,
    /// `test:<id>` or `olympiad:<id>`.
    pub source: String,
    pub points: i32,
    pub direction_id: Option<Uuid>,
    pub at: DateTime<Utc>,
}

/// One row of a leaderboard.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Leader {
    pub user_id: Uuid,
    pub first_name: String,
    pub last_name: String,
    pub points: i64,
}
