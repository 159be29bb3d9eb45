//! Once-only workbook downloads.

use super::Learning;
use super::access::locked_without_access;
use crate::files::SignedLink;
use crate::{ServiceError, ServiceResult};
use bilim_domain::ports::FileKey;
use chrono::Duration;
use uuid::Uuid;

/// How long a workbook link works: long enough to retry a broken download,
/// never longer.
pub const WORKBOOK_LINK_TTL: Duration = Duration::hours(1);

const LOCKED: ServiceError = ServiceError::Locked {
    code: "workbook.locked",
};

impl Learning {
    /// Takes the user's one download of the workbook and returns its link.
    /// Needs active access and the videos the workbook asks for: a lesson's
    /// workbook that lesson's video, a course workbook every video of the
    /// course. Of any number of concurrent calls exactly one succeeds; the
    /// others get 409 `workbook.already_taken`.
    #[tracing::instrument(skip(self))]
    pub async fn download_workbook(
        &self,
        user_id: Uuid,
        workbook_id: Uuid,
    ) -> ServiceResult<SignedLink> {
        let workbook = self
            .reader
            .workbook(workbook_id)
            .await?
            .ok_or(ServiceError::NotFound {
                code: "workbook.not_found",
            })?;
        let claim = self
            .claims
            .workbook_claim(user_id, workbook_id)
            .await?
            .ok_or(LOCKED)?;
        self.active_grant(user_id, workbook.course_id)
            .await
            .map_err(locked_without_access("workbook.locked"))?;
        if !claim.available {
            return Err(already_taken());
        }
        if !self
            .videos_watched(user_id, workbook.course_id, workbook.lesson_id)
            .await?
        {
            return Err(LOCKED);
        }
        let key = FileKey::parse(&workbook.storage_key)?;
        if !self
            .claims
            .take_workbook(user_id, workbook_id, self.clock.now())
            .await?
        {
            return Err(already_taken());
        }
        tracing::info!(%user_id, %workbook_id, "workbook taken");
        Ok(self.files.download_link(&key, WORKBOOK_LINK_TTL).await)
    }
}

fn already_taken() -> ServiceError {
    ServiceError::Conflict {
        code: "workbook.already_taken",
        message: "This workbook has already been downloaded.".to_owned(),
    }
}
