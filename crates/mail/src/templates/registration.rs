//! The notice that someone tried to register with an address that already
//! has an account.

use super::Rendered;
use super::letter::{Block, greeting, letter};

/// The mail to the holder of an address someone tried to register again.
pub(super) fn attempt(first_name: &str) -> Rendered {
    letter(
        "Bilim: roʻyxatdan oʻtishga urinish",
        vec![
            greeting(first_name),
            Block::Text(vec![
                "Kimdir ushbu elektron pochta manzili bilan Bilim platformasida \
             roʻyxatdan oʻtishga urindi. Bu manzilga bogʻlangan hisob allaqachon \
             mavjud."
                    .to_owned(),
            ]),
            Block::Text(vec![
                "Agar bu siz boʻlsangiz, hisobingizga kiring yoki parolingizni tiklang.".to_owned(),
            ]),
            Block::Text(vec![
                "Agar bu siz boʻlmasangiz, ushbu xatni eʼtiborsiz qoldirishingiz \
             mumkin: hisobingizda hech narsa oʻzgarmadi."
                    .to_owned(),
            ]),
        ],
    )
}
