//! What admins do: offerings (create, change, delete or archive; audited)
//! and orders (list by status and user, complete, cancel; audited).

use super::{Completions, offering_not_found, order_error};
use crate::admin::{Actor, Auditor};
use crate::paging::{Page, PageRequest, page};
use crate::{ServiceError, ServiceResult};
use bilim_domain::DomainError;
use bilim_domain::orders::{
    NewOffering, Offering, OfferingPatch, Order, OrderStatus, PaidVia, Removal,
};
use bilim_domain::ports::{OfferingRepository, OrderRepository};
use serde_json::json;
use std::sync::Arc;
use uuid::Uuid;

#[derive(Clone)]
pub struct AdminOrders {
    offerings: Arc<dyn OfferingRepository>,
    orders: Arc<dyn OrderRepository>,
    completions: Completions,
    auditor: Auditor,
}

fn offering_error(error: DomainError) -> ServiceError {
    match error {
        DomainError::NotFound => offering_not_found(),
        DomainError::Conflict { what } if what == "offering.course_not_found" => {
            ServiceError::validation("course_id", "course.not_found", "no such course")
        }
        DomainError::Conflict { what } if what == "offering.product_not_found" => {
            ServiceError::validation("product_id", "product.not_found", "no such product")
        }
        DomainError::Conflict { what } if what == "offering.months_not_allowed" => {
            ServiceError::validation(
                "months",
                "months.not_allowed",
                "a custom offering has no months",
            )
        }
        other => other.into(),
    }
}

impl AdminOrders {
    pub fn new(
        offerings: Arc<dyn OfferingRepository>,
        orders: Arc<dyn OrderRepository>,
        completions: Completions,
        auditor: Auditor,
    ) -> Self {
        Self {
            offerings,
            orders,
            completions,
            auditor,
        }
    }

    /// Every offering, archived ones too.
    pub async fn offerings(&self) -> ServiceResult<Vec<Offering>> {
        Ok(self.offerings.list(true).await?)
    }

    #[tracing::instrument(skip_all, fields(admin = %actor.admin.id))]
    pub async fn create_offering(
        &self,
        actor: &Actor<'_>,
        offering: NewOffering,
    ) -> ServiceResult<Offering> {
        let id = Uuid::now_v7();
        let now = self.completions.now();
        let details = json!({
            "kind": offering.terms.kind().as_str(),
            "price": offering.price.get(),
            "course_id": offering.terms.course_id(),
            "product_id": offering.terms.product_id(),
            "months": offering.terms.months().map(|m| m.get()),
        });
        self.auditor
            .audited(
                actor,
                "offering.create",
                ("offering", id.to_string()),
                details,
                |entry| async move {
                    self.offerings
                        .create(id, &offering, now, &entry)
                        .await
                        .map_err(offering_error)
                },
            )
            .await
    }

    #[tracing::instrument(skip_all, fields(admin = %actor.admin.id, offering = %id))]
    pub async fn update_offering(
        &self,
        actor: &Actor<'_>,
        id: Uuid,
        patch: OfferingPatch,
    ) -> ServiceResult<Offering> {
        let now = self.completions.now();
        let details = json!({
            "price": patch.price.map(|p| p.get()),
            "months": patch.months.map(|m| m.get()),
        });
        self.auditor
            .audited(
                actor,
                "offering.update",
                ("offering", id.to_string()),
                details,
                |entry| async move {
                    self.offerings
                        .update(id, &patch, now, &entry)
                        .await
                        .map_err(offering_error)
                },
            )
            .await
    }

    /// Deletes it, or archives it when it has orders.
    #[tracing::instrument(skip_all, fields(admin = %actor.admin.id, offering = %id))]
    pub async fn remove_offering(&self, actor: &Actor<'_>, id: Uuid) -> ServiceResult<Removal> {
        let now = self.completions.now();
        self.auditor
            .audited(
                actor,
                "offering.delete",
                ("offering", id.to_string()),
                json!({}),
                |entry| async move {
                    self.offerings
                        .remove(id, now, &entry)
                        .await
                        .map_err(offering_error)
                },
            )
            .await
    }

    /// Orders newest first, by status and user when given.
    pub async fn list(
        &self,
        status: Option<OrderStatus>,
        user_id: Option<Uuid>,
        request: &PageRequest,
    ) -> ServiceResult<Page<Order>> {
        let limit = request.limit()?;
        let rows = self
            .orders
            .list(user_id, status, request.after()?, limit + 1)
            .await?;
        Ok(page(rows, limit, |o| o.id))
    }

    pub async fn get(&self, id: Uuid) -> ServiceResult<Order> {
        self.orders
            .get(id)
            .await?
            .ok_or_else(super::order_not_found)
    }

    /// Completes a pending order (paid outside, as over Telegram): fulfilled
    /// in the same transaction, with the audit entry.
    #[tracing::instrument(skip_all, fields(admin = %actor.admin.id, order = %id))]
    pub async fn complete(&self, actor: &Actor<'_>, id: Uuid) -> ServiceResult<Order> {
        let completion = self
            .completions
            .completion(PaidVia::Admin, Some(actor.admin.id));
        self.auditor
            .audited(
                actor,
                "order.complete",
                ("order", id.to_string()),
                json!({}),
                |entry| async move {
                    self.orders
                        .complete(id, None, &completion, Some(&entry))
                        .await
                        .map_err(order_error)
                },
            )
            .await
    }

    #[tracing::instrument(skip_all, fields(admin = %actor.admin.id, order = %id))]
    pub async fn cancel(&self, actor: &Actor<'_>, id: Uuid) -> ServiceResult<Order> {
        let now = self.completions.now();
        self.auditor
            .audited(
                actor,
                "order.cancel",
                ("order", id.to_string()),
                json!({}),
                |entry| async move {
                    self.orders
                        .cancel(id, None, now, Some(&entry))
                        .await
                        .map_err(order_error)
                },
            )
            .await
    }
}
