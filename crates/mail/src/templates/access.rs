//! The access mails: a course's access ends in about a week, and it has
//! ended. Times are shown in Tashkent time with Uzbek month names.

use super::Rendered;
use super::letter::{Block, clean_title, greeting, letter};
use chrono::{DateTime, Datelike, TimeDelta, Timelike, Utc};

/// Access to `course_title` ends at `expires_at`.
pub(super) fn ending(first_name: &str, course_title: &str, expires_at: DateTime<Utc>) -> Rendered {
    letter(
        "Bilim: kursga kirish muddati tugamoqda",
        vec![
            greeting(first_name),
            Block::Text(vec![format!(
                "«{}» kursiga kirish muddatingiz {} tugaydi.",
                clean_title(course_title),
                tashkent_time(expires_at)
            )]),
            Block::Text(vec![
                "Qolgan darslarni shu vaqtgacha oʻtib boʻlishingizni tavsiya qilamiz: \
             muddat tugagach, kurs materiallari yopiladi."
                    .to_owned(),
            ]),
        ],
    )
}

/// Access to `course_title` has ended.
pub(super) fn ended(first_name: &str, course_title: &str) -> Rendered {
    letter(
        "Bilim: kursga kirish muddati tugadi",
        vec![
            greeting(first_name),
            Block::Text(vec![format!(
                "«{}» kursiga kirish muddatingiz tugadi. Kurs materiallari endi \
             siz uchun yopiq.",
                clean_title(course_title)
            )]),
            Block::Text(vec!["Bilim bilan oʻqiganingiz uchun rahmat!".to_owned()]),
        ],
    )
}

/// Tashkent is UTC+5 all year round (no daylight saving time).
const TASHKENT_OFFSET_HOURS: i64 = 5;

const MONTHS: [&str; 12] = [
    "yanvar", "fevral", "mart", "aprel", "may", "iyun", "iyul", "avgust", "sentabr", "oktabr",
    "noyabr", "dekabr",
];

/// `at` in Tashkent time, Uzbek style: "2026-yil 1-dekabr, soat 14:30 (Toshkent vaqti)".
pub(super) fn tashkent_time(at: DateTime<Utc>) -> String {
    let local = at
        .checked_add_signed(TimeDelta::hours(TASHKENT_OFFSET_HOURS))
        .unwrap_or(at)
        .naive_utc();
    // `month0` is always below 12.
    let month = MONTHS
        .get(local.month0() as usize)
        .copied()
        .unwrap_or_default();
    format!(
        "{}-yil {}-{month}, soat {:02}:{:02} (Toshkent vaqti)",
        local.year(),
        local.day(),
        local.hour(),
        local.minute()
    )
}
