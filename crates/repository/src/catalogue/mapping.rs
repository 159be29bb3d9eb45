//! Catalogue rows ⇄ domain types.

use crate::entities::{certificates, courses, directions, lessons, modules, videos, workbooks};
use bilim_domain::catalogue::{
    Certificate, Course, CoursePatch, CourseStatus, Direction, Lesson, Level, Module, NewCourse,
    OutlineItem, OutlineLevel, Video, VideoSource, Workbook,
};
use bilim_domain::search::document_text;
use bilim_domain::{DomainError, DomainResult};
use chrono::{DateTime, Utc};
use sea_orm::ActiveValue::Set;
use uuid::Uuid;

/// The length of `courses.title_search` (and of `courses.title`).
const TITLE_SEARCH_MAX_CHARS: usize = 200;

/// What `courses.title_search` holds: the title lower-cased in Rust, so the
/// search is case-insensitive in Latin and Cyrillic on both backends (SQLite's
/// `lower()` and `LIKE` fold ASCII only). A few characters grow when
/// lower-cased (`İ` becomes two); the column keeps the first 200.
pub(crate) fn title_search(title: &str) -> String {
    title
        .to_lowercase()
        .chars()
        .take(TITLE_SEARCH_MAX_CHARS)
        .collect()
}

impl From<directions::Model> for Direction {
    fn from(row: directions::Model) -> Self {
        Self {
            id: row.id,
            name: row.name,
            description: row.description,
            position: row.position,
            created_at: row.created_at.to_utc(),
            updated_at: row.updated_at.to_utc(),
        }
    }
}

impl TryFrom<courses::Model> for Course {
    type Error = DomainError;

    fn try_from(row: courses::Model) -> DomainResult<Self> {
        let level = Level::parse(&row.level).ok_or_else(|| {
            DomainError::internal(format!("courses.level of {} is {:?}", row.id, row.level))
        })?;
        let status = CourseStatus::parse(&row.status).ok_or_else(|| {
            DomainError::internal(format!("courses.status of {} is {:?}", row.id, row.status))
        })?;
        Ok(Self {
            id: row.id,
            direction_id: row.direction_id,
            title: row.title,
            description: row.description,
            level,
            status,
            teacher_id: row.teacher_id,
            access_months: row.access_months,
            created_at: row.created_at.to_utc(),
            updated_at: row.updated_at.to_utc(),
        })
    }
}

impl From<modules::Model> for Module {
    fn from(row: modules::Model) -> Self {
        Self {
            id: row.id,
            course_id: row.course_id,
            title: row.title,
            position: row.position,
        }
    }
}

impl From<lessons::Model> for Lesson {
    fn from(row: lessons::Model) -> Self {
        Self {
            id: row.id,
            module_id: row.module_id,
            title: row.title,
            description: row.description,
            position: row.position,
        }
    }
}

/// A module as the writer returns it: no description.
impl From<modules::Model> for OutlineItem {
    fn from(row: modules::Model) -> Self {
        Self {
            level: OutlineLevel::Module,
            id: row.id,
            parent_id: row.course_id,
            title: row.title,
            description: String::new(),
            position: row.position,
        }
    }
}

impl From<lessons::Model> for OutlineItem {
    fn from(row: lessons::Model) -> Self {
        Self {
            level: OutlineLevel::Lesson,
            id: row.id,
            parent_id: row.module_id,
            title: row.title,
            description: row.description,
            position: row.position,
        }
    }
}

impl From<workbooks::Model> for Workbook {
    fn from(row: workbooks::Model) -> Self {
        Self {
            id: row.id,
            course_id: row.course_id,
            lesson_id: row.lesson_id,
            title: row.title,
            storage_key: row.storage_key,
            size_bytes: row.size_bytes,
            sha256: row.sha256,
        }
    }
}

impl From<certificates::Model> for Certificate {
    fn from(row: certificates::Model) -> Self {
        Self {
            id: row.id,
            course_id: row.course_id,
            title: row.title,
        }
    }
}

impl TryFrom<videos::Model> for Video {
    type Error = DomainError;

    /// The table's check guarantees exactly one source.
    fn try_from(row: videos::Model) -> DomainResult<Self> {
        let source = match (row.url, row.storage_key) {
            (Some(url), None) => VideoSource::Url(url),
            (None, Some(key)) => VideoSource::Stored(key),
            _ => {
                return Err(DomainError::internal(format!(
                    "videos row of lesson {} has no single source",
                    row.lesson_id
                )));
            }
        };
        Ok(Self {
            lesson_id: row.lesson_id,
            source,
            duration_seconds: row.duration_seconds,
        })
    }
}

/// The `(url, storage_key)` columns of a source.
pub(super) fn video_columns(source: VideoSource) -> (Option<String>, Option<String>) {
    match source {
        VideoSource::Url(url) => (Some(url), None),
        VideoSource::Stored(key) => (None, Some(key)),
    }
}

/// The row of a new course. With [`apply_course_patch`] and the
/// `TryFrom<courses::Model>` above, the one place where course fields meet
/// columns: a new course field touches this file, not the writer.
pub(super) fn course_row(id: Uuid, new: NewCourse, now: DateTime<Utc>) -> courses::ActiveModel {
    let title = new.title.into_string();
    let description = new.description.into_string();
    courses::ActiveModel {
        id: Set(id),
        direction_id: Set(new.direction_id),
        title_search: Set(title_search(&title)),
        search_text: Set(document_text(&title, &description)),
        title: Set(title),
        description: Set(description),
        level: Set(new.level.as_str().to_owned()),
        status: Set(new.status.as_str().to_owned()),
        teacher_id: Set(new.teacher_id),
        access_months: Set(new.access_months.as_i32()),
        created_at: Set(now.fixed_offset()),
        updated_at: Set(now.fixed_offset()),
    }
}

/// Sets the columns of the fields `patch` changes.
pub(super) fn apply_course_patch(row: &mut courses::ActiveModel, patch: CoursePatch) {
    if let Some(direction_id) = patch.direction_id {
        row.direction_id = Set(direction_id);
    }
    if let Some(title) = patch.title {
        let title = title.into_string();
        row.title_search = Set(title_search(&title));
        row.title = Set(title);
    }
    if let Some(description) = patch.description {
        row.description = Set(description.into_string());
    }
    if let Some(level) = patch.level {
        row.level = Set(level.as_str().to_owned());
    }
    if let Some(status) = patch.status {
        row.status = Set(status.as_str().to_owned());
    }
    if let Some(teacher_id) = patch.teacher_id {
        row.teacher_id = Set(teacher_id);
    }
    if let Some(access_months) = patch.access_months {
        row.access_months = Set(access_months.as_i32());
    }
    if row.title.is_set() || row.description.is_set() {
        row.search_text = Set(document_text(row.title.as_ref(), row.description.as_ref()));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn title_search_folds_latin_and_cyrillic() {
        assert_eq!(title_search("Algebra ASOSLARI"), "algebra asoslari");
        assert_eq!(title_search("АЛГЕБРА Ўзбек"), "алгебра ўзбек");
        assert_eq!(title_search("Oʻzbek TILI"), "oʻzbek tili");
    }

    #[test]
    fn title_search_fits_its_column() {
        let title = "İ".repeat(200);
        assert_eq!(title_search(&title).chars().count(), 200);
    }

    #[test]
    fn a_video_has_exactly_one_source() {
        let row = |url: Option<&str>, key: Option<&str>| videos::Model {
            lesson_id: uuid::Uuid::nil(),
            url: url.map(str::to_owned),
            storage_key: key.map(str::to_owned),
            duration_seconds: 60,
        };
        assert_eq!(
            Video::try_from(row(Some("https://v.test/a.mp4"), None))
                .unwrap()
                .source,
            VideoSource::Url("https://v.test/a.mp4".to_owned())
        );
        assert_eq!(
            Video::try_from(row(None, Some("videos/a.mp4")))
                .unwrap()
                .source,
            VideoSource::Stored("videos/a.mp4".to_owned())
        );
        assert!(Video::try_from(row(None, None)).is_err());
        assert!(Video::try_from(row(Some("https://v.test/a.mp4"), Some("k"))).is_err());
    }
}
