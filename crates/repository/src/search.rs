//! `SearchIndex` on sea-orm (migrations 000010 and 000012).
//!
//! - **PostgreSQL:** `search_vector @@ to_tsquery('simple', …)` on the GIN
//!   index of each table; words one typo away come from `search_words` by
//!   trigram similarity (`%`, its GIN index), a few per query word.
//! - **SQLite:** FTS5 (`search_fts MATCH …`, ranked by bm25); the candidate
//!   words are the FTS vocabulary of about the same length.
//!
//! Terms are built from folded words, `[a-z0-9]` only (`bilim_domain::search::
//! fold`), so neither query syntax can be reached from what a client types.
//! Each kind takes at most [`PER_KIND`] matches before ranking, which bounds
//! the work of a word found in most lessons.

use crate::database::{Database, db_error};
use async_trait::async_trait;
use bilim_domain::ports::SearchIndex;
use bilim_domain::search::{SearchHit, SearchKind, SearchPlan, SearchTerm};
use bilim_domain::{DomainError, DomainResult};
use sea_orm::{AccessMode, ConnectionTrait, DatabaseBackend, Statement, TransactionTrait, Value};
use uuid::Uuid;

/// Matches of one kind ranked per query.
const PER_KIND: u64 = 500;
/// Candidate words per query word (PostgreSQL).
const NEIGHBOURS_PER_WORD: u64 = 20;
/// Candidate words in all (SQLite, which scans its vocabulary).
const SQLITE_NEIGHBOURS: u64 = 5_000;

pub struct SeaSearchIndex {
    db: Database,
}

impl SeaSearchIndex {
    pub fn new(db: Database) -> Self {
        Self { db }
    }
}

#[async_trait]
impl SearchIndex for SeaSearchIndex {
    async fn neighbours(&self, words: &[String]) -> DomainResult<Vec<String>> {
        if words.is_empty() {
            return Ok(Vec::new());
        }
        let connection = self.db.connection();
        let backend = connection.get_database_backend();
        let statement = match backend {
            DatabaseBackend::Postgres => Statement::from_sql_and_values(
                backend,
                "SELECT DISTINCT near.word FROM unnest($1::text[]) AS asked(word) \
                 CROSS JOIN LATERAL (SELECT word FROM search_words \
                     WHERE word % asked.word \
                       AND length(word) BETWEEN length(asked.word) - 1 AND length(asked.word) + 1 \
                     ORDER BY word <-> asked.word LIMIT $2) AS near",
                [
                    Value::from(words.to_vec()),
                    Value::from(NEIGHBOURS_PER_WORD as i64),
                ],
            ),
            _ => {
                let lengths = words.iter().map(|word| word.chars().count() as i64);
                let shortest = lengths.clone().min().unwrap_or(0) - 1;
                let longest = lengths.max().unwrap_or(0) + 1;
                Statement::from_sql_and_values(
                    backend,
                    "SELECT term FROM search_vocab WHERE length(term) BETWEEN ? AND ? LIMIT ?",
                    [
                        Value::from(shortest),
                        Value::from(longest),
                        Value::from(SQLITE_NEIGHBOURS as i64),
                    ],
                )
            }
        };
        let rows = connection
            .query_all_raw(statement)
            .await
            .map_err(db_error)?;
        rows.iter()
            .map(|row| row.try_get_by_index::<String>(0).map_err(db_error))
            .collect()
    }

    async fn search(&self, plan: &SearchPlan) -> DomainResult<Vec<SearchHit>> {
        if plan.terms.is_empty() || plan.kinds.is_empty() {
            return Ok(Vec::new());
        }
        let connection = self.db.connection();
        let rows = match connection.get_database_backend() {
            DatabaseBackend::Postgres => {
                // Planned with this query's words: how many rows a word matches
                // decides between the GIN index and a scan that stops at the
                // limit, and a cached generic plan cannot know it.
                let txn = connection
                    .begin_with_config(None, Some(AccessMode::ReadOnly))
                    .await
                    .map_err(db_error)?;
                txn.execute_unprepared("SET LOCAL plan_cache_mode = force_custom_plan")
                    .await
                    .map_err(db_error)?;
                let rows = txn.query_all_raw(postgres(plan)).await.map_err(db_error)?;
                txn.commit().await.map_err(db_error)?;
                rows
            }
            _ => connection
                .query_all_raw(sqlite(plan))
                .await
                .map_err(db_error)?,
        };
        rows.iter()
            .map(|row| {
                let kind: String = row.try_get("", "kind").map_err(db_error)?;
                Ok(SearchHit {
                    kind: SearchKind::parse(&kind).ok_or_else(|| {
                        DomainError::internal(format!("a search hit of kind {kind:?}"))
                    })?,
                    id: row.try_get::<Uuid>("", "id").map_err(db_error)?,
                    title: row.try_get("", "title").map_err(db_error)?,
                    course_id: row
                        .try_get::<Option<Uuid>>("", "course_id")
                        .map_err(db_error)?,
                    course_title: row.try_get("", "course_title").map_err(db_error)?,
                })
            })
            .collect()
    }
}

/// `(a | b | c:*) & (d)`: a `tsquery` of folded words.
fn tsquery(terms: &[SearchTerm]) -> String {
    terms
        .iter()
        .map(|term| {
            let words: Vec<String> = term
                .words
                .iter()
                .enumerate()
                .map(|(i, word)| {
                    if i == 0 && term.prefix {
                        format!("{word}:*")
                    } else {
                        word.clone()
                    }
                })
                .collect();
            format!("({})", words.join(" | "))
        })
        .collect::<Vec<_>>()
        .join(" & ")
}

/// `("a"* OR "b") AND ("d")`: an FTS5 query of folded words.
fn fts5_query(terms: &[SearchTerm]) -> String {
    terms
        .iter()
        .map(|term| {
            let words: Vec<String> = term
                .words
                .iter()
                .enumerate()
                .map(|(i, word)| {
                    if i == 0 && term.prefix {
                        format!("\"{word}\"*")
                    } else {
                        format!("\"{word}\"")
                    }
                })
                .collect();
            format!("({})", words.join(" OR "))
        })
        .collect::<Vec<_>>()
        .join(" AND ")
}

fn postgres(plan: &SearchPlan) -> Statement {
    // `$1` written where it is used (not in a CTE), so that the planner sees
    // the words.
    let branches: Vec<String> = plan
        .kinds
        .iter()
        .map(|kind| match kind {
            SearchKind::Course => format!(
                "(SELECT 'course' AS kind, c.id, c.title, c.id AS course_id, c.title AS course_title, \
                         ts_rank(c.search_vector, to_tsquery('simple', $1)) * 2 AS score \
                  FROM courses c \
                  WHERE c.search_vector @@ to_tsquery('simple', $1) AND c.status = 'published' \
                  LIMIT {PER_KIND})"
            ),
            SearchKind::Lesson => format!(
                "(SELECT 'lesson' AS kind, l.id, l.title, c.id AS course_id, c.title AS course_title, \
                         ts_rank(l.search_vector, to_tsquery('simple', $1)) AS score \
                  FROM lessons l JOIN modules m ON m.id = l.module_id \
                  JOIN courses c ON c.id = m.course_id \
                  WHERE l.search_vector @@ to_tsquery('simple', $1) AND c.status = 'published' \
                  LIMIT {PER_KIND})"
            ),
            SearchKind::Olympiad => format!(
                "(SELECT 'olympiad' AS kind, o.id, o.title, CAST(NULL AS uuid) AS course_id, \
                         CAST(NULL AS text) AS course_title, \
                         ts_rank(o.search_vector, to_tsquery('simple', $1)) * 2 AS score \
                  FROM olympiads o WHERE o.search_vector @@ to_tsquery('simple', $1) \
                  LIMIT {PER_KIND})"
            ),
        })
        .collect();
    let sql = format!(
        "SELECT kind, id, title, course_id, course_title FROM ({}) AS hits \
         ORDER BY score DESC, id LIMIT $2",
        branches.join(" UNION ALL ")
    );
    Statement::from_sql_and_values(
        DatabaseBackend::Postgres,
        sql,
        [
            Value::from(tsquery(&plan.terms)),
            Value::from(plan.limit as i64),
        ],
    )
}

fn sqlite(plan: &SearchPlan) -> Statement {
    let query = fts5_query(&plan.terms);
    let mut values = Vec::new();
    let branches: Vec<String> = plan
        .kinds
        .iter()
        .map(|kind| {
            values.push(Value::from(query.clone()));
            match kind {
                SearchKind::Course => format!(
                    "SELECT * FROM (SELECT 'course' AS kind, c.id AS id, c.title AS title, \
                            c.id AS course_id, c.title AS course_title, search_fts.rank * 2 AS score \
                     FROM search_fts JOIN courses c ON c.id = search_fts.ref \
                     WHERE search_fts MATCH ? AND search_fts.kind = 'course' \
                       AND c.status = 'published' LIMIT {PER_KIND})"
                ),
                SearchKind::Lesson => format!(
                    "SELECT * FROM (SELECT 'lesson' AS kind, l.id AS id, l.title AS title, \
                            c.id AS course_id, c.title AS course_title, search_fts.rank AS score \
                     FROM search_fts JOIN lessons l ON l.id = search_fts.ref \
                     JOIN modules m ON m.id = l.module_id JOIN courses c ON c.id = m.course_id \
                     WHERE search_fts MATCH ? AND search_fts.kind = 'lesson' \
                       AND c.status = 'published' LIMIT {PER_KIND})"
                ),
                SearchKind::Olympiad => format!(
                    "SELECT * FROM (SELECT 'olympiad' AS kind, o.id AS id, o.title AS title, \
                            NULL AS course_id, NULL AS course_title, search_fts.rank * 2 AS score \
                     FROM search_fts JOIN olympiads o ON o.id = search_fts.ref \
                     WHERE search_fts MATCH ? AND search_fts.kind = 'olympiad' LIMIT {PER_KIND})"
                ),
            }
        })
        .collect();
    values.push(Value::from(plan.limit as i64));
    let sql = format!(
        "SELECT kind, id, title, course_id, course_title FROM ({}) \
         ORDER BY score, id LIMIT ?",
        branches.join(" UNION ALL ")
    );
    Statement::from_sql_and_values(DatabaseBackend::Sqlite, sql, values)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn term(words: &[&str], prefix: bool) -> SearchTerm {
        SearchTerm {
            words: words.iter().map(|word| (*word).to_owned()).collect(),
            prefix,
        }
    }

    #[test]
    fn queries_join_terms_with_and_and_words_with_or() {
        let terms = [term(&["algebra", "algebro"], false), term(&["asos"], true)];
        assert_eq!(tsquery(&terms), "(algebra | algebro) & (asos:*)");
        assert_eq!(
            fts5_query(&terms),
            "(\"algebra\" OR \"algebro\") AND (\"asos\"*)"
        );
    }
}
