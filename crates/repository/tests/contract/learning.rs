//! The learning ports (`AccessRepository`, `ClaimRepository`) on a fresh
//! database per test: SQLite, or PostgreSQL when `TEST_DATABASE_URL` is set.
//! This file is the fixture; the tests, by behaviour:
//!
//! - `grants.rs`: grants and their claims, repeats that never duplicate or
//!   reset, unknown courses, revocation, holdings;
//! - `grant_extend.rs`: a repeat grant never shortens access;
//! - `audited.rs`: each admin change is committed with its audit entry, a
//!   failed one with neither;
//! - `holders.rs`: what the catalogue writer adds to holders (also racing
//!   grants), cascades, a course with grants, `seed_grants`;
//! - `once_only.rs`: 50 concurrent takes and claims with one winner, resets;
//! - `notices.rs`: the expiry job's due lists and marks.
//!
//! Progress and `lessons_with_video` are in `learning_progress.rs`.

mod audited;
mod grant_extend;
mod grants;
mod holders;
mod notices;
mod once_only;

use crate::admins::new_admin;
use crate::catalogue::{Setup, setup};
use crate::users::now;
use bilim_domain::DomainError;
use bilim_domain::catalogue::{Course, Workbook};
use bilim_domain::learning::{Grant, GrantTerm};
use bilim_domain::ports::{
    AccessRepository, AdminRepository, AuditEntry, ClaimRepository, UserRepository,
};
use bilim_domain::users::{NewUser, UserRole};
use bilim_domain::values::{Email, PersonName};
use bilim_repository::admins::SeaAdminRepository;
use bilim_repository::learning::{SeaAccessRepository, SeaClaimRepository};
use bilim_repository::users::SeaUserRepository;
use chrono::{DateTime, Duration, Utc};
use std::sync::Arc;
use uuid::Uuid;

pub struct Learning {
    pub catalogue: Setup,
    pub access: Arc<dyn AccessRepository>,
    pub claims: Arc<dyn ClaimRepository>,
    pub admin: Uuid,
}

pub async fn learning() -> Learning {
    let catalogue = setup().await;
    let db = catalogue.fixture.db.clone();
    let admin = SeaAdminRepository::new(db.clone())
        .insert(new_admin("kamola", "kamola@bilim.uz"), None)
        .await
        .unwrap()
        .id;
    Learning {
        access: Arc::new(SeaAccessRepository::new(db.clone())),
        claims: Arc::new(SeaClaimRepository::new(db)),
        catalogue,
        admin,
    }
}

/// A course with two workbooks and, when asked, a certificate.
pub struct TestCourse {
    pub course: Course,
    pub workbooks: Vec<Workbook>,
    pub certificate: Option<Uuid>,
}

impl Learning {
    pub async fn student(&self, email: &str) -> Uuid {
        let user = NewUser {
            id: Uuid::now_v7(),
            first_name: PersonName::parse("first_name", "Aziza").unwrap(),
            last_name: PersonName::parse("last_name", "Karimova").unwrap(),
            email: Email::parse(email).unwrap(),
            phone: None,
            password_hash: "$argon2id$v=19$m=19456,t=2,p=1$c2FsdA$aGFzaA".to_owned(),
            role: UserRole::Student,
            email_verified_at: None,
            now: now(),
        };
        SeaUserRepository::new(self.catalogue.fixture.db.clone())
            .insert(user)
            .await
            .unwrap()
            .id
    }

    pub async fn course(&self, title: &str, certificate: bool) -> TestCourse {
        let direction = match self.catalogue.reader.directions().await.unwrap().first() {
            Some(direction) => direction.clone(),
            None => self.catalogue.direction("Matematika").await,
        };
        let course = self.catalogue.course(direction.id, title).await;
        let module = self.catalogue.module(course.id, "1-modul").await;
        let lesson = self.catalogue.lesson(module.id, "1-dars").await;
        let workbooks = vec![
            self.catalogue
                .workbook(course.id, None, &format!("workbooks/{}-1.pdf", course.id))
                .await,
            self.catalogue
                .workbook(
                    course.id,
                    Some(lesson.id),
                    &format!("workbooks/{}-2.pdf", course.id),
                )
                .await,
        ];
        let certificate = if certificate {
            let certificate = self
                .catalogue
                .writer
                .put_certificate(
                    course.id,
                    &crate::catalogue::title(&format!("{title} sertifikati")),
                    &self.catalogue.entry(),
                )
                .await
                .unwrap();
            Some(certificate.id)
        } else {
            None
        };
        TestCourse {
            course,
            workbooks,
            certificate,
        }
    }

    pub async fn grant(
        &self,
        user_id: Uuid,
        courses: &[(Uuid, DateTime<Utc>)],
        at: DateTime<Utc>,
    ) -> Result<Vec<Grant>, DomainError> {
        let terms: Vec<GrantTerm> = courses
            .iter()
            .map(|&(course_id, expires_at)| GrantTerm {
                course_id,
                expires_at,
            })
            .collect();
        let entry = self.entry("user.grant", user_id);
        self.access
            .grant(user_id, &terms, self.admin, at, &entry)
            .await
    }

    /// The fixture admin's audit entry of `action` on the user.
    pub fn entry(&self, action: &str, user_id: Uuid) -> AuditEntry {
        crate::audit::entry(self.admin, action, &user_id.to_string())
    }

    pub async fn revoke(
        &self,
        user_id: Uuid,
        course_id: Uuid,
        at: DateTime<Utc>,
    ) -> Result<(), DomainError> {
        let entry = self.entry("user.revoke", user_id);
        self.access.revoke(user_id, course_id, at, &entry).await
    }

    pub async fn reset_workbook(
        &self,
        user_id: Uuid,
        workbook_id: Uuid,
    ) -> Result<(), DomainError> {
        let entry = self.entry("user.workbook_reset", user_id);
        self.claims
            .reset_workbook(user_id, workbook_id, &entry)
            .await
    }

    pub async fn reset_certificate(
        &self,
        user_id: Uuid,
        certificate_id: Uuid,
    ) -> Result<(), DomainError> {
        let entry = self.entry("user.certificate_reset", user_id);
        self.claims
            .reset_certificate(user_id, certificate_id, &entry)
            .await
    }

    /// Every entry of the audit log, newest first.
    /// The entries of this fixture's admin, newest first (the catalogue's
    /// set-up writes entries of its own admin).
    pub async fn logged(&self) -> Vec<AuditEntry> {
        let mut entries = crate::audit::logged(&self.catalogue.fixture.db).await;
        entries.retain(|entry| entry.admin_id == self.admin);
        entries
    }

    pub async fn count(&self, table: &str) -> i64 {
        self.catalogue.count(table).await
    }

    /// Whether the user holds a claim on the workbook.
    async fn has_workbook(&self, user_id: Uuid, workbook_id: Uuid) -> bool {
        self.claims
            .workbook_claim(user_id, workbook_id)
            .await
            .unwrap()
            .is_some()
    }
}

pub fn months(n: i64) -> Duration {
    Duration::days(30 * n)
}
