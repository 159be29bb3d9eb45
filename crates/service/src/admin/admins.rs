//! Admin accounts: created from the command line (the first one) or by a super
//! admin; listed by super admins only.

use super::{Actor, Auditor, require_super};
use crate::input::Invalid;
use crate::paging::{Page, PageRequest, page};
use crate::passwords::Passwords;
use crate::{ServiceError, ServiceResult};
use bilim_domain::DomainError;
use bilim_domain::admins::{Admin, AdminChanges, AdminRole, NewAdmin};
use bilim_domain::ports::{AdminRepository, AuditEntry, Clock};
use bilim_domain::values::{Email, Password, Username};
use serde_json::json;
use std::net::IpAddr;
use std::sync::Arc;
use uuid::Uuid;

/// A new admin as received (CLI or `POST /admin/admins`).
#[derive(Debug, Clone)]
pub struct AdminInput {
    pub username: String,
    pub email: String,
    pub password: String,
    pub role: AdminRole,
    pub tg_id: Option<i64>,
}

#[derive(Clone)]
pub struct Admins {
    pub(crate) admins: Arc<dyn AdminRepository>,
    pub(crate) passwords: Passwords,
    pub(crate) auditor: Auditor,
    pub(crate) clock: Arc<dyn Clock>,
}

impl Admins {
    pub fn new(
        admins: Arc<dyn AdminRepository>,
        passwords: Passwords,
        auditor: Auditor,
        clock: Arc<dyn Clock>,
    ) -> Self {
        Self {
            admins,
            passwords,
            auditor,
            clock,
        }
    }

    /// Creates an admin with no acting admin (the `create-admin` command).
    /// Not audited: an entry names the admin who acted, and none did.
    #[tracing::instrument(skip_all)]
    pub async fn create_first(&self, input: AdminInput) -> ServiceResult<Admin> {
        let new = self.prepare(input).await?;
        self.insert(new, None).await
    }

    /// `POST /admin/admins`: super admins only; audited in the transaction
    /// that inserts the admin.
    #[tracing::instrument(skip_all, fields(actor = %actor.id))]
    pub async fn create(
        &self,
        actor: &Admin,
        input: AdminInput,
        ip: IpAddr,
    ) -> ServiceResult<Admin> {
        require_super(actor)?;
        let new = self.prepare(input).await?;
        let details = json!({
            "username": new.username.as_str(),
            "email": new.email.as_str(),
            "role": new.role.as_str(),
        });
        let target = ("admin", new.id.to_string());
        self.auditor
            .audited(
                &Actor { admin: actor, ip },
                "admin.create",
                target,
                details,
                |entry| async move { self.insert(new, Some(&entry)).await },
            )
            .await
    }

    /// `PATCH /admin/admins/{id}`: super admins only; audited in the
    /// transaction of the change. The last active super admin cannot be
    /// deactivated or demoted (409 `admin.last_super`).
    #[tracing::instrument(skip_all, fields(actor = %actor.id, admin = %id))]
    pub async fn update(
        &self,
        actor: &Admin,
        id: Uuid,
        changes: AdminChanges,
        ip: IpAddr,
    ) -> ServiceResult<Admin> {
        require_super(actor)?;
        if let Some(Some(tg_id)) = changes.tg_id {
            bilim_domain::telegram::TelegramId::parse("tg_id", tg_id)?;
        }
        let mut details = serde_json::Map::new();
        if let Some(role) = changes.role {
            details.insert("role".into(), json!(role.as_str()));
        }
        if let Some(active) = changes.active {
            details.insert("active".into(), json!(active));
        }
        if let Some(tg_id) = changes.tg_id {
            details.insert("tg_id".into(), json!(tg_id));
        }
        let result = self
            .auditor
            .audited(
                &Actor { admin: actor, ip },
                "admin.update",
                ("admin", id.to_string()),
                serde_json::Value::Object(details),
                |entry| async move {
                    Ok(self
                        .admins
                        .update(id, changes, self.clock.now(), &entry)
                        .await?)
                },
            )
            .await;
        match result {
            Err(ServiceError::Conflict { .. }) => Err(ServiceError::Conflict {
                code: "admin.last_super",
                message: "At least one active super admin must remain.".into(),
            }),
            Err(ServiceError::NotFound { .. }) => Err(ServiceError::NotFound {
                code: "admin.not_found",
            }),
            other => other,
        }
    }

    pub async fn list(&self, actor: &Admin, request: &PageRequest) -> ServiceResult<Page<Admin>> {
        require_super(actor)?;
        let limit = request.limit()?;
        let rows = self.admins.list(request.after()?, limit + 1).await?;
        Ok(page(rows, limit, |a| a.id))
    }

    pub async fn count(&self) -> ServiceResult<u64> {
        Ok(self.admins.count().await?)
    }

    /// Checks a new admin's input as `create_first` does (names, email,
    /// password length and strength) and stores nothing: the `create-admin`
    /// prompt asks again for a refused password.
    pub async fn check_input(&self, input: &AdminInput) -> ServiceResult<()> {
        self.parse(input).await.map(|_| ())
    }

    /// Checks the input and the password's strength and hashes it: the admin
    /// to insert, with its id.
    async fn prepare(&self, input: AdminInput) -> ServiceResult<NewAdmin> {
        let (username, email, password) = self.parse(&input).await?;
        Ok(NewAdmin {
            id: Uuid::now_v7(),
            username,
            email,
            password_hash: self.passwords.hash(&password).await?,
            role: input.role,
            tg_id: input.tg_id,
            now: self.clock.now(),
        })
    }

    async fn parse(&self, input: &AdminInput) -> ServiceResult<(Username, Email, Password)> {
        let mut invalid = Invalid::default();
        let username = invalid.check(Username::parse(&input.username));
        let email = invalid.check(Email::parse(&input.email));
        let password = invalid.check(Password::parse("password", &input.password));
        invalid.finish()?;
        let (Some(username), Some(email), Some(password)) = (username, email, password) else {
            return Err(ServiceError::Internal("validated input is missing".into()));
        };
        let context = vec![username.to_string(), email.to_string()];
        self.passwords
            .check_strength("password", &password, context)
            .await?;
        Ok((username, email, password))
    }

    async fn insert(&self, new: NewAdmin, audit: Option<&AuditEntry>) -> ServiceResult<Admin> {
        match self.admins.insert(new, audit).await {
            Ok(admin) => {
                tracing::info!(admin = %admin.id, role = admin.role.as_str(), "admin created");
                Ok(admin)
            }
            Err(DomainError::Conflict { what }) if what == "username" => {
                Err(ServiceError::Conflict {
                    code: "admin.username_taken",
                    message: "An admin with this username exists.".into(),
                })
            }
            Err(DomainError::Conflict { .. }) => Err(ServiceError::Conflict {
                code: "admin.email_taken",
                message: "An admin with this email exists.".into(),
            }),
            Err(other) => Err(other.into()),
        }
    }
}
