//! Once-only: of 50 concurrent takes of a workbook or claims of a
//! certificate exactly one wins; resets allow one more; serials are kept and
//! unique.

use super::{Learning, learning, months};
use crate::users::now;
use bilim_domain::DomainError;
use chrono::Duration;
use std::sync::Arc;
use uuid::Uuid;

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn of_fifty_concurrent_takes_of_a_workbook_exactly_one_wins() {
    let l = learning().await;
    let algebra = l.course("Algebra", false).await;
    let user = l.student("aziza@example.uz").await;
    let t0 = now();
    l.grant(user, &[(algebra.course.id, t0 + months(6))], t0)
        .await
        .unwrap();
    let workbook_id = algebra.workbooks[0].id;

    let takes = |l: &Learning| {
        (0..50)
            .map(|_| {
                let claims = Arc::clone(&l.claims);
                tokio::spawn(async move { claims.take_workbook(user, workbook_id, now()).await })
            })
            .collect::<Vec<_>>()
    };
    let mut won = 0;
    for task in takes(&l) {
        if task.await.unwrap().unwrap() {
            won += 1;
        }
    }
    assert_eq!(won, 1);
    let claim = l
        .claims
        .workbook_claim(user, workbook_id)
        .await
        .unwrap()
        .unwrap();
    assert!(!claim.available);
    assert!(claim.taken_at.is_some());
    assert!(
        !l.claims
            .take_workbook(user, workbook_id, now())
            .await
            .unwrap()
    );
    // The other workbook is untouched.
    assert!(
        l.claims
            .workbook_claim(user, algebra.workbooks[1].id)
            .await
            .unwrap()
            .unwrap()
            .available
    );

    // Reset: one more download, once.
    l.reset_workbook(user, workbook_id).await.unwrap();
    assert!(
        l.claims
            .workbook_claim(user, workbook_id)
            .await
            .unwrap()
            .unwrap()
            .available
    );
    let mut won = 0;
    for task in takes(&l) {
        if task.await.unwrap().unwrap() {
            won += 1;
        }
    }
    assert_eq!(won, 1);

    assert_eq!(
        l.reset_workbook(user, Uuid::now_v7()).await,
        Err(DomainError::NotFound)
    );
    assert_eq!(
        l.reset_workbook(Uuid::now_v7(), workbook_id).await,
        Err(DomainError::NotFound)
    );
    assert!(
        !l.claims
            .take_workbook(Uuid::now_v7(), workbook_id, now())
            .await
            .unwrap()
    );
    assert_eq!(
        l.claims.workbook_claim(Uuid::now_v7(), workbook_id).await,
        Ok(None)
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn of_fifty_concurrent_certificate_claims_exactly_one_wins_and_the_serial_is_kept() {
    let l = learning().await;
    let algebra = l.course("Algebra", true).await;
    let certificate_id = algebra.certificate.unwrap();
    let user = l.student("aziza@example.uz").await;
    let t0 = now();
    l.grant(user, &[(algebra.course.id, t0 + months(6))], t0)
        .await
        .unwrap();

    let tasks: Vec<_> = (0..50)
        .map(|n| {
            let claims = Arc::clone(&l.claims);
            tokio::spawn(async move {
                let serial = format!("BLM-{n:04}");
                let issued = claims
                    .claim_certificate(
                        user,
                        certificate_id,
                        &serial,
                        "Aziza Karimova",
                        "Algebra",
                        t0,
                    )
                    .await;
                (serial, issued)
            })
        })
        .collect();
    let mut winners = Vec::new();
    for task in tasks {
        let (serial, issued) = task.await.unwrap();
        if let Some(issued) = issued.unwrap() {
            winners.push((serial, issued));
        }
    }
    assert_eq!(winners.len(), 1);
    let (serial, issued) = winners.pop().unwrap();
    assert_eq!(issued.serial, serial);
    assert_eq!(issued.certificate_id, certificate_id);
    assert_eq!(issued.course_id, algebra.course.id);
    assert_eq!(issued.holder_name, "Aziza Karimova");
    assert_eq!(issued.course_title, "Algebra");
    assert_eq!(issued.issued_at, t0);
    assert_eq!(
        l.claims.issued_certificate(&serial).await,
        Ok(Some(issued.clone()))
    );
    let claim = l
        .claims
        .certificate_claim(user, algebra.course.id)
        .await
        .unwrap()
        .unwrap();
    assert!(!claim.available);
    assert_eq!(claim.serial.as_deref(), Some(serial.as_str()));
    assert_eq!(claim.claimed_at, Some(t0));
    assert_eq!(
        l.claims
            .claim_certificate(user, certificate_id, "BLM-X", "A", "B", t0)
            .await,
        Ok(None),
        "claimed already"
    );

    // Reset and claim again: a new serial is offered, the stored one is kept,
    // the names and the time are the new claim's.
    l.reset_certificate(user, certificate_id).await.unwrap();
    let claim = l
        .claims
        .certificate_claim(user, algebra.course.id)
        .await
        .unwrap()
        .unwrap();
    assert!(claim.available);
    assert_eq!(claim.serial.as_deref(), Some(serial.as_str()));
    let t1 = t0 + Duration::days(1);
    let again = l
        .claims
        .claim_certificate(
            user,
            certificate_id,
            "BLM-NEW",
            "Aziza Karimova-Aliyeva",
            "Algebra (yangi)",
            t1,
        )
        .await
        .unwrap()
        .unwrap();
    assert_eq!(again.serial, serial, "the serial survives a reset");
    assert_eq!(again.holder_name, "Aziza Karimova-Aliyeva");
    assert_eq!(again.course_title, "Algebra (yangi)");
    assert_eq!(again.issued_at, t1);
    assert_eq!(l.claims.issued_certificate(&serial).await, Ok(Some(again)));
    assert_eq!(l.claims.issued_certificate("BLM-NEW").await, Ok(None));

    assert_eq!(
        l.reset_certificate(user, Uuid::now_v7()).await,
        Err(DomainError::NotFound)
    );
    assert_eq!(
        l.claims
            .claim_certificate(Uuid::now_v7(), certificate_id, "BLM-Y", "A", "B", t1)
            .await,
        Ok(None)
    );
}

#[tokio::test]
async fn a_serial_another_claim_holds_is_a_conflict() {
    let l = learning().await;
    let algebra = l.course("Algebra", true).await;
    let certificate_id = algebra.certificate.unwrap();
    let t0 = now();
    let first = l.student("first@example.uz").await;
    let second = l.student("second@example.uz").await;
    for user in [first, second] {
        l.grant(user, &[(algebra.course.id, t0 + months(6))], t0)
            .await
            .unwrap();
    }
    l.claims
        .claim_certificate(first, certificate_id, "BLM-1", "A", "B", t0)
        .await
        .unwrap()
        .unwrap();

    let result = l
        .claims
        .claim_certificate(second, certificate_id, "BLM-1", "A", "B", t0)
        .await;

    assert_eq!(
        result,
        Err(DomainError::Conflict {
            what: "certificate.serial".to_owned()
        })
    );
    assert!(
        l.claims
            .certificate_claim(second, algebra.course.id)
            .await
            .unwrap()
            .unwrap()
            .available,
        "nothing changed"
    );
}
