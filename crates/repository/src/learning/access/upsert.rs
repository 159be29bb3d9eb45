//! The upsert of one grant, where the rule "a repeat grant never shortens
//! access" (API v1.1) is enforced: in the statement, so concurrent grants
//! cannot race a read.

use crate::entities::courses_open_users::{self, Column};
use crate::learning::excluded;
use bilim_domain::learning::GrantTerm;
use chrono::{DateTime, Utc};
use sea_orm::ActiveValue::Set;
use sea_orm::sea_query::{Expr, OnConflict};
use sea_orm::{EntityTrait, ExprTrait};
use uuid::Uuid;

/// The upsert of one grant. A new row opens now. An existing one takes the
/// new admin and `updated_at` and loses its revocation; its end is decided
/// here, in the statement, never by a read before it:
///
/// - a grant that is active (not revoked, not expired by now) keeps its end,
///   its `opened_at` and its job marks when it ends at or after the asked end
///   (a repeat never shortens access), and else takes the asked end and loses
///   both marks (the new end gets its own mails);
/// - a revoked or expired grant is reopened: `opened_at = now`, the asked end,
///   no marks.
///
/// Every `courses_open_users.<column>` below is the row's value before the
/// update, `excluded.<column>` the proposed row's, on both backends.
pub(super) fn upsert_grant(
    user_id: Uuid,
    term: &GrantTerm,
    granted_by: Option<Uuid>,
    now: DateTime<Utc>,
) -> sea_orm::Insert<courses_open_users::ActiveModel> {
    let at = now.fixed_offset();
    let row = courses_open_users::ActiveModel {
        id: Set(Uuid::now_v7()),
        user_id: Set(user_id),
        course_id: Set(term.course_id),
        opened_at: Set(at),
        expires_at: Set(term.expires_at.fixed_offset()),
        revoked_at: Set(None),
        granted_by: Set(granted_by),
        reminded_at: Set(None),
        expired_notified_at: Set(None),
        created_at: Set(at),
        updated_at: Set(at),
    };
    let current = |column: Column| Expr::col((courses_open_users::Entity, column));
    let active = current(Column::RevokedAt)
        .is_null()
        .and(current(Column::ExpiresAt).gt(excluded(Column::OpenedAt)));
    // Current unless the grant had lapsed; else the proposed (`now`).
    let opened_at =
        Expr::case(active.clone(), current(Column::OpenedAt)).finally(excluded(Column::OpenedAt));
    // An active grant that already ends at or after the asked end stays as it is.
    let stays = active.and(current(Column::ExpiresAt).gte(excluded(Column::ExpiresAt)));
    let kept_if_stays =
        |column: Column| Expr::case(stays.clone(), current(column)).finally(excluded(column));
    courses_open_users::Entity::insert(row).on_conflict(
        OnConflict::columns([Column::UserId, Column::CourseId])
            .value(Column::OpenedAt, opened_at)
            .value(Column::ExpiresAt, kept_if_stays(Column::ExpiresAt))
            .value(Column::RemindedAt, kept_if_stays(Column::RemindedAt))
            .value(
                Column::ExpiredNotifiedAt,
                kept_if_stays(Column::ExpiredNotifiedAt),
            )
            .update_columns([Column::RevokedAt, Column::GrantedBy, Column::UpdatedAt])
            .to_owned(),
    )
}
