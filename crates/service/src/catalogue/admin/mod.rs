//! Catalogue management for admins: every status is visible; every change is
//! a typed command (`NewCourse`, `CoursePatch`, …) handed to the writer with
//! its audit entry, so both commit together; files of removed or replaced
//! items are deleted after the commit.

mod files;
mod items;

use super::public::{parse_level, search_text};
use crate::admin::{Actor, Auditor};
use crate::paging::{Page, PageRequest, page};
use crate::uploads::{UploadLimits, Uploads};
use crate::{ServiceError, ServiceResult};
use bilim_domain::DomainError;
use bilim_domain::catalogue::{Course, CourseStatus, CourseTree, Direction};
use bilim_domain::ports::{
    AuditEntry, CatalogueReader, CatalogueWriter, Clock, CourseQuery, FileStore, UserRepository,
};
use bilim_domain::users::UserRole;
use std::future::Future;
use std::sync::Arc;
use uuid::Uuid;

#[derive(Clone)]
pub struct AdminCatalogue {
    reader: Arc<dyn CatalogueReader>,
    writer: Arc<dyn CatalogueWriter>,
    users: Arc<dyn UserRepository>,
    uploads: Uploads,
    auditor: Auditor,
    clock: Arc<dyn Clock>,
}

fn not_found(code: &'static str) -> impl FnOnce() -> ServiceError {
    move || ServiceError::NotFound { code }
}

/// Maps the writer's errors to the catalogue's codes; `missing` names what an
/// unknown id was (`course.not_found`, …).
fn catalogue_error(missing: &'static str) -> impl FnOnce(DomainError) -> ServiceError {
    move |error| match error {
        DomainError::NotFound => ServiceError::NotFound { code: missing },
        DomainError::Conflict { what } => {
            let (code, message) = match what.as_str() {
                "direction.name" => ("direction.name_taken", "A direction with this name exists."),
                "direction.has_courses" => {
                    ("direction.has_courses", "Move or delete its courses first.")
                }
                "course.has_students" => (
                    "course.has_students",
                    "Students hold access: archive the course instead.",
                ),
                _ => ("conflict", "This conflicts with existing data."),
            };
            ServiceError::Conflict {
                code,
                message: message.into(),
            }
        }
        other => other.into(),
    }
}

impl AdminCatalogue {
    pub fn new(
        reader: Arc<dyn CatalogueReader>,
        writer: Arc<dyn CatalogueWriter>,
        users: Arc<dyn UserRepository>,
        store: Arc<dyn FileStore>,
        limits: UploadLimits,
        auditor: Auditor,
        clock: Arc<dyn Clock>,
    ) -> Self {
        Self {
            reader,
            writer,
            users,
            uploads: Uploads::new(store, limits),
            auditor,
            clock,
        }
    }

    /// Makes one audited change through the writer: `write` gets the audit
    /// entry to commit with the change; the writer's errors are mapped with
    /// `missing` as the code of an unknown id.
    async fn change<T, F, Fut>(
        &self,
        actor: &Actor<'_>,
        action: &str,
        target: (&str, Uuid),
        details: serde_json::Value,
        missing: &'static str,
        write: F,
    ) -> ServiceResult<T>
    where
        F: FnOnce(AuditEntry) -> Fut,
        Fut: Future<Output = Result<T, DomainError>>,
    {
        let target = (target.0, target.1.to_string());
        self.auditor
            .audited(actor, action, target, details, |entry| async move {
                write(entry).await.map_err(catalogue_error(missing))
            })
            .await
    }

    /// Deletes the files of removed or replaced items, after their commit.
    async fn delete_files(&self, keys: Vec<String>) {
        for key in keys {
            self.uploads.discard(&key).await;
        }
    }

    /// A teacher must be a user with the `teacher` role.
    async fn check_teacher(&self, teacher: Option<Uuid>) -> ServiceResult<()> {
        let Some(id) = teacher else {
            return Ok(());
        };
        match self.users.find_by_id(id).await? {
            Some(user) if user.role == UserRole::Teacher => Ok(()),
            _ => Err(ServiceError::validation(
                "teacher_id",
                "teacher.invalid",
                "is not a user with the teacher role",
            )),
        }
    }

    pub async fn directions(&self) -> ServiceResult<Vec<Direction>> {
        Ok(self.reader.directions().await?)
    }

    pub async fn direction(&self, id: Uuid) -> ServiceResult<Direction> {
        self.reader
            .direction(id)
            .await?
            .ok_or_else(not_found("direction.not_found"))
    }

    pub async fn courses(
        &self,
        direction_id: Option<Uuid>,
        status: Option<&str>,
        q: Option<&str>,
        level: Option<&str>,
        request: &PageRequest,
    ) -> ServiceResult<Page<Course>> {
        let status = status
            .map(|raw| {
                CourseStatus::parse(raw).ok_or_else(|| {
                    ServiceError::validation(
                        "status",
                        "validation",
                        "must be draft, published or archived",
                    )
                })
            })
            .transpose()?;
        let limit = request.limit()?;
        let query = CourseQuery {
            direction_id,
            level: parse_level(level)?,
            status,
            search: search_text(q)?,
            after: request.after()?,
            limit: limit + 1,
        };
        Ok(page(self.reader.courses(&query).await?, limit, |c| c.id))
    }

    /// The whole course, whatever its status.
    pub async fn course(&self, id: Uuid) -> ServiceResult<CourseTree> {
        self.reader
            .course_tree(id)
            .await?
            .ok_or_else(not_found("course.not_found"))
    }
}
