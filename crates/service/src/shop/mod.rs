//! Document 002's shop: products bought by the month from the balance
//! (`Shop`: prices, purchases, the user's subscriptions and device moves,
//! the licence check) and the admins' side (`AdminShop`).

mod admin;
mod licence;

pub use admin::AdminShop;
pub use licence::LicenceKeys;

use crate::limits::RateLimits;
use crate::wallet::wallet_error;
use crate::{ServiceError, ServiceResult};
use bilim_domain::DomainError;
use bilim_domain::ports::{Clock, ProductRepository, SubscriptionRepository};
use bilim_domain::shop::{
    LicenceStatus, Product, Purchase, PurchaseRequest, Purchased, Subscription,
};
use bilim_domain::values::{DeviceId, Months};
use std::net::IpAddr;
use std::sync::Arc;
use uuid::Uuid;

/// The document's `price_months`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Price {
    pub months: u32,
    pub monthly_price: i64,
    pub total: i64,
}

/// A subscription as its owner sees it: with its licence key, if it has one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OwnSubscription {
    pub subscription: Subscription,
    pub licence_key: Option<String>,
    /// By the clock, now.
    pub active: bool,
}

#[derive(Clone)]
pub struct Shop {
    products: Arc<dyn ProductRepository>,
    subscriptions: Arc<dyn SubscriptionRepository>,
    limits: RateLimits,
    keys: LicenceKeys,
    /// How often a user may move a subscription to another device.
    device_change_every: chrono::Duration,
    clock: Arc<dyn Clock>,
}

pub(crate) fn product_not_found() -> ServiceError {
    ServiceError::NotFound {
        code: "product.not_found",
    }
}

impl Shop {
    pub fn new(
        products: Arc<dyn ProductRepository>,
        subscriptions: Arc<dyn SubscriptionRepository>,
        limits: RateLimits,
        keys: LicenceKeys,
        device_change_every: chrono::Duration,
        clock: Arc<dyn Clock>,
    ) -> Self {
        Self {
            products,
            subscriptions,
            limits,
            keys,
            device_change_every,
            clock,
        }
    }

    /// The active products.
    pub async fn products(&self) -> ServiceResult<Vec<Product>> {
        let all = self.products.list().await?;
        Ok(all.into_iter().filter(|p| p.active).collect())
    }

    /// An active product, or 404 `product.not_found`.
    async fn active_product(&self, id: Uuid) -> ServiceResult<Product> {
        self.products
            .get(id)
            .await?
            .filter(|p| p.active)
            .ok_or_else(product_not_found)
    }

    /// The total for `months` of the product; 400 beyond its `max_months`.
    pub async fn price(&self, product_id: Uuid, months: Months) -> ServiceResult<Price> {
        let product = self.active_product(product_id).await?;
        price(&product, months)
    }

    /// The document's `buy`: debit, ledger row and subscription in one
    /// transaction.
    #[tracing::instrument(skip_all, fields(user = %user_id, product = %product_id))]
    pub async fn purchase(
        &self,
        user_id: Uuid,
        product_id: Uuid,
        request: PurchaseRequest,
    ) -> ServiceResult<Purchased> {
        let product = self.active_product(product_id).await?;
        let total = price(&product, request.months)?.total;
        check_subjects(&product, &request.subjects)?;
        let subscription_id = Uuid::now_v7();
        let purchase = Purchase {
            user_id,
            product_id,
            months: request.months,
            device_id: request.device_id,
            subjects: request.subjects,
            total,
            subscription_id,
            entry_id: Uuid::now_v7(),
            licence_key_hash: product
                .has_licence
                .then(|| self.keys.hash(&self.keys.key_of(subscription_id))),
            now: self.clock.now(),
        };
        self.subscriptions
            .purchase(&purchase)
            .await
            .map_err(|error| match error {
                DomainError::NotFound => product_not_found(),
                DomainError::Conflict { what } if what == "product.inactive" => product_not_found(),
                DomainError::Conflict { what } if what == "product.price_changed" => {
                    ServiceError::Conflict {
                        code: "product.price_changed",
                        message: "The price changed while buying; ask for it again.".into(),
                    }
                }
                other => wallet_error(other),
            })
    }

    /// The user's subscriptions, each with its licence key when it has one.
    pub async fn subscriptions(&self, user_id: Uuid) -> ServiceResult<Vec<OwnSubscription>> {
        let all = self.subscriptions.of_user(user_id).await?;
        Ok(all.into_iter().map(|s| self.own(s)).collect())
    }

    pub fn own(&self, subscription: Subscription) -> OwnSubscription {
        let licence_key = subscription
            .has_licence
            .then(|| self.keys.key_of(subscription.id));
        OwnSubscription {
            active: subscription.is_active(self.clock.now()),
            subscription,
            licence_key,
        }
    }

    /// Moves the user's subscription to another device, once per
    /// `BILIM_DEVICE_CHANGE_DAYS`.
    #[tracing::instrument(skip_all, fields(user = %user_id, subscription = %id))]
    pub async fn move_device(
        &self,
        user_id: Uuid,
        id: Uuid,
        device_id: DeviceId,
    ) -> ServiceResult<OwnSubscription> {
        let now = self.clock.now();
        let moved = self
            .subscriptions
            .move_device(
                user_id,
                id,
                device_id.as_str(),
                now - self.device_change_every,
                now,
            )
            .await
            .map_err(subscription_error)?;
        Ok(self.own(moved))
    }

    /// Whether `key` is active on `device_id`, for the apps; counted against
    /// the caller's address like the auth routes. Never says whose key it is.
    pub async fn check_licence(
        &self,
        ip: IpAddr,
        key: &str,
        device_id: &str,
    ) -> ServiceResult<Option<LicenceStatus>> {
        self.limits.licence_check(ip).await?;
        // The document's limits: a longer key or a bad device id is a 400,
        // not an inactive key.
        if key.chars().count() > LICENCE_KEY_MAX_CHARS {
            return Err(DomainError::invalid(
                "licence_key",
                "text.length",
                format!("must be at most {LICENCE_KEY_MAX_CHARS} characters"),
            )
            .into());
        }
        DeviceId::parse("device_id", device_id)?;
        let now = self.clock.now();
        Ok(self
            .subscriptions
            .licence(&self.keys.hash(key), device_id, now)
            .await?)
    }
}

/// The longest licence key `POST /licences/check` reads (`LicenceCheckBody`).
pub const LICENCE_KEY_MAX_CHARS: usize = 100;

pub(crate) fn subscription_error(error: DomainError) -> ServiceError {
    match error {
        DomainError::NotFound => ServiceError::NotFound {
            code: "subscription.not_found",
        },
        DomainError::Conflict { what } if what == "subscription.device_change_too_soon" => {
            ServiceError::Conflict {
                code: "subscription.device_change_too_soon",
                message: "The device was changed recently; it can be changed once per period."
                    .into(),
            }
        }
        DomainError::Conflict { what } if what == "subscription.device_taken" => {
            ServiceError::Conflict {
                code: "subscription.device_taken",
                message: "This product already has a subscription on that device.".into(),
            }
        }
        other => other.into(),
    }
}

fn price(product: &Product, months: Months) -> ServiceResult<Price> {
    let total = product.price(months).ok_or_else(|| {
        ServiceError::from(DomainError::invalid(
            "months",
            "months.invalid",
            format!("must be 1 to {}", product.max_months),
        ))
    })?;
    Ok(Price {
        months: months.get(),
        monthly_price: product.monthly_price,
        total,
    })
}

fn check_subjects(product: &Product, subjects: &[String]) -> ServiceResult<()> {
    match (product.needs_subjects, subjects.is_empty()) {
        (true, true) => Err(DomainError::invalid(
            "subjects",
            "required",
            "this product needs at least one subject",
        )
        .into()),
        (false, false) => Err(DomainError::invalid(
            "subjects",
            "subjects.not_allowed",
            "this product takes no subjects",
        )
        .into()),
        _ => Ok(()),
    }
}
