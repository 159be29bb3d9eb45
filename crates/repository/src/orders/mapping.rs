//! Rows to domain types and back.

use crate::entities::{click_transactions, offerings, orders, payme_transactions};
use bilim_domain::orders::{
    ClickTransaction, Offering, OfferingKind, OfferingTerms, Order, OrderStatus, PaidVia,
    PaymeState, PaymeTransaction,
};
use bilim_domain::values::Months;
use bilim_domain::{DomainError, DomainResult};
use uuid::Uuid;

fn corrupt(table: &str, id: impl std::fmt::Display, what: &str) -> DomainError {
    DomainError::internal(format!("{table} {id}: {what}"))
}

/// The terms stored as kind, course, product and months.
pub(super) fn terms(
    table: &str,
    id: Uuid,
    kind: &str,
    course_id: Option<Uuid>,
    product_id: Option<Uuid>,
    months: Option<i32>,
) -> DomainResult<OfferingTerms> {
    let months = months
        .map(|m| Months::parse("months", "months.invalid", i64::from(m)))
        .transpose()
        .map_err(|_| corrupt(table, id, "months out of range"))?;
    let kind = OfferingKind::parse(kind).ok_or_else(|| corrupt(table, id, "unknown kind"))?;
    match (kind, course_id, product_id, months) {
        (OfferingKind::CourseAccess, Some(course_id), None, Some(months)) => {
            Ok(OfferingTerms::CourseAccess { course_id, months })
        }
        (OfferingKind::Product, None, Some(product_id), Some(months)) => {
            Ok(OfferingTerms::Product { product_id, months })
        }
        (OfferingKind::Custom, None, None, None) => Ok(OfferingTerms::Custom),
        _ => Err(corrupt(table, id, "kind and references disagree")),
    }
}

impl TryFrom<offerings::Model> for Offering {
    type Error = DomainError;

    fn try_from(row: offerings::Model) -> DomainResult<Self> {
        Ok(Self {
            terms: terms(
                "offerings",
                row.id,
                &row.kind,
                row.course_id,
                row.product_id,
                row.months,
            )?,
            id: row.id,
            name: row.name,
            description: row.description,
            price: row.price,
            archived_at: row.archived_at.map(|at| at.to_utc()),
            created_at: row.created_at.to_utc(),
            updated_at: row.updated_at.to_utc(),
        })
    }
}

impl TryFrom<orders::Model> for Order {
    type Error = DomainError;

    fn try_from(row: orders::Model) -> DomainResult<Self> {
        let status = OrderStatus::parse(&row.status)
            .ok_or_else(|| corrupt("orders", row.id, "unknown status"))?;
        let paid_via = row
            .paid_via
            .as_deref()
            .map(|v| PaidVia::parse(v).ok_or_else(|| corrupt("orders", row.id, "unknown paid_via")))
            .transpose()?;
        Ok(Self {
            terms: terms(
                "orders",
                row.id,
                &row.kind,
                row.course_id,
                row.product_id,
                row.months,
            )?,
            id: row.id,
            user_id: row.user_id,
            offering_id: row.offering_id,
            name: row.name,
            amount: row.amount,
            device_id: row.device_id,
            status,
            paid_via,
            completed_at: row.completed_at.map(|at| at.to_utc()),
            cancelled_at: row.cancelled_at.map(|at| at.to_utc()),
            refunded_at: row.refunded_at.map(|at| at.to_utc()),
            created_at: row.created_at.to_utc(),
        })
    }
}

impl TryFrom<payme_transactions::Model> for PaymeTransaction {
    type Error = DomainError;

    fn try_from(row: payme_transactions::Model) -> DomainResult<Self> {
        let state = PaymeState::from_code(row.state)
            .ok_or_else(|| corrupt("payme_transactions", row.id, "unknown state"))?;
        Ok(Self {
            id: row.id,
            payme_id: row.payme_id,
            order_id: row.order_id,
            amount: row.amount,
            state,
            reason: row.reason,
            payme_time: row.payme_time,
            create_time: row.create_time,
            perform_time: row.perform_time,
            cancel_time: row.cancel_time,
        })
    }
}

impl From<click_transactions::Model> for ClickTransaction {
    fn from(row: click_transactions::Model) -> Self {
        Self {
            prepare_id: row.prepare_id,
            click_trans_id: row.click_trans_id,
            order_id: row.order_id,
            amount: row.amount,
            state: row.state,
        }
    }
}
