//! Demo tests and olympiads: a test of four questions (one of each kind) on
//! the first lesson of every demo course that has none, and two olympiads on
//! the first two of them (one upcoming, one in progress). A repeat run adds
//! nothing.

use super::catalogue::DEMO_DIRECTIONS;
use crate::database::{Database, db_error};
use crate::entities::{olympiads, questions, tests};
use bilim_domain::DomainResult;
use bilim_domain::quizzes::AnswerOption;
use bilim_domain::search::document_text;
use chrono::{DateTime, Duration, Utc};
use sea_orm::ActiveValue::Set;
use sea_orm::{
    ColumnTrait, ConnectionTrait, EntityTrait, FromQueryResult, PaginatorTrait, QueryFilter,
    Statement, Value,
};
use uuid::Uuid;

const DEMO_OLYMPIAD: &str = "Demo olimpiada: maktab oʻquvchilari uchun.";

const OLYMPIAD_TITLES: [&str; 2] = [
    "Viloyat matematika olimpiadasi",
    "Respublika fan olimpiadasi",
];

#[derive(Debug, FromQueryResult)]
struct FirstLesson {
    lesson_id: Uuid,
    direction_id: Uuid,
}

fn option(text: &str, correct: bool) -> AnswerOption {
    AnswerOption {
        id: Uuid::now_v7(),
        text: text.to_owned(),
        correct,
    }
}

fn question(
    test_id: Uuid,
    position: i32,
    kind: &str,
    text: &str,
    options: &[AnswerOption],
    answer: Option<&str>,
    at: DateTime<Utc>,
) -> DomainResult<questions::ActiveModel> {
    Ok(questions::ActiveModel {
        id: Set(Uuid::now_v7()),
        test_id: Set(test_id),
        kind: Set(kind.to_owned()),
        text: Set(text.to_owned()),
        points: Set(if kind == "multiple" { 2 } else { 1 }),
        position: Set(position),
        options: Set(serde_json::to_string(options).map_err(bilim_domain::DomainError::internal)?),
        answer: Set(answer.map(str::to_owned)),
        tolerance: Set((kind == "number").then_some(0.01)),
        created_at: Set(at.fixed_offset()),
    })
}

/// Returns the tests and the olympiads it added.
pub async fn seed_quizzes(db: &Database, now: DateTime<Utc>) -> DomainResult<(u64, u64)> {
    let txn = db.begin_write().await?;
    let names: Vec<Value> = DEMO_DIRECTIONS
        .iter()
        .map(|d| Value::from(d.name))
        .collect();
    let placeholders: Vec<String> = (1..=names.len()).map(|n| format!("${n}")).collect();
    let sql = format!(
        "SELECT l.id AS lesson_id, c.direction_id FROM lessons l \
         JOIN modules m ON m.id = l.module_id \
         JOIN courses c ON c.id = m.course_id \
         JOIN directions d ON d.id = c.direction_id \
         WHERE d.name IN ({}) AND m.position = 1 AND l.position = 1 \
         AND NOT EXISTS (SELECT 1 FROM tests t WHERE t.lesson_id = l.id) \
         ORDER BY c.id",
        placeholders.join(", ")
    );
    let statement = Statement::from_sql_and_values(txn.get_database_backend(), sql, names);
    let lessons = FirstLesson::find_by_statement(statement)
        .all(&txn)
        .await
        .map_err(db_error)?;
    let at = now.fixed_offset();
    let mut test_rows = Vec::new();
    let mut question_rows = Vec::new();
    let mut made = Vec::new();
    for lesson in &lessons {
        let id = Uuid::now_v7();
        made.push((id, lesson.direction_id));
        test_rows.push(tests::ActiveModel {
            id: Set(id),
            lesson_id: Set(lesson.lesson_id),
            title: Set("Birinchi dars boʻyicha test".to_owned()),
            time_limit_seconds: Set(Some(1800)),
            max_attempts: Set(3),
            pass_percent: Set(60),
            shuffle: Set(true),
            partial_credit: Set(false),
            created_at: Set(at),
            updated_at: Set(at),
        });
        question_rows.push(question(
            id,
            1,
            "single",
            "1/2 + 1/4 nechaga teng?",
            &[
                option("3/4", true),
                option("2/6", false),
                option("1/8", false),
            ],
            None,
            now,
        )?);
        question_rows.push(question(
            id,
            2,
            "multiple",
            "Qaysilari 1/2 ga teng?",
            &[
                option("2/4", true),
                option("3/6", true),
                option("2/3", false),
            ],
            None,
            now,
        )?);
        question_rows.push(question(
            id,
            3,
            "number",
            "0,25 + 0,5 = ?",
            &[],
            Some("0.75"),
            now,
        )?);
        question_rows.push(question(
            id,
            4,
            "text",
            "Oʻzbekiston poytaxti qaysi shahar?",
            &[],
            Some("Toshkent"),
            now,
        )?);
    }
    for chunk in test_rows.chunks(500) {
        tests::Entity::insert_many(chunk.to_vec())
            .exec_without_returning(&txn)
            .await
            .map_err(db_error)?;
    }
    for chunk in question_rows.chunks(500) {
        questions::Entity::insert_many(chunk.to_vec())
            .exec_without_returning(&txn)
            .await
            .map_err(db_error)?;
    }
    let existing = olympiads::Entity::find()
        .filter(olympiads::Column::Title.is_in(OLYMPIAD_TITLES))
        .count(&txn)
        .await
        .map_err(db_error)?;
    let mut added_olympiads = 0;
    if existing == 0 && made.len() >= 2 {
        // One upcoming (registration open for five days), one in progress.
        let plans = [
            (
                OLYMPIAD_TITLES[0],
                "regional",
                now + Duration::days(5),
                now + Duration::days(7),
                now + Duration::days(7) + Duration::hours(3),
            ),
            (
                OLYMPIAD_TITLES[1],
                "national",
                now - Duration::days(1),
                now - Duration::hours(1),
                now + Duration::days(1),
            ),
        ];
        for ((title, level, closes, starts, ends), (test_id, direction_id)) in
            plans.into_iter().zip(&made)
        {
            olympiads::Entity::insert(olympiads::ActiveModel {
                id: Set(Uuid::now_v7()),
                title: Set(title.to_owned()),
                description: Set(DEMO_OLYMPIAD.to_owned()),
                search_text: Set(document_text(title, DEMO_OLYMPIAD)),
                direction_id: Set(*direction_id),
                level: Set(level.to_owned()),
                registration_ends_at: Set(closes.fixed_offset()),
                starts_at: Set(starts.fixed_offset()),
                ends_at: Set(ends.fixed_offset()),
                capacity: Set(500),
                registered: Set(0),
                test_id: Set(*test_id),
                created_at: Set(at),
                updated_at: Set(at),
            })
            .exec_without_returning(&txn)
            .await
            .map_err(db_error)?;
            added_olympiads += 1;
        }
    }
    txn.commit().await.map_err(db_error)?;
    Ok((made.len() as u64, added_olympiads))
}
