//! Browsing: published courses only; drafts and archives answer 404 here.

use crate::paging::{Page, PageRequest, page};
use crate::{ServiceError, ServiceResult};
use bilim_domain::catalogue::{Course, CourseStatus, CourseTree, Direction, LessonView, Level};
use bilim_domain::ports::{CatalogueReader, CourseQuery};
use std::sync::Arc;
use uuid::Uuid;

#[derive(Debug, Clone)]
pub struct DirectionWithCourses {
    pub direction: Direction,
    pub courses: Vec<Course>,
}

#[derive(Clone)]
pub struct Catalogue {
    pub(crate) reader: Arc<dyn CatalogueReader>,
}

/// Courses a direction page lists at most.
const DIRECTION_PAGE: u64 = 100;

pub(crate) fn parse_level(raw: Option<&str>) -> ServiceResult<Option<Level>> {
    raw.map(|raw| {
        Level::parse(raw).ok_or_else(|| {
            ServiceError::validation(
                "level",
                "validation",
                "must be beginner, intermediate or advanced",
            )
        })
    })
    .transpose()
}

pub(crate) fn search_text(raw: Option<&str>) -> ServiceResult<Option<String>> {
    let search = raw
        .map(|q| q.trim().to_lowercase())
        .filter(|q| !q.is_empty());
    if search.as_ref().is_some_and(|q| q.chars().count() > 100) {
        return Err(ServiceError::validation(
            "q",
            "validation",
            "must be at most 100 characters",
        ));
    }
    Ok(search)
}

impl Catalogue {
    pub fn new(reader: Arc<dyn CatalogueReader>) -> Catalogue {
        Catalogue { reader }
    }

    pub async fn directions(&self) -> ServiceResult<Vec<Direction>> {
        Ok(self.reader.directions().await?)
    }

    pub async fn direction(&self, id: Uuid) -> ServiceResult<DirectionWithCourses> {
        let direction = self
            .reader
            .direction(id)
            .await?
            .ok_or(ServiceError::NotFound {
                code: "direction.not_found",
            })?;
        let query = CourseQuery {
            direction_id: Some(id),
            status: Some(CourseStatus::Published),
            limit: DIRECTION_PAGE,
            ..CourseQuery::default()
        };
        let courses = self.reader.courses(&query).await?;
        Ok(DirectionWithCourses { direction, courses })
    }

    pub async fn courses(
        &self,
        direction_id: Option<Uuid>,
        level: Option<&str>,
        q: Option<&str>,
        request: &PageRequest,
    ) -> ServiceResult<Page<Course>> {
        let limit = request.limit()?;
        let query = CourseQuery {
            direction_id,
            level: parse_level(level)?,
            status: Some(CourseStatus::Published),
            search: search_text(q)?,
            after: request.after()?,
            limit: limit + 1,
        };
        Ok(page(self.reader.courses(&query).await?, limit, |c| c.id))
    }

    pub async fn course(&self, id: Uuid) -> ServiceResult<CourseTree> {
        self.reader
            .course_tree(id)
            .await?
            .filter(|tree| tree.course.status == CourseStatus::Published)
            .ok_or(ServiceError::NotFound {
                code: "course.not_found",
            })
    }

    pub async fn lesson(&self, id: Uuid) -> ServiceResult<LessonView> {
        self.reader
            .lesson(id)
            .await?
            .filter(|view| view.course.status == CourseStatus::Published)
            .ok_or(ServiceError::NotFound {
                code: "lesson.not_found",
            })
    }
}
