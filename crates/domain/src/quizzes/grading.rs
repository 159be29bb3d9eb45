//! Grading on the server: each question's points for what was saved, the
//! score, the percent and the pass.

use super::{GivenAnswer, Question, QuestionKind, QuizTest, Score};
use std::collections::{BTreeSet, HashMap};
use uuid::Uuid;

/// One question after grading: what was given and what was right.
#[derive(Debug, Clone, PartialEq)]
pub struct Review {
    pub question_id: Uuid,
    pub earned: i32,
    pub correct: bool,
    pub given: GivenAnswer,
    /// The right options of a choice.
    pub right_options: Vec<Uuid>,
    /// The right number or text.
    pub right_value: Option<String>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Graded {
    pub score: Score,
    pub reviews: Vec<Review>,
}

/// Grades `answers` against `questions`. A question without an answer earns
/// nothing; answers to other questions are ignored (saves refuse them).
pub fn grade(test: &QuizTest, questions: &[Question], answers: &[GivenAnswer]) -> Graded {
    let by_question: HashMap<Uuid, &GivenAnswer> =
        answers.iter().map(|a| (a.question_id, a)).collect();
    let mut reviews = Vec::with_capacity(questions.len());
    let (mut score, mut max_score) = (0_i32, 0_i32);
    for question in questions {
        let given = by_question
            .get(&question.id)
            .map(|a| (*a).clone())
            .unwrap_or_else(|| GivenAnswer {
                question_id: question.id,
                ..GivenAnswer::default()
            });
        let earned = earned(test, question, &given);
        score = score.saturating_add(earned);
        max_score = max_score.saturating_add(question.points);
        reviews.push(Review {
            question_id: question.id,
            earned,
            correct: earned == question.points,
            given,
            right_options: question
                .options
                .iter()
                .filter(|o| o.correct)
                .map(|o| o.id)
                .collect(),
            right_value: question.answer.clone(),
        });
    }
    let mut graded = Score {
        score,
        max_score,
        passed: false,
    };
    graded.passed = max_score > 0 && graded.percent() >= test.pass_percent;
    Graded {
        score: graded,
        reviews,
    }
}

fn earned(test: &QuizTest, question: &Question, given: &GivenAnswer) -> i32 {
    match question.kind {
        QuestionKind::Single | QuestionKind::Multiple => {
            let right: BTreeSet<Uuid> = question
                .options
                .iter()
                .filter(|o| o.correct)
                .map(|o| o.id)
                .collect();
            let chosen: BTreeSet<Uuid> = given.option_ids.iter().copied().collect();
            if chosen == right {
                return question.points;
            }
            if question.kind == QuestionKind::Single || !test.partial_credit || right.is_empty() {
                return 0;
            }
            // A share: right choices less wrong ones, never below 0.
            let hits = chosen.intersection(&right).count();
            let misses = chosen.difference(&right).count();
            let net = i64::try_from(hits.saturating_sub(misses)).unwrap_or(0);
            let total = i64::try_from(right.len()).unwrap_or(1);
            i32::try_from(i64::from(question.points) * net / total).unwrap_or(0)
        }
        QuestionKind::Number | QuestionKind::Text => {
            let Some(expected) = question.answer.as_deref() else {
                return 0;
            };
            let tolerance = question.tolerance.unwrap_or(0.0);
            if given.matches_value(question.kind, expected, tolerance) {
                question.points
            } else {
                0
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::quizzes::AnswerOption;
    use chrono::Utc;

    fn test(partial_credit: bool) -> QuizTest {
        QuizTest {
            id: Uuid::now_v7(),
            lesson_id: Uuid::now_v7(),
            course_id: Uuid::now_v7(),
            direction_id: Uuid::now_v7(),
            title: "Kasrlar".into(),
            time_limit_seconds: None,
            max_attempts: 3,
            pass_percent: 60,
            shuffle: false,
            partial_credit,
            question_count: 0,
            created_at: Utc::now(),
            updated_at: Utc::now(),
        }
    }

    fn option(text: &str, correct: bool) -> AnswerOption {
        AnswerOption {
            id: Uuid::now_v7(),
            text: text.into(),
            correct,
        }
    }

    fn question(
        kind: QuestionKind,
        points: i32,
        options: Vec<AnswerOption>,
        answer: Option<&str>,
        tolerance: Option<f64>,
    ) -> Question {
        Question {
            id: Uuid::now_v7(),
            test_id: Uuid::now_v7(),
            kind,
            text: "?".into(),
            points,
            position: 1,
            options,
            answer: answer.map(str::to_owned),
            tolerance,
        }
    }

    fn chose(q: &Question, picks: &[usize]) -> GivenAnswer {
        GivenAnswer {
            question_id: q.id,
            option_ids: picks.iter().map(|i| q.options[*i].id).collect(),
            value: None,
        }
    }

    fn wrote(q: &Question, value: &str) -> GivenAnswer {
        GivenAnswer {
            question_id: q.id,
            option_ids: Vec::new(),
            value: Some(value.into()),
        }
    }

    #[test]
    fn multiple_is_all_or_nothing_unless_partial_credit() {
        let q = question(
            QuestionKind::Multiple,
            4,
            vec![
                option("a", true),
                option("b", true),
                option("c", false),
                option("d", false),
            ],
            None,
            None,
        );
        let half = [chose(&q, &[0])];
        assert_eq!(
            grade(&test(false), std::slice::from_ref(&q), &half)
                .score
                .score,
            0
        );
        assert_eq!(
            grade(&test(true), std::slice::from_ref(&q), &half)
                .score
                .score,
            2
        );
        let with_wrong = [chose(&q, &[0, 2])];
        assert_eq!(
            grade(&test(true), std::slice::from_ref(&q), &with_wrong)
                .score
                .score,
            0
        );
        let all = [chose(&q, &[1, 0])];
        let graded = grade(&test(false), std::slice::from_ref(&q), &all);
        assert_eq!(graded.score.score, 4);
        assert!(graded.reviews[0].correct);
    }

    #[test]
    fn numbers_within_tolerance_and_texts_normalised() {
        let number = question(QuestionKind::Number, 2, vec![], Some("3.14"), Some(0.01));
        let text = question(QuestionKind::Text, 3, vec![], Some("Oʻzbekiston"), None);
        let questions = [number.clone(), text.clone()];
        let graded = grade(
            &test(false),
            &questions,
            &[wrote(&number, "3,145"), wrote(&text, " o'ZBEKISTON ")],
        );
        assert_eq!(graded.score.score, 5);
        assert_eq!(graded.score.percent(), 100);
        assert!(graded.score.passed);
        let graded = grade(
            &test(false),
            &questions,
            &[wrote(&number, "3.2"), wrote(&text, "ozbekiston")],
        );
        assert_eq!(graded.score.score, 0);
        assert!(!graded.score.passed);
    }

    #[test]
    fn the_pass_is_the_percent_of_the_points() {
        let single = question(
            QuestionKind::Single,
            3,
            vec![option("ha", true), option("yoʻq", false)],
            None,
            None,
        );
        let other = question(QuestionKind::Text, 2, vec![], Some("Toshkent"), None);
        let questions = [single.clone(), other];
        // 3 of 5 is 60 %: passes at 60.
        let graded = grade(&test(false), &questions, &[chose(&single, &[0])]);
        assert_eq!(
            (
                graded.score.score,
                graded.score.max_score,
                graded.score.percent()
            ),
            (3, 5, 60)
        );
        assert!(graded.score.passed);
        // Two options on a single choice earn nothing.
        let graded = grade(&test(true), &questions, &[chose(&single, &[0, 1])]);
        assert_eq!(graded.score.score, 0);
    }
}
