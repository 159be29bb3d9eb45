//! `GET /search`: published courses and lessons, and olympiads, by words, in Latin or Cyrillic,
//! forgiving one typo per word (`bilim_domain::search`).

use crate::ServiceResult;
use crate::error::ServiceError;
use bilim_domain::ports::SearchIndex;
use bilim_domain::search::{
    PREFIX_MIN_CHARS, SearchHit, SearchKind, SearchPlan, SearchTerm, SearchText, TYPO_MIN_CHARS,
    within_one_edit,
};
use std::sync::Arc;

/// Hits per answer: 20 unless asked, at most 50.
pub const DEFAULT_LIMIT: u64 = 20;
pub const MAX_LIMIT: u64 = 50;
/// Words one typo away searched beside each query word.
const MAX_NEIGHBOURS: usize = 4;

pub struct Search {
    index: Arc<dyn SearchIndex>,
}

impl Search {
    pub fn new(index: Arc<dyn SearchIndex>) -> Self {
        Self { index }
    }

    /// Hits for `q` of the kinds in `kinds` (a comma-separated list; every
    /// kind when absent), best first. A query of punctuation only has none.
    pub async fn search(
        &self,
        q: &str,
        kinds: Option<&str>,
        limit: Option<u64>,
    ) -> ServiceResult<Vec<SearchHit>> {
        let text = SearchText::parse(q)?;
        let kinds = parse_kinds(kinds)?;
        let limit = match limit {
            None => DEFAULT_LIMIT,
            Some(limit @ 1..=MAX_LIMIT) => limit,
            Some(_) => {
                return Err(ServiceError::validation(
                    "limit",
                    "validation",
                    "must be 1 to 50",
                ));
            }
        };
        if text.words().is_empty() {
            return Ok(Vec::new());
        }
        let typo_words: Vec<String> = text
            .words()
            .iter()
            .filter(|word| {
                word.chars().count() >= TYPO_MIN_CHARS && !word.chars().any(|c| c.is_ascii_digit())
            })
            .cloned()
            .collect();
        let candidates = self.index.neighbours(&typo_words).await?;
        let last = text.words().len() - 1;
        let terms = text
            .words()
            .iter()
            .enumerate()
            .map(|(i, word)| {
                let mut words = vec![word.clone()];
                if typo_words.contains(word) {
                    words.extend(
                        candidates
                            .iter()
                            .filter(|near| *near != word && within_one_edit(word, near))
                            .take(MAX_NEIGHBOURS)
                            .cloned(),
                    );
                }
                SearchTerm {
                    words,
                    prefix: i == last && word.chars().count() >= PREFIX_MIN_CHARS,
                }
            })
            .collect();
        let plan = SearchPlan {
            terms,
            kinds,
            limit,
        };
        Ok(self.index.search(&plan).await?)
    }
}

fn parse_kinds(raw: Option<&str>) -> ServiceResult<Vec<SearchKind>> {
    let Some(raw) = raw.filter(|raw| !raw.trim().is_empty()) else {
        return Ok(SearchKind::ALL.to_vec());
    };
    let mut kinds = Vec::new();
    for part in raw.split(',') {
        let kind = SearchKind::parse(part.trim()).ok_or_else(|| {
            ServiceError::validation(
                "kind",
                "validation",
                "must be course, lesson and/or olympiad",
            )
        })?;
        if !kinds.contains(&kind) {
            kinds.push(kind);
        }
    }
    Ok(kinds)
}

#[cfg(test)]
mod tests {
    use super::*;
    use async_trait::async_trait;
    use bilim_domain::DomainResult;
    use std::sync::Mutex;

    /// An index that records the plan it is asked and knows a few words.
    #[derive(Default)]
    struct Recorder {
        plans: Mutex<Vec<SearchPlan>>,
    }

    #[async_trait]
    impl SearchIndex for Recorder {
        async fn neighbours(&self, _words: &[String]) -> DomainResult<Vec<String>> {
            Ok([
                "matematika",
                "matematik",
                "fizika",
                "informatika",
                "kurs1235",
            ]
            .map(str::to_owned)
            .to_vec())
        }

        async fn search(&self, plan: &SearchPlan) -> DomainResult<Vec<SearchHit>> {
            self.plans.lock().unwrap().push(plan.clone());
            Ok(Vec::new())
        }
    }

    #[tokio::test]
    async fn a_cyrillic_word_with_a_typo_searches_its_latin_neighbours() {
        let index = Arc::new(Recorder::default());
        let search = Search::new(index.clone());
        search.search("Матемтика 7", None, None).await.unwrap();
        search.search("kurs1234", None, None).await.unwrap();
        let plans = index.plans.lock().unwrap().clone();
        assert_eq!(plans.len(), 2);
        let terms = &plans[0].terms;
        assert_eq!(terms[0].words, ["matemtika", "matematika"]);
        assert!(!terms[0].prefix);
        assert_eq!(terms[1].words, ["7"]);
        assert!(!terms[1].prefix, "one character is too short a prefix");
        assert_eq!(plans[0].kinds, SearchKind::ALL);
        assert_eq!(plans[0].limit, DEFAULT_LIMIT);
        assert_eq!(plans[1].terms[0].words, ["kurs1234"], "no typos in numbers");
    }

    #[tokio::test]
    async fn bad_kinds_and_limits_are_refused_and_punctuation_finds_nothing() {
        let index = Arc::new(Recorder::default());
        let search = Search::new(index.clone());
        assert!(
            search
                .search("fizika", Some("course,video"), None)
                .await
                .is_err()
        );
        assert!(search.search("fizika", None, Some(0)).await.is_err());
        assert!(search.search("fizika", None, Some(51)).await.is_err());
        assert!(search.search("", None, None).await.is_err());
        assert!(search.search("?!…", None, None).await.unwrap().is_empty());
        assert!(index.plans.lock().unwrap().is_empty());
        search
            .search("fizika", Some("lesson"), Some(5))
            .await
            .unwrap();
        let plans = index.plans.lock().unwrap();
        assert_eq!(plans[0].kinds, [SearchKind::Lesson]);
        assert_eq!(plans[0].terms[0].words, ["fizika"]);
        assert!(plans[0].terms[0].prefix);
    }
}
