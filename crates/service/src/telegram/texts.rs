//! What the bot says, in Uzbek (Latin) and Russian.

use bilim_domain::telegram::BotLanguage;

pub(super) struct Texts {
    pub ask_contact: &'static str,
    pub contact_button: &'static str,
    pub help: &'static str,
    pub not_own_contact: &'static str,
    pub phone_not_uzbek: &'static str,
    pub join_channel: &'static str,
    pub link: &'static str,
    pub minutes: &'static str,
}

const UZBEK: Texts = Texts {
    ask_contact: "Assalomu alaykum! Bilim platformasida roʻyxatdan oʻtish uchun pastdagi tugma orqali telefon raqamingizni yuboring.",
    contact_button: "📱 Telefon raqamni yuborish",
    help: "Bu bot Bilim platformasida roʻyxatdan oʻtishga yordam beradi.\n/start — roʻyxatdan oʻtishni boshlash\n/help — yordam",
    not_own_contact: "Iltimos, faqat oʻzingizning telefon raqamingizni tugma orqali yuboring.",
    phone_not_uzbek: "Kechirasiz, faqat Oʻzbekiston raqamlari (+998) qabul qilinadi.",
    join_channel: "Davom etish uchun avval kanalimizga aʼzo boʻling, soʻng /start ni bosing:",
    link: "Rahmat! Roʻyxatdan oʻtishni shu havola orqali yakunlang:",
    minutes: "Havola {minutes} daqiqa amal qiladi va bir marta ishlatiladi.",
};

const RUSSIAN: Texts = Texts {
    ask_contact: "Здравствуйте! Чтобы зарегистрироваться на платформе Bilim, отправьте свой номер телефона кнопкой ниже.",
    contact_button: "📱 Отправить номер телефона",
    help: "Этот бот помогает зарегистрироваться на платформе Bilim.\n/start — начать регистрацию\n/help — помощь",
    not_own_contact: "Пожалуйста, отправьте кнопкой только свой собственный номер телефона.",
    phone_not_uzbek: "Извините, принимаются только номера Узбекистана (+998).",
    join_channel: "Чтобы продолжить, сначала подпишитесь на наш канал, затем нажмите /start:",
    link: "Спасибо! Завершите регистрацию по этой ссылке:",
    minutes: "Ссылка действует {minutes} минут и только один раз.",
};

pub(super) fn texts(language: BotLanguage) -> &'static Texts {
    match language {
        BotLanguage::Uzbek => &UZBEK,
        BotLanguage::Russian => &RUSSIAN,
    }
}
