//! Catalogue management for admins: every status is visible, every change is
//! audited, and files of removed items are deleted from storage.

use super::fields::{CourseInput, DirectionInput, OutlineInput};
use super::public::{parse_level, search_text};
use super::uploads::{StoredUpload, UploadKind, UploadLimits, store_upload};
use crate::admin::{Actor, Auditor};
use crate::paging::{Page, PageRequest, page};
use crate::{ServiceError, ServiceResult};
use bilim_domain::DomainError;
use bilim_domain::catalogue::{
    Certificate, Course, CourseStatus, CourseTree, Direction, Lesson, Module, VideoSource, Workbook,
};
use bilim_domain::ports::{
    CatalogueReader, CatalogueWriter, Clock, CourseQuery, FileKey, FileStore, UserRepository,
};
use bilim_domain::users::UserRole;
use futures_util::Stream;
use serde_json::json;
use std::sync::Arc;
use uuid::Uuid;

#[derive(Clone)]
pub struct AdminCatalogue {
    pub(crate) reader: Arc<dyn CatalogueReader>,
    pub(crate) writer: Arc<dyn CatalogueWriter>,
    pub(crate) users: Arc<dyn UserRepository>,
    pub(crate) store: Arc<dyn FileStore>,
    pub(crate) limits: UploadLimits,
    pub(crate) auditor: Auditor,
    pub(crate) clock: Arc<dyn Clock>,
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
    ) -> AdminCatalogue {
        AdminCatalogue {
            reader,
            writer,
            users,
            store,
            limits,
            auditor,
            clock,
        }
    }

    async fn audit(
        &self,
        actor: &Actor<'_>,
        action: &str,
        target: (&str, Uuid),
        details: serde_json::Value,
    ) -> ServiceResult<()> {
        self.auditor
            .record(
                actor.admin,
                action,
                (target.0, target.1.to_string()),
                details,
                Some(actor.ip),
            )
            .await
    }

    /// Finishes a removal: maps the writer's answer, audits `{kind}.delete`
    /// and deletes the files the removed item held.
    async fn removed(
        &self,
        actor: &Actor<'_>,
        kind: &'static str,
        id: Uuid,
        removed: Result<Vec<String>, DomainError>,
        missing: &'static str,
    ) -> ServiceResult<()> {
        let keys = removed.map_err(catalogue_error(missing))?;
        self.audit(actor, &format!("{kind}.delete"), (kind, id), json!({}))
            .await?;
        self.delete_files(keys).await;
        Ok(())
    }

    async fn delete_files(&self, keys: Vec<String>) {
        for key in keys {
            let Ok(key) = FileKey::parse(&key) else {
                continue;
            };
            if let Err(error) = self.store.delete(&key).await {
                tracing::warn!(%error, %key, "file of a removed item not deleted");
            }
        }
    }

    /// A teacher must be a user with the `teacher` role.
    async fn check_teacher(&self, teacher: Option<Option<Uuid>>) -> ServiceResult<()> {
        let Some(Some(id)) = teacher else {
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

    pub async fn create_direction(
        &self,
        actor: &Actor<'_>,
        input: DirectionInput,
    ) -> ServiceResult<Direction> {
        let fields = input.checked(true)?;
        let direction = self
            .writer
            .create_direction(Uuid::now_v7(), fields, self.clock.now())
            .await
            .map_err(catalogue_error("direction.not_found"))?;
        self.audit(
            actor,
            "direction.create",
            ("direction", direction.id),
            json!({ "name": direction.name }),
        )
        .await?;
        Ok(direction)
    }

    pub async fn update_direction(
        &self,
        actor: &Actor<'_>,
        id: Uuid,
        input: DirectionInput,
    ) -> ServiceResult<Direction> {
        let fields = input.checked(false)?;
        let direction = self
            .writer
            .update_direction(id, fields, self.clock.now())
            .await
            .map_err(catalogue_error("direction.not_found"))?;
        self.audit(
            actor,
            "direction.update",
            ("direction", id),
            json!({ "name": direction.name }),
        )
        .await?;
        Ok(direction)
    }

    pub async fn delete_direction(&self, actor: &Actor<'_>, id: Uuid) -> ServiceResult<()> {
        self.writer
            .delete_direction(id)
            .await
            .map_err(catalogue_error("direction.not_found"))?;
        self.audit(actor, "direction.delete", ("direction", id), json!({}))
            .await
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

    pub async fn create_course(
        &self,
        actor: &Actor<'_>,
        input: CourseInput,
    ) -> ServiceResult<Course> {
        self.check_teacher(input.teacher_id).await?;
        let fields = input.checked(true)?;
        let course = self
            .writer
            .create_course(Uuid::now_v7(), fields, self.clock.now())
            .await
            .map_err(catalogue_error("direction.not_found"))?;
        self.audit(
            actor,
            "course.create",
            ("course", course.id),
            json!({ "title": course.title }),
        )
        .await?;
        Ok(course)
    }

    pub async fn update_course(
        &self,
        actor: &Actor<'_>,
        id: Uuid,
        input: CourseInput,
    ) -> ServiceResult<Course> {
        self.check_teacher(input.teacher_id).await?;
        let fields = input.checked(false)?;
        let course = self
            .writer
            .update_course(id, fields, self.clock.now())
            .await
            .map_err(catalogue_error("course.not_found"))?;
        self.audit(
            actor,
            "course.update",
            ("course", id),
            json!({ "status": course.status.as_str() }),
        )
        .await?;
        Ok(course)
    }

    pub async fn delete_course(&self, actor: &Actor<'_>, id: Uuid) -> ServiceResult<()> {
        let removed = self.writer.delete_course(id).await;
        self.removed(actor, "course", id, removed, "course.not_found")
            .await
    }

    pub async fn create_module(
        &self,
        actor: &Actor<'_>,
        course_id: Uuid,
        input: OutlineInput,
    ) -> ServiceResult<Module> {
        let fields = input.checked(true)?;
        let module = self
            .writer
            .create_module(Uuid::now_v7(), course_id, fields)
            .await
            .map_err(catalogue_error("course.not_found"))?;
        self.audit(
            actor,
            "module.create",
            ("module", module.id),
            json!({ "course_id": course_id }),
        )
        .await?;
        Ok(module)
    }

    pub async fn update_module(
        &self,
        actor: &Actor<'_>,
        id: Uuid,
        input: OutlineInput,
    ) -> ServiceResult<Module> {
        let module = self
            .writer
            .update_module(id, input.checked(false)?)
            .await
            .map_err(catalogue_error("module.not_found"))?;
        self.audit(
            actor,
            "module.update",
            ("module", id),
            json!({ "position": module.position }),
        )
        .await?;
        Ok(module)
    }

    pub async fn delete_module(&self, actor: &Actor<'_>, id: Uuid) -> ServiceResult<()> {
        let removed = self.writer.delete_module(id).await;
        self.removed(actor, "module", id, removed, "module.not_found")
            .await
    }

    pub async fn create_lesson(
        &self,
        actor: &Actor<'_>,
        module_id: Uuid,
        input: OutlineInput,
    ) -> ServiceResult<Lesson> {
        let fields = input.checked(true)?;
        let lesson = self
            .writer
            .create_lesson(Uuid::now_v7(), module_id, fields)
            .await
            .map_err(catalogue_error("module.not_found"))?;
        self.audit(
            actor,
            "lesson.create",
            ("lesson", lesson.id),
            json!({ "module_id": module_id }),
        )
        .await?;
        Ok(lesson)
    }

    pub async fn update_lesson(
        &self,
        actor: &Actor<'_>,
        id: Uuid,
        input: OutlineInput,
    ) -> ServiceResult<Lesson> {
        let lesson = self
            .writer
            .update_lesson(id, input.checked(false)?)
            .await
            .map_err(catalogue_error("lesson.not_found"))?;
        self.audit(
            actor,
            "lesson.update",
            ("lesson", id),
            json!({ "position": lesson.position }),
        )
        .await?;
        Ok(lesson)
    }

    pub async fn delete_lesson(&self, actor: &Actor<'_>, id: Uuid) -> ServiceResult<()> {
        let removed = self.writer.delete_lesson(id).await;
        self.removed(actor, "lesson", id, removed, "lesson.not_found")
            .await
    }

    /// The size limit of an upload of `kind`, in bytes.
    pub fn upload_limit(&self, kind: UploadKind) -> u64 {
        self.limits.of(kind)
    }

    /// Streams an uploaded file into storage (type by content, size capped).
    pub async fn store<S, E>(&self, kind: UploadKind, chunks: S) -> ServiceResult<StoredUpload>
    where
        S: Stream<Item = Result<Vec<u8>, E>> + Unpin,
        E: std::fmt::Display,
    {
        store_upload(&self.store, self.limits, kind, chunks).await
    }

    /// Removes an upload that will not be attached (the form was invalid).
    pub async fn discard(&self, upload: StoredUpload) {
        self.delete_files(vec![upload.key]).await;
    }

    /// Sets the lesson's video: an external https URL, or an uploaded file.
    pub async fn set_video(
        &self,
        actor: &Actor<'_>,
        lesson_id: Uuid,
        source: VideoSource,
        duration_seconds: i32,
    ) -> ServiceResult<()> {
        if !(1..=24 * 3600).contains(&duration_seconds) {
            return Err(ServiceError::validation(
                "duration_seconds",
                "validation",
                "must be 1 to 86400",
            ));
        }
        if let VideoSource::Url(url) = &source {
            check_video_url(url)?;
        }
        let replaced = self
            .writer
            .set_video(lesson_id, source, duration_seconds)
            .await
            .map_err(catalogue_error("lesson.not_found"))?;
        self.audit(
            actor,
            "video.set",
            ("lesson", lesson_id),
            json!({ "duration_seconds": duration_seconds }),
        )
        .await?;
        self.delete_files(replaced.into_iter().collect()).await;
        Ok(())
    }

    pub async fn create_workbook(
        &self,
        actor: &Actor<'_>,
        course_id: Uuid,
        title: &str,
        lesson_id: Option<Uuid>,
        upload: StoredUpload,
    ) -> ServiceResult<Workbook> {
        let title = title.trim();
        if title.is_empty() || title.chars().count() > 200 {
            return Err(ServiceError::validation(
                "title",
                "validation",
                "must be 1 to 200 characters",
            ));
        }
        let course = self
            .reader
            .course_tree(course_id)
            .await?
            .ok_or_else(not_found("course.not_found"))?;
        if let Some(lesson_id) = lesson_id {
            let belongs = course
                .modules
                .iter()
                .any(|m| m.lessons.iter().any(|l| l.id == lesson_id));
            if !belongs {
                return Err(ServiceError::validation(
                    "lesson_id",
                    "validation",
                    "is not a lesson of this course",
                ));
            }
        }
        let workbook = Workbook {
            id: Uuid::now_v7(),
            course_id,
            lesson_id,
            title: title.to_owned(),
            storage_key: upload.key,
            size_bytes: upload.size_bytes,
            sha256: upload.sha256,
        };
        self.writer
            .create_workbook(&workbook)
            .await
            .map_err(catalogue_error("course.not_found"))?;
        self.audit(
            actor,
            "workbook.create",
            ("workbook", workbook.id),
            json!({ "course_id": course_id, "title": workbook.title }),
        )
        .await?;
        Ok(workbook)
    }

    pub async fn delete_workbook(&self, actor: &Actor<'_>, id: Uuid) -> ServiceResult<()> {
        let key = self
            .writer
            .delete_workbook(id)
            .await
            .map_err(catalogue_error("workbook.not_found"))?;
        self.audit(actor, "workbook.delete", ("workbook", id), json!({}))
            .await?;
        self.delete_files(vec![key]).await;
        Ok(())
    }

    pub async fn put_certificate(
        &self,
        actor: &Actor<'_>,
        course_id: Uuid,
        title: &str,
    ) -> ServiceResult<Certificate> {
        let title = title.trim();
        if title.is_empty() || title.chars().count() > 200 {
            return Err(ServiceError::validation(
                "title",
                "validation",
                "must be 1 to 200 characters",
            ));
        }
        let certificate = self
            .writer
            .put_certificate(course_id, title)
            .await
            .map_err(catalogue_error("course.not_found"))?;
        self.audit(
            actor,
            "certificate.put",
            ("course", course_id),
            json!({ "title": title }),
        )
        .await?;
        Ok(certificate)
    }
}

/// External videos must be https URLs with a host.
fn check_video_url(raw: &str) -> ServiceResult<()> {
    let valid = raw.len() <= 2000
        && raw
            .strip_prefix("https://")
            .and_then(|rest| rest.split(['/', '?', '#']).next())
            .is_some_and(|host| !host.is_empty() && !host.contains(char::is_whitespace));
    if valid {
        Ok(())
    } else {
        Err(ServiceError::validation(
            "url",
            "validation",
            "must be an https URL",
        ))
    }
}
