//! `SessionRepository` on sea-orm. Rotation and revocation are single
//! conditional `UPDATE`s, so concurrent refreshes cannot both win.

mod mapping;

use crate::database::{Database, db_error};
use crate::entities::sessions::{self, Column};
use async_trait::async_trait;
use bilim_domain::ports::SessionRepository;
use bilim_domain::sessions::{Audience, Session};
use bilim_domain::{DomainError, DomainResult};
use chrono::{DateTime, Utc};
use sea_orm::sea_query::Expr;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
use uuid::Uuid;

pub struct SeaSessionRepository {
    db: Database,
}

impl SeaSessionRepository {
    pub fn new(db: Database) -> Self {
        Self { db }
    }
}

#[async_trait]
impl SessionRepository for SeaSessionRepository {
    #[tracing::instrument(skip(self, session), fields(session.id = %session.id, family.id = %session.family_id))]
    async fn insert(&self, session: &Session) -> DomainResult<()> {
        sessions::Entity::insert(sessions::ActiveModel::from(session))
            .exec_without_returning(self.db.connection())
            .await
            .map_err(|error| match db_error(error) {
                // Keep the driver's constraint text out of the error.
                DomainError::Conflict { .. } => DomainError::Conflict {
                    what: "session".to_owned(),
                },
                other => other,
            })?;
        Ok(())
    }

    #[tracing::instrument(skip(self, token_hash))]
    async fn find_by_token_hash(&self, token_hash: &[u8]) -> DomainResult<Option<Session>> {
        let row = sessions::Entity::find()
            .filter(Column::TokenHash.eq(token_hash.to_vec()))
            .one(self.db.connection())
            .await
            .map_err(db_error)?;
        row.map(Session::try_from).transpose()
    }

    #[tracing::instrument(skip(self))]
    async fn mark_rotated(&self, id: Uuid, at: DateTime<Utc>) -> DomainResult<bool> {
        let result = sessions::Entity::update_many()
            .col_expr(Column::RotatedAt, Expr::value(at.fixed_offset()))
            .filter(Column::Id.eq(id))
            .filter(Column::RotatedAt.is_null())
            .filter(Column::RevokedAt.is_null())
            .exec(self.db.connection())
            .await
            .map_err(db_error)?;
        Ok(result.rows_affected == 1)
    }

    #[tracing::instrument(skip(self))]
    async fn revoke_family(&self, family_id: Uuid, at: DateTime<Utc>) -> DomainResult<()> {
        sessions::Entity::update_many()
            .col_expr(Column::RevokedAt, Expr::value(at.fixed_offset()))
            .filter(Column::FamilyId.eq(family_id))
            .filter(Column::RevokedAt.is_null())
            .exec(self.db.connection())
            .await
            .map_err(db_error)?;
        Ok(())
    }

    #[tracing::instrument(skip(self))]
    async fn revoke_all(
        &self,
        audience: Audience,
        subject_id: Uuid,
        except_family: Option<Uuid>,
        at: DateTime<Utc>,
    ) -> DomainResult<()> {
        let mut update = sessions::Entity::update_many()
            .col_expr(Column::RevokedAt, Expr::value(at.fixed_offset()))
            .filter(Column::Audience.eq(audience.as_str()))
            .filter(Column::SubjectId.eq(subject_id))
            .filter(Column::RevokedAt.is_null());
        if let Some(family_id) = except_family {
            update = update.filter(Column::FamilyId.ne(family_id));
        }
        update.exec(self.db.connection()).await.map_err(db_error)?;
        Ok(())
    }
}
