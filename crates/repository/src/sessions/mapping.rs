//! `sessions` rows ⇄ domain sessions.

use crate::entities::sessions;
use bilim_domain::sessions::{Audience, Session};
use bilim_domain::{DomainError, DomainResult};
use sea_orm::ActiveValue::Set;

pub(super) fn parse_audience(raw: &str) -> Option<Audience> {
    match raw {
        "user" => Some(Audience::User),
        "admin" => Some(Audience::Admin),
        _ => None,
    }
}

impl TryFrom<sessions::Model> for Session {
    type Error = DomainError;

    fn try_from(row: sessions::Model) -> DomainResult<Self> {
        let audience = parse_audience(&row.audience).ok_or_else(|| {
            DomainError::internal(format!(
                "sessions.audience of {} is {:?}",
                row.id, row.audience
            ))
        })?;
        Ok(Self {
            id: row.id,
            family_id: row.family_id,
            audience,
            subject_id: row.subject_id,
            token_hash: row.token_hash,
            created_at: row.created_at.to_utc(),
            expires_at: row.expires_at.to_utc(),
            rotated_at: row.rotated_at.map(|at| at.to_utc()),
            revoked_at: row.revoked_at.map(|at| at.to_utc()),
        })
    }
}

impl From<&Session> for sessions::ActiveModel {
    fn from(session: &Session) -> Self {
        Self {
            id: Set(session.id),
            family_id: Set(session.family_id),
            audience: Set(session.audience.as_str().to_owned()),
            subject_id: Set(session.subject_id),
            token_hash: Set(session.token_hash.clone()),
            created_at: Set(session.created_at.fixed_offset()),
            expires_at: Set(session.expires_at.fixed_offset()),
            rotated_at: Set(session.rotated_at.map(|at| at.fixed_offset())),
            revoked_at: Set(session.revoked_at.map(|at| at.fixed_offset())),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn audience_names_round_trip() {
        for audience in [Audience::User, Audience::Admin] {
            assert_eq!(parse_audience(audience.as_str()), Some(audience));
        }
        assert_eq!(parse_audience("root"), None);
    }
}
