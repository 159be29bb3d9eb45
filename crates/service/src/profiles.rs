//! The signed-in user's own profile: read, change names and phone, avatar,
//! password change (other sessions end), and deactivation (data kept).

use crate::accounts::AuthUser;
use crate::cpu_pool::CpuPool;
use crate::files::FileService;
use crate::input::Invalid;
use crate::limits::RateLimits;
use crate::passwords::Passwords;
use crate::sessions::Sessions;
use crate::uploads::{FormPart, read_image};
use crate::{ServiceError, ServiceResult};
use bilim_domain::DomainError;
use bilim_domain::ports::{Clock, FileKey, FileStore, UserRepository};
use bilim_domain::sessions::Audience;
use bilim_domain::users::{ProfileChanges, School, User};
use bilim_domain::values::{Handle, Password, PersonName, Phone};
use futures_util::Stream;
use std::sync::Arc;

/// 409 `user.username_taken`.
pub fn username_taken() -> ServiceError {
    ServiceError::Conflict {
        code: "user.username_taken",
        message: "This username is taken; choose another.".into(),
    }
}

/// How long an avatar link in a response stays valid.
const AVATAR_LINK_TTL: chrono::Duration = chrono::Duration::days(7);

/// `PATCH /users/me` as received; absent fields stay as they are.
#[derive(Debug, Clone, Default)]
pub struct ProfileInput {
    pub first_name: Option<String>,
    pub last_name: Option<String>,
    /// `Some(None)` (JSON `null` or an empty string) removes the phone.
    pub phone: Option<Option<String>>,
    /// Must be free: 409 `user.username_taken`.
    pub username: Option<String>,
}

#[derive(Clone)]
pub struct Profiles {
    pub(crate) users: Arc<dyn UserRepository>,
    pub(crate) passwords: Passwords,
    pub(crate) sessions: Sessions,
    pub(crate) store: Arc<dyn FileStore>,
    pub(crate) files: FileService,
    pub(crate) clock: Arc<dyn Clock>,
    /// Avatar images are decoded here, a few at a time.
    pub(crate) images: CpuPool,
    pub(crate) limits: RateLimits,
}

impl Profiles {
    /// Avatars are stored through `files`' store and linked by `files`.
    pub fn new(
        users: Arc<dyn UserRepository>,
        passwords: Passwords,
        sessions: Sessions,
        files: FileService,
        limits: RateLimits,
        clock: Arc<dyn Clock>,
    ) -> Self {
        Self {
            users,
            passwords,
            sessions,
            store: Arc::clone(files.store()),
            files,
            clock,
            images: crate::avatar::image_pool(),
            limits,
        }
    }

    /// Seen within the last five minutes (`User::online`), by this clock.
    pub fn online(&self, user: &User) -> bool {
        user.online(self.clock.now())
    }

    /// A signed link to the user's avatar, if there is one.
    pub fn avatar_url(&self, user: &User) -> Option<String> {
        let key = FileKey::parse(user.avatar_key.as_deref()?).ok()?;
        Some(self.files.link(&key, AVATAR_LINK_TTL).url)
    }

    #[tracing::instrument(skip_all, fields(user = %user.id))]
    /// Sets the user's school (document 002's `SchoolData`).
    pub async fn set_school(&self, user: &User, school: School) -> ServiceResult<User> {
        Ok(self
            .users
            .set_school(user.id, &school, self.clock.now())
            .await?)
    }

    pub async fn update(&self, user: &User, input: ProfileInput) -> ServiceResult<User> {
        let mut invalid = Invalid::default();
        let changes = ProfileChanges {
            first_name: input
                .first_name
                .and_then(|raw| invalid.check(PersonName::parse("first_name", &raw))),
            last_name: input
                .last_name
                .and_then(|raw| invalid.check(PersonName::parse("last_name", &raw))),
            phone: match input.phone {
                None => None,
                Some(raw) => match raw.as_deref().map(str::trim).filter(|p| !p.is_empty()) {
                    None => Some(None),
                    Some(raw) => invalid.check(Phone::parse(raw)).map(Some),
                },
            },
            username: input
                .username
                .and_then(|raw| invalid.check(Handle::parse(&raw))),
        };
        invalid.finish()?;
        match self
            .users
            .update_profile(user.id, changes, self.clock.now())
            .await
        {
            Err(DomainError::Conflict { what }) if what == "username" => Err(username_taken()),
            other => Ok(other?),
        }
    }

    /// Sets the avatar from an upload form: its `image` field, read into
    /// memory (at most `MAX_AVATAR_BYTES`), then [`Self::set_avatar`].
    pub async fn upload_avatar<P, C, E>(
        &self,
        user: &User,
        announced: Option<u64>,
        parts: P,
    ) -> ServiceResult<String>
    where
        P: Stream<Item = ServiceResult<FormPart<C>>> + Unpin,
        C: Stream<Item = Result<Vec<u8>, E>> + Unpin,
        E: std::fmt::Display,
    {
        let image = read_image(announced, parts).await?;
        self.set_avatar(user, image).await
    }

    /// Stores a cleaned copy of the image under a random key and removes the
    /// previous one.
    #[tracing::instrument(skip_all, fields(user = %user.id))]
    pub async fn set_avatar(&self, user: &User, image: Vec<u8>) -> ServiceResult<String> {
        let jpeg = crate::avatar::clean(&self.images, image).await?;
        let key = FileKey::parse(&format!("avatars/{}.jpg", uuid::Uuid::new_v4().simple()))?;
        self.store.put(&key, &jpeg).await?;
        let previous = self
            .users
            .set_avatar(user.id, key.as_str(), self.clock.now())
            .await?;
        if let Some(previous) = previous.as_deref().and_then(|k| FileKey::parse(k).ok())
            && let Err(error) = self.store.delete(&previous).await
        {
            tracing::warn!(%error, key = %previous, "old avatar not deleted");
        }
        Ok(self.files.link(&key, AVATAR_LINK_TTL).url)
    }

    /// Needs the current password. Every access token dies (the caller refreshes
    /// with its own refresh token); every other session ends.
    #[tracing::instrument(skip_all, fields(user = %auth.user.id))]
    pub async fn change_password(
        &self,
        auth: &AuthUser,
        current: &str,
        new: &str,
    ) -> ServiceResult<()> {
        let user = &auth.user;
        self.limits.password_try(user.id).await?;
        if !self
            .passwords
            .verify(current, Some(&user.password_hash))
            .await?
        {
            return Err(ServiceError::validation(
                "current_password",
                "password.current_invalid",
                "The current password is not right.",
            ));
        }
        self.limits.password_right(user.id).await?;
        let password = Password::parse("new_password", new)?;
        let context = vec![
            user.first_name.clone(),
            user.last_name.clone(),
            user.email.clone(),
        ];
        self.passwords
            .check_strength("new_password", &password, context)
            .await?;
        let hash = self.passwords.hash(&password).await?;
        self.users
            .set_password(user.id, &hash, self.clock.now())
            .await?;
        self.sessions
            .end_all(Audience::User, user.id, Some(auth.family_id))
            .await
    }

    /// Soft delete: the account is deactivated and every token stops working;
    /// the data stays.
    #[tracing::instrument(skip_all, fields(user = %user.id))]
    pub async fn deactivate(&self, user: &User) -> ServiceResult<()> {
        self.users
            .set_active(user.id, false, self.clock.now())
            .await?;
        self.sessions.end_all(Audience::User, user.id, None).await
    }
}
