//! Search over the published catalogue and the olympiads: the one folding of Uzbek (Latin and
//! Cyrillic) and Russian text into the words the index holds, the query those
//! words make, and what a hit is.
//!
//! Folding writes everything in one script: lower case, Cyrillic letters as
//! Uzbek Latin spells them (`ш` → `sh`, `ч` → `ch`, `ў` → `o'`, `ғ` → `g'`,
//! `ё` → `yo`, …), apostrophes of every kind dropped (`oʻzbek`, `o'zbek`,
//! `ўзбек` all become `ozbek`), and `ye` as `e` (Cyrillic `е` is `ye` at the
//! start of a word in Latin). What is left is `[a-z0-9]` words separated by
//! one space, so no word can carry a query operator of either backend.

use crate::{DomainError, DomainResult};
use uuid::Uuid;

/// The longest query text accepted, in characters.
pub const MAX_QUERY_CHARS: usize = 200;
/// At most this many words of a query are searched.
pub const MAX_QUERY_WORDS: usize = 8;
/// A word at least this long, without digits, may match a word one typo away.
pub const TYPO_MIN_CHARS: usize = 4;
/// The last word is also a prefix (search as you type) when at least this long.
pub const PREFIX_MIN_CHARS: usize = 3;

/// `text` folded to the index's words (see the module's documentation).
pub fn fold(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut gap = false;
    for ch in text.chars().flat_map(char::to_lowercase) {
        let latin: Option<&str> = match ch {
            'a'..='z' | '0'..='9' => {
                if gap && !out.is_empty() {
                    out.push(' ');
                }
                gap = false;
                out.push(ch);
                continue;
            }
            // Apostrophes belong to the word (oʻ, gʻ, the tutuq belgisi ʼ).
            '\'' | 'ʻ' | 'ʼ' | '‘' | '’' | '`' | 'ъ' | 'ь' => None,
            c => cyrillic(c).map(Some).unwrap_or_else(|| {
                if !c.is_alphanumeric() {
                    gap = true;
                }
                None
            }),
        };
        if let Some(latin) = latin {
            if gap && !out.is_empty() {
                out.push(' ');
            }
            gap = false;
            out.push_str(latin);
        }
    }
    out.replace("ye", "e")
}

/// What the index holds for an item with `title` and `description`.
pub fn document_text(title: &str, description: &str) -> String {
    fold(&format!("{title} {description}"))
}

/// A Cyrillic letter (lower case) as Uzbek Latin writes it, apostrophes left
/// out as [`fold`] leaves them out.
fn cyrillic(c: char) -> Option<&'static str> {
    Some(match c {
        'а' => "a",
        'б' => "b",
        'в' => "v",
        'г' => "g",
        'ғ' => "g",
        'д' => "d",
        'е' | 'э' => "e",
        'ё' => "yo",
        'ж' => "j",
        'з' => "z",
        'и' | 'ы' => "i",
        'й' => "y",
        'к' => "k",
        'қ' => "q",
        'л' => "l",
        'м' => "m",
        'н' => "n",
        'о' | 'ў' => "o",
        'п' => "p",
        'р' => "r",
        'с' | 'ц' => "s",
        'т' => "t",
        'у' => "u",
        'ф' => "f",
        'х' => "x",
        'ҳ' => "h",
        'ч' => "ch",
        'ш' | 'щ' => "sh",
        'ю' => "yu",
        'я' => "ya",
        _ => return None,
    })
}

/// Whether `a` and `b` are at most one edit apart: one letter added, removed,
/// changed, or two neighbours swapped.
pub fn within_one_edit(a: &str, b: &str) -> bool {
    let (a, b): (Vec<char>, Vec<char>) = (a.chars().collect(), b.chars().collect());
    let (short, long) = if a.len() <= b.len() {
        (&a, &b)
    } else {
        (&b, &a)
    };
    if long.len() - short.len() > 1 {
        return false;
    }
    let start = short
        .iter()
        .zip(long.iter())
        .take_while(|(x, y)| x == y)
        .count();
    if start == short.len() {
        return true;
    }
    if short.len() == long.len() {
        let same_tail = short[start + 1..] == long[start + 1..];
        let swapped = start + 1 < short.len()
            && short[start] == long[start + 1]
            && short[start + 1] == long[start]
            && short[start + 2..] == long[start + 2..];
        same_tail || swapped
    } else {
        short[start..] == long[start + 1..]
    }
}

/// What a hit is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum SearchKind {
    Course,
    Lesson,
    Olympiad,
}

impl SearchKind {
    pub const ALL: [SearchKind; 3] = [SearchKind::Course, SearchKind::Lesson, SearchKind::Olympiad];

    pub fn as_str(self) -> &'static str {
        match self {
            SearchKind::Course => "course",
            SearchKind::Lesson => "lesson",
            SearchKind::Olympiad => "olympiad",
        }
    }

    pub fn parse(value: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|kind| kind.as_str() == value)
    }
}

/// One word of a query: the word and the indexed words one typo away.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SearchTerm {
    /// The word first, then its neighbours.
    pub words: Vec<String>,
    /// The word also matches indexed words that start with it.
    pub prefix: bool,
}

/// A query the index answers: every term matches (any of its words).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SearchPlan {
    pub terms: Vec<SearchTerm>,
    pub kinds: Vec<SearchKind>,
    pub limit: u64,
}

/// A query as asked: its folded words (at most [`MAX_QUERY_WORDS`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SearchText {
    words: Vec<String>,
}

impl SearchText {
    /// `Invalid` when `text` is longer than [`MAX_QUERY_CHARS`] or has no
    /// letter; a query of only punctuation is a query with no words.
    pub fn parse(text: &str) -> DomainResult<Self> {
        if text.trim().is_empty() || text.chars().count() > MAX_QUERY_CHARS {
            return Err(DomainError::invalid(
                "q",
                "text.length",
                format!("must be 1 to {MAX_QUERY_CHARS} characters"),
            ));
        }
        let mut words: Vec<String> = Vec::new();
        for word in fold(text).split(' ').filter(|word| !word.is_empty()) {
            if !words.iter().any(|seen| seen == word) {
                words.push(word.to_owned());
            }
        }
        words.truncate(MAX_QUERY_WORDS);
        Ok(Self { words })
    }

    pub fn words(&self) -> &[String] {
        &self.words
    }
}

/// One hit, best first.
#[derive(Debug, Clone, PartialEq)]
pub struct SearchHit {
    pub kind: SearchKind,
    pub id: Uuid,
    pub title: String,
    /// The course the hit is (or is in); `None` for an olympiad.
    pub course_id: Option<Uuid>,
    pub course_title: Option<String>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn latin_and_cyrillic_fold_to_the_same_words() {
        assert_eq!(fold("Matematika"), fold("Математика"));
        assert_eq!(fold("Oʻzbek tili"), fold("Ўзбек тили"));
        assert_eq!(fold("o'zbek"), fold("O‘ZBEK"));
        assert_eq!(fold("Gʻalaba"), fold("Ғалаба"));
        assert_eq!(fold("Shahar"), fold("Шаҳар"));
        assert_eq!(fold("choy"), fold("чой"));
        assert_eq!(fold("Yer"), fold("Ер"));
        assert_eq!(fold("yoshlar"), fold("ёшлар"));
        assert_eq!(fold("Ma'naviyat"), fold("Маънавият"));
        assert_eq!(fold("Qishloq xo'jaligi"), fold("Қишлоқ хўжалиги"));
    }

    #[test]
    fn folding_leaves_words_of_letters_and_digits_only() {
        assert_eq!(fold("  Algebra: 7-SINF!  "), "algebra 7 sinf");
        assert_eq!(fold("a\"b OR c*) NEAR(d"), "a b or c near d");
        assert_eq!(fold("%_\\'--;"), "");
        assert_eq!(fold("日本 kurs"), "kurs");
    }

    #[test]
    fn one_edit_is_one_letter_added_removed_changed_or_swapped() {
        assert!(within_one_edit("matematika", "matematika"));
        assert!(within_one_edit("matematika", "matematka"));
        assert!(within_one_edit("matematika", "matemmatika"));
        assert!(within_one_edit("matematika", "matemat1ka"));
        assert!(within_one_edit("matematika", "mateamtika"));
        assert!(!within_one_edit("matematika", "mtaemaitka"));
        assert!(!within_one_edit("fizika", "kimyo"));
        assert!(!within_one_edit("abc", "abcde"));
    }

    #[test]
    fn a_query_is_bounded_and_may_have_no_words() {
        assert!(SearchText::parse("").is_err());
        assert!(SearchText::parse("   ").is_err());
        assert!(SearchText::parse(&"a".repeat(201)).is_err());
        assert!(SearchText::parse(&"a".repeat(200)).is_ok());
        assert!(SearchText::parse("?!...").unwrap().words().is_empty());
        let text = SearchText::parse("a b c d e f g h i j a").unwrap();
        assert_eq!(text.words().len(), MAX_QUERY_WORDS);
    }
}
