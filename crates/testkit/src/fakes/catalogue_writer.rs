//! A `CatalogueWriter` that records every command it commits together with
//! the `AuditEntry` it was handed, over a small model of the catalogue
//! (`catalogue_model.rs`) so it answers like the real writer. `fail_next`
//! makes the next call fail as the test says (`course.has_students`, an
//! outage, …). A failed call, like a rolled-back transaction, records nothing
//! and changes nothing.

use super::catalogue_model::{CatalogueCommand, CatalogueModel, Recorded};
use async_trait::async_trait;
use bilim_domain::catalogue::{
    Certificate, Course, CoursePatch, Direction, DirectionPatch, NewCourse, NewDirection,
    NewOutlineItem, OutlineItem, OutlineLevel, OutlinePatch, VideoSource, Workbook,
};
use bilim_domain::ports::{AuditEntry, CatalogueWriter};
use bilim_domain::values::Title;
use bilim_domain::{DomainError, DomainResult};
use chrono::{DateTime, Utc};
use std::sync::{Mutex, MutexGuard, PoisonError};
use uuid::Uuid;

#[derive(Default)]
struct State {
    recorded: Vec<Recorded>,
    next_failure: Option<DomainError>,
    model: CatalogueModel,
}

#[derive(Default)]
pub struct FakeCatalogueWriter {
    state: Mutex<State>,
}

impl FakeCatalogueWriter {
    pub fn new() -> Self {
        Self::default()
    }

    /// Every committed command with its audit entry, in order.
    pub fn recorded(&self) -> Vec<Recorded> {
        self.lock().recorded.clone()
    }

    /// The next call fails with `error`, committing nothing.
    pub fn fail_next(&self, error: DomainError) {
        self.lock().next_failure = Some(error);
    }

    /// Says that the item `id` (a course, module or lesson) holds these
    /// stored files: removing it, or what holds it, returns them.
    pub fn holds_files(&self, id: Uuid, keys: &[&str]) {
        let keys = keys.iter().map(|key| (*key).to_owned());
        self.lock().model.held.entry(id).or_default().extend(keys);
    }

    /// Puts a direction in place for a test, as if created earlier.
    pub fn add_direction(&self, direction: Direction) {
        self.lock().model.directions.insert(direction.id, direction);
    }

    /// Puts a course in place for a test, as if created earlier.
    pub fn add_course(&self, course: Course) {
        self.lock().model.courses.insert(course.id, course);
    }

    /// Puts a module or lesson in place for a test, as if created earlier.
    pub fn add_outline(&self, item: OutlineItem) {
        self.lock().model.outline.insert(item.id, item);
    }

    fn lock(&self) -> MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// One transaction: the planned failure, or `change` on the model; the
    /// command is recorded with its entry only when it succeeds.
    fn commit<T>(
        &self,
        command: CatalogueCommand,
        audit: &AuditEntry,
        change: impl FnOnce(&mut CatalogueModel) -> DomainResult<T>,
    ) -> DomainResult<T> {
        let mut state = self.lock();
        if let Some(error) = state.next_failure.take() {
            return Err(error);
        }
        let out = change(&mut state.model)?;
        let audit = audit.clone();
        state.recorded.push(Recorded { command, audit });
        Ok(out)
    }
}

#[async_trait]
impl CatalogueWriter for FakeCatalogueWriter {
    async fn create_direction(
        &self,
        id: Uuid,
        new: NewDirection,
        now: DateTime<Utc>,
        audit: &AuditEntry,
    ) -> DomainResult<Direction> {
        let command = CatalogueCommand::CreateDirection {
            id,
            new: new.clone(),
        };
        self.commit(command, audit, |m| m.create_direction(id, new, now))
    }

    async fn update_direction(
        &self,
        id: Uuid,
        patch: DirectionPatch,
        now: DateTime<Utc>,
        audit: &AuditEntry,
    ) -> DomainResult<Direction> {
        let command = CatalogueCommand::UpdateDirection {
            id,
            patch: patch.clone(),
        };
        self.commit(command, audit, |m| m.update_direction(id, patch, now))
    }

    async fn delete_direction(&self, id: Uuid, audit: &AuditEntry) -> DomainResult<()> {
        let command = CatalogueCommand::DeleteDirection { id };
        self.commit(command, audit, |m| m.delete_direction(id))
    }

    async fn create_course(
        &self,
        id: Uuid,
        new: NewCourse,
        now: DateTime<Utc>,
        audit: &AuditEntry,
    ) -> DomainResult<Course> {
        let command = CatalogueCommand::CreateCourse {
            id,
            new: new.clone(),
        };
        self.commit(command, audit, |m| m.create_course(id, new, now))
    }

    async fn update_course(
        &self,
        id: Uuid,
        patch: CoursePatch,
        now: DateTime<Utc>,
        audit: &AuditEntry,
    ) -> DomainResult<Course> {
        let command = CatalogueCommand::UpdateCourse {
            id,
            patch: patch.clone(),
        };
        self.commit(command, audit, |m| m.update_course(id, patch, now))
    }

    async fn delete_course(&self, id: Uuid, audit: &AuditEntry) -> DomainResult<Vec<String>> {
        let command = CatalogueCommand::DeleteCourse { id };
        self.commit(command, audit, |m| m.delete_course(id))
    }

    async fn create_outline(
        &self,
        level: OutlineLevel,
        id: Uuid,
        parent_id: Uuid,
        new: NewOutlineItem,
        audit: &AuditEntry,
    ) -> DomainResult<OutlineItem> {
        let command = CatalogueCommand::CreateOutline {
            level,
            id,
            parent_id,
            new: new.clone(),
        };
        self.commit(command, audit, |m| {
            m.create_outline(level, id, parent_id, new)
        })
    }

    async fn update_outline(
        &self,
        level: OutlineLevel,
        id: Uuid,
        patch: OutlinePatch,
        audit: &AuditEntry,
    ) -> DomainResult<OutlineItem> {
        let command = CatalogueCommand::UpdateOutline {
            level,
            id,
            patch: patch.clone(),
        };
        self.commit(command, audit, |m| m.update_outline(level, id, patch))
    }

    async fn delete_outline(
        &self,
        level: OutlineLevel,
        id: Uuid,
        audit: &AuditEntry,
    ) -> DomainResult<Vec<String>> {
        let command = CatalogueCommand::DeleteOutline { level, id };
        self.commit(command, audit, |m| m.delete_outline(level, id))
    }

    async fn set_video(
        &self,
        lesson_id: Uuid,
        source: VideoSource,
        duration_seconds: i32,
        audit: &AuditEntry,
    ) -> DomainResult<Option<String>> {
        let command = CatalogueCommand::SetVideo {
            lesson_id,
            source: source.clone(),
            duration_seconds,
        };
        self.commit(command, audit, |m| m.set_video(lesson_id, source))
    }

    async fn create_workbook(&self, workbook: &Workbook, audit: &AuditEntry) -> DomainResult<()> {
        let command = CatalogueCommand::CreateWorkbook {
            workbook: workbook.clone(),
        };
        self.commit(command, audit, |m| m.create_workbook(workbook))
    }

    async fn delete_workbook(&self, id: Uuid, audit: &AuditEntry) -> DomainResult<String> {
        let command = CatalogueCommand::DeleteWorkbook { id };
        self.commit(command, audit, |m| m.delete_workbook(id))
    }

    async fn put_certificate(
        &self,
        course_id: Uuid,
        title: &Title,
        audit: &AuditEntry,
    ) -> DomainResult<Certificate> {
        let title = title.as_str().to_owned();
        let command = CatalogueCommand::PutCertificate {
            course_id,
            title: title.clone(),
        };
        self.commit(command, audit, |m| m.put_certificate(course_id, title))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use bilim_domain::catalogue::{CourseStatus, Level};
    use bilim_domain::values::{Description, DirectionName, Months};

    fn audit(action: &str) -> AuditEntry {
        AuditEntry {
            id: Uuid::now_v7(),
            admin_id: Uuid::nil(),
            action: action.into(),
            target_type: "course".into(),
            target_id: String::new(),
            details: "{}".into(),
            ip: None,
            at: Utc::now(),
        }
    }

    async fn course(writer: &FakeCatalogueWriter) -> DomainResult<(Uuid, Uuid)> {
        let (direction, course) = (Uuid::now_v7(), Uuid::now_v7());
        let name = DirectionName::parse("name", "Maths")?;
        let new = NewDirection {
            name,
            description: None,
            position: None,
        };
        let at = Utc::now();
        writer
            .create_direction(direction, new, at, &audit("direction.create"))
            .await?;
        let new = NewCourse {
            direction_id: direction,
            title: Title::parse("title", "Algebra")?,
            description: Description::empty(),
            level: Level::Beginner,
            status: CourseStatus::Draft,
            teacher_id: None,
            access_months: Months::DEFAULT,
        };
        writer
            .create_course(course, new, at, &audit("course.create"))
            .await?;
        Ok((direction, course))
    }

    #[tokio::test]
    async fn records_commits_with_their_entries_and_nothing_that_failed() -> DomainResult<()> {
        let writer = FakeCatalogueWriter::new();
        let (direction, course) = course(&writer).await?;
        let entry = audit("direction.delete");
        let refused = writer.delete_direction(direction, &entry).await;
        assert_eq!(
            refused,
            Err(DomainError::Conflict {
                what: "direction.has_courses".into()
            })
        );
        writer.fail_next(DomainError::Conflict {
            what: "course.has_students".into(),
        });
        assert!(
            writer
                .delete_course(course, &audit("course.delete"))
                .await
                .is_err()
        );
        let actions: Vec<String> = writer
            .recorded()
            .into_iter()
            .map(|r| r.audit.action)
            .collect();
        assert_eq!(actions, ["direction.create", "course.create"]);
        Ok(())
    }

    #[tokio::test]
    async fn a_removal_returns_the_files_of_what_it_removed() -> DomainResult<()> {
        let writer = FakeCatalogueWriter::new();
        let (_, course) = course(&writer).await?;
        let (module, lesson) = (Uuid::now_v7(), Uuid::now_v7());
        let new = NewOutlineItem {
            title: Title::parse("title", "One")?,
            description: Description::empty(),
            position: None,
        };
        let entry = audit("module.create");
        writer
            .create_outline(OutlineLevel::Module, module, course, new.clone(), &entry)
            .await?;
        writer
            .create_outline(OutlineLevel::Lesson, lesson, module, new, &entry)
            .await?;
        let video = VideoSource::Stored("videos/a.mp4".into());
        writer.set_video(lesson, video, 60, &entry).await?;
        writer.holds_files(course, &["certificates/c.pdf"]);
        let mut keys = writer.delete_course(course, &entry).await?;
        keys.sort();
        assert_eq!(keys, ["certificates/c.pdf", "videos/a.mp4"]);
        let gone = writer.delete_outline(OutlineLevel::Lesson, lesson, &entry);
        assert_eq!(gone.await, Err(DomainError::NotFound));
        Ok(())
    }
}
