//! What admins do with access: grant (open or extend) courses, revoke, and
//! allow one more workbook download or certificate claim. Every change is
//! audited in the transaction that makes it (`Auditor::audited`).

use super::Standing;
use crate::admin::Actor;
use crate::admin::Auditor;
use crate::{ServiceError, ServiceResult};
use bilim_domain::DomainError;
use bilim_domain::learning::{CourseAccess, GrantTerm};
use bilim_domain::ports::{
    AccessRepository, AuditEntry, CatalogueReader, ClaimRepository, Clock, UserRepository,
};
use chrono::{DateTime, Months, Utc};
use serde_json::json;
use std::sync::Arc;
use uuid::Uuid;

/// Courses one grant request may open at most.
pub const MAX_COURSES_PER_GRANT: usize = 50;
const MONTHS_RANGE: std::ops::RangeInclusive<u32> = 1..=60;

/// The grants one request opened or extended, and the moment they were.
#[derive(Debug, Clone)]
pub struct Granted {
    pub items: Vec<CourseAccess>,
    pub as_of: DateTime<Utc>,
}

/// `POST /admin/users/{id}/courses`.
#[derive(Debug, Clone, Default)]
pub struct GrantInput {
    pub course_ids: Vec<Uuid>,
    /// 1..=60; default each course's own `access_months`.
    pub months: Option<u32>,
    /// An exact end instead of `months`.
    pub expires_at: Option<DateTime<Utc>>,
}

#[derive(Clone)]
pub struct AdminAccess {
    pub(crate) access: Arc<dyn AccessRepository>,
    pub(crate) claims: Arc<dyn ClaimRepository>,
    pub(crate) reader: Arc<dyn CatalogueReader>,
    pub(crate) users: Arc<dyn UserRepository>,
    pub(crate) auditor: Auditor,
    pub(crate) clock: Arc<dyn Clock>,
}

impl AdminAccess {
    pub fn new(
        access: Arc<dyn AccessRepository>,
        claims: Arc<dyn ClaimRepository>,
        reader: Arc<dyn CatalogueReader>,
        users: Arc<dyn UserRepository>,
        auditor: Auditor,
        clock: Arc<dyn Clock>,
    ) -> Self {
        Self {
            access,
            claims,
            reader,
            users,
            auditor,
            clock,
        }
    }

    /// The user's grants and claims, for `GET /admin/users/{id}`.
    pub async fn standing(&self, user_id: Uuid) -> ServiceResult<Standing> {
        self.require_user(user_id).await?;
        Standing::of(self.access.as_ref(), self.clock.as_ref(), user_id).await
    }

    /// Opens or extends each course for the user, in one transaction, and
    /// gives them the courses' workbooks and certificates. The expiry is fixed
    /// now: changing a course's `access_months` later does not move it.
    #[tracing::instrument(skip_all, fields(admin = %actor.admin.id, user = %user_id))]
    pub async fn grant(
        &self,
        actor: &Actor<'_>,
        user_id: Uuid,
        input: GrantInput,
    ) -> ServiceResult<Granted> {
        let now = self.clock.now();
        let course_ids = validate(&input, now)?;
        self.require_user(user_id).await?;
        let mut terms = Vec::with_capacity(course_ids.len());
        let mut titles = Vec::with_capacity(course_ids.len());
        for course_id in course_ids {
            let course = self
                .reader
                .course(course_id)
                .await?
                .ok_or(ServiceError::NotFound {
                    code: "course.not_found",
                })?;
            let expires_at = match input.expires_at {
                Some(at) => at,
                None => {
                    let months = input
                        .months
                        .unwrap_or_else(|| u32::try_from(course.access_months).unwrap_or(6));
                    now.checked_add_months(Months::new(months))
                        .ok_or_else(|| ServiceError::Internal("expiry overflow".to_owned()))?
                }
            };
            terms.push(GrantTerm {
                course_id,
                expires_at,
            });
            titles.push(course.title);
        }
        // The asked ends: a repeat never shortens access, so a grant may end
        // later than its term here (the answer tells the end it has).
        let details: Vec<_> = terms
            .iter()
            .map(|t| json!({ "course_id": t.course_id, "expires_at": t.expires_at }))
            .collect();
        let grants = self
            .auditor
            .audited(
                actor,
                "user.grant",
                ("user", user_id.to_string()),
                json!({ "courses": details }),
                |entry| async move {
                    self.access
                        .grant(user_id, &terms, actor.admin.id, now, &entry)
                        .await
                        .map_err(not_found("course.not_found"))
                },
            )
            .await?;
        let items = grants
            .into_iter()
            .zip(titles)
            .map(|(grant, course_title)| CourseAccess {
                grant,
                course_title,
            })
            .collect();
        Ok(Granted { items, as_of: now })
    }

    /// Ends the user's access to the course now.
    #[tracing::instrument(skip_all, fields(admin = %actor.admin.id, user = %user_id))]
    pub async fn revoke(
        &self,
        actor: &Actor<'_>,
        user_id: Uuid,
        course_id: Uuid,
    ) -> ServiceResult<()> {
        self.require_user(user_id).await?;
        let now = self.clock.now();
        self.audit(
            actor,
            "user.revoke",
            user_id,
            json!({ "course_id": course_id }),
            |entry| async move {
                self.access
                    .revoke(user_id, course_id, now, &entry)
                    .await
                    .map_err(not_found("access.not_found"))
            },
        )
        .await
    }

    /// Allows the user one more download of the workbook.
    #[tracing::instrument(skip_all, fields(admin = %actor.admin.id, user = %user_id))]
    pub async fn reset_workbook(
        &self,
        actor: &Actor<'_>,
        user_id: Uuid,
        workbook_id: Uuid,
    ) -> ServiceResult<()> {
        self.require_user(user_id).await?;
        self.audit(
            actor,
            "user.workbook_reset",
            user_id,
            json!({ "workbook_id": workbook_id }),
            |entry| async move {
                self.claims
                    .reset_workbook(user_id, workbook_id, &entry)
                    .await
                    .map_err(not_found("workbook.not_found"))
            },
        )
        .await
    }

    /// Allows the user to claim the certificate once more (same serial).
    #[tracing::instrument(skip_all, fields(admin = %actor.admin.id, user = %user_id))]
    pub async fn reset_certificate(
        &self,
        actor: &Actor<'_>,
        user_id: Uuid,
        certificate_id: Uuid,
    ) -> ServiceResult<()> {
        self.require_user(user_id).await?;
        self.audit(
            actor,
            "user.certificate_reset",
            user_id,
            json!({ "certificate_id": certificate_id }),
            |entry| async move {
                self.claims
                    .reset_certificate(user_id, certificate_id, &entry)
                    .await
                    .map_err(not_found("certificate.not_found"))
            },
        )
        .await
    }

    async fn require_user(&self, user_id: Uuid) -> ServiceResult<()> {
        match self.users.find_by_id(user_id).await? {
            Some(_) => Ok(()),
            None => Err(ServiceError::NotFound {
                code: "user.not_found",
            }),
        }
    }

    /// Runs `op`, a change of the user's access, with its audit entry.
    async fn audit<F, Fut>(
        &self,
        actor: &Actor<'_>,
        action: &str,
        user_id: Uuid,
        details: serde_json::Value,
        op: F,
    ) -> ServiceResult<()>
    where
        F: FnOnce(AuditEntry) -> Fut,
        Fut: Future<Output = ServiceResult<()>>,
    {
        self.auditor
            .audited(actor, action, ("user", user_id.to_string()), details, op)
            .await
    }
}

fn not_found(code: &'static str) -> impl FnOnce(DomainError) -> ServiceError {
    move |error| match error {
        DomainError::NotFound => ServiceError::NotFound { code },
        other => other.into(),
    }
}

/// Checks the request and returns its course ids without repeats, in order.
fn validate(input: &GrantInput, now: DateTime<Utc>) -> ServiceResult<Vec<Uuid>> {
    let mut course_ids = Vec::with_capacity(input.course_ids.len());
    for id in &input.course_ids {
        if !course_ids.contains(id) {
            course_ids.push(*id);
        }
    }
    if course_ids.is_empty() || course_ids.len() > MAX_COURSES_PER_GRANT {
        return Err(ServiceError::validation(
            "course_ids",
            "validation",
            format!("must name 1 to {MAX_COURSES_PER_GRANT} courses"),
        ));
    }
    if input.months.is_some() && input.expires_at.is_some() {
        return Err(ServiceError::validation(
            "expires_at",
            "validation",
            "give either months or expires_at, not both",
        ));
    }
    if input.months.is_some_and(|m| !MONTHS_RANGE.contains(&m)) {
        return Err(ServiceError::validation(
            "months",
            "validation",
            "must be 1 to 60",
        ));
    }
    if let Some(at) = input.expires_at {
        let latest = now.checked_add_months(Months::new(*MONTHS_RANGE.end()));
        if at <= now || latest.is_some_and(|latest| at > latest) {
            return Err(ServiceError::validation(
                "expires_at",
                "validation",
                "must be in the future and at most 60 months away",
            ));
        }
    }
    Ok(course_ids)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn input(months: Option<u32>, expires_at: Option<DateTime<Utc>>) -> GrantInput {
        GrantInput {
            course_ids: vec![Uuid::nil(), Uuid::nil(), Uuid::max()],
            months,
            expires_at,
        }
    }

    #[test]
    fn repeated_courses_count_once() {
        let now = Utc::now();
        assert_eq!(
            validate(&input(None, None), now).ok(),
            Some(vec![Uuid::nil(), Uuid::max()])
        );
    }

    #[test]
    fn months_and_expiry_are_checked() {
        let now = Utc::now();
        for bad in [
            input(Some(0), None),
            input(Some(61), None),
            input(Some(6), Some(now + chrono::Duration::days(1))),
            input(None, Some(now)),
            input(None, Some(now + chrono::Duration::days(365 * 6))),
        ] {
            assert!(validate(&bad, now).is_err(), "{bad:?} was accepted");
        }
        assert!(validate(&input(Some(60), None), now).is_ok());
        assert!(validate(&input(None, Some(now + chrono::Duration::days(30))), now).is_ok());
    }

    #[test]
    fn no_course_or_too_many_is_refused() {
        let now = Utc::now();
        let none = GrantInput::default();
        let many = GrantInput {
            course_ids: (0..51).map(|_| Uuid::now_v7()).collect(),
            ..GrantInput::default()
        };
        assert!(validate(&none, now).is_err());
        assert!(validate(&many, now).is_err());
    }
}
