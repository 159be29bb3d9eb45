//! A lesson's video and the user's progress through it.

use super::Learning;
use crate::{ServiceError, ServiceResult};
use bilim_domain::catalogue::{CourseStatus, LessonView, Video, VideoSource};
use bilim_domain::learning::LessonProgress;
use bilim_domain::ports::FileKey;
use chrono::{DateTime, Duration, Utc};
use uuid::Uuid;

/// How long a signed video link works.
pub const VIDEO_LINK_TTL: Duration = Duration::minutes(15);

/// Watching this share of a video counts as watching it.
const WATCHED_PERCENT: i64 = 90;

/// Where to watch a video.
#[derive(Debug, Clone)]
pub struct VideoLink {
    pub url: String,
    /// `None` for an external URL, handed out as stored.
    pub expires_at: Option<DateTime<Utc>>,
    pub duration_seconds: i32,
}

/// `PUT /lessons/{id}/progress`.
#[derive(Debug, Clone, Copy)]
pub struct ProgressInput {
    pub position_seconds: i32,
    pub completed: bool,
}

impl Learning {
    /// The lesson's video for a user with active access to its course.
    #[tracing::instrument(skip(self))]
    pub async fn video(&self, user_id: Uuid, lesson_id: Uuid) -> ServiceResult<VideoLink> {
        let (_, video) = self.lesson_with_video(user_id, lesson_id).await?;
        Ok(match video.source {
            VideoSource::Url(url) => VideoLink {
                url,
                expires_at: None,
                duration_seconds: video.duration_seconds,
            },
            VideoSource::Stored(key) => {
                let link = self
                    .files
                    .download_link(&FileKey::parse(&key)?, VIDEO_LINK_TTL)
                    .await;
                VideoLink {
                    url: link.url,
                    expires_at: Some(link.expires_at),
                    duration_seconds: video.duration_seconds,
                }
            }
        })
    }

    /// Records where the user is in the lesson's video. The lesson counts as
    /// watched once `completed` is sent or the position reaches 90 % of the
    /// duration, and stays watched.
    #[tracing::instrument(skip(self))]
    pub async fn record_progress(
        &self,
        user_id: Uuid,
        lesson_id: Uuid,
        input: ProgressInput,
    ) -> ServiceResult<LessonProgress> {
        if input.position_seconds < 0 {
            return Err(ServiceError::validation(
                "position_seconds",
                "validation",
                "must not be negative",
            ));
        }
        let (_, video) = self.lesson_with_video(user_id, lesson_id).await?;
        let duration = video.duration_seconds.max(0);
        let position = input.position_seconds.min(duration);
        let reached = i64::from(position) * 100 >= i64::from(duration) * WATCHED_PERCENT;
        Ok(self
            .progress
            .record(
                user_id,
                lesson_id,
                position,
                input.completed || reached,
                self.clock.now(),
            )
            .await?)
    }

    /// The lesson and its video, for a user with active access. A lesson of an
    /// unpublished course is hidden (404) from users without a grant.
    async fn lesson_with_video(
        &self,
        user_id: Uuid,
        lesson_id: Uuid,
    ) -> ServiceResult<(LessonView, Video)> {
        let lesson_missing = ServiceError::NotFound {
            code: "lesson.not_found",
        };
        let lesson = self.reader.lesson(lesson_id).await?.ok_or(lesson_missing)?;
        let course_id = lesson.course.id;
        match self.active_grant(user_id, course_id).await {
            Err(ServiceError::Forbidden {
                code: "access.none",
            }) if lesson.course.status != CourseStatus::Published => {
                return Err(ServiceError::NotFound {
                    code: "lesson.not_found",
                });
            }
            Err(other) => return Err(other),
            Ok(_) => {}
        }
        let video = self
            .videos
            .video_of(lesson_id)
            .await?
            .ok_or(ServiceError::NotFound {
                code: "video.not_found",
            })?;
        Ok((lesson, video))
    }
}
