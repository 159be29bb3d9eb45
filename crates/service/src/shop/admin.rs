//! What admins do in the shop: products (create, change; audited) and users'
//! subscriptions (read, change end or device, delete; audited).

use super::{OwnSubscription, Shop, product_not_found, subscription_error};
use crate::admin::{Actor, Auditor};
use crate::{ServiceError, ServiceResult};
use bilim_domain::DomainError;
use bilim_domain::ports::{Clock, ProductRepository, SubscriptionRepository, UserRepository};
use bilim_domain::shop::{NewProduct, Product, ProductPatch, SubscriptionPatch};
use serde_json::json;
use std::sync::Arc;
use uuid::Uuid;

#[derive(Clone)]
pub struct AdminShop {
    products: Arc<dyn ProductRepository>,
    subscriptions: Arc<dyn SubscriptionRepository>,
    users: Arc<dyn UserRepository>,
    /// Shows each subscription's licence key as its owner sees it.
    shop: Shop,
    auditor: Auditor,
    clock: Arc<dyn Clock>,
}

impl AdminShop {
    pub fn new(
        products: Arc<dyn ProductRepository>,
        subscriptions: Arc<dyn SubscriptionRepository>,
        users: Arc<dyn UserRepository>,
        shop: Shop,
        auditor: Auditor,
        clock: Arc<dyn Clock>,
    ) -> Self {
        Self {
            products,
            subscriptions,
            users,
            shop,
            auditor,
            clock,
        }
    }

    /// Every product, active or not.
    pub async fn products(&self) -> ServiceResult<Vec<Product>> {
        Ok(self.products.list().await?)
    }

    #[tracing::instrument(skip_all, fields(admin = %actor.admin.id))]
    pub async fn create_product(
        &self,
        actor: &Actor<'_>,
        product: NewProduct,
    ) -> ServiceResult<Product> {
        let id = Uuid::now_v7();
        let now = self.clock.now();
        self.auditor
            .audited(
                actor,
                "product.create",
                ("product", id.to_string()),
                json!({ "code": product.code.as_str(), "monthly_price": product.monthly_price.get() }),
                |entry| async move {
                    self.products
                        .create(id, &product, now, &entry)
                        .await
                        .map_err(|error| match error {
                            DomainError::Conflict { .. } => ServiceError::Conflict {
                                code: "product.code_taken",
                                message: "Another product has this code.".into(),
                            },
                            other => other.into(),
                        })
                },
            )
            .await
    }

    #[tracing::instrument(skip_all, fields(admin = %actor.admin.id, product = %id))]
    pub async fn update_product(
        &self,
        actor: &Actor<'_>,
        id: Uuid,
        patch: ProductPatch,
    ) -> ServiceResult<Product> {
        let now = self.clock.now();
        let details = json!({
            "monthly_price": patch.monthly_price.map(|p| p.get()),
            "max_months": patch.max_months.map(|m| m.get()),
            "active": patch.active,
        });
        self.auditor
            .audited(
                actor,
                "product.update",
                ("product", id.to_string()),
                details,
                |entry| async move {
                    self.products
                        .update(id, &patch, now, &entry)
                        .await
                        .map_err(|error| match error {
                            DomainError::NotFound => product_not_found(),
                            other => other.into(),
                        })
                },
            )
            .await
    }

    /// The user's subscriptions, with licence keys.
    pub async fn subscriptions_of(&self, user_id: Uuid) -> ServiceResult<Vec<OwnSubscription>> {
        if self.users.find_by_id(user_id).await?.is_none() {
            return Err(ServiceError::NotFound {
                code: "user.not_found",
            });
        }
        self.shop.subscriptions(user_id).await
    }

    #[tracing::instrument(skip_all, fields(admin = %actor.admin.id, subscription = %id))]
    pub async fn update_subscription(
        &self,
        actor: &Actor<'_>,
        id: Uuid,
        patch: SubscriptionPatch,
    ) -> ServiceResult<OwnSubscription> {
        let now = self.clock.now();
        let details = json!({
            "ends_at": patch.ends_at,
            "device_id": patch.device_id.as_ref().map(|d| d.as_str()),
        });
        let changed = self
            .auditor
            .audited(
                actor,
                "subscription.update",
                ("subscription", id.to_string()),
                details,
                |entry| async move {
                    self.subscriptions
                        .update(id, &patch, now, &entry)
                        .await
                        .map_err(subscription_error)
                },
            )
            .await?;
        Ok(self.shop.own(changed))
    }

    #[tracing::instrument(skip_all, fields(admin = %actor.admin.id, subscription = %id))]
    pub async fn delete_subscription(&self, actor: &Actor<'_>, id: Uuid) -> ServiceResult<()> {
        self.auditor
            .audited(
                actor,
                "subscription.delete",
                ("subscription", id.to_string()),
                json!({}),
                |entry| async move {
                    self.subscriptions
                        .delete(id, &entry)
                        .await
                        .map_err(subscription_error)
                },
            )
            .await
    }
}
