//! Documents 004 and 003: offerings and orders (`Orders` for the user,
//! `AdminOrders` for admins) and the two payment providers (`Payme`,
//! `Click`). However an order is completed, the port completes and fulfils
//! it in one transaction behind one conditional update; this module only
//! decides who may ask and maps the answers.

mod admin;
mod click;
mod links;
mod payme;

pub use admin::AdminOrders;
pub use click::ClickError;
pub use click::{Click, ClickConfig};
pub use links::{PayLinks, PaymentLinks};
pub use payme::{Payme, PaymeConfig};

use crate::paging::{Page, PageRequest, page};
use crate::shop::LicenceKeys;
use crate::wallet::wallet_error;
use crate::{ServiceError, ServiceResult};
use bilim_domain::DomainError;
use bilim_domain::orders::{Completion, NewOrder, Offering, OfferingKind, Order, PaidVia};
use bilim_domain::ports::{Clock, OfferingRepository, OrderRepository};
use bilim_domain::values::DeviceId;
use std::sync::Arc;
use uuid::Uuid;

pub(crate) fn order_not_found() -> ServiceError {
    ServiceError::NotFound {
        code: "order.not_found",
    }
}

pub(crate) fn offering_not_found() -> ServiceError {
    ServiceError::NotFound {
        code: "offering.not_found",
    }
}

/// The port's refusals as the API says them.
pub(crate) fn order_error(error: DomainError) -> ServiceError {
    match error {
        DomainError::NotFound => order_not_found(),
        DomainError::Conflict { what } if what == "order.not_pending" => ServiceError::Conflict {
            code: "order.not_pending",
            message: "The order is no longer pending.".into(),
        },
        other => wallet_error(other),
    }
}

/// Builds what a completion needs: the ids of what it may create.
#[derive(Clone)]
pub struct Completions {
    keys: LicenceKeys,
    clock: Arc<dyn Clock>,
}

impl Completions {
    pub fn new(keys: LicenceKeys, clock: Arc<dyn Clock>) -> Self {
        Self { keys, clock }
    }

    pub(crate) fn now(&self) -> chrono::DateTime<chrono::Utc> {
        self.clock.now()
    }

    pub(crate) fn completion(&self, via: PaidVia, admin_id: Option<Uuid>) -> Completion {
        let subscription_id = Uuid::now_v7();
        Completion {
            via,
            admin_id,
            entry_id: Uuid::now_v7(),
            subscription_id,
            licence_key_hash: self.keys.hash(&self.keys.key_of(subscription_id)),
            now: self.clock.now(),
        }
    }
}

/// What a user does: browse offerings, order, cancel, pay from the balance.
#[derive(Clone)]
pub struct Orders {
    offerings: Arc<dyn OfferingRepository>,
    orders: Arc<dyn OrderRepository>,
    completions: Completions,
    links: PaymentLinks,
}

impl Orders {
    pub fn new(
        offerings: Arc<dyn OfferingRepository>,
        orders: Arc<dyn OrderRepository>,
        completions: Completions,
        links: PaymentLinks,
    ) -> Self {
        Self {
            offerings,
            orders,
            completions,
            links,
        }
    }

    /// The offerings on sale, newest first.
    pub async fn offerings(&self) -> ServiceResult<Vec<Offering>> {
        Ok(self.offerings.list(false).await?)
    }

    /// The links that pay a pending order (none once it is not pending).
    pub fn links(&self, order: &Order) -> PayLinks {
        self.links.of(order)
    }

    /// Places an order at the offering's current price. A product needs the
    /// device its subscription is bound to; other kinds take none.
    #[tracing::instrument(skip_all, fields(user = %user_id, offering = %offering_id))]
    pub async fn place(
        &self,
        user_id: Uuid,
        offering_id: Uuid,
        device_id: Option<DeviceId>,
    ) -> ServiceResult<Order> {
        let offering = self
            .offerings
            .get(offering_id)
            .await?
            .filter(|o| o.archived_at.is_none())
            .ok_or_else(offering_not_found)?;
        match (offering.terms.kind(), &device_id) {
            (OfferingKind::Product, None) => {
                return Err(DomainError::invalid(
                    "device_id",
                    "required",
                    "a product is bound to a device: send its device_id",
                )
                .into());
            }
            (OfferingKind::CourseAccess | OfferingKind::Custom, Some(_)) => {
                return Err(DomainError::invalid(
                    "device_id",
                    "device_id.not_allowed",
                    "only a product takes a device_id",
                )
                .into());
            }
            _ => {}
        }
        let order = NewOrder {
            id: Uuid::now_v7(),
            user_id,
            offering_id,
            device_id,
            now: self.completions.now(),
        };
        self.orders.create(&order).await.map_err(|e| match e {
            DomainError::NotFound => offering_not_found(),
            other => other.into(),
        })
    }

    /// The user's orders, newest first.
    pub async fn mine(&self, user_id: Uuid, request: &PageRequest) -> ServiceResult<Page<Order>> {
        let limit = request.limit()?;
        let rows = self
            .orders
            .list(Some(user_id), None, request.after()?, limit + 1)
            .await?;
        Ok(page(rows, limit, |o| o.id))
    }

    /// One of the user's orders; another's is 404.
    pub async fn own(&self, user_id: Uuid, id: Uuid) -> ServiceResult<Order> {
        self.orders
            .get(id)
            .await?
            .filter(|o| o.user_id == user_id)
            .ok_or_else(order_not_found)
    }

    #[tracing::instrument(skip_all, fields(user = %user_id, order = %id))]
    pub async fn cancel(&self, user_id: Uuid, id: Uuid) -> ServiceResult<Order> {
        self.orders
            .cancel(id, Some(user_id), self.completions.now(), None)
            .await
            .map_err(order_error)
    }

    /// Pays the order from the balance: completed, debited and fulfilled in
    /// one transaction, or nothing at all.
    #[tracing::instrument(skip_all, fields(user = %user_id, order = %id))]
    pub async fn pay_from_balance(&self, user_id: Uuid, id: Uuid) -> ServiceResult<Order> {
        let completion = self.completions.completion(PaidVia::Balance, None);
        self.orders
            .complete(id, Some(user_id), &completion, None)
            .await
            .map_err(order_error)
    }
}
