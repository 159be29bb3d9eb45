//! User management: the filtered, paginated list with totals, one user, and
//! changing a user's `active` flag or role (one transaction with its audit
//! entry). Deactivation ends every session of the user at once.

use super::{Actor, Auditor};
use crate::paging::{Page, PageRequest, page};
use crate::sessions::Sessions;
use crate::{ServiceError, ServiceResult};
use bilim_domain::DomainError;
use bilim_domain::admins::Admin;
use bilim_domain::ports::{
    Clock, UserDirectory, UserQuery, UserRepository, UserStatus, UserTotals,
};
use bilim_domain::sessions::Audience;
use bilim_domain::users::{AccountChanges, User, UserRole};
use serde_json::json;
use std::net::IpAddr;
use std::sync::Arc;
use uuid::Uuid;

/// A page of users and the totals of the whole table.
#[derive(Debug, Clone)]
pub struct UserList {
    pub page: Page<User>,
    pub totals: UserTotals,
}

/// `PATCH /admin/users/{id}`; absent fields stay.
#[derive(Debug, Clone, Default)]
pub struct UserChanges {
    pub active: Option<bool>,
    pub role: Option<String>,
}

#[derive(Clone)]
pub struct AdminUsers {
    pub(crate) users: Arc<dyn UserRepository>,
    pub(crate) directory: Arc<dyn UserDirectory>,
    pub(crate) sessions: Sessions,
    pub(crate) auditor: Auditor,
    pub(crate) clock: Arc<dyn Clock>,
}

fn not_found() -> ServiceError {
    ServiceError::NotFound {
        code: "user.not_found",
    }
}

impl AdminUsers {
    pub fn new(
        users: Arc<dyn UserRepository>,
        directory: Arc<dyn UserDirectory>,
        sessions: Sessions,
        auditor: Auditor,
        clock: Arc<dyn Clock>,
    ) -> Self {
        Self {
            users,
            directory,
            sessions,
            auditor,
            clock,
        }
    }

    #[tracing::instrument(skip_all)]
    pub async fn list(
        &self,
        status: Option<&str>,
        search: Option<&str>,
        request: &PageRequest,
    ) -> ServiceResult<UserList> {
        let status = match status.unwrap_or("all") {
            "active" => UserStatus::Active,
            "inactive" => UserStatus::Inactive,
            "all" => UserStatus::All,
            _ => {
                return Err(ServiceError::validation(
                    "status",
                    "validation",
                    "must be active, inactive or all",
                ));
            }
        };
        let search = search
            .map(|q| q.trim().to_lowercase())
            .filter(|q| !q.is_empty());
        if search.as_ref().is_some_and(|q| q.chars().count() > 100) {
            return Err(ServiceError::validation(
                "q",
                "validation",
                "must be at most 100 characters",
            ));
        }
        let limit = request.limit()?;
        let query = UserQuery {
            status,
            search,
            after: request.after()?,
            limit: limit + 1,
        };
        let (rows, totals) =
            tokio::try_join!(self.directory.list(&query), self.directory.totals())?;
        Ok(UserList {
            page: page(rows, limit, |u| u.id),
            totals,
        })
    }

    pub async fn get(&self, id: Uuid) -> ServiceResult<User> {
        self.users.find_by_id(id).await?.ok_or_else(not_found)
    }

    #[tracing::instrument(skip_all, fields(admin = %admin.id, user = %id))]
    pub async fn update(
        &self,
        admin: &Admin,
        id: Uuid,
        changes: UserChanges,
        ip: IpAddr,
    ) -> ServiceResult<User> {
        let role = match changes.role.as_deref() {
            None => None,
            Some(raw) => Some(UserRole::parse(raw).ok_or_else(|| {
                ServiceError::validation("role", "validation", "must be student or teacher")
            })?),
        };
        let user = self.get(id).await?;
        let mut account = AccountChanges::default();
        let mut changed = serde_json::Map::new();
        if let Some(role) = role.filter(|r| *r != user.role) {
            account.role = Some(role);
            changed.insert(
                "role".into(),
                json!({ "from": user.role.as_str(), "to": role.as_str() }),
            );
        }
        if let Some(active) = changes.active.filter(|a| *a != user.active) {
            account.active = Some(active);
            changed.insert(
                "active".into(),
                json!({ "from": user.active, "to": active }),
            );
        }
        // Only real changes are audited, with what they were before.
        if changed.is_empty() {
            return Ok(user);
        }
        let now = self.clock.now();
        let actor = Actor { admin, ip };
        let updated = self
            .auditor
            .audited(
                &actor,
                "user.update",
                ("user", id.to_string()),
                changed.into(),
                |entry| async move {
                    self.users
                        .update_account(id, account, now, &entry)
                        .await
                        .map_err(|error| match error {
                            DomainError::NotFound => not_found(),
                            other => other.into(),
                        })
                },
            )
            .await?;
        if account.active == Some(false) {
            self.sessions.end_all(Audience::User, id, None).await?;
        }
        Ok(updated)
    }
}
