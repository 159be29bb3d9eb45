//! Tests, questions, attempts and the leaderboard: responses, bodies and
//! their commands. What a user reads before submitting (`TestResponse`,
//! `AttemptResponse`, `QuestionItem`) has no field for a right answer.

use super::money::whole;
use bilim_domain::DomainError;
use bilim_domain::quizzes::{
    Attempt, GivenAnswer, NewOption, NewTest, Question, QuestionDraft, QuestionKind, QuestionPatch,
    QuestionView, QuizTest, TestPatch, new_options,
};
use bilim_domain::values::{
    MaxAttempts, PassPercent, Position, QuestionPoints, QuestionText, ShortText, TimeLimit, Title,
    parse_tolerance,
};
use bilim_service::ServiceError;
use bilim_service::input::Invalid;
use bilim_service::quizzes::{
    AttemptResult, AttemptSheet, LeaderPage, TestOverview, TestWithQuestions,
};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Deserializer, Serialize};
use serde_json::Number;
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;

fn present_value<'de, D: Deserializer<'de>, T: Deserialize<'de>>(
    deserializer: D,
) -> Result<Option<Option<T>>, D::Error> {
    Option::<T>::deserialize(deserializer).map(Some)
}

/// A test in a list (a course page, a lesson): no questions.
#[derive(Debug, Serialize, ToSchema)]
pub struct TestSummary {
    pub id: Uuid,
    pub lesson_id: Uuid,
    #[schema(example = "Kasrlar: 1-test")]
    pub title: String,
    /// `null`: no time limit.
    #[schema(required = true, example = 900)]
    pub time_limit_seconds: Option<i32>,
    #[schema(example = 3)]
    pub max_attempts: i32,
    #[schema(example = 60)]
    pub pass_percent: i32,
    #[schema(example = 10)]
    pub question_count: i32,
}

impl From<&QuizTest> for TestSummary {
    fn from(t: &QuizTest) -> Self {
        Self {
            id: t.id,
            lesson_id: t.lesson_id,
            title: t.title.clone(),
            time_limit_seconds: t.time_limit_seconds,
            max_attempts: t.max_attempts,
            pass_percent: t.pass_percent,
            question_count: t.question_count,
        }
    }
}

/// `GET /tests/{id}`: the test and the user's standing in it.
#[derive(Debug, Serialize, ToSchema)]
pub struct TestResponse {
    #[serde(flatten)]
    pub test: TestSummary,
    #[schema(example = 1)]
    pub attempts_used: i32,
    #[schema(example = 2)]
    pub attempts_left: i32,
    /// Some attempt passed.
    pub passed: bool,
}

impl From<&TestOverview> for TestResponse {
    fn from(o: &TestOverview) -> Self {
        Self {
            test: TestSummary::from(&o.test),
            attempts_used: o.attempts_used,
            attempts_left: o.attempts_left,
            passed: o.passed,
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct OptionItem {
    pub id: Uuid,
    #[schema(example = "3/4")]
    pub text: String,
}

/// A question while answering: no right answer.
#[derive(Debug, Serialize, ToSchema)]
pub struct QuestionItem {
    pub id: Uuid,
    #[schema(value_type = super::enums::QuestionKind)]
    pub kind: &'static str,
    #[schema(example = "1/2 + 1/4 nechaga teng?")]
    pub text: String,
    #[schema(example = 2)]
    pub points: i32,
    /// Choices only; empty for `number` and `text`.
    pub options: Vec<OptionItem>,
}

impl From<&QuestionView> for QuestionItem {
    fn from(q: &QuestionView) -> Self {
        Self {
            id: q.id,
            kind: q.kind.as_str(),
            text: q.text.clone(),
            points: q.points,
            options: q
                .options
                .iter()
                .map(|o| OptionItem {
                    id: o.id,
                    text: o.text.clone(),
                })
                .collect(),
        }
    }
}

/// An answer as saved or given.
#[derive(Debug, Serialize, ToSchema)]
pub struct AnswerItem {
    pub question_id: Uuid,
    pub option_ids: Vec<Uuid>,
    #[schema(required = true, example = "3.5")]
    pub value: Option<String>,
}

impl From<&GivenAnswer> for AnswerItem {
    fn from(a: &GivenAnswer) -> Self {
        Self {
            question_id: a.question_id,
            option_ids: a.option_ids.clone(),
            value: a.value.clone(),
        }
    }
}

/// An attempt with its questions (in the attempt's order) and what is saved.
#[derive(Debug, Serialize, ToSchema)]
pub struct AttemptResponse {
    pub id: Uuid,
    pub test_id: Uuid,
    #[schema(example = 1)]
    pub number: i32,
    pub started_at: DateTime<Utc>,
    /// Answers are taken until then; `null` without a time limit.
    #[schema(required = true)]
    pub deadline: Option<DateTime<Utc>>,
    /// Set once submitted (or closed at the deadline).
    #[schema(required = true)]
    pub submitted_at: Option<DateTime<Utc>>,
    pub questions: Vec<QuestionItem>,
    pub answers: Vec<AnswerItem>,
}

impl From<&AttemptSheet> for AttemptResponse {
    fn from(s: &AttemptSheet) -> Self {
        let a = &s.attempt;
        Self {
            id: a.id,
            test_id: a.test_id,
            number: a.number,
            started_at: a.started_at,
            deadline: a.deadline,
            submitted_at: a.submitted_at,
            questions: s.questions.iter().map(QuestionItem::from).collect(),
            answers: a.answers.iter().map(AnswerItem::from).collect(),
        }
    }
}

/// One attempt in the user's list.
#[derive(Debug, Serialize, ToSchema)]
pub struct AttemptSummary {
    pub id: Uuid,
    #[schema(example = 1)]
    pub number: i32,
    pub started_at: DateTime<Utc>,
    #[schema(required = true)]
    pub deadline: Option<DateTime<Utc>>,
    #[schema(required = true)]
    pub submitted_at: Option<DateTime<Utc>>,
    /// `null` until submitted.
    #[schema(required = true, example = 7)]
    pub score: Option<i32>,
    #[schema(required = true, example = 10)]
    pub max_score: Option<i32>,
    #[schema(required = true, example = 70)]
    pub percent: Option<i32>,
    #[schema(required = true)]
    pub passed: Option<bool>,
}

impl From<&Attempt> for AttemptSummary {
    fn from(a: &Attempt) -> Self {
        Self {
            id: a.id,
            number: a.number,
            started_at: a.started_at,
            deadline: a.deadline,
            submitted_at: a.submitted_at,
            score: a.score.map(|s| s.score),
            max_score: a.score.map(|s| s.max_score),
            percent: a.score.map(|s| s.percent()),
            passed: a.score.map(|s| s.passed),
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct AttemptList {
    pub items: Vec<AttemptSummary>,
}

/// `option_ids` of a choice, or `value` of a number or text.
#[derive(Debug, Serialize, ToSchema)]
pub struct AnswerValue {
    pub option_ids: Vec<Uuid>,
    #[schema(required = true, example = "oʻzbek")]
    pub value: Option<String>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ReviewItem {
    /// The question's id.
    pub id: Uuid,
    pub correct: bool,
    #[schema(example = 2)]
    pub points_earned: i32,
    pub your_answer: AnswerValue,
    pub right_answer: AnswerValue,
}

/// A submitted attempt's result; the right answers are shown only here.
#[derive(Debug, Serialize, ToSchema)]
pub struct ResultResponse {
    pub attempt_id: Uuid,
    pub submitted_at: DateTime<Utc>,
    #[schema(example = 7)]
    pub score: i32,
    #[schema(example = 10)]
    pub max_score: i32,
    /// Whole percent, rounded down.
    #[schema(example = 70)]
    pub percent: i32,
    pub passed: bool,
    pub questions: Vec<ReviewItem>,
}

impl From<&AttemptResult> for ResultResponse {
    fn from(r: &AttemptResult) -> Self {
        Self {
            attempt_id: r.attempt.id,
            submitted_at: r.attempt.submitted_at.unwrap_or(r.attempt.started_at),
            score: r.score.score,
            max_score: r.score.max_score,
            percent: r.score.percent(),
            passed: r.score.passed,
            questions: r
                .reviews
                .iter()
                .map(|review| ReviewItem {
                    id: review.question_id,
                    correct: review.correct,
                    points_earned: review.earned,
                    your_answer: AnswerValue {
                        option_ids: review.given.option_ids.clone(),
                        value: review.given.value.clone(),
                    },
                    right_answer: AnswerValue {
                        option_ids: review.right_options.clone(),
                        value: review.right_value.clone(),
                    },
                })
                .collect(),
        }
    }
}

/// One answer to save.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AnswerBody {
    pub question_id: Uuid,
    /// For `single` (one) and `multiple` questions.
    #[schema(max_items = 20)]
    pub option_ids: Option<Vec<Uuid>>,
    /// For `number` (`"42"`, `"3.5"`, `"3,5"`) and `text` (`"oʻzbek"`)
    /// questions: at most 200 characters.
    #[schema(max_length = 200, pattern = r"^[^\x00-\x1F\x7F]*$", example = "3.5")]
    pub value: Option<String>,
}

/// `PUT /attempts/{id}/answers`: replaces what is saved.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AnswersBody {
    #[schema(max_items = 200)]
    pub answers: Vec<AnswerBody>,
}

impl From<AnswersBody> for Vec<GivenAnswer> {
    fn from(body: AnswersBody) -> Self {
        body.answers
            .into_iter()
            .map(|a| GivenAnswer {
                question_id: a.question_id,
                option_ids: a.option_ids.unwrap_or_default(),
                value: a.value,
            })
            .collect()
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct SavedResponse {
    pub attempt_id: Uuid,
    #[schema(required = true)]
    pub deadline: Option<DateTime<Utc>>,
    pub answers: Vec<AnswerItem>,
}

// ---------------------------------------------------------------- admin

#[derive(Debug, Serialize, ToSchema)]
pub struct AdminOptionResponse {
    pub id: Uuid,
    #[schema(example = "3/4")]
    pub text: String,
    pub correct: bool,
}

/// A question with its answer, for admins.
#[derive(Debug, Serialize, ToSchema)]
pub struct AdminQuestionResponse {
    pub id: Uuid,
    pub test_id: Uuid,
    #[schema(value_type = super::enums::QuestionKind)]
    pub kind: &'static str,
    #[schema(example = "1/2 + 1/4 nechaga teng?")]
    pub text: String,
    #[schema(example = 2)]
    pub points: i32,
    #[schema(example = 1)]
    pub position: i32,
    pub options: Vec<AdminOptionResponse>,
    /// The number or text of a `number` or `text` question.
    #[schema(required = true, example = "0.75")]
    pub answer: Option<String>,
    #[schema(required = true, example = 0.01)]
    pub tolerance: Option<f64>,
}

impl From<&Question> for AdminQuestionResponse {
    fn from(q: &Question) -> Self {
        Self {
            id: q.id,
            test_id: q.test_id,
            kind: q.kind.as_str(),
            text: q.text.clone(),
            points: q.points,
            position: q.position,
            options: q
                .options
                .iter()
                .map(|o| AdminOptionResponse {
                    id: o.id,
                    text: o.text.clone(),
                    correct: o.correct,
                })
                .collect(),
            answer: q.answer.clone(),
            tolerance: q.tolerance,
        }
    }
}

/// A test with its questions and answers, for admins.
#[derive(Debug, Serialize, ToSchema)]
pub struct AdminTestResponse {
    #[serde(flatten)]
    pub test: TestSummary,
    pub course_id: Uuid,
    pub shuffle: bool,
    pub partial_credit: bool,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    pub questions: Vec<AdminQuestionResponse>,
}

impl AdminTestResponse {
    pub fn new(test: &QuizTest, questions: &[Question]) -> Self {
        Self {
            test: TestSummary::from(test),
            course_id: test.course_id,
            shuffle: test.shuffle,
            partial_credit: test.partial_credit,
            created_at: test.created_at,
            updated_at: test.updated_at,
            questions: questions.iter().map(AdminQuestionResponse::from).collect(),
        }
    }
}

impl From<&TestWithQuestions> for AdminTestResponse {
    fn from(t: &TestWithQuestions) -> Self {
        Self::new(&t.test, &t.questions)
    }
}

fn int<T>(
    invalid: &mut Invalid,
    field: &'static str,
    code: &'static str,
    raw: Option<&Number>,
    parse: impl Fn(i64) -> Result<T, DomainError>,
) -> Option<T> {
    let raw = raw?;
    invalid
        .check(whole(field, code, raw))
        .and_then(|value| invalid.check(parse(value)))
}

/// `POST /admin/lessons/{id}/tests`.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct TestCreateBody {
    #[schema(
        min_length = 1,
        max_length = 200,
        pattern = r"^[\t\n\r ]*[^\x00-\x1F\x7F]*[^\s\x00-\x1F\x7F][^\x00-\x1F\x7F]*[\t\n\r ]*$",
        example = "Kasrlar: 1-test"
    )]
    pub title: String,
    /// 10 to 86 400 seconds; absent: no limit.
    #[schema(value_type = Option<i64>, minimum = 10, maximum = 86400, example = 900)]
    pub time_limit_seconds: Option<Number>,
    /// 1 to 100; 3 when absent.
    #[schema(value_type = Option<i64>, minimum = 1, maximum = 100, example = 3)]
    pub max_attempts: Option<Number>,
    /// 1 to 100; 60 when absent.
    #[schema(value_type = Option<i64>, minimum = 1, maximum = 100, example = 60)]
    pub pass_percent: Option<Number>,
    /// Another order of questions and options for each attempt.
    pub shuffle: Option<bool>,
    /// `multiple` questions earn a share for a partly right choice.
    pub partial_credit: Option<bool>,
}

impl TryFrom<TestCreateBody> for NewTest {
    type Error = ServiceError;

    fn try_from(body: TestCreateBody) -> Result<Self, ServiceError> {
        let mut invalid = Invalid::default();
        let title = invalid.check(Title::parse("title", &body.title));
        let time_limit = int(
            &mut invalid,
            "time_limit_seconds",
            "time_limit.invalid",
            body.time_limit_seconds.as_ref(),
            TimeLimit::parse,
        );
        let max_attempts = int(
            &mut invalid,
            "max_attempts",
            "max_attempts.invalid",
            body.max_attempts.as_ref(),
            MaxAttempts::parse,
        );
        let pass_percent = int(
            &mut invalid,
            "pass_percent",
            "pass_percent.invalid",
            body.pass_percent.as_ref(),
            PassPercent::parse,
        );
        invalid.finish()?;
        let title = title.ok_or_else(|| ServiceError::Internal("title lost".into()))?;
        Ok(Self {
            title,
            time_limit,
            max_attempts: max_attempts.unwrap_or(MaxAttempts::DEFAULT),
            pass_percent: pass_percent.unwrap_or(PassPercent::DEFAULT),
            shuffle: body.shuffle.unwrap_or(false),
            partial_credit: body.partial_credit.unwrap_or(false),
        })
    }
}

/// `PATCH /admin/tests/{id}`: absent fields stay; `time_limit_seconds:
/// null` removes the limit.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct TestPatchBody {
    #[schema(
        min_length = 1,
        max_length = 200,
        pattern = r"^[\t\n\r ]*[^\x00-\x1F\x7F]*[^\s\x00-\x1F\x7F][^\x00-\x1F\x7F]*[\t\n\r ]*$",
        example = "Kasrlar: yakuniy test"
    )]
    pub title: Option<String>,
    #[serde(default, deserialize_with = "present_value")]
    #[schema(value_type = Option<i64>, minimum = 10, maximum = 86400, example = 1200)]
    pub time_limit_seconds: Option<Option<Number>>,
    #[schema(value_type = Option<i64>, minimum = 1, maximum = 100, example = 5)]
    pub max_attempts: Option<Number>,
    #[schema(value_type = Option<i64>, minimum = 1, maximum = 100, example = 70)]
    pub pass_percent: Option<Number>,
    pub shuffle: Option<bool>,
    pub partial_credit: Option<bool>,
}

impl TryFrom<TestPatchBody> for TestPatch {
    type Error = ServiceError;

    fn try_from(body: TestPatchBody) -> Result<Self, ServiceError> {
        let mut invalid = Invalid::default();
        let title = body
            .title
            .as_deref()
            .and_then(|raw| invalid.check(Title::parse("title", raw)));
        let time_limit = match &body.time_limit_seconds {
            None => None,
            Some(None) => Some(None),
            Some(Some(raw)) => int(
                &mut invalid,
                "time_limit_seconds",
                "time_limit.invalid",
                Some(raw),
                TimeLimit::parse,
            )
            .map(Some),
        };
        let max_attempts = int(
            &mut invalid,
            "max_attempts",
            "max_attempts.invalid",
            body.max_attempts.as_ref(),
            MaxAttempts::parse,
        );
        let pass_percent = int(
            &mut invalid,
            "pass_percent",
            "pass_percent.invalid",
            body.pass_percent.as_ref(),
            PassPercent::parse,
        );
        invalid.finish()?;
        Ok(Self {
            title,
            time_limit,
            max_attempts,
            pass_percent,
            shuffle: body.shuffle,
            partial_credit: body.partial_credit,
        })
    }
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct OptionBody {
    #[schema(
        min_length = 1,
        max_length = 500,
        pattern = r"^[\t\n\r ]*[^\x00-\x1F\x7F]*[^\s\x00-\x1F\x7F][^\x00-\x1F\x7F]*[\t\n\r ]*$",
        example = "3/4"
    )]
    pub text: String,
    pub correct: bool,
}

fn options(invalid: &mut Invalid, raw: &[OptionBody]) -> Vec<NewOption> {
    raw.iter()
        .filter_map(|o| {
            invalid
                .check(ShortText::parse("options", &o.text, ShortText::OPTION_MAX))
                .map(|text| NewOption {
                    text,
                    correct: o.correct,
                })
        })
        .collect()
}

/// A number answer may come as a JSON number or a string.
fn answer_text(raw: &serde_json::Value) -> Result<String, DomainError> {
    match raw {
        serde_json::Value::String(text) => Ok(text.clone()),
        serde_json::Value::Number(number) => Ok(number.to_string()),
        _ => Err(DomainError::invalid(
            "answer",
            "answer.invalid",
            "must be a string or a number",
        )),
    }
}

/// `POST /admin/tests/{id}/questions`.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct QuestionCreateBody {
    #[schema(value_type = super::enums::QuestionKind, example = "single")]
    pub kind: String,
    /// 1 to 5 000 characters; may span lines.
    #[schema(min_length = 1, max_length = 5000, example = "1/2 + 1/4 nechaga teng?")]
    pub text: String,
    /// 1 to 100; 1 when absent.
    #[schema(value_type = Option<i64>, minimum = 1, maximum = 100, example = 2)]
    pub points: Option<Number>,
    /// 1 to 10 000; after the last question when absent.
    #[schema(value_type = Option<i64>, minimum = 1, maximum = 10000, example = 1)]
    pub position: Option<Number>,
    /// Choices: 2 to 20, one right for `single`, at least one for `multiple`.
    #[schema(max_items = 20)]
    pub options: Option<Vec<OptionBody>>,
    /// `number`: the number (`"0.75"` or `0.75`); `text`: the text (1 to 200
    /// characters), compared ignoring case, spaces and apostrophe variants.
    #[schema(value_type = Option<String>, max_length = 200, pattern = r"^[\t\n\r ]*[^\x00-\x1F\x7F]*[^\s\x00-\x1F\x7F][^\x00-\x1F\x7F]*[\t\n\r ]*$", example = "0.75")]
    pub answer: Option<serde_json::Value>,
    /// `number` only: how far an answer may be, 0 to 1 000 000; 0 when absent.
    #[schema(minimum = 0, maximum = 1000000, example = 0.01)]
    pub tolerance: Option<f64>,
}

impl QuestionCreateBody {
    pub fn into_draft(self) -> Result<(QuestionDraft, Option<Position>), ServiceError> {
        let mut invalid = Invalid::default();
        let kind = QuestionKind::parse(&self.kind);
        if kind.is_none() {
            invalid.check::<()>(Err(DomainError::invalid(
                "kind",
                "kind.invalid",
                "must be single, multiple, number or text",
            )));
        }
        let text = invalid.check(QuestionText::parse(&self.text));
        let points = int(
            &mut invalid,
            "points",
            "points.invalid",
            self.points.as_ref(),
            QuestionPoints::parse,
        );
        let position = int(
            &mut invalid,
            "position",
            "position.invalid",
            self.position.as_ref(),
            |raw| {
                i32::try_from(raw)
                    .map_err(|_| {
                        DomainError::invalid("position", "position.invalid", "must be 1 to 10000")
                    })
                    .and_then(Position::parse)
            },
        );
        let new = options(&mut invalid, self.options.as_deref().unwrap_or_default());
        let answer = self
            .answer
            .as_ref()
            .and_then(|raw| invalid.check(answer_text(raw)));
        let tolerance = self
            .tolerance
            .and_then(|raw| invalid.check(parse_tolerance(raw)));
        invalid.finish()?;
        let (Some(kind), Some(text)) = (kind, text) else {
            return Err(ServiceError::Internal("question field lost".into()));
        };
        let draft = QuestionDraft::new(
            kind,
            text,
            points.unwrap_or(QuestionPoints::DEFAULT),
            new_options(&new),
            answer,
            tolerance,
        )?;
        Ok((draft, position))
    }
}

/// `PATCH /admin/questions/{id}`: absent fields stay; `options` replace all
/// of them; the kind does not change.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct QuestionPatchBody {
    #[schema(min_length = 1, max_length = 5000, example = "1/2 + 1/3 nechaga teng?")]
    pub text: Option<String>,
    #[schema(value_type = Option<i64>, minimum = 1, maximum = 100, example = 3)]
    pub points: Option<Number>,
    #[schema(value_type = Option<i64>, minimum = 1, maximum = 10000, example = 2)]
    pub position: Option<Number>,
    #[schema(max_items = 20)]
    pub options: Option<Vec<OptionBody>>,
    #[schema(value_type = Option<String>, max_length = 200, pattern = r"^[\t\n\r ]*[^\x00-\x1F\x7F]*[^\s\x00-\x1F\x7F][^\x00-\x1F\x7F]*[\t\n\r ]*$", example = "5/6")]
    pub answer: Option<serde_json::Value>,
    /// `null` removes it.
    #[serde(default, deserialize_with = "present_value")]
    #[schema(value_type = Option<f64>, minimum = 0, maximum = 1000000, example = 0.01)]
    pub tolerance: Option<Option<f64>>,
}

impl TryFrom<QuestionPatchBody> for QuestionPatch {
    type Error = ServiceError;

    fn try_from(body: QuestionPatchBody) -> Result<Self, ServiceError> {
        let mut invalid = Invalid::default();
        let text = body
            .text
            .as_deref()
            .and_then(|raw| invalid.check(QuestionText::parse(raw)));
        let points = int(
            &mut invalid,
            "points",
            "points.invalid",
            body.points.as_ref(),
            QuestionPoints::parse,
        );
        let position = int(
            &mut invalid,
            "position",
            "position.invalid",
            body.position.as_ref(),
            |raw| {
                i32::try_from(raw)
                    .map_err(|_| {
                        DomainError::invalid("position", "position.invalid", "must be 1 to 10000")
                    })
                    .and_then(Position::parse)
            },
        );
        let options = body
            .options
            .as_deref()
            .map(|raw| options(&mut invalid, raw));
        let answer = body
            .answer
            .as_ref()
            .and_then(|raw| invalid.check(answer_text(raw)));
        let tolerance = match body.tolerance {
            None => None,
            Some(None) => Some(None),
            Some(Some(raw)) => invalid.check(parse_tolerance(raw)).map(Some),
        };
        invalid.finish()?;
        Ok(Self {
            text,
            points,
            position,
            options,
            answer,
            tolerance,
        })
    }
}

// ---------------------------------------------------------------- leaderboard

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct LeaderboardQuery {
    /// Only points earned in this direction's courses.
    pub direction_id: Option<Uuid>,
    /// Items per page, 1 to 100; 20 when absent.
    #[param(minimum = 1, maximum = 100, example = 20)]
    pub limit: Option<u64>,
    /// The `next_cursor` of the previous page; opaque.
    #[param(pattern = r"^$|^[A-Za-z0-9_-]{42}[AEIMQUYcgkosw048]$")]
    pub cursor: Option<String>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct LeaderItem {
    #[schema(example = 1)]
    pub rank: u64,
    pub user_id: Uuid,
    /// The first name and the last name's initial.
    #[schema(example = "Oʻktam K.")]
    pub name: String,
    #[schema(example = 120)]
    pub points: i64,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct LeaderboardPage {
    pub items: Vec<LeaderItem>,
    #[schema(required = true)]
    pub next_cursor: Option<String>,
}

impl From<&LeaderPage> for LeaderboardPage {
    fn from(page: &LeaderPage) -> Self {
        Self {
            items: page
                .items
                .iter()
                .map(|(rank, leader)| LeaderItem {
                    rank: *rank,
                    user_id: leader.user_id,
                    name: match leader.last_name.chars().next() {
                        Some(initial) => format!("{} {initial}.", leader.first_name),
                        None => leader.first_name.clone(),
                    },
                    points: leader.points,
                })
                .collect(),
            next_cursor: page.next_cursor.clone(),
        }
    }
}
