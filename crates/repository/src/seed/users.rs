//! Demo users: `demo{n}@bilim.test`, numbered on from the highest stored.

use super::{BATCH, DOMAIN, splitmix64};
use crate::database::{Database, db_error};
use crate::directory::add_to_totals;
use crate::entities::users::{self, Column};
use crate::users::search_text;
use bilim_domain::DomainResult;
use bilim_domain::users::UserRole;
use chrono::{DateTime, Utc};
use sea_orm::ActiveValue::Set;
use sea_orm::sea_query::Expr;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect};
use uuid::Uuid;

const MALE_FIRST_NAMES: &[&str] = &[
    "Aziz",
    "Bekzod",
    "Doniyor",
    "Eldor",
    "Farrux",
    "Jasur",
    "Javohir",
    "Laziz",
    "Mirzo",
    "Muhammad",
    "Nodir",
    "Oʻktam",
    "Otabek",
    "Rustam",
    "Sardor",
    "Sherzod",
    "Shohruh",
    "Timur",
    "Ulugʻbek",
    "Umid",
    "Gʻulom",
    "Xurshid",
    "Zafar",
    "Islom",
];

const FEMALE_FIRST_NAMES: &[&str] = &[
    "Aziza", "Dilnoza", "Dildora", "Feruza", "Gulnora", "Kamola", "Laylo", "Madina", "Malika",
    "Mohira", "Nargiza", "Nilufar", "Oydin", "Rayhona", "Sabina", "Sevara", "Shahzoda", "Umida",
    "Xurshida", "Yulduz", "Zarina", "Zilola", "Gulbahor", "Muxlisa",
];

/// Men's forms; women's add an `a` (Karimov, Karimova).
const LAST_NAMES: &[&str] = &[
    "Abdullayev",
    "Alimov",
    "Aminov",
    "Ergashev",
    "Haydarov",
    "Hasanov",
    "Ismoilov",
    "Jurayev",
    "Karimov",
    "Mahmudov",
    "Mirzayev",
    "Nazarov",
    "Nurmatov",
    "Ortiqov",
    "Qodirov",
    "Rahimov",
    "Rasulov",
    "Saidov",
    "Sobirov",
    "Tursunov",
    "Usmonov",
    "Xolmatov",
    "Yoʻldoshev",
    "Zokirov",
];

/// Inserts `count` demo users (about one in ten inactive, one in twenty a
/// teacher) and returns how many it inserted. Ids are UUID v7, increasing, so
/// the newest-first admin list shows the last batch first.
pub async fn seed_users(
    db: &Database,
    count: u64,
    password_hash: &str,
    now: DateTime<Utc>,
) -> DomainResult<u64> {
    let first = highest_demo_number(db).await? + 1;
    let end = first + count;
    let mut start = first;
    while start < end {
        let stop = end.min(start + BATCH);
        let rows: Vec<users::ActiveModel> = (start..stop)
            .map(|n| demo_user(n, password_hash, now))
            .collect();
        let inactive = (start..stop).filter(|&n| is_inactive(n)).count() as i64;
        let active = (stop - start) as i64 - inactive;
        let txn = db.begin_write().await?;
        users::Entity::insert_many(rows)
            .exec_without_returning(&txn)
            .await
            .map_err(db_error)?;
        add_to_totals(&txn, active, inactive).await?;
        txn.commit().await.map_err(db_error)?;
        start = stop;
    }
    Ok(count)
}

/// The highest `n` of the stored `demo{n}@bilim.test`, 0 when there is none.
/// Longer emails hold larger numbers, and equally long ones compare as text, so
/// the first all-digit one in this order is the highest.
async fn highest_demo_number(db: &Database) -> DomainResult<u64> {
    let emails: Vec<String> = users::Entity::find()
        .select_only()
        .column(Column::Email)
        .filter(Column::Email.like(format!("demo%{DOMAIN}")))
        .order_by_desc(Expr::cust("length(email)"))
        .order_by_desc(Column::Email)
        .limit(1000)
        .into_tuple()
        .all(db.connection())
        .await
        .map_err(db_error)?;
    Ok(emails
        .iter()
        .find_map(|email| demo_number(email))
        .unwrap_or(0))
}

fn demo_number(email: &str) -> Option<u64> {
    let digits = email.strip_prefix("demo")?.strip_suffix(DOMAIN)?;
    if digits.is_empty() || digits.starts_with('0') || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    digits.parse().ok()
}

fn is_inactive(n: u64) -> bool {
    n.is_multiple_of(10)
}

fn demo_user(n: u64, password_hash: &str, now: DateTime<Utc>) -> users::ActiveModel {
    let mix = splitmix64(n);
    let female = mix & 1 == 1;
    let names = if female {
        FEMALE_FIRST_NAMES
    } else {
        MALE_FIRST_NAMES
    };
    let first_name = pick(names, mix >> 8);
    let last_name = pick(LAST_NAMES, mix >> 24);
    let last_name = if female {
        format!("{last_name}a")
    } else {
        last_name.to_owned()
    };
    let email = format!("demo{n}{DOMAIN}");
    let phone = format!("+99890{:07}", n % 10_000_000);
    // `n % 20 == 5`, not a multiple of 20: those are all inactive (`is_inactive`),
    // and the demo catalogue is taught by active teachers.
    let role = if n % 20 == 5 {
        UserRole::Teacher
    } else {
        UserRole::Student
    };
    let at = now.fixed_offset();
    users::ActiveModel {
        id: Set(Uuid::now_v7()),
        search_text: Set(search_text(first_name, &last_name, &email, Some(&phone))),
        first_name: Set(first_name.to_owned()),
        last_name: Set(last_name),
        email: Set(email),
        phone: Set(Some(phone)),
        password_hash: Set(password_hash.to_owned()),
        avatar_key: Set(None),
        role: Set(role.as_str().to_owned()),
        active: Set(!is_inactive(n)),
        email_verified_at: Set(Some(at)),
        last_login_at: Set(None),
        token_version: Set(0),
        created_at: Set(at),
        updated_at: Set(at),
        // A balance comes with its ledger: `seed/wallets.rs`.
        ..Default::default()
    }
}

fn pick<'a>(list: &[&'a str], mix: u64) -> &'a str {
    list[(mix % list.len() as u64) as usize]
}

#[cfg(test)]
mod tests {
    use super::*;
    use bilim_domain::values::{Email, PersonName, Phone};

    #[test]
    fn demo_numbers_are_read_back_only_from_demo_emails() {
        assert_eq!(demo_number("demo42@bilim.test"), Some(42));
        for email in [
            "demo@bilim.test",
            "demo042@bilim.test",
            "demox@bilim.test",
            "demo4@bilim.uz",
        ] {
            assert_eq!(demo_number(email), None, "{email}");
        }
    }

    #[test]
    fn demo_users_pass_the_domain_rules() {
        for n in 1..500 {
            let user = demo_user(n, "$argon2id$x", Utc::now());
            let sea_orm::ActiveValue::Set(first_name) = user.first_name else {
                panic!("first name not set")
            };
            let sea_orm::ActiveValue::Set(last_name) = user.last_name else {
                panic!("last name not set")
            };
            PersonName::parse("first_name", &first_name).unwrap();
            PersonName::parse("last_name", &last_name).unwrap();
            let email = format!("demo{n}{DOMAIN}");
            assert_eq!(Email::parse(&email).unwrap().as_str(), email);
            let phone = format!("+99890{:07}", n % 10_000_000);
            assert_eq!(Phone::parse(&phone).unwrap().as_str(), phone);
        }
    }
}
