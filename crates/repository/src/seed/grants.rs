//! Demo grants: published courses opened to the first demo students.

use super::{BATCH, DOMAIN};
use crate::database::{Database, db_error};
use crate::entities::users::{self, Column};
use crate::entities::{courses, courses_open_users};
use crate::learning::claims::{self, GrantsOf};
use bilim_domain::DomainResult;
use bilim_domain::catalogue::CourseStatus;
use bilim_domain::users::UserRole;
use chrono::{DateTime, Duration, Months, Utc};
use sea_orm::ActiveValue::Set;
use sea_orm::sea_query::OnConflict;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect};
use uuid::Uuid;

/// Demo students whose grants one transaction of `seed_grants` writes.
const GRANT_USERS_PER_ROUND: usize = 500;

/// Opens courses to demo students: each of the first `users` demo students
/// (`demo{n}@bilim.test` with the student role, oldest first) gets
/// `courses_per_user` of the published courses (oldest first, taken in turn so
/// neighbours differ; at most as many as there are), with every workbook and
/// the certificate of each course as claims. Returns how many grants it added:
/// a pair that already has a grant is left as it is, so running it again adds
/// nothing (the claims of existing grants are completed, never reset).
///
/// A grant opens now and ends after the course's `access_months`; to give the
/// expiry job something to do, the first course of every tenth student (from
/// the fourth) ends in three days, and of every tenth (from the eighth) ended
/// yesterday. `granted_by` is empty: no admin granted them. Multi-row
/// `INSERT`s, one transaction per `GRANT_USERS_PER_ROUND` students.
pub async fn seed_grants(
    db: &Database,
    users: u64,
    courses_per_user: u64,
    now: DateTime<Utc>,
) -> DomainResult<u64> {
    let students: Vec<Uuid> = users::Entity::find()
        .select_only()
        .column(Column::Id)
        .filter(Column::Email.like(format!("demo%{DOMAIN}")))
        .filter(Column::Role.eq(UserRole::Student.as_str()))
        .order_by_asc(Column::Id)
        .limit(users)
        .into_tuple()
        .all(db.connection())
        .await
        .map_err(db_error)?;
    let published: Vec<(Uuid, i32)> = courses::Entity::find()
        .select_only()
        .columns([courses::Column::Id, courses::Column::AccessMonths])
        .filter(courses::Column::Status.eq(CourseStatus::Published.as_str()))
        .order_by_asc(courses::Column::Id)
        .into_tuple()
        .all(db.connection())
        .await
        .map_err(db_error)?;
    let per_user = usize::try_from(courses_per_user)
        .unwrap_or(usize::MAX)
        .min(published.len());
    if students.is_empty() || per_user == 0 {
        return Ok(0);
    }
    let mut added = 0;
    for (round, chunk) in students.chunks(GRANT_USERS_PER_ROUND).enumerate() {
        let first = round * GRANT_USERS_PER_ROUND;
        let rows: Vec<courses_open_users::ActiveModel> = chunk
            .iter()
            .enumerate()
            .flat_map(|(i, &user_id)| {
                let n = first + i;
                (0..per_user).map(move |k| (n, k, user_id))
            })
            .map(|(n, k, user_id)| {
                let (course_id, months) = published[(n * per_user + k) % published.len()];
                demo_grant(n, k, user_id, course_id, months, now)
            })
            .collect();
        let txn = db.begin_write().await?;
        let mut rows = rows.into_iter().peekable();
        while rows.peek().is_some() {
            let batch: Vec<_> = rows.by_ref().take(BATCH as usize).collect();
            added += courses_open_users::Entity::insert_many(batch)
                .on_conflict(
                    OnConflict::columns([
                        courses_open_users::Column::UserId,
                        courses_open_users::Column::CourseId,
                    ])
                    .do_nothing()
                    .to_owned(),
                )
                .exec_without_returning(&txn)
                .await
                .map_err(db_error)?;
        }
        claims::open_claims_of_grants(
            &txn,
            GrantsOf {
                users: chunk,
                courses: None,
            },
            now,
        )
        .await?;
        txn.commit().await.map_err(db_error)?;
    }
    Ok(added)
}

/// Grant `k` (from 0) of demo student `n` (from 0).
fn demo_grant(
    n: usize,
    k: usize,
    user_id: Uuid,
    course_id: Uuid,
    access_months: i32,
    now: DateTime<Utc>,
) -> courses_open_users::ActiveModel {
    let months = Months::new(access_months.max(1).unsigned_abs());
    let (opened_at, expires_at) = match (k, n % 10) {
        (0, 3) => {
            let expires_at = now + Duration::days(3);
            (
                expires_at.checked_sub_months(months).unwrap_or(now),
                expires_at,
            )
        }
        (0, 7) => {
            let expires_at = now - Duration::days(1);
            (
                expires_at.checked_sub_months(months).unwrap_or(now),
                expires_at,
            )
        }
        _ => (now, now.checked_add_months(months).unwrap_or(now)),
    };
    let at = now.fixed_offset();
    courses_open_users::ActiveModel {
        id: Set(Uuid::now_v7()),
        user_id: Set(user_id),
        course_id: Set(course_id),
        opened_at: Set(opened_at.fixed_offset()),
        expires_at: Set(expires_at.fixed_offset()),
        revoked_at: Set(None),
        granted_by: Set(None),
        reminded_at: Set(None),
        expired_notified_at: Set(None),
        created_at: Set(at),
        updated_at: Set(at),
    }
}
