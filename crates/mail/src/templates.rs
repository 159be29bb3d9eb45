//! Every mail Bilim sends, in Uzbek (Latin script): subject, plain text and
//! HTML, all three rendered here from one [`MailMessage`].
//!
//! Spelling: `oʻ` and `gʻ` use U+02BB (ʻ), the tutuq belgisi U+02BC (ʼ); never
//! ASCII apostrophes or typographic quotes.
//!
//! The plain text and the HTML say the same thing: both are drawn from one list
//! of blocks. In the text body a code stands alone on its own line, so mail
//! clients and tests can find it; it never appears in the subject, which shows
//! up in notifications and on lock screens. The HTML is a single inline-styled
//! document without images, links or scripts, and every piece of text in it
//! goes through [`escape_html`].
//!
//! Times are shown in Tashkent time (UTC+5) with Uzbek month names:
//! "2026-yil 1-dekabr, soat 14:30 (Toshkent vaqti)".

use bilim_domain::ports::{CodePurpose, MailMessage};
use chrono::{DateTime, Datelike, TimeDelta, Timelike, Utc};

/// A message ready for the transport.
#[derive(Clone, PartialEq, Eq)]
pub struct Rendered {
    pub subject: String,
    pub text: String,
    pub html: String,
}

/// Hand-written so that a stray `{:?}` cannot log a code.
impl std::fmt::Debug for Rendered {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Rendered")
            .field("subject", &self.subject)
            .finish_non_exhaustive()
    }
}

/// Renders `message` into its subject, plain text and HTML.
pub fn render(message: &MailMessage) -> Rendered {
    match message {
        MailMessage::Code {
            purpose,
            code,
            valid_minutes,
        } => {
            let wording = CodeWording::of(*purpose);
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
        MailMessage::RegistrationAttempt { first_name } => letter(
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
                    "Agar bu siz boʻlsangiz, hisobingizga kiring yoki parolingizni tiklang."
                        .to_owned(),
                ]),
                Block::Text(vec![
                    "Agar bu siz boʻlmasangiz, ushbu xatni eʼtiborsiz qoldirishingiz \
                     mumkin: hisobingizda hech narsa oʻzgarmadi."
                        .to_owned(),
                ]),
            ],
        ),
        MailMessage::AccessEnding {
            first_name,
            course_title,
            expires_at,
        } => letter(
            "Bilim: kursga kirish muddati tugamoqda",
            vec![
                greeting(first_name),
                Block::Text(vec![format!(
                    "«{}» kursiga kirish muddatingiz {} tugaydi.",
                    clean_title(course_title),
                    tashkent_time(*expires_at)
                )]),
                Block::Text(vec![
                    "Qolgan darslarni shu vaqtgacha oʻtib boʻlishingizni tavsiya qilamiz: \
                     muddat tugagach, kurs materiallari yopiladi."
                        .to_owned(),
                ]),
            ],
        ),
        MailMessage::AccessEnded {
            first_name,
            course_title,
        } => letter(
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
        ),
    }
}

/// "Assalomu alaykum, Name!", or without the name when there is none.
fn greeting(first_name: &str) -> Block {
    let name = clean_name(first_name);
    Block::Text(vec![if name.is_empty() {
        "Assalomu alaykum!".to_owned()
    } else {
        format!("Assalomu alaykum, {name}!")
    }])
}

/// Tashkent is UTC+5 all year round (no daylight saving time).
const TASHKENT_OFFSET_HOURS: i64 = 5;

const MONTHS: [&str; 12] = [
    "yanvar", "fevral", "mart", "aprel", "may", "iyun", "iyul", "avgust", "sentabr", "oktabr",
    "noyabr", "dekabr",
];

/// `at` in Tashkent time, Uzbek style: "2026-yil 1-dekabr, soat 14:30 (Toshkent vaqti)".
fn tashkent_time(at: DateTime<Utc>) -> String {
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

/// One paragraph of a letter.
enum Block {
    /// Lines of prose, kept apart by line breaks.
    Text(Vec<String>),
    /// A code: alone on its line in the text body, large in the HTML.
    Code(String),
}

const SIGNATURE: [&str; 2] = ["Hurmat bilan,", "Bilim jamoasi"];

/// Renders `blocks` plus the signature as text and HTML.
fn letter(subject: &str, mut blocks: Vec<Block>) -> Rendered {
    blocks.push(Block::Text(SIGNATURE.map(str::to_owned).to_vec()));

    let text = blocks
        .iter()
        .map(|block| match block {
            Block::Text(lines) => lines.join("\n"),
            Block::Code(code) => code.clone(),
        })
        .collect::<Vec<_>>()
        .join("\n\n")
        + "\n";

    let mut html = format!(
        "<!DOCTYPE html>\n\
         <html lang=\"uz\">\n\
         <head><meta charset=\"utf-8\"><title>{}</title></head>\n\
         <body style=\"margin:0;padding:24px;background:#f4f5f7;\">\n\
         <div style=\"max-width:480px;margin:0 auto;padding:24px;background:#ffffff;\
         border-radius:8px;font-family:Arial,Helvetica,sans-serif;font-size:16px;\
         line-height:1.5;color:#1f2933;\">\n",
        escape_html(subject)
    );
    for block in &blocks {
        match block {
            Block::Text(lines) => {
                let lines: Vec<String> = lines.iter().map(|l| escape_html(l)).collect();
                html.push_str("<p style=\"margin:0 0 16px;\">");
                html.push_str(&lines.join("<br>"));
                html.push_str("</p>\n");
            }
            Block::Code(code) => {
                html.push_str(
                    "<p style=\"margin:0 0 16px;font-family:Consolas,Menlo,Courier,monospace;\
                     font-size:32px;font-weight:bold;letter-spacing:6px;\">",
                );
                html.push_str(&escape_html(code));
                html.push_str("</p>\n");
            }
        }
    }
    html.push_str("</div>\n</body>\n</html>\n");

    Rendered {
        subject: subject.to_owned(),
        text,
        html,
    }
}

/// A name as it may appear in a letter: control characters and runs of
/// whitespace (line breaks included) folded into one space, at most 100
/// characters. Keeps a name from adding lines to the text body.
fn clean_name(raw: &str) -> String {
    clean_line(raw, 100)
}

/// A course title as it may appear in a letter: like [`clean_name`], at most
/// 200 characters.
fn clean_title(raw: &str) -> String {
    clean_line(raw, 200)
}

/// `raw` on one line: control characters and whitespace runs folded into one
/// space, at most `max_chars` characters.
fn clean_line(raw: &str, max_chars: usize) -> String {
    let printable: String = raw
        .chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect();
    printable
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .chars()
        .take(max_chars)
        .collect()
}

/// Escapes the five characters that matter in HTML text and attribute values.
fn escape_html(raw: &str) -> String {
    let mut escaped = String::with_capacity(raw.len());
    for c in raw.chars() {
        match c {
            '&' => escaped.push_str("&amp;"),
            '<' => escaped.push_str("&lt;"),
            '>' => escaped.push_str("&gt;"),
            '"' => escaped.push_str("&quot;"),
            '\'' => escaped.push_str("&#39;"),
            c => escaped.push(c),
        }
    }
    escaped
}

#[cfg(test)]
mod tests {
    use super::*;
    use bilim_domain::values::Code;
    use std::collections::HashSet;

    const PURPOSES: [CodePurpose; 4] = [
        CodePurpose::Register,
        CodePurpose::Login,
        CodePurpose::PasswordReset,
        CodePurpose::AdminLogin,
    ];

    fn code_mail(purpose: CodePurpose, code: &str) -> MailMessage {
        MailMessage::Code {
            purpose,
            code: Code::parse(code).unwrap(),
            valid_minutes: 10,
        }
    }

    fn attempt(first_name: &str) -> MailMessage {
        MailMessage::RegistrationAttempt {
            first_name: first_name.to_owned(),
        }
    }

    fn ending(first_name: &str, course_title: &str, expires_at: &str) -> MailMessage {
        MailMessage::AccessEnding {
            first_name: first_name.to_owned(),
            course_title: course_title.to_owned(),
            expires_at: expires_at.parse().unwrap(),
        }
    }

    fn ended(first_name: &str, course_title: &str) -> MailMessage {
        MailMessage::AccessEnded {
            first_name: first_name.to_owned(),
            course_title: course_title.to_owned(),
        }
    }

    /// One message of every kind without a code.
    fn notices() -> [MailMessage; 3] {
        [
            attempt("Aziz"),
            ending("Aziz", "Python asoslari", "2026-12-01T09:30:00Z"),
            ended("Aziz", "Python asoslari"),
        ]
    }

    fn six_digit_lines(text: &str) -> Vec<&str> {
        text.lines()
            .filter(|l| l.len() == 6 && l.chars().all(|c| c.is_ascii_digit()))
            .collect()
    }

    #[test]
    fn each_purpose_has_its_own_subject() {
        let subjects: HashSet<String> = PURPOSES
            .iter()
            .map(|p| render(&code_mail(*p, "123456")).subject)
            .chain(notices().iter().map(|m| render(m).subject))
            .collect();
        assert_eq!(subjects.len(), PURPOSES.len() + 3, "{subjects:?}");
        assert!(subjects.iter().all(|s| s.starts_with("Bilim: ")));
        assert_eq!(
            render(&code_mail(CodePurpose::Register, "123456")).subject,
            "Bilim: ro\u{2bb}yxatdan o\u{2bb}tish kodi"
        );
        assert_eq!(
            render(&code_mail(CodePurpose::AdminLogin, "123456")).subject,
            "Bilim: administrator kirish kodi"
        );
    }

    #[test]
    fn the_code_is_alone_on_exactly_one_line_with_leading_zeros() {
        for purpose in PURPOSES {
            let rendered = render(&code_mail(purpose, "004217"));
            assert_eq!(
                six_digit_lines(&rendered.text),
                ["004217"],
                "{purpose:?}:\n{}",
                rendered.text
            );
            // No other line mentions it.
            assert_eq!(rendered.text.matches("004217").count(), 1, "{purpose:?}");
            assert!(rendered.html.contains(">004217<"), "{}", rendered.html);
        }
    }

    #[test]
    fn the_subject_never_holds_the_code() {
        for purpose in PURPOSES {
            for code in ["004217", "000000", "999999", "100000"] {
                let rendered = render(&code_mail(purpose, code));
                assert!(
                    !rendered.subject.chars().any(|c| c.is_ascii_digit()),
                    "{}",
                    rendered.subject
                );
                assert!(!rendered.subject.contains(code));
            }
        }
    }

    #[test]
    fn code_mail_says_how_long_and_that_it_is_safe_to_ignore() {
        let message = MailMessage::Code {
            purpose: CodePurpose::Login,
            code: Code::parse("123456").unwrap(),
            valid_minutes: 15,
        };
        let rendered = render(&message);
        assert!(
            rendered
                .text
                .contains("Kod 15 daqiqa davomida amal qiladi.")
        );
        assert!(rendered.text.contains("eʼtiborsiz qoldirishingiz mumkin"));
        assert!(
            rendered
                .text
                .contains("Bu kodsiz hech kim hisobingizga kira olmaydi.")
        );
        assert!(
            rendered
                .html
                .contains("Kod 15 daqiqa davomida amal qiladi.")
        );
    }

    #[test]
    fn registration_attempt_explains_both_cases() {
        let rendered = render(&attempt("Oʻktam"));
        assert!(rendered.text.starts_with("Assalomu alaykum, Oʻktam!\n"));
        assert!(
            rendered
                .text
                .contains("hisobingizga kiring yoki parolingizni tiklang")
        );
        assert!(rendered.text.contains("Agar bu siz boʻlmasangiz"));
        assert!(six_digit_lines(&rendered.text).is_empty());
        assert!(rendered.html.contains("Assalomu alaykum, Oʻktam!"));
    }

    #[test]
    fn access_ending_names_the_course_and_the_tashkent_date() {
        // 21:10 UTC is already the next day in Tashkent.
        let rendered = render(&ending(
            "Gʻayrat",
            "Python asoslari",
            "2026-11-30T21:10:00Z",
        ));
        assert_eq!(rendered.subject, "Bilim: kursga kirish muddati tugamoqda");
        assert!(rendered.text.starts_with("Assalomu alaykum, Gʻayrat!\n"));
        assert!(
            rendered.text.contains(
                "«Python asoslari» kursiga kirish muddatingiz 2026-yil 1-dekabr, \
                 soat 02:10 (Toshkent vaqti) tugaydi."
            ),
            "{}",
            rendered.text
        );
        assert!(
            rendered.html.contains("«Python asoslari»"),
            "{}",
            rendered.html
        );
        assert!(
            rendered.html.contains("2026-yil 1-dekabr"),
            "{}",
            rendered.html
        );
        assert!(six_digit_lines(&rendered.text).is_empty());
    }

    #[test]
    fn tashkent_time_uses_uzbek_month_names() {
        let at = |s: &str| s.parse::<DateTime<Utc>>().unwrap();
        assert_eq!(
            tashkent_time(at("2027-01-05T04:07:00Z")),
            "2027-yil 5-yanvar, soat 09:07 (Toshkent vaqti)"
        );
        assert_eq!(
            tashkent_time(at("2026-12-31T19:00:00Z")),
            "2027-yil 1-yanvar, soat 00:00 (Toshkent vaqti)"
        );
        assert_eq!(
            tashkent_time(at("2026-09-15T12:00:00Z")),
            "2026-yil 15-sentabr, soat 17:00 (Toshkent vaqti)"
        );
    }

    #[test]
    fn access_ended_names_the_course() {
        let rendered = render(&ended("", "Ingliz tili: B1"));
        assert_eq!(rendered.subject, "Bilim: kursga kirish muddati tugadi");
        assert!(rendered.text.starts_with("Assalomu alaykum!\n"));
        assert!(
            rendered
                .text
                .contains("«Ingliz tili: B1» kursiga kirish muddatingiz tugadi."),
            "{}",
            rendered.text
        );
        assert!(
            rendered.html.contains("«Ingliz tili: B1»"),
            "{}",
            rendered.html
        );
    }

    #[test]
    fn a_course_title_cannot_add_lines_or_markup() {
        let title = "Kurs\r\n\r\n123456 <b>&amp;</b>";
        for message in [
            ending("Aziz", title, "2026-12-01T09:30:00Z"),
            ended("Aziz", title),
        ] {
            let rendered = render(&message);
            assert!(
                rendered.text.contains("«Kurs 123456 <b>&amp;</b>» kursiga"),
                "{}",
                rendered.text
            );
            assert!(six_digit_lines(&rendered.text).is_empty());
            assert!(!rendered.html.contains("<b>"), "{}", rendered.html);
            assert!(
                rendered
                    .html
                    .contains("«Kurs 123456 &lt;b&gt;&amp;amp;&lt;/b&gt;» kursiga"),
                "{}",
                rendered.html
            );
        }
        let long = "x".repeat(500);
        let text = render(&ended("Aziz", &long)).text;
        assert!(text.contains(&format!("«{}»", "x".repeat(200))));
        assert!(!text.contains(&"x".repeat(201)));
    }

    #[test]
    fn a_name_cannot_add_lines() {
        let rendered = render(&attempt("Aziz\r\n\r\n123456\u{2028}\u{7}Bek"));
        assert!(
            rendered
                .text
                .starts_with("Assalomu alaykum, Aziz 123456 Bek!\n")
        );
        assert!(six_digit_lines(&rendered.text).is_empty());
        let blank = render(&attempt(" \n "));
        assert!(blank.text.starts_with("Assalomu alaykum!\n"));
    }

    #[test]
    fn html_escapes_every_interpolated_value() {
        let name = "<script>alert(\"x\")</script> & 'Ali' <img src=x>";
        let html = render(&attempt(name)).html;
        assert!(!html.contains("<script"), "{html}");
        assert!(!html.contains("<img"), "{html}");
        assert!(
            html.contains(
                "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &#39;Ali&#39; \
                 &lt;img src=x&gt;"
            ),
            "{html}"
        );
        assert_eq!(
            escape_html(r#"<a href="x">&'</a>"#),
            "&lt;a href=&quot;x&quot;&gt;&amp;&#39;&lt;/a&gt;"
        );
        assert_eq!(escape_html("oʻ gʻ taʼlim"), "oʻ gʻ taʼlim");
    }

    #[test]
    fn html_has_no_external_resources() {
        let all = PURPOSES
            .iter()
            .map(|p| render(&code_mail(*p, "123456")))
            .chain(notices().iter().map(render).collect::<Vec<_>>());
        for rendered in all {
            let html = rendered.html.to_ascii_lowercase();
            for banned in [
                "<img", "<script", "<a ", "<link", "src=", "href=", "url(", "http",
            ] {
                assert!(!html.contains(banned), "{banned} in {html}");
            }
            assert!(html.starts_with("<!doctype html>"));
        }
    }

    #[test]
    fn uzbek_letters_use_the_right_apostrophes() {
        let all = PURPOSES
            .iter()
            .map(|p| render(&code_mail(*p, "123456")))
            .chain(notices().iter().map(render).collect::<Vec<_>>());
        for rendered in all {
            for part in [&rendered.subject, &rendered.text, &rendered.html] {
                for wrong in ['\'', '\u{2018}', '\u{2019}', '`'] {
                    assert!(!part.contains(wrong), "{wrong:?} in {part}");
                }
            }
            assert!(rendered.text.contains("oʻ"), "{}", rendered.text);
        }
    }

    #[test]
    fn debug_does_not_show_the_bodies() {
        let shown = format!("{:?}", render(&code_mail(CodePurpose::Login, "004217")));
        assert!(!shown.contains("004217"), "{shown}");
        assert!(shown.contains("Bilim: kirish kodi"), "{shown}");
    }
}
