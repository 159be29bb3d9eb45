//! The access rule every learning route shares, and the user's standing.

use super::Learning;
use crate::{ServiceError, ServiceResult};
use bilim_domain::learning::{AccessState, Grant, Holdings};
use bilim_domain::ports::{AccessRepository, Clock};
use chrono::{DateTime, Utc};
use std::collections::HashSet;
use uuid::Uuid;

/// Everything opened to a user, and the moment `active` was judged at.
#[derive(Debug, Clone)]
pub struct Standing {
    pub holdings: Holdings,
    pub as_of: DateTime<Utc>,
}

impl Standing {
    pub(super) async fn of(
        access: &dyn AccessRepository,
        clock: &dyn Clock,
        user_id: Uuid,
    ) -> ServiceResult<Self> {
        Ok(Self {
            holdings: access.holdings(user_id).await?,
            as_of: clock.now(),
        })
    }
}

impl Learning {
    /// Everything opened to `user_id`.
    pub async fn standing(&self, user_id: Uuid) -> ServiceResult<Standing> {
        Standing::of(self.access.as_ref(), self.clock.as_ref(), user_id).await
    }

    /// The user's grant on the course, or why there is none to use:
    /// 403 `access.none` (never granted, or revoked) or `access.expired`.
    pub(super) async fn active_grant(
        &self,
        user_id: Uuid,
        course_id: Uuid,
    ) -> ServiceResult<Grant> {
        let grant = self.access.grant_of(user_id, course_id).await?;
        match grant.as_ref().map(|g| g.state(self.clock.now())) {
            Some(AccessState::Active) => grant.ok_or(ServiceError::Forbidden {
                code: "access.none",
            }),
            Some(AccessState::Expired) => Err(ServiceError::Forbidden {
                code: "access.expired",
            }),
            Some(AccessState::Revoked) | None => Err(ServiceError::Forbidden {
                code: "access.none",
            }),
        }
    }

    /// Whether the user has passed every test of the course's lessons.
    pub(super) async fn tests_passed(&self, user_id: Uuid, course_id: Uuid) -> ServiceResult<bool> {
        let Some(tree) = self.reader.course_tree(course_id).await? else {
            return Ok(true);
        };
        if tree.tests.is_empty() {
            return Ok(true);
        }
        let passed: HashSet<Uuid> = self
            .progress
            .passed_tests(user_id, course_id)
            .await?
            .into_iter()
            .collect();
        Ok(tree.tests.iter().all(|test| passed.contains(&test.id)))
    }

    /// Whether the user has completed the video of `lesson`, or with `None`
    /// every video of the course. Lessons without a video ask for nothing.
    pub(super) async fn videos_watched(
        &self,
        user_id: Uuid,
        course_id: Uuid,
        lesson: Option<Uuid>,
    ) -> ServiceResult<bool> {
        let (with_video, completed) = tokio::try_join!(
            self.videos.lessons_with_video(course_id),
            self.progress.completed_lessons(user_id, course_id),
        )?;
        let completed: HashSet<Uuid> = completed.into_iter().collect();
        Ok(with_video
            .iter()
            .filter(|id| lesson.is_none_or(|only| only == **id))
            .all(|id| completed.contains(id)))
    }
}

/// Turns "no active access" into the route's own 403 `code`, keeping any other
/// error (a database outage stays a 503).
pub(super) fn locked_without_access(code: &'static str) -> impl Fn(ServiceError) -> ServiceError {
    move |error| match error {
        ServiceError::Forbidden { .. } => ServiceError::Locked { code },
        other => other,
    }
}
