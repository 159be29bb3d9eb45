//! Documents 004 and 003: offerings (document 004's services), the orders a
//! user places for them, and their payment by balance, Payme or Click.
//!
//! An order's amount and terms are fixed when it is placed. It leaves
//! `pending` once: completed (which fulfils it in the same transaction) or
//! cancelled.

use crate::values::{Amount, Description, DeviceId, Months, Title};
use chrono::{DateTime, Utc};
use uuid::Uuid;

/// What an offering sells.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OfferingKind {
    /// A course for some months, opened as an admin's grant opens it.
    CourseAccess,
    /// A product of document 002 for some months, on the buyer's device.
    Product,
    /// Anything else: completing only records it.
    Custom,
}

impl OfferingKind {
    pub const ALL: [Self; 3] = [Self::CourseAccess, Self::Product, Self::Custom];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::CourseAccess => "course_access",
            Self::Product => "product",
            Self::Custom => "custom",
        }
    }

    pub fn parse(raw: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.as_str() == raw)
    }
}

/// What an offering of a kind refers to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OfferingTerms {
    CourseAccess { course_id: Uuid, months: Months },
    Product { product_id: Uuid, months: Months },
    Custom,
}

impl OfferingTerms {
    pub fn kind(self) -> OfferingKind {
        match self {
            Self::CourseAccess { .. } => OfferingKind::CourseAccess,
            Self::Product { .. } => OfferingKind::Product,
            Self::Custom => OfferingKind::Custom,
        }
    }

    pub fn course_id(self) -> Option<Uuid> {
        match self {
            Self::CourseAccess { course_id, .. } => Some(course_id),
            _ => None,
        }
    }

    pub fn product_id(self) -> Option<Uuid> {
        match self {
            Self::Product { product_id, .. } => Some(product_id),
            _ => None,
        }
    }

    pub fn months(self) -> Option<Months> {
        match self {
            Self::CourseAccess { months, .. } | Self::Product { months, .. } => Some(months),
            Self::Custom => None,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Offering {
    pub id: Uuid,
    pub name: String,
    pub description: String,
    /// Whole so'm.
    pub price: i64,
    pub terms: OfferingTerms,
    /// Set when an offering with orders was deleted: kept, no longer sold.
    pub archived_at: Option<DateTime<Utc>>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

/// `POST /admin/offerings`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewOffering {
    pub name: Title,
    pub description: Description,
    pub price: Amount,
    pub terms: OfferingTerms,
}

/// `PATCH /admin/offerings/{id}`: `None` keeps a field. The kind and what it
/// refers to never change (orders already placed keep their own copy anyway).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct OfferingPatch {
    pub name: Option<Title>,
    pub description: Option<Description>,
    pub price: Option<Amount>,
    pub months: Option<Months>,
}

/// What a removal did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Removal {
    Deleted,
    /// It has orders: archived instead.
    Archived,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OrderStatus {
    Pending,
    Completed,
    Cancelled,
}

impl OrderStatus {
    pub const ALL: [Self; 3] = [Self::Pending, Self::Completed, Self::Cancelled];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Pending => "pending",
            Self::Completed => "completed",
            Self::Cancelled => "cancelled",
        }
    }

    pub fn parse(raw: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|s| s.as_str() == raw)
    }
}

/// How a completed order was paid.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PaidVia {
    /// An admin completed it (paid outside, as document 000's Telegram sales).
    Admin,
    Balance,
    Payme,
    Click,
}

impl PaidVia {
    pub const ALL: [Self; 4] = [Self::Admin, Self::Balance, Self::Payme, Self::Click];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Admin => "admin",
            Self::Balance => "balance",
            Self::Payme => "payme",
            Self::Click => "click",
        }
    }

    pub fn parse(raw: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|v| v.as_str() == raw)
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Order {
    pub id: Uuid,
    pub user_id: Uuid,
    pub offering_id: Uuid,
    /// The offering's name when ordered.
    pub name: String,
    /// Whole so'm, fixed when ordered.
    pub amount: i64,
    pub terms: OfferingTerms,
    pub device_id: Option<String>,
    pub status: OrderStatus,
    pub paid_via: Option<PaidVia>,
    pub completed_at: Option<DateTime<Utc>>,
    pub cancelled_at: Option<DateTime<Utc>>,
    /// A completed order whose payment the provider took back (Payme's
    /// cancel after perform): its fulfilment was undone and it is cancelled.
    pub refunded_at: Option<DateTime<Utc>>,
    pub created_at: DateTime<Utc>,
}

/// `POST /orders`, worked out by the service.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewOrder {
    pub id: Uuid,
    pub user_id: Uuid,
    pub offering_id: Uuid,
    /// Required for a product, refused otherwise.
    pub device_id: Option<DeviceId>,
    pub now: DateTime<Utc>,
}

/// What completing an order needs besides the order: who or what pays, and
/// the ids of what the fulfilment may create.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Completion {
    pub via: PaidVia,
    /// The admin who completes it (`PaidVia::Admin`).
    pub admin_id: Option<Uuid>,
    /// `PaidVia::Balance`: the ledger row of the debit.
    pub entry_id: Uuid,
    /// A product's new subscription, if one is created, and the SHA-256 of
    /// its licence key (used when the product has licences).
    pub subscription_id: Uuid,
    pub licence_key_hash: String,
    pub now: DateTime<Utc>,
}

/// Payme's transaction states.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PaymeState {
    Created = 1,
    Performed = 2,
    Cancelled = -1,
    CancelledAfterPerform = -2,
}

impl PaymeState {
    pub fn code(self) -> i16 {
        self as i16
    }

    pub fn from_code(code: i16) -> Option<Self> {
        match code {
            1 => Some(Self::Created),
            2 => Some(Self::Performed),
            -1 => Some(Self::Cancelled),
            -2 => Some(Self::CancelledAfterPerform),
            _ => None,
        }
    }
}

/// A Payme transaction; times are milliseconds since the epoch, 0 when not yet.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PaymeTransaction {
    pub id: Uuid,
    pub payme_id: String,
    pub order_id: Uuid,
    /// Tiyin.
    pub amount: i64,
    pub state: PaymeState,
    pub reason: Option<i16>,
    pub payme_time: i64,
    pub create_time: i64,
    pub perform_time: i64,
    pub cancel_time: i64,
}

/// `CreateTransaction` as the port runs it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PaymeCreate {
    pub id: Uuid,
    pub payme_id: String,
    pub order_id: Uuid,
    /// Tiyin.
    pub amount: i64,
    pub payme_time: i64,
    pub now_ms: i64,
}

/// Why an order cannot be paid by a provider.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Unpayable {
    NoOrder,
    WrongAmount,
    /// Completed already.
    Paid,
    Cancelled,
    /// Another Payme transaction waits for it.
    Busy,
}

/// What `CreateTransaction` found or did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PaymeCreated {
    Created(PaymeTransaction),
    /// The same Payme id was created before.
    Existing(PaymeTransaction),
    Refused(Unpayable),
}

/// What `PerformTransaction` found or did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PaymePerformed {
    /// Performed now (the order completed and fulfilled) or before.
    Performed(PaymeTransaction),
    /// Cancelled, or its order no longer pending: refused, nothing taken.
    Refused(PaymeTransaction),
    NotFound,
}

/// What `CancelTransaction` found or did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PaymeCancelled {
    Cancelled(PaymeTransaction),
    NotFound,
}

/// Click's prepare or complete as the port runs it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ClickPrepare {
    pub click_trans_id: i64,
    pub click_paydoc_id: i64,
    pub order_id: Uuid,
    /// So'm.
    pub amount: i64,
    pub now: DateTime<Utc>,
}

/// A Click transaction: 1 prepared, 2 completed, -1 cancelled.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ClickTransaction {
    pub prepare_id: i32,
    pub click_trans_id: i64,
    pub order_id: Uuid,
    pub amount: i64,
    pub state: i16,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ClickOutcome {
    /// Prepared, completed or cancelled (now or before).
    Done(ClickTransaction),
    Refused(Unpayable),
    /// No prepare with that id for that Click transaction and order.
    NoTransaction,
    /// The transaction was cancelled.
    Cancelled,
}

/// A provider's request, raw, and the answer it got.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProviderRequest {
    pub provider: &'static str,
    pub method: String,
    pub request: String,
    pub response: String,
    pub at: DateTime<Utc>,
}
