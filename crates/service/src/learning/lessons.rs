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

/// Reported positions may run this many times faster than the clock since the
/// video link was first issued (playback at up to 2× speed).
const SPEED_SLACK: i64 = 2;

/// How long the time of a lesson's first video link is kept for its user.
const WATCH_KEPT: std::time::Duration = std::time::Duration::from_secs(7 * 24 * 3600);

fn watch_key(user_id: Uuid, lesson_id: Uuid) -> String {
    format!("watch:{user_id}:{lesson_id}")
}

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
        if self.watch_started(user_id, lesson_id).await?.is_none() {
            let now = self.clock.now().timestamp_millis().to_string();
            self.watches
                .set(&watch_key(user_id, lesson_id), now.as_bytes(), WATCH_KEPT)
                .await?;
        }
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
    /// watched, and stays watched, once a reported position (`completed` is
    /// the end) reaches 90 % of the duration and is no further than twice the
    /// time since the user's first video link of the lesson: a client's word
    /// alone watches nothing.
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
        let reported = i64::from(if input.completed { duration } else { position });
        let now = self.clock.now();
        let watched_for = match self.watch_started(user_id, lesson_id).await? {
            Some(started) => (now - started).num_seconds().max(0),
            None => 0,
        };
        let credible = reported <= watched_for.saturating_mul(SPEED_SLACK);
        let reached = reported * 100 >= i64::from(duration) * WATCHED_PERCENT;
        Ok(self
            .progress
            .record(user_id, lesson_id, position, credible && reached, now)
            .await?)
    }

    /// When the user's first video link of the lesson was issued, if one was
    /// (within `WATCH_KEPT`). A value that does not read is logged and taken
    /// as none.
    async fn watch_started(
        &self,
        user_id: Uuid,
        lesson_id: Uuid,
    ) -> ServiceResult<Option<DateTime<Utc>>> {
        let key = watch_key(user_id, lesson_id);
        let Some(bytes) = self.watches.get(&key).await? else {
            return Ok(None);
        };
        let started = std::str::from_utf8(&bytes)
            .ok()
            .and_then(|text| text.parse::<i64>().ok())
            .and_then(DateTime::from_timestamp_millis);
        if started.is_none() {
            tracing::warn!(
                key,
                "unreadable watch start in the ephemeral store; taken as none"
            );
        }
        Ok(started)
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

impl Learning {
    /// `GET /users/me/progress`: every course the user holds or held a grant
    /// on (an expired or revoked one too, so past work stays visible), with
    /// watched lessons and passed tests per module.
    #[tracing::instrument(skip(self))]
    pub async fn progress_report(
        &self,
        user_id: Uuid,
    ) -> ServiceResult<Vec<bilim_domain::learning::CourseProgress>> {
        Ok(self.progress.report(user_id).await?)
    }
}
