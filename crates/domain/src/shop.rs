//! Document 002's shop: products bought by the month from the balance, and
//! the subscriptions they make, each bound to one device.

use crate::values::{Amount, DeviceId, Months, ProductCode};
use chrono::{DateTime, Utc};
use uuid::Uuid;

/// Something sold by the month (Kundalikcom PC and mobile, TestMax).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Product {
    pub id: Uuid,
    pub code: String,
    pub name: String,
    pub description: String,
    /// So'm per month.
    pub monthly_price: i64,
    /// Months one purchase may buy at most.
    pub max_months: i32,
    /// TestMax for teachers: the buyer picks subjects.
    pub needs_subjects: bool,
    /// Kundalikcom PC: each subscription has a licence key.
    pub has_licence: bool,
    pub active: bool,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

impl Product {
    /// The document's `price_months`: the total for `months`, or `None` when
    /// the product does not sell that many at once.
    pub fn price(&self, months: Months) -> Option<i64> {
        (months.as_i32() <= self.max_months)
            .then(|| self.monthly_price.checked_mul(i64::from(months.get())))
            .flatten()
    }
}

/// `POST /admin/products`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewProduct {
    pub code: ProductCode,
    pub name: crate::values::Title,
    pub description: crate::values::Description,
    pub monthly_price: Amount,
    pub max_months: Months,
    pub needs_subjects: bool,
    pub has_licence: bool,
    pub active: bool,
}

/// `PATCH /admin/products/{id}`: `None` keeps a field. The code never changes.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ProductPatch {
    pub name: Option<crate::values::Title>,
    pub description: Option<crate::values::Description>,
    pub monthly_price: Option<Amount>,
    pub max_months: Option<Months>,
    pub needs_subjects: Option<bool>,
    pub active: Option<bool>,
}

/// The subjects a TestMax teacher picks from (`fanlar.list`), by code.
pub const SUBJECTS: [(&str, &str); 12] = [
    ("matematika", "Matematika"),
    ("fizika", "Fizika"),
    ("kimyo", "Kimyo"),
    ("biologiya", "Biologiya"),
    ("ona-tili", "Ona tili va adabiyot"),
    ("ingliz-tili", "Ingliz tili"),
    ("rus-tili", "Rus tili"),
    ("tarix", "Tarix"),
    ("geografiya", "Geografiya"),
    ("informatika", "Informatika"),
    ("huquq", "Huquq"),
    ("iqtisodiyot", "Iqtisodiyot"),
];

/// A product bought for one device.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Subscription {
    pub id: Uuid,
    pub user_id: Uuid,
    pub product_id: Uuid,
    pub product_code: String,
    pub device_id: String,
    pub subjects: Vec<String>,
    pub starts_at: DateTime<Utc>,
    pub ends_at: DateTime<Utc>,
    pub has_licence: bool,
    /// When the user last moved it to another device.
    pub device_changed_at: Option<DateTime<Utc>>,
}

impl Subscription {
    pub fn is_active(&self, now: DateTime<Utc>) -> bool {
        self.starts_at <= now && now < self.ends_at
    }
}

/// The document's `buy`, worked out by the service: the port debits `total`,
/// writes the ledger row and creates or extends the subscription by `months`
/// from the later of `now` and its end, in one transaction.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Purchase {
    pub user_id: Uuid,
    pub product_id: Uuid,
    pub months: Months,
    pub device_id: DeviceId,
    pub subjects: Vec<String>,
    /// `monthly_price × months` as the service read it; the port charges the
    /// price it reads in its transaction and refuses when they differ.
    pub total: i64,
    /// The new subscription's id (and the ledger row's), if one is created.
    pub subscription_id: Uuid,
    pub entry_id: Uuid,
    /// SHA-256 (hex) of the licence key a new subscription gets, when the
    /// product has licences.
    pub licence_key_hash: Option<String>,
    pub now: DateTime<Utc>,
}

/// What a purchase did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Purchased {
    pub subscription: Subscription,
    pub balance: i64,
    pub entry_id: Uuid,
}

/// `PUT /admin/subscriptions/{id}`: `None` keeps a field.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct SubscriptionPatch {
    pub ends_at: Option<DateTime<Utc>>,
    pub device_id: Option<DeviceId>,
}

/// What `POST /licences/check` tells an app.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LicenceStatus {
    pub active: bool,
    pub ends_at: DateTime<Utc>,
    pub product_code: String,
}

/// `POST /products/{id}/purchase` as the buyer sent it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PurchaseRequest {
    pub months: Months,
    pub device_id: DeviceId,
    /// Codes of [`SUBJECTS`], for products that need them.
    pub subjects: Vec<String>,
}

/// A subject code of [`SUBJECTS`].
pub fn subject(field: &'static str, raw: &str) -> crate::DomainResult<String> {
    SUBJECTS
        .iter()
        .find(|(code, _)| *code == raw)
        .map(|(code, _)| (*code).to_owned())
        .ok_or_else(|| {
            crate::DomainError::invalid(
                field,
                "subject.invalid",
                "is not a subject of GET /subjects",
            )
        })
}
