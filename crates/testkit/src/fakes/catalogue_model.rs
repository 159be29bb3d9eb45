//! What `FakeCatalogueWriter` keeps: the commands it committed, and a small
//! model of the catalogue so that it answers like the real writer: unknown
//! items and parents are `NotFound`, an unknown direction of a course is
//! `Invalid`, a taken direction name and a direction still used by a course
//! are `Conflict`, and removals return the keys of the files that went with
//! them. Positions are appended or taken as given, never
//! renumbered: no test of the service depends on them.

use bilim_domain::catalogue::{
    Certificate, Course, CoursePatch, Direction, DirectionPatch, NewCourse, NewDirection,
    NewOutlineItem, OutlineItem, OutlineLevel, OutlinePatch, VideoSource, Workbook,
};
use bilim_domain::ports::AuditEntry;
use bilim_domain::{DomainError, DomainResult};
use chrono::{DateTime, Utc};
use std::collections::HashMap;
use uuid::Uuid;

/// A command as the writer received it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CatalogueCommand {
    CreateDirection {
        id: Uuid,
        new: NewDirection,
    },
    UpdateDirection {
        id: Uuid,
        patch: DirectionPatch,
    },
    DeleteDirection {
        id: Uuid,
    },
    CreateCourse {
        id: Uuid,
        new: NewCourse,
    },
    UpdateCourse {
        id: Uuid,
        patch: CoursePatch,
    },
    DeleteCourse {
        id: Uuid,
    },
    CreateOutline {
        level: OutlineLevel,
        id: Uuid,
        parent_id: Uuid,
        new: NewOutlineItem,
    },
    UpdateOutline {
        level: OutlineLevel,
        id: Uuid,
        patch: OutlinePatch,
    },
    DeleteOutline {
        level: OutlineLevel,
        id: Uuid,
    },
    SetVideo {
        lesson_id: Uuid,
        source: VideoSource,
        duration_seconds: i32,
    },
    CreateWorkbook {
        workbook: Workbook,
    },
    DeleteWorkbook {
        id: Uuid,
    },
    PutCertificate {
        course_id: Uuid,
        title: String,
    },
}

/// A committed command and the audit entry committed with it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Recorded {
    pub command: CatalogueCommand,
    pub audit: AuditEntry,
}

#[derive(Default)]
pub(super) struct CatalogueModel {
    pub(super) directions: HashMap<Uuid, Direction>,
    pub(super) courses: HashMap<Uuid, Course>,
    pub(super) outline: HashMap<Uuid, OutlineItem>,
    /// The stored video of each lesson that has one.
    videos: HashMap<Uuid, String>,
    workbooks: HashMap<Uuid, Workbook>,
    certificates: HashMap<Uuid, Certificate>,
    /// Files a test says an item holds beyond what the model tracks.
    pub(super) held: HashMap<Uuid, Vec<String>>,
}

fn conflict(what: &str) -> DomainError {
    DomainError::Conflict { what: what.into() }
}

fn check_direction(model: &CatalogueModel, id: Uuid) -> DomainResult<()> {
    if model.directions.contains_key(&id) {
        return Ok(());
    }
    let message = "no such direction";
    Err(DomainError::invalid(
        "direction_id",
        "direction.not_found",
        message,
    ))
}

impl CatalogueModel {
    fn item(&self, level: OutlineLevel, id: Uuid) -> DomainResult<&OutlineItem> {
        let item = self.outline.get(&id).filter(|item| item.level == level);
        item.ok_or(DomainError::NotFound)
    }

    fn children(&self, parent_id: Uuid) -> Vec<Uuid> {
        let children = self.outline.values().filter(|i| i.parent_id == parent_id);
        children.map(|item| item.id).collect()
    }

    /// Removes an item (a course, module or lesson) with what it holds and
    /// returns the keys of its files. A module's or lesson's workbooks stay,
    /// as workbooks of the course.
    fn remove(&mut self, id: Uuid) -> Vec<String> {
        let mut keys = self.held.remove(&id).unwrap_or_default();
        keys.extend(self.videos.remove(&id));
        self.outline.remove(&id);
        for child in self.children(id) {
            keys.extend(self.remove(child));
        }
        keys
    }

    pub(super) fn create_direction(
        &mut self,
        id: Uuid,
        new: NewDirection,
        now: DateTime<Utc>,
    ) -> DomainResult<Direction> {
        if self
            .directions
            .values()
            .any(|d| d.name == new.name.as_str())
        {
            return Err(conflict("direction.name"));
        }
        let last = i32::try_from(self.directions.len()).unwrap_or(i32::MAX - 1) + 1;
        let direction = Direction {
            id,
            name: new.name.into_string(),
            description: new.description.map(|d| d.into_string()),
            position: new.position.map_or(last, |p| p.get()),
            created_at: now,
            updated_at: now,
        };
        self.directions.insert(id, direction.clone());
        Ok(direction)
    }

    pub(super) fn update_direction(
        &mut self,
        id: Uuid,
        patch: DirectionPatch,
        now: DateTime<Utc>,
    ) -> DomainResult<Direction> {
        let direction = self.directions.get_mut(&id).ok_or(DomainError::NotFound)?;
        if let Some(name) = patch.name {
            direction.name = name.into_string();
        }
        if let Some(description) = patch.description {
            direction.description = description.map(|d| d.into_string());
        }
        direction.position = patch.position.map_or(direction.position, |p| p.get());
        direction.updated_at = now;
        Ok(direction.clone())
    }

    pub(super) fn delete_direction(&mut self, id: Uuid) -> DomainResult<()> {
        if self.courses.values().any(|c| c.direction_id == id) {
            return Err(conflict("direction.has_courses"));
        }
        self.directions.remove(&id).ok_or(DomainError::NotFound)?;
        Ok(())
    }

    pub(super) fn create_course(
        &mut self,
        id: Uuid,
        new: NewCourse,
        now: DateTime<Utc>,
    ) -> DomainResult<Course> {
        check_direction(self, new.direction_id)?;
        let course = Course {
            id,
            direction_id: new.direction_id,
            title: new.title.into_string(),
            description: new.description.into_string(),
            level: new.level,
            status: new.status,
            teacher_id: new.teacher_id,
            access_months: new.access_months.as_i32(),
            created_at: now,
            updated_at: now,
        };
        self.courses.insert(id, course.clone());
        Ok(course)
    }

    pub(super) fn update_course(
        &mut self,
        id: Uuid,
        patch: CoursePatch,
        now: DateTime<Utc>,
    ) -> DomainResult<Course> {
        if let Some(direction_id) = patch.direction_id {
            check_direction(self, direction_id)?;
        }
        let course = self.courses.get_mut(&id).ok_or(DomainError::NotFound)?;
        course.direction_id = patch.direction_id.unwrap_or(course.direction_id);
        if let Some(title) = patch.title {
            course.title = title.into_string();
        }
        if let Some(description) = patch.description {
            course.description = description.into_string();
        }
        course.level = patch.level.unwrap_or(course.level);
        course.status = patch.status.unwrap_or(course.status);
        course.teacher_id = patch.teacher_id.unwrap_or(course.teacher_id);
        course.access_months = patch
            .access_months
            .map_or(course.access_months, |m| m.as_i32());
        course.updated_at = now;
        Ok(course.clone())
    }

    /// Removes the course with its outline, videos, workbooks and certificate.
    pub(super) fn delete_course(&mut self, id: Uuid) -> DomainResult<Vec<String>> {
        self.courses.remove(&id).ok_or(DomainError::NotFound)?;
        self.certificates.remove(&id);
        let mut keys = self.remove(id);
        let workbooks = self.workbooks.values().filter(|w| w.course_id == id);
        let gone: Vec<Uuid> = workbooks.map(|w| w.id).collect();
        for workbook in gone {
            keys.extend(self.workbooks.remove(&workbook).map(|w| w.storage_key));
        }
        Ok(keys)
    }

    pub(super) fn create_outline(
        &mut self,
        level: OutlineLevel,
        id: Uuid,
        parent_id: Uuid,
        new: NewOutlineItem,
    ) -> DomainResult<OutlineItem> {
        match level {
            OutlineLevel::Module if !self.courses.contains_key(&parent_id) => {
                return Err(DomainError::NotFound);
            }
            OutlineLevel::Lesson => {
                self.item(OutlineLevel::Module, parent_id)?;
            }
            OutlineLevel::Module => {}
        }
        let last = i32::try_from(self.children(parent_id).len()).unwrap_or(i32::MAX - 1) + 1;
        let item = OutlineItem {
            level,
            id,
            parent_id,
            title: new.title.into_string(),
            description: match level {
                OutlineLevel::Module => String::new(),
                OutlineLevel::Lesson => new.description.into_string(),
            },
            position: new.position.map_or(last, |p| p.get()),
        };
        self.outline.insert(id, item.clone());
        Ok(item)
    }

    pub(super) fn update_outline(
        &mut self,
        level: OutlineLevel,
        id: Uuid,
        patch: OutlinePatch,
    ) -> DomainResult<OutlineItem> {
        self.item(level, id)?;
        let item = self.outline.get_mut(&id).ok_or(DomainError::NotFound)?;
        if let Some(title) = patch.title {
            item.title = title.into_string();
        }
        if let Some(description) = patch.description.filter(|_| level == OutlineLevel::Lesson) {
            item.description = description.into_string();
        }
        item.position = patch.position.map_or(item.position, |p| p.get());
        Ok(item.clone())
    }

    pub(super) fn delete_outline(
        &mut self,
        level: OutlineLevel,
        id: Uuid,
    ) -> DomainResult<Vec<String>> {
        self.item(level, id)?;
        Ok(self.remove(id))
    }

    /// Returns the stored video the new source replaces.
    pub(super) fn set_video(
        &mut self,
        lesson_id: Uuid,
        source: VideoSource,
    ) -> DomainResult<Option<String>> {
        self.item(OutlineLevel::Lesson, lesson_id)?;
        Ok(match source {
            VideoSource::Stored(key) => self.videos.insert(lesson_id, key),
            VideoSource::Url(_) => self.videos.remove(&lesson_id),
        })
    }

    pub(super) fn create_workbook(&mut self, workbook: &Workbook) -> DomainResult<()> {
        if !self.courses.contains_key(&workbook.course_id) {
            return Err(DomainError::NotFound);
        }
        self.workbooks.insert(workbook.id, workbook.clone());
        Ok(())
    }

    pub(super) fn delete_workbook(&mut self, id: Uuid) -> DomainResult<String> {
        let workbook = self.workbooks.remove(&id).ok_or(DomainError::NotFound)?;
        Ok(workbook.storage_key)
    }

    /// Creates or renames the course's one certificate.
    pub(super) fn put_certificate(
        &mut self,
        course_id: Uuid,
        title: String,
    ) -> DomainResult<Certificate> {
        if !self.courses.contains_key(&course_id) {
            return Err(DomainError::NotFound);
        }
        let certificate = self.certificates.entry(course_id).or_insert(Certificate {
            id: Uuid::now_v7(),
            course_id,
            title: String::new(),
        });
        certificate.title = title;
        Ok(certificate.clone())
    }
}
