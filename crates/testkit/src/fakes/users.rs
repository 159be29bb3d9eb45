//! A `UserRepository` in memory, with the adapter's rules: one account per
//! email, `NotFound` for an unknown id, the token version raised by a new
//! password, by `bump_token_version` and by a deactivation.

use async_trait::async_trait;
use bilim_domain::ports::{AuditEntry, UserRepository};
use bilim_domain::users::{AccountChanges, NewUser, ProfileChanges, School, User, UserRole};
use bilim_domain::{DomainError, DomainResult};
use chrono::{DateTime, Utc};
use std::collections::HashMap;
use std::sync::{Mutex, MutexGuard, PoisonError};
use uuid::Uuid;

#[derive(Default)]
pub struct InMemoryUserRepository {
    users: Mutex<HashMap<Uuid, User>>,
    /// The entries of `update_account`, committed with their change.
    audits: Mutex<Vec<AuditEntry>>,
}

impl InMemoryUserRepository {
    pub fn new() -> Self {
        Self::default()
    }

    /// The audit entries written with account changes, oldest first.
    pub fn audits(&self) -> Vec<AuditEntry> {
        self.audits
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .clone()
    }

    /// Stores a user as it is, for a test's starting state.
    pub fn put(&self, user: User) {
        self.lock().insert(user.id, user);
    }

    /// An active student, or whatever `role` says, stored and returned.
    pub fn add(&self, email: &str, role: UserRole, now: DateTime<Utc>) -> User {
        let user = User {
            id: Uuid::now_v7(),
            first_name: "Aziz".into(),
            last_name: "Karimov".into(),
            email: email.to_owned(),
            phone: None,
            password_hash: String::new(),
            avatar_key: None,
            role,
            active: true,
            email_verified_at: Some(now),
            last_login_at: None,
            token_version: 0,
            created_at: now,
            updated_at: now,
            balance: 0,
            school: None,
            username: None,
            sex: None,
            tg_id: None,
            last_seen_at: None,
        };
        self.put(user.clone());
        user
    }

    pub fn get(&self, id: Uuid) -> Option<User> {
        self.lock().get(&id).cloned()
    }

    fn lock(&self) -> MutexGuard<'_, HashMap<Uuid, User>> {
        self.users.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Applies `change` to the user `id` and stamps `updated_at`.
    fn update<T>(
        &self,
        id: Uuid,
        now: DateTime<Utc>,
        change: impl FnOnce(&mut User) -> T,
    ) -> DomainResult<T> {
        let mut users = self.lock();
        let user = users.get_mut(&id).ok_or(DomainError::NotFound)?;
        let out = change(user);
        user.updated_at = now;
        Ok(out)
    }
}

#[async_trait]
impl UserRepository for InMemoryUserRepository {
    async fn insert(&self, new: NewUser) -> DomainResult<User> {
        let mut users = self.lock();
        if users.values().any(|u| u.email == new.email.as_str()) {
            return Err(DomainError::Conflict {
                what: "email".into(),
            });
        }
        let user = User {
            id: new.id,
            first_name: new.first_name.to_string(),
            last_name: new.last_name.to_string(),
            email: new.email.to_string(),
            phone: new.phone.map(|phone| phone.to_string()),
            password_hash: new.password_hash,
            avatar_key: None,
            role: new.role,
            active: true,
            email_verified_at: new.email_verified_at,
            last_login_at: None,
            token_version: 0,
            created_at: new.now,
            updated_at: new.now,
            balance: 0,
            school: None,
            username: None,
            sex: None,
            tg_id: None,
            last_seen_at: None,
        };
        users.insert(user.id, user.clone());
        Ok(user)
    }

    async fn set_school(
        &self,
        id: Uuid,
        school: &School,
        now: DateTime<Utc>,
    ) -> DomainResult<User> {
        let mut users = self.lock();
        let user = users.get_mut(&id).ok_or(DomainError::NotFound)?;
        user.school = Some(school.clone());
        user.updated_at = now;
        Ok(user.clone())
    }

    async fn find_by_id(&self, id: Uuid) -> DomainResult<Option<User>> {
        Ok(self.get(id))
    }

    async fn find_by_email(&self, email: &str) -> DomainResult<Option<User>> {
        Ok(self.lock().values().find(|u| u.email == email).cloned())
    }

    async fn update_profile(
        &self,
        id: Uuid,
        changes: ProfileChanges,
        now: DateTime<Utc>,
    ) -> DomainResult<User> {
        self.update(id, now, |user| {
            if let Some(first_name) = changes.first_name {
                user.first_name = first_name.to_string();
            }
            if let Some(last_name) = changes.last_name {
                user.last_name = last_name.to_string();
            }
            if let Some(phone) = changes.phone {
                user.phone = phone.map(|phone| phone.to_string());
            }
            if let Some(username) = changes.username {
                user.username = Some(username.to_string());
            }
            user.clone()
        })
    }

    async fn set_password(
        &self,
        id: Uuid,
        password_hash: &str,
        now: DateTime<Utc>,
    ) -> DomainResult<()> {
        self.update(id, now, |user| {
            user.password_hash = password_hash.to_owned();
            user.token_version += 1;
        })
    }

    async fn set_avatar(
        &self,
        id: Uuid,
        avatar_key: &str,
        now: DateTime<Utc>,
    ) -> DomainResult<Option<String>> {
        self.update(id, now, |user| {
            user.avatar_key.replace(avatar_key.to_owned())
        })
    }

    async fn bump_token_version(&self, id: Uuid, now: DateTime<Utc>) -> DomainResult<()> {
        self.update(id, now, |user| user.token_version += 1)
    }

    async fn set_active(&self, id: Uuid, active: bool, now: DateTime<Utc>) -> DomainResult<()> {
        let mut users = self.lock();
        let user = users.get_mut(&id).ok_or(DomainError::NotFound)?;
        // Setting the value the user already has writes nothing.
        if user.active != active {
            user.active = active;
            if !active {
                user.token_version += 1;
            }
            user.updated_at = now;
        }
        Ok(())
    }

    async fn update_account(
        &self,
        id: Uuid,
        changes: AccountChanges,
        now: DateTime<Utc>,
        audit: &AuditEntry,
    ) -> DomainResult<User> {
        let mut users = self.lock();
        let user = users.get_mut(&id).ok_or(DomainError::NotFound)?;
        if let Some(role) = changes.role {
            user.role = role;
        }
        if let Some(active) = changes.active
            && user.active != active
        {
            user.active = active;
            if !active {
                user.token_version += 1;
            }
        }
        user.updated_at = now;
        let user = user.clone();
        drop(users);
        self.audits
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .push(audit.clone());
        Ok(user)
    }

    async fn record_login(&self, id: Uuid, at: DateTime<Utc>) -> DomainResult<()> {
        let mut users = self.lock();
        let user = users.get_mut(&id).ok_or(DomainError::NotFound)?;
        user.last_login_at = Some(at);
        Ok(())
    }

    async fn find_by_username(&self, username: &str) -> DomainResult<Option<User>> {
        Ok(self
            .lock()
            .values()
            .find(|u| u.username.as_deref() == Some(username))
            .cloned())
    }

    async fn record_seen(&self, id: Uuid, now: DateTime<Utc>) -> DomainResult<()> {
        let mut users = self.lock();
        if let Some(user) = users.get_mut(&id)
            && user.seen_is_stale(now)
        {
            user.last_seen_at = Some(now);
        }
        Ok(())
    }

    async fn mark_email_verified(&self, id: Uuid, at: DateTime<Utc>) -> DomainResult<()> {
        let mut users = self.lock();
        if let Some(user) = users.get_mut(&id) {
            user.email_verified_at.get_or_insert(at);
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn versions_rise_with_passwords_and_deactivation() -> DomainResult<()> {
        let users = InMemoryUserRepository::new();
        let now = Utc::now();
        let user = users.add("a@b.uz", UserRole::Student, now);
        users.set_password(user.id, "hash", now).await?;
        users.set_active(user.id, false, now).await?;
        users.set_active(user.id, false, now).await?;
        let stored = users.find_by_email("a@b.uz").await?;
        assert_eq!(
            stored.map(|u| (u.token_version, u.active)),
            Some((2, false))
        );
        assert_eq!(
            users.bump_token_version(Uuid::nil(), now).await,
            Err(DomainError::NotFound)
        );
        Ok(())
    }
}
