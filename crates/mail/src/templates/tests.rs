//! Unit tests of the mail templates: one subject per purpose, the code alone
//! on its line and never in the subject, the access mails' Tashkent dates,
//! cleaning and escaping of names and titles, and the Uzbek apostrophes.

use super::access::tashkent_time;
use super::letter::escape_html;
use super::*;
use bilim_domain::ports::CodePurpose;
use bilim_domain::values::Code;
use chrono::{DateTime, Utc};
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
