//! Storage of the catalogue. Reads never touch videos; `VideoRepository` is the
//! one way to a video.

use crate::DomainResult;
use crate::catalogue::{
    Certificate, Course, CoursePatch, CourseStatus, CourseTree, Direction, DirectionPatch,
    LessonView, Level, Module, NewCourse, NewDirection, NewOutlineItem, OutlineItem, OutlineLevel,
    OutlinePatch, Video, VideoSource, Workbook,
};
use crate::ports::AuditEntry;
use crate::values::Title;
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

/// Every catalogue change. Each method is one transaction that also writes
/// `audit`, the entry recording the change: both are committed or neither.
/// An unknown item or parent is `NotFound`; a missing `direction_id` of a
/// course is `Invalid`. Removals return the storage keys of the files that
/// belonged to what they removed, for the caller to delete after commit.
#[async_trait]
pub trait CatalogueWriter: Send + Sync {
    /// `Conflict { what: "direction.name" }` when the name is taken.
    async fn create_direction(
        &self,
        id: Uuid,
        new: NewDirection,
        now: DateTime<Utc>,
        audit: &AuditEntry,
    ) -> DomainResult<Direction>;
    async fn update_direction(
        &self,
        id: Uuid,
        patch: DirectionPatch,
        now: DateTime<Utc>,
        audit: &AuditEntry,
    ) -> DomainResult<Direction>;
    /// `Conflict { what: "direction.has_courses" }` while courses use it.
    async fn delete_direction(&self, id: Uuid, audit: &AuditEntry) -> DomainResult<()>;

    async fn create_course(
        &self,
        id: Uuid,
        new: NewCourse,
        now: DateTime<Utc>,
        audit: &AuditEntry,
    ) -> DomainResult<Course>;
    async fn update_course(
        &self,
        id: Uuid,
        patch: CoursePatch,
        now: DateTime<Utc>,
        audit: &AuditEntry,
    ) -> DomainResult<Course>;
    /// Removes the course and its outline, videos, workbooks and certificate.
    /// `Conflict { what: "course.has_students" }` while students hold access.
    async fn delete_course(&self, id: Uuid, audit: &AuditEntry) -> DomainResult<Vec<String>>;

    /// A module of course `parent_id`, or a lesson of module `parent_id`.
    async fn create_outline(
        &self,
        level: OutlineLevel,
        id: Uuid,
        parent_id: Uuid,
        new: NewOutlineItem,
        audit: &AuditEntry,
    ) -> DomainResult<OutlineItem>;
    async fn update_outline(
        &self,
        level: OutlineLevel,
        id: Uuid,
        patch: OutlinePatch,
        audit: &AuditEntry,
    ) -> DomainResult<OutlineItem>;
    /// Removes the item with what it holds (a module's lessons, their videos
    /// and workbooks).
    async fn delete_outline(
        &self,
        level: OutlineLevel,
        id: Uuid,
        audit: &AuditEntry,
    ) -> DomainResult<Vec<String>>;

    /// Sets or replaces the lesson's video; returns the storage key it replaced.
    async fn set_video(
        &self,
        lesson_id: Uuid,
        source: VideoSource,
        duration_seconds: i32,
        audit: &AuditEntry,
    ) -> DomainResult<Option<String>>;

    async fn create_workbook(&self, workbook: &Workbook, audit: &AuditEntry) -> DomainResult<()>;
    /// Returns the removed workbook's storage key.
    async fn delete_workbook(&self, id: Uuid, audit: &AuditEntry) -> DomainResult<String>;

    /// Creates or renames the course's one certificate.
    async fn put_certificate(
        &self,
        course_id: Uuid,
        title: &Title,
        audit: &AuditEntry,
    ) -> DomainResult<Certificate>;
}

/// The only way to read a video.
#[async_trait]
pub trait VideoRepository: Send + Sync {
    async fn video_of(&self, lesson_id: Uuid) -> DomainResult<Option<Video>>;

    /// The lessons of `course_id` that have a video: what "every video of the
    /// course is watched" counts. Reads ids only, never a source.
    async fn lessons_with_video(&self, course_id: Uuid) -> DomainResult<Vec<Uuid>>;
}
