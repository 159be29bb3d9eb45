//! `users` rows ⇄ domain users.

use crate::entities::users;
use bilim_domain::users::{NewUser, ProfileChanges, School, Sex, User, UserRole};
use bilim_domain::values::{District, Region, SchoolNumber};
use bilim_domain::{DomainError, DomainResult};
use chrono::{DateTime, Utc};
use sea_orm::ActiveValue::Set;

impl TryFrom<users::Model> for User {
    type Error = DomainError;

    fn try_from(row: users::Model) -> DomainResult<Self> {
        let role = UserRole::parse(&row.role).ok_or_else(|| {
            DomainError::internal(format!("users.role of {} is {:?}", row.id, row.role))
        })?;
        Ok(Self {
            id: row.id,
            first_name: row.first_name,
            last_name: row.last_name,
            email: row.email,
            phone: row.phone,
            password_hash: row.password_hash,
            avatar_key: row.avatar_key,
            role,
            active: row.active,
            email_verified_at: row.email_verified_at.map(|at| at.to_utc()),
            last_login_at: row.last_login_at.map(|at| at.to_utc()),
            token_version: row.token_version,
            created_at: row.created_at.to_utc(),
            updated_at: row.updated_at.to_utc(),
            balance: row.balance,
            school: school(row.school_region, row.school_district, row.school_number)?,
            username: row.username,
            sex: match row.sex.as_deref() {
                None => None,
                Some(raw) => Some(Sex::parse(raw).ok_or_else(|| {
                    DomainError::internal(format!("users.sex of {} is {raw:?}", row.id))
                })?),
            },
            tg_id: row.tg_id,
            last_seen_at: row.last_seen_at.map(|at| at.to_utc()),
        })
    }
}

/// The school columns as a `School`, when all three are set.
fn school(
    region: Option<String>,
    district: Option<String>,
    number: Option<String>,
) -> DomainResult<Option<School>> {
    let (Some(region), Some(district), Some(number)) = (region, district, number) else {
        return Ok(None);
    };
    let stored = |error: DomainError| DomainError::internal(format!("users.school_*: {error}"));
    Ok(Some(School {
        region: Region::parse("region", &region).map_err(stored)?,
        district: District::parse("district", &district).map_err(stored)?,
        number: SchoolNumber::parse("school_number", &number).map_err(stored)?,
    }))
}

impl From<&NewUser> for users::ActiveModel {
    fn from(user: &NewUser) -> Self {
        Self {
            id: Set(user.id),
            first_name: Set(user.first_name.as_str().to_owned()),
            last_name: Set(user.last_name.as_str().to_owned()),
            email: Set(user.email.as_str().to_owned()),
            phone: Set(user.phone.as_ref().map(|phone| phone.as_str().to_owned())),
            password_hash: Set(user.password_hash.clone()),
            avatar_key: Set(None),
            role: Set(user.role.as_str().to_owned()),
            active: Set(true),
            email_verified_at: Set(user.email_verified_at.map(|at| at.fixed_offset())),
            last_login_at: Set(None),
            token_version: Set(0),
            created_at: Set(user.now.fixed_offset()),
            updated_at: Set(user.now.fixed_offset()),
            search_text: Set(search_text(
                user.first_name.as_str(),
                user.last_name.as_str(),
                user.email.as_str(),
                user.phone.as_ref().map(|phone| phone.as_str()),
            )),
            balance: Set(0),
            school_region: Set(None),
            school_district: Set(None),
            school_number: Set(None),
            username: Set(None),
            sex: Set(None),
            tg_id: Set(None),
            last_seen_at: Set(None),
        }
    }
}

/// `users.search_text`: the names, email and phone joined by spaces and
/// lower-cased here, in Rust, because SQLite's `lower()` folds ASCII only. Every
/// writer of those fields keeps it in step (the migration that added the column
/// holds a copy of this function).
pub(crate) fn search_text(
    first_name: &str,
    last_name: &str,
    email: &str,
    phone: Option<&str>,
) -> String {
    format!(
        "{first_name} {last_name} {email} {}",
        phone.unwrap_or_default()
    )
    .to_lowercase()
}

/// The search text a stored row should have.
pub(super) fn search_text_of(row: &users::Model) -> String {
    search_text(
        &row.first_name,
        &row.last_name,
        &row.email,
        row.phone.as_deref(),
    )
}

/// The columns a profile change sets; the others stay `NotSet` (`search_text` is
/// brought in step afterwards, from the whole updated row).
pub(super) fn profile_update(changes: ProfileChanges, now: DateTime<Utc>) -> users::ActiveModel {
    let mut row = users::ActiveModel {
        updated_at: Set(now.fixed_offset()),
        ..Default::default()
    };
    if let Some(first_name) = changes.first_name {
        row.first_name = Set(first_name.as_str().to_owned());
    }
    if let Some(last_name) = changes.last_name {
        row.last_name = Set(last_name.as_str().to_owned());
    }
    if let Some(phone) = changes.phone {
        row.phone = Set(phone.map(|phone| phone.as_str().to_owned()));
    }
    if let Some(username) = changes.username {
        row.username = Set(Some(username.as_str().to_owned()));
    }
    row
}
