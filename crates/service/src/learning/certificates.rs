//! Once-only certificates: claimed when every video of the course is watched,
//! printed as a PDF with an unguessable serial, checked publicly by serial.

use super::Learning;
use super::access::locked_without_access;
use crate::crypto::random_below;
use crate::{ServiceError, ServiceResult};
use bilim_domain::learning::IssuedCertificate;
use bilim_domain::ports::{CertificateDocument, FileKey};
use chrono::{DateTime, Duration, Utc};
use std::sync::Arc;
use uuid::Uuid;

/// How long the link to a freshly claimed certificate works.
pub const CERTIFICATE_LINK_TTL: Duration = Duration::hours(1);

/// Crockford's base32: no I, L, O or U to misread.
const SERIAL_ALPHABET: &[u8; 32] = b"0123456789ABCDEFGHJKMNPQRSTVWXYZ";

/// 20 symbols of 5 bits: 100 random bits, `BLM-XXXXX-XXXXX-XXXXX-XXXXX`.
const SERIAL_GROUPS: usize = 4;
const SERIAL_GROUP_LEN: usize = 5;

const LOCKED: ServiceError = ServiceError::Locked {
    code: "certificate.locked",
};

/// A claimed certificate and the link to its PDF.
#[derive(Debug, Clone)]
pub struct CertificateIssue {
    pub serial: String,
    pub url: String,
    pub issued_at: DateTime<Utc>,
}

fn new_serial() -> String {
    let groups: Vec<String> = (0..SERIAL_GROUPS)
        .map(|_| {
            (0..SERIAL_GROUP_LEN)
                .map(|_| char::from(SERIAL_ALPHABET[random_below(32) as usize]))
                .collect()
        })
        .collect();
    format!("BLM-{}", groups.join("-"))
}

fn already_claimed() -> ServiceError {
    ServiceError::Conflict {
        code: "certificate.already_claimed",
        message: "This certificate has already been claimed.".to_owned(),
    }
}

fn certificate_missing() -> ServiceError {
    ServiceError::NotFound {
        code: "certificate.not_found",
    }
}

impl Learning {
    /// Claims the user's certificate of the course, once. The PDF is printed
    /// and stored before the claim is taken, so a won claim always has its
    /// document; of concurrent calls exactly one wins, the others get 409
    /// `certificate.already_claimed` and their copies are removed.
    #[tracing::instrument(skip(self))]
    pub async fn claim_certificate(
        &self,
        user_id: Uuid,
        course_id: Uuid,
    ) -> ServiceResult<CertificateIssue> {
        let course = self
            .reader
            .course(course_id)
            .await?
            .ok_or(ServiceError::NotFound {
                code: "course.not_found",
            })?;
        let Some(claim) = self.claims.certificate_claim(user_id, course_id).await? else {
            let tree = self.reader.course_tree(course_id).await?;
            return Err(match tree.and_then(|t| t.certificate) {
                Some(_) => LOCKED,
                None => certificate_missing(),
            });
        };
        self.active_grant(user_id, course_id)
            .await
            .map_err(locked_without_access("certificate.locked"))?;
        if !claim.available {
            return Err(already_claimed());
        }
        if !self.videos_watched(user_id, course_id, None).await?
            || !self.tests_passed(user_id, course_id).await?
        {
            return Err(LOCKED);
        }
        let user = self
            .users
            .find_by_id(user_id)
            .await?
            .ok_or_else(|| ServiceError::Internal("a claim of a missing user".to_owned()))?;
        let serial = claim.serial.clone().unwrap_or_else(new_serial);
        let now = self.clock.now();
        let document = CertificateDocument {
            holder_name: format!("{} {}", user.first_name, user.last_name),
            course_title: course.title.clone(),
            certificate_title: claim.title.clone(),
            issued_at: now,
            check_url: format!("{}{serial}", self.certificate_check_base),
            serial,
        };
        let key = self.print(&document).await?;
        let issued = self
            .claims
            .claim_certificate(
                user_id,
                claim.certificate_id,
                &document.serial,
                &document.holder_name,
                &document.course_title,
                now,
            )
            .await;
        let issued = match issued {
            Ok(Some(issued)) => issued,
            lost_or_failed => {
                if let Err(error) = self.store.delete(&key).await {
                    tracing::warn!(%error, key = key.as_str(), "could not remove an unused certificate");
                }
                return Err(match lost_or_failed {
                    Err(error) => error.into(),
                    Ok(_) => already_claimed(),
                });
            }
        };
        tracing::info!(%user_id, %course_id, serial = %issued.serial, "certificate claimed");
        let link = self.files.download_link(&key, CERTIFICATE_LINK_TTL).await;
        Ok(CertificateIssue {
            serial: issued.serial,
            url: link.url,
            issued_at: issued.issued_at,
        })
    }

    /// The public check of a serial.
    pub async fn issued_certificate(&self, serial: &str) -> ServiceResult<IssuedCertificate> {
        let serial = serial.trim().to_ascii_uppercase();
        if serial.is_empty() || serial.len() > 64 {
            return Err(certificate_missing());
        }
        self.claims
            .issued_certificate(&serial)
            .await?
            .ok_or_else(certificate_missing)
    }

    /// Prints the PDF on the blocking pool and stores it under a key of its own.
    async fn print(&self, document: &CertificateDocument) -> ServiceResult<FileKey> {
        let printer = Arc::clone(&self.printer);
        let owned = document.clone();
        let pdf = tokio::task::spawn_blocking(move || printer.print(&owned))
            .await
            .map_err(|error| ServiceError::Internal(format!("certificate printing: {error}")))??;
        let key = FileKey::parse(&format!(
            "certificates/{}-{}.pdf",
            document.serial,
            Uuid::now_v7().simple()
        ))?;
        self.store.put(&key, &pdf).await?;
        Ok(key)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn serials_are_long_random_and_unambiguous() {
        let serial = new_serial();
        assert_eq!(serial.len(), 4 + 4 * 5 + 3);
        assert!(serial.starts_with("BLM-"));
        assert!(
            serial[4..]
                .chars()
                .all(|c| c == '-' || SERIAL_ALPHABET.contains(&(c as u8)))
        );
        assert_ne!(serial, new_serial());
    }
}
