//! Storage of the catalogue. Reads never touch videos; `VideoRepository` is the
//! one way to a video.

use crate::DomainResult;
use crate::catalogue::{
    Certificate, Course, CourseStatus, CourseTree, Direction, Lesson, LessonView, Level, Module,
    Video, VideoSource, Workbook,
};
use async_trait::async_trait;
use chrono::{DateTime, Utc};
use uuid::Uuid;

#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct CourseQuery {
    pub direction_id: Option<Uuid>,
    pub level: Option<Level>,
    /// Only courses of this status; `None` for any (admins).
    pub status: Option<CourseStatus>,
    /// Lower-cased text found in the title (Latin or Cyrillic).
    pub search: Option<String>,
    /// Keyset: courses after this id, newest first.
    pub after: Option<Uuid>,
    pub limit: u64,
}

/// Fields of a direction; on update `None` leaves a field as it is.
#[derive(Debug, Clone, Default)]
pub struct DirectionFields {
    pub name: Option<String>,
    pub description: Option<Option<String>>,
    pub position: Option<i32>,
}

#[derive(Debug, Clone, Default)]
pub struct CourseFields {
    pub direction_id: Option<Uuid>,
    pub title: Option<String>,
    pub description: Option<String>,
    pub level: Option<Level>,
    pub status: Option<CourseStatus>,
    pub teacher_id: Option<Option<Uuid>>,
    pub access_months: Option<i32>,
}

/// Title, description and position of a module or lesson.
#[derive(Debug, Clone, Default)]
pub struct OutlineFields {
    pub title: Option<String>,
    pub description: Option<String>,
    /// Moving an item renumbers its siblings so positions stay 1..=n.
    pub position: Option<i32>,
}

#[async_trait]
pub trait CatalogueReader: Send + Sync {
    async fn directions(&self) -> DomainResult<Vec<Direction>>;
    async fn direction(&self, id: Uuid) -> DomainResult<Option<Direction>>;
    async fn courses(&self, query: &CourseQuery) -> DomainResult<Vec<Course>>;
    async fn course(&self, id: Uuid) -> DomainResult<Option<Course>>;
    /// The course with everything related, in a fixed number of queries.
    async fn course_tree(&self, id: Uuid) -> DomainResult<Option<CourseTree>>;
    async fn module(&self, id: Uuid) -> DomainResult<Option<Module>>;
    async fn lesson(&self, id: Uuid) -> DomainResult<Option<LessonView>>;
    async fn workbook(&self, id: Uuid) -> DomainResult<Option<Workbook>>;
}

#[async_trait]
pub trait CatalogueWriter: Send + Sync {
    async fn create_direction(
        &self,
        id: Uuid,
        fields: DirectionFields,
        now: DateTime<Utc>,
    ) -> DomainResult<Direction>;
    async fn update_direction(
        &self,
        id: Uuid,
        fields: DirectionFields,
        now: DateTime<Utc>,
    ) -> DomainResult<Direction>;
    /// `Conflict { what: "direction.has_courses" }` while courses use it.
    async fn delete_direction(&self, id: Uuid) -> DomainResult<()>;

    async fn create_course(
        &self,
        id: Uuid,
        fields: CourseFields,
        now: DateTime<Utc>,
    ) -> DomainResult<Course>;
    async fn update_course(
        &self,
        id: Uuid,
        fields: CourseFields,
        now: DateTime<Utc>,
    ) -> DomainResult<Course>;
    /// Removes the course and its outline, videos, workbooks and certificate.
    /// `Conflict { what: "course.has_students" }` while students hold access.
    /// Returns the storage keys of the files that belonged to it.
    async fn delete_course(&self, id: Uuid) -> DomainResult<Vec<String>>;

    async fn create_module(
        &self,
        id: Uuid,
        course_id: Uuid,
        fields: OutlineFields,
    ) -> DomainResult<Module>;
    async fn update_module(&self, id: Uuid, fields: OutlineFields) -> DomainResult<Module>;
    async fn delete_module(&self, id: Uuid) -> DomainResult<Vec<String>>;

    async fn create_lesson(
        &self,
        id: Uuid,
        module_id: Uuid,
        fields: OutlineFields,
    ) -> DomainResult<Lesson>;
    async fn update_lesson(&self, id: Uuid, fields: OutlineFields) -> DomainResult<Lesson>;
    async fn delete_lesson(&self, id: Uuid) -> DomainResult<Vec<String>>;

    /// Sets or replaces the lesson's video; returns the storage key it replaced.
    async fn set_video(
        &self,
        lesson_id: Uuid,
        source: VideoSource,
        duration_seconds: i32,
    ) -> DomainResult<Option<String>>;

    async fn create_workbook(&self, workbook: &Workbook) -> DomainResult<()>;
    /// Returns the removed workbook's storage key.
    async fn delete_workbook(&self, id: Uuid) -> DomainResult<String>;

    /// Creates or renames the course's one certificate.
    async fn put_certificate(&self, course_id: Uuid, title: &str) -> DomainResult<Certificate>;
}

/// The only way to read a video.
#[async_trait]
pub trait VideoRepository: Send + Sync {
    async fn video_of(&self, lesson_id: Uuid) -> DomainResult<Option<Video>>;

    /// The lessons of `course_id` that have a video: what "every video of the
    /// course is watched" counts. Reads ids only, never a source.
    async fn lessons_with_video(&self, course_id: Uuid) -> DomainResult<Vec<Uuid>>;
}
