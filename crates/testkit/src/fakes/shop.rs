//! `ProductRepository` and `SubscriptionRepository` in memory, over an
//! `InMemoryWalletRepository` for the purchase's debit: the adapter's rules
//! (an inactive product, a stale price, a short balance change nothing; a
//! purchase for the same device extends from the later of now and its end;
//! a device move once per period), without the concurrency.

use super::wallet::InMemoryWalletRepository;
use async_trait::async_trait;
use bilim_domain::ports::{AuditEntry, ProductRepository, SubscriptionRepository};
use bilim_domain::shop::{
    LicenceStatus, NewProduct, Product, ProductPatch, Purchase, Purchased, Subscription,
    SubscriptionPatch,
};
use bilim_domain::wallet::{BalanceChange, EntryKind};
use bilim_domain::{DomainError, DomainResult};
use chrono::{DateTime, Months, Utc};
use std::collections::HashMap;
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use uuid::Uuid;

#[derive(Default)]
struct State {
    products: HashMap<Uuid, Product>,
    subscriptions: HashMap<Uuid, Subscription>,
    licence_hashes: HashMap<String, Uuid>,
    audits: Vec<AuditEntry>,
}

pub struct InMemoryShop {
    wallet: Arc<InMemoryWalletRepository>,
    state: Mutex<State>,
}

fn conflict(what: &str) -> DomainError {
    DomainError::Conflict {
        what: what.to_owned(),
    }
}

impl InMemoryShop {
    pub fn new(wallet: Arc<InMemoryWalletRepository>) -> Self {
        Self {
            wallet,
            state: Mutex::default(),
        }
    }

    fn lock(&self) -> MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// A product as a test wants it.
    pub fn put_product(&self, product: Product) {
        self.lock().products.insert(product.id, product);
    }

    /// The stored licence-key hash of a subscription.
    pub fn licence_hash_of(&self, subscription: Uuid) -> Option<String> {
        self.lock()
            .licence_hashes
            .iter()
            .find(|(_, id)| **id == subscription)
            .map(|(hash, _)| hash.clone())
    }

    pub fn audits(&self) -> Vec<AuditEntry> {
        self.lock().audits.clone()
    }
}

#[async_trait]
impl ProductRepository for InMemoryShop {
    async fn list(&self) -> DomainResult<Vec<Product>> {
        let mut all: Vec<Product> = self.lock().products.values().cloned().collect();
        all.sort_by(|a, b| a.code.cmp(&b.code));
        Ok(all)
    }

    async fn get(&self, id: Uuid) -> DomainResult<Option<Product>> {
        Ok(self.lock().products.get(&id).cloned())
    }

    async fn create(
        &self,
        id: Uuid,
        p: &NewProduct,
        now: DateTime<Utc>,
        audit: &AuditEntry,
    ) -> DomainResult<Product> {
        let mut state = self.lock();
        if state.products.values().any(|o| o.code == p.code.as_str()) {
            return Err(conflict("product.code_taken"));
        }
        let product = Product {
            id,
            code: p.code.as_str().to_owned(),
            name: p.name.as_str().to_owned(),
            description: p.description.as_str().to_owned(),
            monthly_price: p.monthly_price.get(),
            max_months: p.max_months.as_i32(),
            needs_subjects: p.needs_subjects,
            has_licence: p.has_licence,
            active: p.active,
            created_at: now,
            updated_at: now,
        };
        state.products.insert(id, product.clone());
        state.audits.push(audit.clone());
        Ok(product)
    }

    async fn update(
        &self,
        id: Uuid,
        patch: &ProductPatch,
        now: DateTime<Utc>,
        audit: &AuditEntry,
    ) -> DomainResult<Product> {
        let mut state = self.lock();
        let product = state.products.get_mut(&id).ok_or(DomainError::NotFound)?;
        if let Some(price) = patch.monthly_price {
            product.monthly_price = price.get();
        }
        if let Some(months) = patch.max_months {
            product.max_months = months.as_i32();
        }
        if let Some(active) = patch.active {
            product.active = active;
        }
        product.updated_at = now;
        let product = product.clone();
        state.audits.push(audit.clone());
        Ok(product)
    }
}

#[async_trait]
impl SubscriptionRepository for InMemoryShop {
    async fn purchase(&self, p: &Purchase) -> DomainResult<Purchased> {
        let mut state = self.lock();
        let product = state
            .products
            .get(&p.product_id)
            .cloned()
            .ok_or(DomainError::NotFound)?;
        if !product.active {
            return Err(conflict("product.inactive"));
        }
        if product.price(p.months) != Some(p.total) {
            return Err(conflict("product.price_changed"));
        }
        let existing = state
            .subscriptions
            .values()
            .find(|s| {
                s.user_id == p.user_id
                    && s.product_id == p.product_id
                    && s.device_id == p.device_id.as_str()
            })
            .cloned();
        let id = existing.as_ref().map_or(p.subscription_id, |s| s.id);
        let applied = self.wallet.apply_now(&BalanceChange {
            entry_id: p.entry_id,
            user_id: p.user_id,
            amount: -p.total,
            kind: EntryKind::Purchase,
            note: None,
            admin_id: None,
            reference: Some(format!("subscription:{id}")),
            at: p.now,
        })?;
        let months = Months::new(p.months.get());
        let subscription = match existing {
            Some(mut s) => {
                let from = s.ends_at.max(p.now);
                s.ends_at = from.checked_add_months(months).unwrap_or(from);
                s
            }
            None => {
                if let Some(hash) = &p.licence_key_hash {
                    state.licence_hashes.insert(hash.clone(), id);
                }
                Subscription {
                    id,
                    user_id: p.user_id,
                    product_id: p.product_id,
                    product_code: product.code.clone(),
                    device_id: p.device_id.as_str().to_owned(),
                    subjects: p.subjects.clone(),
                    starts_at: p.now,
                    ends_at: p.now.checked_add_months(months).unwrap_or(p.now),
                    has_licence: p.licence_key_hash.is_some(),
                    device_changed_at: None,
                }
            }
        };
        state.subscriptions.insert(id, subscription.clone());
        Ok(Purchased {
            subscription,
            balance: applied.balance,
            entry_id: applied.entry.id,
        })
    }

    async fn of_user(&self, user_id: Uuid) -> DomainResult<Vec<Subscription>> {
        let mut all: Vec<Subscription> = self
            .lock()
            .subscriptions
            .values()
            .filter(|s| s.user_id == user_id)
            .cloned()
            .collect();
        all.sort_by_key(|s| std::cmp::Reverse(s.id));
        Ok(all)
    }

    async fn get(&self, id: Uuid) -> DomainResult<Option<Subscription>> {
        Ok(self.lock().subscriptions.get(&id).cloned())
    }

    async fn move_device(
        &self,
        user_id: Uuid,
        id: Uuid,
        device_id: &str,
        moved_before: DateTime<Utc>,
        now: DateTime<Utc>,
    ) -> DomainResult<Subscription> {
        let mut state = self.lock();
        let s = state
            .subscriptions
            .get_mut(&id)
            .filter(|s| s.user_id == user_id)
            .ok_or(DomainError::NotFound)?;
        if s.device_changed_at.is_some_and(|at| at > moved_before) {
            return Err(conflict("subscription.device_change_too_soon"));
        }
        s.device_id = device_id.to_owned();
        s.device_changed_at = Some(now);
        Ok(s.clone())
    }

    async fn update(
        &self,
        id: Uuid,
        patch: &SubscriptionPatch,
        _now: DateTime<Utc>,
        audit: &AuditEntry,
    ) -> DomainResult<Subscription> {
        let mut state = self.lock();
        let s = state
            .subscriptions
            .get_mut(&id)
            .ok_or(DomainError::NotFound)?;
        if let Some(ends_at) = patch.ends_at {
            s.ends_at = ends_at;
        }
        if let Some(device) = &patch.device_id {
            s.device_id = device.as_str().to_owned();
        }
        let s = s.clone();
        state.audits.push(audit.clone());
        Ok(s)
    }

    async fn delete(&self, id: Uuid, audit: &AuditEntry) -> DomainResult<()> {
        let mut state = self.lock();
        state
            .subscriptions
            .remove(&id)
            .ok_or(DomainError::NotFound)?;
        state.audits.push(audit.clone());
        Ok(())
    }

    async fn licence(
        &self,
        key_hash: &str,
        device_id: &str,
        now: DateTime<Utc>,
    ) -> DomainResult<Option<LicenceStatus>> {
        let state = self.lock();
        let Some(s) = state
            .licence_hashes
            .get(key_hash)
            .and_then(|id| state.subscriptions.get(id))
        else {
            return Ok(None);
        };
        Ok(Some(LicenceStatus {
            active: s.is_active(now) && s.device_id == device_id,
            ends_at: s.ends_at,
            product_code: s.product_code.clone(),
        }))
    }
}
