//! The code mails (registration, login, password reset, admin login): the
//! code alone on its line, how long it is valid, and why an unrequested code
//! is safe to ignore.

use super::Rendered;
use super::letter::{Block, letter};
use bilim_domain::ports::CodePurpose;
use bilim_domain::values::Code;

/// The mail carrying `code` for `purpose`.
pub(super) fn code(purpose: CodePurpose, code: &Code, valid_minutes: u32) -> Rendered {
    let wording = CodeWording::of(purpose);
    letter(
        wording.subject,
        vec![
            Block::Text(vec!["Assalomu alaykum!".to_owned()]),
            Block::Text(vec![wording.lead.to_owned()]),
            Block::Code(code.expose().to_owned()),
            Block::Text(vec![format!(
                "Kod {valid_minutes} daqiqa davomida amal qiladi. Uni hech kimga aytmang."
            )]),
            Block::Text(vec![format!(
                "Agar bu kodni siz soʻramagan boʻlsangiz, ushbu xatni eʼtiborsiz \
             qoldirishingiz mumkin. {}",
                wording.guard
            )]),
        ],
    )
}

/// What differs between the code mails.
struct CodeWording {
    subject: &'static str,
    /// The sentence right above the code.
    lead: &'static str,
    /// Why ignoring an unrequested code is safe.
    guard: &'static str,
}

impl CodeWording {
    fn of(purpose: CodePurpose) -> Self {
        match purpose {
            CodePurpose::Register => Self {
                subject: "Bilim: roʻyxatdan oʻtish kodi",
                lead: "Bilim platformasida roʻyxatdan oʻtish uchun tasdiqlash kodingiz:",
                guard: "Bu kodsiz hech kim sizning manzilingiz bilan roʻyxatdan oʻta olmaydi.",
            },
            CodePurpose::Login => Self {
                subject: "Bilim: kirish kodi",
                lead: "Bilim platformasiga kirish uchun kodingiz:",
                guard: "Bu kodsiz hech kim hisobingizga kira olmaydi.",
            },
            CodePurpose::PasswordReset => Self {
                subject: "Bilim: parolni tiklash kodi",
                lead: "Bilim platformasida parolingizni tiklash uchun kodingiz:",
                guard: "Bu kodsiz hech kim parolingizni oʻzgartira olmaydi.",
            },
            CodePurpose::AdminLogin => Self {
                subject: "Bilim: administrator kirish kodi",
                lead: "Bilim boshqaruv paneliga administrator sifatida kirish uchun kodingiz:",
                guard: "Bu kodsiz hech kim administrator hisobingizga kira olmaydi.",
            },
        }
    }
}
