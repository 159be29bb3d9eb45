//! Offerings, orders and their payment links: responses, bodies and their
//! commands.

use super::money::whole;
use bilim_domain::DomainError;
use bilim_domain::orders::{
    NewOffering, Offering, OfferingKind, OfferingPatch, OfferingTerms, Order, OrderStatus,
};
use bilim_domain::values::{Amount, Description, DeviceId, Months, Title};
use bilim_service::ServiceError;
use bilim_service::input::Invalid;
use bilim_service::orders::PayLinks;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;

/// What an offering sells: a course for some months, a product of document
/// 002 for some months, or anything else (`custom`: completing only records it).
#[derive(ToSchema)]
#[schema(rename_all = "snake_case")]
#[allow(dead_code)]
pub enum OfferingKindName {
    CourseAccess,
    Product,
    Custom,
}

/// An order's status.
#[derive(ToSchema)]
#[schema(rename_all = "lowercase")]
#[allow(dead_code)]
pub enum OrderStatusName {
    Pending,
    Completed,
    Cancelled,
}

/// How a completed order was paid.
#[derive(ToSchema)]
#[schema(rename_all = "lowercase")]
#[allow(dead_code)]
pub enum PaidViaName {
    Admin,
    Balance,
    Payme,
    Click,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct OfferingResponse {
    pub id: Uuid,
    #[schema(example = "Matematika: 6 oylik kirish")]
    pub name: String,
    #[schema(example = "Algebra va geometriya kursiga 6 oy davomida toʻliq kirish.")]
    pub description: String,
    /// Whole so'm.
    #[schema(example = 450000)]
    pub price: i64,
    #[schema(value_type = OfferingKindName, example = "course_access")]
    pub kind: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub course_id: Option<Uuid>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub product_id: Option<Uuid>,
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(example = 6)]
    pub months: Option<u32>,
    /// Set once deleted with orders: kept, no longer sold (admins only see these).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub archived_at: Option<DateTime<Utc>>,
}

impl From<&Offering> for OfferingResponse {
    fn from(o: &Offering) -> Self {
        Self {
            id: o.id,
            name: o.name.clone(),
            description: o.description.clone(),
            price: o.price,
            kind: o.terms.kind().as_str(),
            course_id: o.terms.course_id(),
            product_id: o.terms.product_id(),
            months: o.terms.months().map(Months::get),
            archived_at: o.archived_at,
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct OfferingList {
    pub items: Vec<OfferingResponse>,
}

/// `POST /admin/offerings`: `course_id` and `months` for `course_access`,
/// `product_id` and `months` for `product`, neither for `custom`.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct OfferingCreateBody {
    #[schema(
        min_length = 1,
        max_length = 200,
        pattern = r"^[\t\n\r ]*[^\x00-\x1F\x7F]*[^\s\x00-\x1F\x7F][^\x00-\x1F\x7F]*[\t\n\r ]*$",
        example = "Matematika: 6 oylik kirish"
    )]
    pub name: String,
    #[schema(
        max_length = 20000,
        example = "Algebra va geometriya kursiga 6 oy davomida toʻliq kirish."
    )]
    pub description: Option<String>,
    /// Whole so'm.
    #[schema(value_type = i64, minimum = 1, maximum = 100000000, example = 450000)]
    pub price: serde_json::Number,
    #[schema(value_type = OfferingKindName)]
    pub kind: String,
    pub course_id: Option<Uuid>,
    pub product_id: Option<Uuid>,
    #[schema(value_type = Option<i64>, minimum = 1, maximum = 60, example = 6)]
    pub months: Option<serde_json::Number>,
}

/// `PATCH /admin/offerings/{id}`: absent fields stay; the kind and what it
/// refers to never change. Orders already placed keep their amount.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct OfferingPatchBody {
    #[schema(
        min_length = 1,
        max_length = 200,
        pattern = r"^[\t\n\r ]*[^\x00-\x1F\x7F]*[^\s\x00-\x1F\x7F][^\x00-\x1F\x7F]*[\t\n\r ]*$",
        example = "Matematika: 6 oylik kirish"
    )]
    pub name: Option<String>,
    #[schema(max_length = 20000)]
    pub description: Option<String>,
    #[schema(value_type = Option<i64>, minimum = 1, maximum = 100000000, example = 400000)]
    pub price: Option<serde_json::Number>,
    #[schema(value_type = Option<i64>, minimum = 1, maximum = 60)]
    pub months: Option<serde_json::Number>,
}

fn price_of(raw: &serde_json::Number, invalid: &mut Invalid) -> Option<Amount> {
    invalid
        .check(whole("price", "amount.invalid", raw))
        .and_then(|v| invalid.check(Amount::parse("price", v)))
}

fn months_of(raw: &serde_json::Number, invalid: &mut Invalid) -> Option<Months> {
    invalid
        .check(whole("months", "months.invalid", raw))
        .and_then(|v| invalid.check(Months::parse("months", "months.invalid", v)))
}

fn missing(field: &'static str) -> DomainError {
    DomainError::invalid(field, "required", "is required for this kind")
}

fn not_allowed(field: &'static str) -> DomainError {
    DomainError::invalid(
        field,
        "offering.field_not_allowed",
        "this kind takes no such field",
    )
}

impl TryFrom<OfferingCreateBody> for NewOffering {
    type Error = ServiceError;

    fn try_from(body: OfferingCreateBody) -> Result<Self, ServiceError> {
        let mut invalid = Invalid::default();
        let name = invalid.check(Title::parse("name", &body.name));
        let description = invalid.check(Description::parse(
            "description",
            body.description.as_deref().unwrap_or(""),
        ));
        let price = price_of(&body.price, &mut invalid);
        let months = body
            .months
            .as_ref()
            .and_then(|m| months_of(m, &mut invalid));
        let kind = invalid.check(OfferingKind::parse(&body.kind).ok_or_else(|| {
            DomainError::invalid(
                "kind",
                "offering.kind_invalid",
                "must be course_access, product or custom",
            )
        }));
        let terms = match kind {
            Some(OfferingKind::CourseAccess) => {
                if body.product_id.is_some() {
                    invalid.check::<()>(Err(not_allowed("product_id")));
                }
                match (body.course_id, months) {
                    (Some(course_id), Some(months)) => {
                        Some(OfferingTerms::CourseAccess { course_id, months })
                    }
                    (course_id, _) => {
                        if course_id.is_none() {
                            invalid.check::<()>(Err(missing("course_id")));
                        }
                        if body.months.is_none() {
                            invalid.check::<()>(Err(missing("months")));
                        }
                        None
                    }
                }
            }
            Some(OfferingKind::Product) => {
                if body.course_id.is_some() {
                    invalid.check::<()>(Err(not_allowed("course_id")));
                }
                match (body.product_id, months) {
                    (Some(product_id), Some(months)) => {
                        Some(OfferingTerms::Product { product_id, months })
                    }
                    (product_id, _) => {
                        if product_id.is_none() {
                            invalid.check::<()>(Err(missing("product_id")));
                        }
                        if body.months.is_none() {
                            invalid.check::<()>(Err(missing("months")));
                        }
                        None
                    }
                }
            }
            Some(OfferingKind::Custom) => {
                for (field, given) in [
                    ("course_id", body.course_id.is_some()),
                    ("product_id", body.product_id.is_some()),
                    ("months", body.months.is_some()),
                ] {
                    if given {
                        invalid.check::<()>(Err(not_allowed(field)));
                    }
                }
                Some(OfferingTerms::Custom)
            }
            None => None,
        };
        invalid.finish()?;
        let (Some(name), Some(description), Some(price), Some(terms)) =
            (name, description, price, terms)
        else {
            return Err(ServiceError::Internal("offering field lost".into()));
        };
        Ok(Self {
            name,
            description,
            price,
            terms,
        })
    }
}

impl TryFrom<OfferingPatchBody> for OfferingPatch {
    type Error = ServiceError;

    fn try_from(body: OfferingPatchBody) -> Result<Self, ServiceError> {
        let mut invalid = Invalid::default();
        let name = body
            .name
            .and_then(|raw| invalid.check(Title::parse("name", &raw)));
        let description = body
            .description
            .and_then(|raw| invalid.check(Description::parse("description", &raw)));
        let price = body.price.and_then(|raw| price_of(&raw, &mut invalid));
        let months = body.months.and_then(|raw| months_of(&raw, &mut invalid));
        invalid.finish()?;
        Ok(Self {
            name,
            description,
            price,
            months,
        })
    }
}

/// `POST /orders`.
#[derive(Debug, Deserialize, Serialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct OrderBody {
    pub offering_id: Uuid,
    /// Only for a `product` offering, and required there: the device the
    /// subscription is bound to, 1 to 128 characters, no control characters.
    #[schema(
        min_length = 1,
        max_length = 128,
        pattern = r"^[^\x00-\x1F\x7F]*[^\s\x00-\x1F\x7F][^\x00-\x1F\x7F]*$",
        example = "PC-7F3A-92B1"
    )]
    pub device_id: Option<String>,
}

impl OrderBody {
    pub fn device(&self) -> Result<Option<DeviceId>, ServiceError> {
        self.device_id
            .as_deref()
            .map(|raw| DeviceId::parse("device_id", raw))
            .transpose()
            .map_err(ServiceError::from)
    }
}

/// The offering an order is of, as it was when ordered.
#[derive(Debug, Serialize, ToSchema)]
pub struct OrderedOffering {
    pub id: Uuid,
    #[schema(example = "Matematika: 6 oylik kirish")]
    pub name: String,
    #[schema(value_type = OfferingKindName, example = "course_access")]
    pub kind: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub course_id: Option<Uuid>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub product_id: Option<Uuid>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub months: Option<u32>,
}

/// Where to pay a pending order; `null` for a provider not configured, and
/// both `null` once the order is not pending.
#[derive(Debug, Serialize, ToSchema)]
pub struct PayLinksResponse {
    /// Payme checkout: `https://checkout.paycom.uz/` + base64 of
    /// `m=<merchant>;ac.order_id=<order>;a=<tiyin>`.
    #[schema(example = "https://checkout.paycom.uz/bT01ODdmNzJjNzJjYWMwZDE2MmM3MjI...")]
    pub payme_url: Option<String>,
    /// Click checkout with `transaction_param` = the order id.
    #[schema(
        example = "https://my.click.uz/services/pay?service_id=1234&merchant_id=5678&amount=450000&transaction_param=0193a1b2-0000-7000-8000-0000000000ab"
    )]
    pub click_url: Option<String>,
}

impl From<PayLinks> for PayLinksResponse {
    fn from(links: PayLinks) -> Self {
        Self {
            payme_url: links.payme_url,
            click_url: links.click_url,
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct OrderResponse {
    pub id: Uuid,
    pub user_id: Uuid,
    pub offering: OrderedOffering,
    /// Whole so'm, fixed when ordered.
    #[schema(example = 450000)]
    pub amount: i64,
    #[schema(value_type = OrderStatusName, example = "pending")]
    pub status: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub device_id: Option<String>,
    /// How it was paid, once completed.
    #[schema(value_type = Option<PaidViaName>)]
    pub paid_via: Option<&'static str>,
    pub created_at: DateTime<Utc>,
    pub completed_at: Option<DateTime<Utc>>,
    pub cancelled_at: Option<DateTime<Utc>>,
    /// Set when the provider took a payment back (Payme's cancel after
    /// perform): the fulfilment was undone and the order cancelled.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub refunded_at: Option<DateTime<Utc>>,
    pub pay: PayLinksResponse,
}

impl OrderResponse {
    pub fn new(order: &Order, links: PayLinks) -> Self {
        Self {
            id: order.id,
            user_id: order.user_id,
            offering: OrderedOffering {
                id: order.offering_id,
                name: order.name.clone(),
                kind: order.terms.kind().as_str(),
                course_id: order.terms.course_id(),
                product_id: order.terms.product_id(),
                months: order.terms.months().map(Months::get),
            },
            amount: order.amount,
            status: order.status.as_str(),
            device_id: order.device_id.clone(),
            paid_via: order.paid_via.map(|v| v.as_str()),
            created_at: order.created_at,
            completed_at: order.completed_at,
            cancelled_at: order.cancelled_at,
            refunded_at: order.refunded_at,
            pay: links.into(),
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct OrderPage {
    pub items: Vec<OrderResponse>,
    pub next_cursor: Option<String>,
}

/// `GET /admin/orders` filters and page.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct AdminOrderQuery {
    /// Every status when absent.
    #[param(value_type = Option<OrderStatusName>)]
    pub status: Option<String>,
    pub user_id: Option<Uuid>,
    /// Items per page, 1 to 100; 20 when absent.
    #[param(minimum = 1, maximum = 100, example = 20)]
    pub limit: Option<u64>,
    /// The `next_cursor` of the previous page; opaque. Empty: the first page.
    #[param(pattern = r"^$|^[A-Za-z0-9_-]{21}[AQgw]$")]
    pub cursor: Option<String>,
}

impl AdminOrderQuery {
    pub fn status(&self) -> Result<Option<OrderStatus>, ServiceError> {
        match self.status.as_deref() {
            None | Some("") => Ok(None),
            Some(raw) => OrderStatus::parse(raw).map(Some).ok_or_else(|| {
                ServiceError::validation(
                    "status",
                    "validation",
                    "must be pending, completed or cancelled",
                )
            }),
        }
    }
}
