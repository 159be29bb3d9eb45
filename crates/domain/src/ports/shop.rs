//! Storage of products and subscriptions.

use super::AuditEntry;
use crate::DomainResult;
use crate::shop::{
    LicenceStatus, NewProduct, Product, ProductPatch, Purchase, Purchased, Subscription,
    SubscriptionPatch,
};
use async_trait::async_trait;
use chrono::{DateTime, Utc};
use uuid::Uuid;

#[async_trait]
pub trait ProductRepository: Send + Sync {
    /// Every product, active or not, by code.
    async fn list(&self) -> DomainResult<Vec<Product>>;

    async fn get(&self, id: Uuid) -> DomainResult<Option<Product>>;

    /// `Conflict { what: "product.code_taken" }` when the code is used.
    async fn create(
        &self,
        id: Uuid,
        product: &NewProduct,
        now: DateTime<Utc>,
        audit: &AuditEntry,
    ) -> DomainResult<Product>;

    /// `NotFound` (nothing written) when absent.
    async fn update(
        &self,
        id: Uuid,
        patch: &ProductPatch,
        now: DateTime<Utc>,
        audit: &AuditEntry,
    ) -> DomainResult<Product>;
}

#[async_trait]
pub trait SubscriptionRepository: Send + Sync {
    /// The document's `buy`, in one transaction: reads the product (`NotFound`
    /// when absent; `Conflict { what: "product.inactive" }` when inactive;
    /// `Conflict { what: "product.price_changed" }` when its price is not
    /// `purchase.total`), debits the balance with one conditional update
    /// (`Conflict { what: "wallet.insufficient_funds" }`), writes the ledger
    /// row and creates the subscription or extends the one of this product
    /// and device from the later of `now` and its end.
    async fn purchase(&self, purchase: &Purchase) -> DomainResult<Purchased>;

    /// The user's subscriptions, newest first.
    async fn of_user(&self, user_id: Uuid) -> DomainResult<Vec<Subscription>>;

    async fn get(&self, id: Uuid) -> DomainResult<Option<Subscription>>;

    /// The user's move of their subscription to `device_id`: one conditional
    /// update that holds only when the last move is at or before
    /// `moved_before` (or there was none). `NotFound` when it is not the
    /// user's; `Conflict { what: "subscription.device_change_too_soon" }`;
    /// `Conflict { what: "subscription.device_taken" }` when the user has
    /// this product on that device already.
    async fn move_device(
        &self,
        user_id: Uuid,
        id: Uuid,
        device_id: &str,
        moved_before: DateTime<Utc>,
        now: DateTime<Utc>,
    ) -> DomainResult<Subscription>;

    /// An admin's change of end or device (audited). `NotFound` when absent.
    async fn update(
        &self,
        id: Uuid,
        patch: &SubscriptionPatch,
        now: DateTime<Utc>,
        audit: &AuditEntry,
    ) -> DomainResult<Subscription>;

    /// An admin's removal (audited). `NotFound` when absent.
    async fn delete(&self, id: Uuid, audit: &AuditEntry) -> DomainResult<()>;

    /// The subscription whose licence key hashes to `key_hash`, as the
    /// licence check tells it for `device_id`.
    async fn licence(
        &self,
        key_hash: &str,
        device_id: &str,
        now: DateTime<Utc>,
    ) -> DomainResult<Option<LicenceStatus>>;
}
