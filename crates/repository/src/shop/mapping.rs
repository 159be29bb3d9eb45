//! `products` and `subscriptions` rows ⇄ the domain.

use crate::entities::{products, subscriptions};
use bilim_domain::shop::{NewProduct, Product, ProductPatch, Subscription};
use bilim_domain::{DomainError, DomainResult};
use chrono::{DateTime, Utc};
use sea_orm::ActiveValue::Set;
use uuid::Uuid;

impl From<products::Model> for Product {
    fn from(row: products::Model) -> Self {
        Self {
            id: row.id,
            code: row.code,
            name: row.name,
            description: row.description,
            monthly_price: row.monthly_price,
            max_months: row.max_months,
            needs_subjects: row.needs_subjects,
            has_licence: row.has_licence,
            active: row.active,
            created_at: row.created_at.to_utc(),
            updated_at: row.updated_at.to_utc(),
        }
    }
}

pub(super) fn new_product(id: Uuid, p: &NewProduct, now: DateTime<Utc>) -> products::ActiveModel {
    products::ActiveModel {
        id: Set(id),
        code: Set(p.code.as_str().to_owned()),
        name: Set(p.name.as_str().to_owned()),
        description: Set(p.description.as_str().to_owned()),
        monthly_price: Set(p.monthly_price.get()),
        max_months: Set(p.max_months.as_i32()),
        needs_subjects: Set(p.needs_subjects),
        has_licence: Set(p.has_licence),
        active: Set(p.active),
        created_at: Set(now.fixed_offset()),
        updated_at: Set(now.fixed_offset()),
    }
}

pub(super) fn product_patch(
    id: Uuid,
    p: &ProductPatch,
    now: DateTime<Utc>,
) -> products::ActiveModel {
    let mut row = products::ActiveModel {
        id: sea_orm::ActiveValue::Unchanged(id),
        updated_at: Set(now.fixed_offset()),
        ..Default::default()
    };
    if let Some(name) = &p.name {
        row.name = Set(name.as_str().to_owned());
    }
    if let Some(description) = &p.description {
        row.description = Set(description.as_str().to_owned());
    }
    if let Some(price) = p.monthly_price {
        row.monthly_price = Set(price.get());
    }
    if let Some(months) = p.max_months {
        row.max_months = Set(months.as_i32());
    }
    if let Some(needs) = p.needs_subjects {
        row.needs_subjects = Set(needs);
    }
    if let Some(active) = p.active {
        row.active = Set(active);
    }
    row
}

/// A subscription row with its product.
pub(super) fn subscription(
    row: subscriptions::Model,
    product: Option<products::Model>,
) -> DomainResult<Subscription> {
    let product = product
        .ok_or_else(|| DomainError::internal(format!("subscription {} has no product", row.id)))?;
    let subjects = match row.subjects.as_deref() {
        None => Vec::new(),
        Some(text) => serde_json::from_str(text).map_err(|error| {
            DomainError::internal(format!("subscriptions.subjects of {}: {error}", row.id))
        })?,
    };
    Ok(Subscription {
        id: row.id,
        user_id: row.user_id,
        product_id: row.product_id,
        product_code: product.code,
        device_id: row.device_id,
        subjects,
        starts_at: row.starts_at.to_utc(),
        ends_at: row.ends_at.to_utc(),
        has_licence: row.licence_key_hash.is_some(),
        device_changed_at: row.device_changed_at.map(|at| at.to_utc()),
    })
}

/// Subjects as the column stores them: a JSON array, or NULL when none.
pub(super) fn subjects_column(subjects: &[String]) -> DomainResult<Option<String>> {
    if subjects.is_empty() {
        return Ok(None);
    }
    serde_json::to_string(subjects)
        .map(Some)
        .map_err(DomainError::internal)
}
