//! Demo wallets: balances with their ledgers, and some subscriptions.

use super::{DOMAIN, splitmix64};
use crate::database::{Database, db_error};
use crate::entities::users::{self, Column};
use crate::entities::wallet_entries;
use crate::shop::SeaSubscriptionRepository;
use crate::wallet::apply_change;
use bilim_domain::DomainResult;
use bilim_domain::ports::SubscriptionRepository;
use bilim_domain::shop::Purchase;
use bilim_domain::values::{DeviceId, Months};
use bilim_domain::wallet::{BalanceChange, EntryKind};
use chrono::{DateTime, Utc};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect};
use uuid::Uuid;

/// `kundalik-mobile`, created by the migration, and its monthly price there.
const MOBILE: Uuid = Uuid::from_u128(0x0193a000_0000_7000_8000_000000000002);
const MOBILE_PRICE: i64 = 15_000;

/// Gives each of the first `users` demo users (oldest first) that has no
/// ledger yet a top-up of 1 000 000 to 1 900 000 so'm, and every fourth of
/// them a `kundalik-mobile` subscription of 1 to 3 months bought from it,
/// through the same statements as the routes (`wallet::apply_change` and the
/// purchase). Returns how many users got a balance; a repeat run adds
/// nothing for them.
pub async fn seed_wallets(db: &Database, users: u64, now: DateTime<Utc>) -> DomainResult<u64> {
    let demo: Vec<Uuid> = users::Entity::find()
        .select_only()
        .column(Column::Id)
        .filter(Column::Email.like(format!("demo%{DOMAIN}")))
        .order_by_asc(Column::Id)
        .limit(users)
        .into_tuple()
        .all(db.connection())
        .await
        .map_err(db_error)?;
    let subscriptions = SeaSubscriptionRepository::new(db.clone());
    let mut added = 0;
    for (n, user_id) in demo.into_iter().enumerate() {
        let has_ledger = wallet_entries::Entity::find()
            .filter(wallet_entries::Column::UserId.eq(user_id))
            .one(db.connection())
            .await
            .map_err(db_error)?
            .is_some();
        if has_ledger {
            continue;
        }
        let mix = splitmix64(n as u64);
        let txn = db.begin_write().await?;
        apply_change(
            &txn,
            &BalanceChange {
                entry_id: Uuid::now_v7(),
                user_id,
                amount: 1_000_000 + i64::try_from(mix % 10).unwrap_or(0) * 100_000,
                kind: EntryKind::TopUp,
                note: Some("Demo: boshlangʻich balans".to_owned()),
                admin_id: None,
                reference: None,
                at: now,
            },
        )
        .await?;
        txn.commit().await.map_err(db_error)?;
        added += 1;
        if n % 4 == 0 {
            let months = Months::parse("months", "validation", 1 + (mix % 3) as i64)?;
            subscriptions
                .purchase(&Purchase {
                    user_id,
                    product_id: MOBILE,
                    months,
                    device_id: DeviceId::parse("device_id", &format!("demo-phone-{n}"))?,
                    subjects: Vec::new(),
                    total: MOBILE_PRICE * i64::from(months.get()),
                    subscription_id: Uuid::now_v7(),
                    entry_id: Uuid::now_v7(),
                    licence_key_hash: None,
                    now,
                })
                .await?;
        }
    }
    Ok(added)
}
