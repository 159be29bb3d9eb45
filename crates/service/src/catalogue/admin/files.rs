//! Videos, workbooks and certificates. Uploaded files arrive as forms: the
//! service stores the file, checks the fields, attaches it, and deletes it
//! again when anything fails.

use super::{AdminCatalogue, not_found};
use crate::admin::Actor;
use crate::uploads::{FormPart, UploadKind};
use crate::{ServiceError, ServiceResult};
use bilim_domain::catalogue::{Certificate, VideoSource, Workbook};
use bilim_domain::values::{Title, VideoUrl};
use futures_util::Stream;
use serde_json::json;
use uuid::Uuid;

/// The longest video, in seconds: a day.
const MAX_VIDEO_SECONDS: i32 = 24 * 3600;

fn check_duration(seconds: Option<i32>) -> ServiceResult<i32> {
    match seconds {
        Some(seconds) if (1..=MAX_VIDEO_SECONDS).contains(&seconds) => Ok(seconds),
        Some(_) => Err(ServiceError::validation(
            "duration_seconds",
            "validation",
            "must be 1 to 86400",
        )),
        None => Err(ServiceError::validation(
            "duration_seconds",
            "validation",
            "is required, in whole seconds",
        )),
    }
}

fn parse_title(raw: &str) -> ServiceResult<Title> {
    Title::parse("title", raw)
        .map_err(|_| ServiceError::validation("title", "validation", "must be 1 to 200 characters"))
}

impl AdminCatalogue {
    /// Sets the lesson's video to an external https URL.
    pub async fn set_video_url(
        &self,
        actor: &Actor<'_>,
        lesson_id: Uuid,
        url: String,
        duration_seconds: i32,
    ) -> ServiceResult<()> {
        let duration = check_duration(Some(duration_seconds))?;
        let url = VideoUrl::parse(&url)?.into_string();
        self.set_video(actor, lesson_id, VideoSource::Url(url), duration)
            .await
    }

    /// Sets the lesson's video from an upload form: `file` (MP4 or WebM,
    /// streamed to storage) and `duration_seconds`.
    pub async fn upload_video<P, C, E>(
        &self,
        actor: &Actor<'_>,
        lesson_id: Uuid,
        announced: Option<u64>,
        parts: P,
    ) -> ServiceResult<()>
    where
        P: Stream<Item = ServiceResult<FormPart<C>>> + Unpin,
        C: Stream<Item = Result<Vec<u8>, E>> + Unpin,
        E: std::fmt::Display,
    {
        self.uploads.check_announced(UploadKind::Video, announced)?;
        let form = self.uploads.receive(UploadKind::Video, parts).await?;
        self.uploads
            .attach(form, |upload, fields| async move {
                let duration = fields
                    .get("duration_seconds")
                    .and_then(|d| d.trim().parse::<i32>().ok());
                let duration = check_duration(duration)?;
                let source = VideoSource::Stored(upload.key);
                self.set_video(actor, lesson_id, source, duration).await
            })
            .await
    }

    async fn set_video(
        &self,
        actor: &Actor<'_>,
        lesson_id: Uuid,
        source: VideoSource,
        duration_seconds: i32,
    ) -> ServiceResult<()> {
        let replaced = self
            .change(
                actor,
                "video.set",
                ("lesson", lesson_id),
                json!({ "duration_seconds": duration_seconds }),
                "lesson.not_found",
                |audit| async move {
                    let writer = &self.writer;
                    writer
                        .set_video(lesson_id, source, duration_seconds, &audit)
                        .await
                },
            )
            .await?;
        self.delete_files(replaced.into_iter().collect()).await;
        Ok(())
    }

    /// Adds a workbook from an upload form: `title`, `lesson_id` (optional, a
    /// lesson of this course) and `file` (PDF, checked by content).
    pub async fn upload_workbook<P, C, E>(
        &self,
        actor: &Actor<'_>,
        course_id: Uuid,
        announced: Option<u64>,
        parts: P,
    ) -> ServiceResult<Workbook>
    where
        P: Stream<Item = ServiceResult<FormPart<C>>> + Unpin,
        C: Stream<Item = Result<Vec<u8>, E>> + Unpin,
        E: std::fmt::Display,
    {
        self.uploads
            .check_announced(UploadKind::Workbook, announced)?;
        let form = self.uploads.receive(UploadKind::Workbook, parts).await?;
        self.uploads
            .attach(form, |upload, fields| async move {
                let lesson_id = match fields.get("lesson_id").map(|raw| raw.trim()) {
                    None | Some("") => None,
                    Some(raw) => Some(raw.parse::<Uuid>().map_err(|_| {
                        ServiceError::validation("lesson_id", "validation", "is not a lesson id")
                    })?),
                };
                let title = parse_title(fields.get("title").map_or("", String::as_str))?;
                self.check_lesson_of(course_id, lesson_id).await?;
                let workbook = Workbook {
                    id: Uuid::now_v7(),
                    course_id,
                    lesson_id,
                    title: title.into_string(),
                    storage_key: upload.key,
                    size_bytes: upload.size_bytes,
                    sha256: upload.sha256,
                };
                let details = json!({ "course_id": course_id, "title": workbook.title });
                self.change(
                    actor,
                    "workbook.create",
                    ("workbook", workbook.id),
                    details,
                    "course.not_found",
                    |audit| {
                        let workbook = &workbook;
                        async move { self.writer.create_workbook(workbook, &audit).await }
                    },
                )
                .await?;
                Ok(workbook)
            })
            .await
    }

    /// The course must exist, and a lesson given must be one of its lessons.
    async fn check_lesson_of(&self, course_id: Uuid, lesson_id: Option<Uuid>) -> ServiceResult<()> {
        let course = self
            .reader
            .course_tree(course_id)
            .await?
            .ok_or_else(not_found("course.not_found"))?;
        let Some(lesson_id) = lesson_id else {
            return Ok(());
        };
        let belongs = course
            .modules
            .iter()
            .any(|m| m.lessons.iter().any(|l| l.id == lesson_id));
        if belongs {
            Ok(())
        } else {
            Err(ServiceError::validation(
                "lesson_id",
                "validation",
                "is not a lesson of this course",
            ))
        }
    }

    pub async fn delete_workbook(&self, actor: &Actor<'_>, id: Uuid) -> ServiceResult<()> {
        let key = self
            .change(
                actor,
                "workbook.delete",
                ("workbook", id),
                json!({}),
                "workbook.not_found",
                |audit| async move { self.writer.delete_workbook(id, &audit).await },
            )
            .await?;
        self.delete_files(vec![key]).await;
        Ok(())
    }

    /// Creates or renames the course's one certificate.
    pub async fn put_certificate(
        &self,
        actor: &Actor<'_>,
        course_id: Uuid,
        title: &str,
    ) -> ServiceResult<Certificate> {
        let title = parse_title(title)?;
        let details = json!({ "title": title.as_str() });
        self.change(
            actor,
            "certificate.put",
            ("course", course_id),
            details,
            "course.not_found",
            |audit| async move { self.writer.put_certificate(course_id, &title, &audit).await },
        )
        .await
    }
}
