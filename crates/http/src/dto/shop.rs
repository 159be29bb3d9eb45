//! Products, prices, purchases, subscriptions, licence checks, subjects and
//! the user's school: responses, bodies and their commands.

use super::money::whole;
use bilim_domain::DomainError;
use bilim_domain::shop::{
    LicenceStatus, NewProduct, Product, ProductPatch, PurchaseRequest, SUBJECTS, SubscriptionPatch,
    subject,
};
use bilim_domain::users::School;
use bilim_domain::values::{
    Amount, Description, DeviceId, District, Months, ProductCode, Region, SchoolNumber, Title,
};
use bilim_service::ServiceError;
use bilim_service::input::Invalid;
use bilim_service::shop::{OwnSubscription, Price};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;

/// The message of document 002 for a purchase that went through.
pub const PURCHASE_DONE_UZ: &str = "To'lov muvaffaqiyatli amalga oshirildi.";
/// The message of document 002 for any other failure of a purchase.
pub const PURCHASE_FAILED_UZ: &str = "Nimadur xato ketdi";

#[derive(Debug, Serialize, ToSchema)]
pub struct ProductResponse {
    pub id: Uuid,
    #[schema(example = "kundalik-pc")]
    pub code: String,
    #[schema(example = "Kundalikcom (kompyuter)")]
    pub name: String,
    #[schema(
        example = "Kundalik.com uchun kompyuter dasturi: bir qurilmaga bogʻlangan litsenziya kaliti bilan."
    )]
    pub description: String,
    /// So'm per month.
    #[schema(example = 25000)]
    pub monthly_price: i64,
    #[schema(example = 12)]
    pub max_months: i32,
    /// The buyer picks `subjects` from `GET /subjects`.
    pub needs_subjects: bool,
    /// Each subscription has a licence key (the PC product).
    pub has_licence: bool,
    pub active: bool,
}

impl From<&Product> for ProductResponse {
    fn from(p: &Product) -> Self {
        Self {
            id: p.id,
            code: p.code.clone(),
            name: p.name.clone(),
            description: p.description.clone(),
            monthly_price: p.monthly_price,
            max_months: p.max_months,
            needs_subjects: p.needs_subjects,
            has_licence: p.has_licence,
            active: p.active,
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ProductList {
    pub items: Vec<ProductResponse>,
}

/// `?months=N`, 1 to the product's `max_months`.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct PriceQuery {
    #[param(value_type = i64, required = true, minimum = 1, example = 3)]
    pub months: Option<String>,
}

/// A month count, as a query or body field, named `months`.
pub fn months(raw: Option<i64>) -> Result<Months, ServiceError> {
    let raw = raw.ok_or_else(|| DomainError::invalid("months", "required", "is required"))?;
    Ok(Months::parse("months", "months.invalid", raw)?)
}

impl TryFrom<&PriceQuery> for Months {
    type Error = ServiceError;

    fn try_from(query: &PriceQuery) -> Result<Self, ServiceError> {
        let raw = match query.months.as_deref() {
            None => None,
            Some(text) => Some(text.trim().parse::<i64>().map_err(|_| {
                DomainError::invalid("months", "months.invalid", "must be a whole number")
            })?),
        };
        months(raw)
    }
}

/// The document's `price_months`.
#[derive(Debug, Serialize, ToSchema)]
pub struct PriceResponse {
    #[schema(example = 3)]
    pub months: u32,
    #[schema(example = 25000)]
    pub monthly_price: i64,
    #[schema(example = 75000)]
    pub total: i64,
}

impl From<Price> for PriceResponse {
    fn from(p: Price) -> Self {
        Self {
            months: p.months,
            monthly_price: p.monthly_price,
            total: p.total,
        }
    }
}

/// `POST /products/{id}/purchase`.
#[derive(Debug, Deserialize, Serialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PurchaseBody {
    /// 1 to the product's `max_months`.
    #[schema(value_type = i64, minimum = 1, maximum = 60, example = 3)]
    pub months: serde_json::Number,
    /// The device the subscription is bound to: 1 to 128 characters, no
    /// control characters.
    #[schema(
        min_length = 1,
        max_length = 128,
        pattern = r"^[^\x00-\x1F\x7F]*[^\s\x00-\x1F\x7F][^\x00-\x1F\x7F]*$",
        example = "PC-7F3A-92B1"
    )]
    pub device_id: String,
    /// Codes from `GET /subjects`, for products with `needs_subjects`.
    #[schema(example = json!(["matematika", "fizika"]))]
    pub subjects: Option<Vec<String>>,
}

impl TryFrom<&PurchaseBody> for PurchaseRequest {
    type Error = ServiceError;

    fn try_from(body: &PurchaseBody) -> Result<Self, ServiceError> {
        let mut invalid = Invalid::default();
        let months = invalid
            .check(whole("months", "months.invalid", &body.months))
            .and_then(|raw| invalid.check(Months::parse("months", "months.invalid", raw)));
        let device_id = invalid.check(DeviceId::parse("device_id", &body.device_id));
        let mut subjects = Vec::new();
        for raw in body.subjects.iter().flatten() {
            if let Some(code) = invalid.check(subject("subjects", raw))
                && !subjects.contains(&code)
            {
                subjects.push(code);
            }
        }
        invalid.finish()?;
        let (Some(months), Some(device_id)) = (months, device_id) else {
            return Err(ServiceError::Internal("purchase field lost".into()));
        };
        Ok(Self {
            months,
            device_id,
            subjects,
        })
    }
}

/// The product a subscription is of.
#[derive(Debug, Serialize, ToSchema)]
pub struct ProductRef {
    pub id: Uuid,
    #[schema(example = "kundalik-pc")]
    pub code: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct SubscriptionResponse {
    pub id: Uuid,
    pub product: ProductRef,
    #[schema(example = "PC-7F3A-92B1")]
    pub device_id: String,
    pub starts_at: DateTime<Utc>,
    pub ends_at: DateTime<Utc>,
    pub active: bool,
    /// Only for the PC product: what the desktop app asks `POST
    /// /licences/check` about. Shown to the owner (and admins) only; stored
    /// hashed.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(example = "3F2A9-C01B7-...")]
    pub licence_key: Option<String>,
    /// Only for products with subjects.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    #[schema(example = json!(["matematika"]))]
    pub subjects: Vec<String>,
}

impl SubscriptionResponse {
    pub fn new(own: &OwnSubscription) -> Self {
        let s = &own.subscription;
        Self {
            id: s.id,
            product: ProductRef {
                id: s.product_id,
                code: s.product_code.clone(),
            },
            device_id: s.device_id.clone(),
            starts_at: s.starts_at,
            ends_at: s.ends_at,
            active: own.active,
            licence_key: own.licence_key.clone(),
            subjects: s.subjects.clone(),
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct SubscriptionList {
    pub items: Vec<SubscriptionResponse>,
}

/// A purchase that went through.
#[derive(Debug, Serialize, ToSchema)]
pub struct PurchaseResponse {
    pub ok: bool,
    #[schema(example = "To'lov muvaffaqiyatli amalga oshirildi.")]
    pub message: &'static str,
    pub subscription: SubscriptionResponse,
    /// The balance left, so'm.
    #[schema(example = 75000)]
    pub balance: i64,
}

/// `PUT /users/me/subscriptions/{id}/device`.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct DeviceBody {
    #[schema(
        min_length = 1,
        max_length = 128,
        pattern = r"^[^\x00-\x1F\x7F]*[^\s\x00-\x1F\x7F][^\x00-\x1F\x7F]*$",
        example = "PC-11D4-0A7C"
    )]
    pub device_id: String,
}

/// `PUT /admin/subscriptions/{id}`: absent fields stay.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SubscriptionPatchBody {
    pub ends_at: Option<DateTime<Utc>>,
    #[schema(
        min_length = 1,
        max_length = 128,
        pattern = r"^[^\x00-\x1F\x7F]*[^\s\x00-\x1F\x7F][^\x00-\x1F\x7F]*$",
        example = "PC-11D4-0A7C"
    )]
    pub device_id: Option<String>,
}

impl TryFrom<SubscriptionPatchBody> for SubscriptionPatch {
    type Error = ServiceError;

    fn try_from(body: SubscriptionPatchBody) -> Result<Self, ServiceError> {
        let device_id = body
            .device_id
            .map(|raw| DeviceId::parse("device_id", &raw))
            .transpose()?;
        Ok(Self {
            ends_at: body.ends_at,
            device_id,
        })
    }
}

/// `POST /licences/check`.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct LicenceCheckBody {
    #[schema(max_length = 100, example = "3F2A9-C01B7-...")]
    pub licence_key: String,
    #[schema(
        min_length = 1,
        max_length = 128,
        pattern = r"^[^\x00-\x1F\x7F]*[^\s\x00-\x1F\x7F][^\x00-\x1F\x7F]*$",
        example = "PC-7F3A-92B1"
    )]
    pub device_id: String,
}

/// Whether a key is active on the device; an unknown key is `active: false`
/// with `null`s. Never whose key it is.
#[derive(Debug, Serialize, ToSchema)]
pub struct LicenceCheckResponse {
    pub active: bool,
    #[schema(required = true)]
    pub ends_at: Option<DateTime<Utc>>,
    #[schema(required = true, example = "kundalik-pc")]
    pub product_code: Option<String>,
}

impl From<Option<LicenceStatus>> for LicenceCheckResponse {
    fn from(status: Option<LicenceStatus>) -> Self {
        match status {
            Some(s) => Self {
                active: s.active,
                ends_at: Some(s.ends_at),
                product_code: Some(s.product_code),
            },
            None => Self {
                active: false,
                ends_at: None,
                product_code: None,
            },
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct SubjectResponse {
    #[schema(example = "matematika")]
    pub code: &'static str,
    #[schema(example = "Matematika")]
    pub name: &'static str,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct SubjectList {
    pub items: Vec<SubjectResponse>,
}

impl SubjectList {
    pub fn all() -> Self {
        Self {
            items: SUBJECTS
                .iter()
                .map(|(code, name)| SubjectResponse { code, name })
                .collect(),
        }
    }
}

/// `POST /admin/products`.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ProductCreateBody {
    #[schema(pattern = "^[a-z0-9-]{1,64}$", example = "testmax-school")]
    pub code: String,
    #[schema(
        min_length = 1,
        max_length = 200,
        pattern = r"^[\t\n\r ]*[^\x00-\x1F\x7F]*[^\s\x00-\x1F\x7F][^\x00-\x1F\x7F]*[\t\n\r ]*$",
        example = "TestMax (maktab)"
    )]
    pub name: String,
    #[schema(example = "Maktablar uchun TestMax.")]
    pub description: Option<String>,
    #[schema(value_type = i64, minimum = 1, maximum = 100000000, example = 90000)]
    pub monthly_price: serde_json::Number,
    #[schema(value_type = i64, minimum = 1, maximum = 60, example = 12)]
    pub max_months: serde_json::Number,
    #[serde(default)]
    pub needs_subjects: bool,
    #[serde(default)]
    pub has_licence: bool,
    /// `true` when absent.
    pub active: Option<bool>,
}

/// `PATCH /admin/products/{id}`: absent fields stay; the code never changes.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ProductPatchBody {
    #[schema(
        min_length = 1,
        max_length = 200,
        pattern = r"^[\t\n\r ]*[^\x00-\x1F\x7F]*[^\s\x00-\x1F\x7F][^\x00-\x1F\x7F]*[\t\n\r ]*$",
        example = "TestMax (maktab)"
    )]
    pub name: Option<String>,
    pub description: Option<String>,
    #[schema(value_type = Option<i64>, minimum = 1, maximum = 100000000, example = 30000)]
    pub monthly_price: Option<serde_json::Number>,
    #[schema(value_type = Option<i64>, minimum = 1, maximum = 60)]
    pub max_months: Option<serde_json::Number>,
    pub needs_subjects: Option<bool>,
    pub active: Option<bool>,
}

fn price_of(raw: &serde_json::Number, invalid: &mut Invalid) -> Option<Amount> {
    invalid
        .check(whole("monthly_price", "amount.invalid", raw))
        .and_then(|v| invalid.check(Amount::parse("monthly_price", v)))
}

fn max_months_of(raw: &serde_json::Number, invalid: &mut Invalid) -> Option<Months> {
    invalid
        .check(whole("max_months", "max_months.invalid", raw))
        .and_then(|v| invalid.check(Months::parse("max_months", "max_months.invalid", v)))
}

impl TryFrom<ProductCreateBody> for NewProduct {
    type Error = ServiceError;

    fn try_from(body: ProductCreateBody) -> Result<Self, ServiceError> {
        let mut invalid = Invalid::default();
        let code = invalid.check(ProductCode::parse("code", &body.code));
        let name = invalid.check(Title::parse("name", &body.name));
        let description = invalid.check(Description::parse(
            "description",
            body.description.as_deref().unwrap_or(""),
        ));
        let monthly_price = price_of(&body.monthly_price, &mut invalid);
        let max_months = max_months_of(&body.max_months, &mut invalid);
        invalid.finish()?;
        let (Some(code), Some(name), Some(description), Some(monthly_price), Some(max_months)) =
            (code, name, description, monthly_price, max_months)
        else {
            return Err(ServiceError::Internal("product field lost".into()));
        };
        Ok(Self {
            code,
            name,
            description,
            monthly_price,
            max_months,
            needs_subjects: body.needs_subjects,
            has_licence: body.has_licence,
            active: body.active.unwrap_or(true),
        })
    }
}

impl TryFrom<ProductPatchBody> for ProductPatch {
    type Error = ServiceError;

    fn try_from(body: ProductPatchBody) -> Result<Self, ServiceError> {
        let mut invalid = Invalid::default();
        let name = body
            .name
            .and_then(|raw| invalid.check(Title::parse("name", &raw)));
        let description = body
            .description
            .and_then(|raw| invalid.check(Description::parse("description", &raw)));
        let monthly_price = body
            .monthly_price
            .and_then(|raw| price_of(&raw, &mut invalid));
        let max_months = body
            .max_months
            .and_then(|raw| max_months_of(&raw, &mut invalid));
        invalid.finish()?;
        Ok(Self {
            name,
            description,
            monthly_price,
            max_months,
            needs_subjects: body.needs_subjects,
            active: body.active,
        })
    }
}

/// `PUT /users/me/school`.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SchoolBody {
    /// One of Uzbekistan's 14 regions by ISO 3166-2 code: `UZ-AN`, `UZ-BU`,
    /// `UZ-FA`, `UZ-JI`, `UZ-NG`, `UZ-NW`, `UZ-QA`, `UZ-QR`, `UZ-SA`,
    /// `UZ-SI`, `UZ-SU`, `UZ-TK`, `UZ-TO`, `UZ-XO`.
    #[schema(
        pattern = "^UZ-(AN|BU|FA|JI|NG|NW|QA|QR|SA|SI|SU|TK|TO|XO)$",
        example = "UZ-SA"
    )]
    pub region: String,
    #[schema(
        min_length = 1,
        max_length = 100,
        pattern = r"^[\t\n\r ]*[^\x00-\x1F\x7F]*[^\s\x00-\x1F\x7F][^\x00-\x1F\x7F]*[\t\n\r ]*$",
        example = "Urgut tumani"
    )]
    pub district: String,
    #[schema(
        min_length = 1,
        max_length = 20,
        pattern = r"^[\t\n\r ]*[^\x00-\x1F\x7F]*[^\s\x00-\x1F\x7F][^\x00-\x1F\x7F]*[\t\n\r ]*$",
        example = "45"
    )]
    pub school_number: String,
}

impl TryFrom<SchoolBody> for School {
    type Error = ServiceError;

    fn try_from(body: SchoolBody) -> Result<Self, ServiceError> {
        let mut invalid = Invalid::default();
        let region = invalid.check(Region::parse("region", &body.region));
        let district = invalid.check(District::parse("district", &body.district));
        let number = invalid.check(SchoolNumber::parse("school_number", &body.school_number));
        invalid.finish()?;
        let (Some(region), Some(district), Some(number)) = (region, district, number) else {
            return Err(ServiceError::Internal("school field lost".into()));
        };
        Ok(Self {
            region,
            district,
            number,
        })
    }
}

/// The user's school.
#[derive(Debug, Serialize, ToSchema)]
pub struct SchoolResponse {
    #[schema(example = "UZ-SA")]
    pub region: &'static str,
    #[schema(example = "Samarqand viloyati")]
    pub region_name: &'static str,
    #[schema(example = "Urgut tumani")]
    pub district: String,
    #[schema(example = "45")]
    pub school_number: String,
}

impl From<&School> for SchoolResponse {
    fn from(s: &School) -> Self {
        Self {
            region: s.region.code(),
            region_name: s.region.name(),
            district: s.district.as_str().to_owned(),
            school_number: s.number.as_str().to_owned(),
        }
    }
}
