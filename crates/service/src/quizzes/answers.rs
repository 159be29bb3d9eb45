//! Answers as a user saves them, checked against the test's questions, and
//! the order an attempt shows its questions and options in.

use crate::{FieldError, ServiceError, ServiceResult};
use bilim_domain::quizzes::{
    Attempt, GivenAnswer, MAX_ANSWERS, MAX_OPTIONS, Question, QuestionKind, QuestionView, QuizTest,
};
use bilim_domain::values::{ShortText, parse_number};
use std::collections::{HashMap, HashSet};
use uuid::Uuid;

/// The answers, each checked against its question: 400 `validation` naming
/// `answers[i]` for an unknown question (`answer.question_unknown`), one
/// answered twice (`answer.duplicate`), an option of another question
/// (`answer.option_unknown`), two options of a single choice
/// (`answer.too_many_options`), options for a number or text or a value for
/// a choice (`answer.kind_mismatch`), or a value that is not a number
/// (`number.invalid`) or too long (`text.length`).
pub(super) fn check(
    questions: &[Question],
    given: Vec<GivenAnswer>,
) -> ServiceResult<Vec<GivenAnswer>> {
    if given.len() > MAX_ANSWERS {
        return Err(ServiceError::validation(
            "answers",
            "validation",
            "at most 200 answers",
        ));
    }
    let by_id: HashMap<Uuid, &Question> = questions.iter().map(|q| (q.id, q)).collect();
    let mut seen = HashSet::new();
    let mut errors = Vec::new();
    let mut cleaned = Vec::with_capacity(given.len());
    for (i, mut answer) in given.into_iter().enumerate() {
        let field = format!("answers[{i}]");
        let mut refuse = |code: &str, message: &str| {
            errors.push(FieldError {
                field: field.clone(),
                code: code.to_owned(),
                message: message.to_owned(),
            });
        };
        let Some(question) = by_id.get(&answer.question_id) else {
            refuse("answer.question_unknown", "is not a question of this test");
            continue;
        };
        if !seen.insert(answer.question_id) {
            refuse("answer.duplicate", "answers a question answered before");
            continue;
        }
        if question.kind.has_options() {
            if answer.value.is_some() {
                refuse(
                    "answer.kind_mismatch",
                    "a choice is answered with option_ids",
                );
                continue;
            }
            let options: HashSet<Uuid> = question.options.iter().map(|o| o.id).collect();
            let mut picked = Vec::new();
            for id in &answer.option_ids {
                if !picked.contains(id) {
                    picked.push(*id);
                }
            }
            if picked.len() > MAX_OPTIONS || picked.iter().any(|id| !options.contains(id)) {
                refuse(
                    "answer.option_unknown",
                    "names an option of another question",
                );
                continue;
            }
            if question.kind == QuestionKind::Single && picked.len() > 1 {
                refuse(
                    "answer.too_many_options",
                    "a single choice takes one option",
                );
                continue;
            }
            answer.option_ids = picked;
        } else {
            if !answer.option_ids.is_empty() {
                refuse(
                    "answer.kind_mismatch",
                    "a number or text is answered with value",
                );
                continue;
            }
            if let Some(value) = answer.value.as_deref() {
                let checked = if question.kind == QuestionKind::Number {
                    parse_number("value", value).map(|_| value.trim().to_owned())
                } else {
                    ShortText::parse("value", value, ShortText::ANSWER_MAX)
                        .map(ShortText::into_string)
                };
                match checked {
                    Ok(value) => answer.value = Some(value),
                    Err(bilim_domain::DomainError::Invalid { code, message, .. }) => {
                        refuse(code, &message);
                        continue;
                    }
                    Err(_) => {
                        refuse("validation", "is not an answer");
                        continue;
                    }
                }
            }
        }
        cleaned.push(answer);
    }
    if errors.is_empty() {
        Ok(cleaned)
    } else {
        Err(ServiceError::Validation {
            code: "validation",
            message: "Some answers do not fit the test's questions.".to_owned(),
            errors,
        })
    }
}

/// FNV-1a of two ids: a stable shuffle key per attempt.
fn mix(a: Uuid, b: Uuid) -> u64 {
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for byte in a.as_bytes().iter().chain(b.as_bytes()) {
        hash ^= u64::from(*byte);
        hash = hash.wrapping_mul(0x0000_0100_0000_01b3);
    }
    hash
}

/// The questions without answers, in the test's order, or for a shuffled
/// test in an order fixed by the attempt (the same on every read).
pub(super) fn in_attempt_order(
    test: &QuizTest,
    attempt: &Attempt,
    questions: &[Question],
) -> Vec<QuestionView> {
    let mut views: Vec<QuestionView> = questions.iter().map(Question::view).collect();
    if test.shuffle {
        views.sort_by_key(|q| mix(attempt.id, q.id));
        for view in &mut views {
            view.options.sort_by_key(|o| mix(attempt.id, o.id));
        }
    }
    views
}

#[cfg(test)]
mod tests {
    use super::*;
    use bilim_domain::quizzes::AnswerOption;

    fn choice(kind: QuestionKind) -> Question {
        Question {
            id: Uuid::now_v7(),
            test_id: Uuid::now_v7(),
            kind,
            text: "?".into(),
            points: 1,
            position: 1,
            options: (0..3)
                .map(|i| AnswerOption {
                    id: Uuid::now_v7(),
                    text: format!("{i}"),
                    correct: i == 0,
                })
                .collect(),
            answer: None,
            tolerance: None,
        }
    }

    fn codes(error: ServiceError) -> Vec<String> {
        match error {
            ServiceError::Validation { errors, .. } => errors.into_iter().map(|e| e.code).collect(),
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn answers_must_fit_their_questions() {
        let single = choice(QuestionKind::Single);
        let other = choice(QuestionKind::Multiple);
        let questions = [single.clone()];
        let bad = vec![
            GivenAnswer {
                question_id: other.id,
                option_ids: vec![],
                value: None,
            },
            GivenAnswer {
                question_id: single.id,
                option_ids: vec![other.options[0].id],
                value: None,
            },
        ];
        assert_eq!(
            codes(check(&questions, bad).unwrap_err()),
            ["answer.question_unknown", "answer.option_unknown"]
        );
        let two = vec![GivenAnswer {
            question_id: single.id,
            option_ids: vec![single.options[0].id, single.options[1].id],
            value: None,
        }];
        assert_eq!(
            codes(check(&questions, two).unwrap_err()),
            ["answer.too_many_options"]
        );
        let good = vec![GivenAnswer {
            question_id: single.id,
            option_ids: vec![single.options[1].id],
            value: None,
        }];
        assert_eq!(check(&questions, good.clone()).unwrap(), good);
    }
}
