//! `GET /search`.

use bilim_domain::search::{SearchHit, SearchKind};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct SearchQuery {
    /// Words to find, in Uzbek Latin or Cyrillic (or Russian): each word must
    /// match, one typo per word of four letters or more is forgiven, and the
    /// last word also matches as the start of a word. 1 to 200 characters.
    #[param(min_length = 1, max_length = 200, example = "matematika")]
    pub q: String,
    /// What to search: `course`, `lesson`, `olympiad`, comma-separated;
    /// all three when absent or empty.
    #[param(
        pattern = r"^$|^(course|lesson|olympiad)(,(course|lesson|olympiad))*$",
        example = "course,lesson"
    )]
    pub kind: Option<String>,
    /// Hits to answer, 1 to 50; 20 when absent.
    #[param(minimum = 1, maximum = 50, example = 20)]
    pub limit: Option<u64>,
}

#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum SearchHitKind {
    Course,
    Lesson,
    Olympiad,
}

/// One published course or lesson, or an olympiad.
#[derive(Debug, Serialize, ToSchema)]
pub struct SearchHitResponse {
    pub kind: SearchHitKind,
    pub id: Uuid,
    #[schema(example = "Algebra asoslari")]
    pub title: String,
    /// The course the hit is, or is in; `null` for an olympiad.
    #[schema(required = true)]
    pub course_id: Option<Uuid>,
    #[schema(required = true, example = "Algebra asoslari")]
    pub course_title: Option<String>,
}

/// Hits, best first (not paged: ask a longer query).
#[derive(Debug, Serialize, ToSchema)]
pub struct SearchResults {
    pub items: Vec<SearchHitResponse>,
}

impl From<&SearchHit> for SearchHitResponse {
    fn from(hit: &SearchHit) -> Self {
        Self {
            kind: match hit.kind {
                SearchKind::Course => SearchHitKind::Course,
                SearchKind::Lesson => SearchHitKind::Lesson,
                SearchKind::Olympiad => SearchHitKind::Olympiad,
            },
            id: hit.id,
            title: hit.title.clone(),
            course_id: hit.course_id,
            course_title: hit.course_title.clone(),
        }
    }
}
