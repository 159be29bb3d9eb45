//! Unit tests of the certificate layout: every part once, long texts within
//! the page without overlaps, and the Tashkent date.

use super::*;

fn fonts() -> (Font, Font) {
    (
        Font::load(Weight::Regular).unwrap(),
        Font::load(Weight::Bold).unwrap(),
    )
}

fn document() -> CertificateDocument {
    CertificateDocument {
        holder_name: "Gʻayrat Oʻktamov".to_owned(),
        course_title: "Python dasturlash asoslari".to_owned(),
        certificate_title: "Kursni tamomlaganlik toʻgʻrisida".to_owned(),
        issued_at: "2026-11-30T21:10:00Z".parse().unwrap(),
        serial: "BLM-2026-000123".to_owned(),
        check_url: "https://bilim.uz/sertifikat/BLM-2026-000123".to_owned(),
    }
}

/// `[left, bottom, right, top]` of a line's ink, roughly.
fn ink(line: &Line) -> [f32; 4] {
    [
        line.x,
        line.baseline - 0.24 * line.size,
        line.x + line.width,
        line.baseline + 0.93 * line.size,
    ]
}

fn assert_fits(page: &Page) {
    for line in &page.lines {
        let [left, bottom, right, top] = ink(line);
        assert!(left >= MARGIN && right <= PAGE_WIDTH - MARGIN, "{line:?}");
        assert!(bottom >= MARGIN && top <= PAGE_HEIGHT - MARGIN, "{line:?}");
    }
    for (i, a) in page.lines.iter().enumerate() {
        for b in &page.lines[i + 1..] {
            let [al, ab, ar, at] = ink(a);
            let [bl, bb, br, bt] = ink(b);
            let apart = ar <= bl || br <= al || at <= bb || bt <= ab;
            assert!(apart, "overlap:\n{a:?}\n{b:?}");
        }
    }
}

fn texts(page: &Page) -> Vec<&str> {
    page.lines.iter().map(|l| l.text.as_str()).collect()
}

#[test]
fn a_typical_certificate_has_every_part_once() {
    let (regular, bold) = fonts();
    let page = certificate(&document(), &regular, &bold).unwrap();
    assert_eq!(
        texts(&page),
        [
            "BILIM",
            "SERTIFIKAT",
            "Kursni tamomlaganlik toʻgʻrisida",
            "Sertifikat egasi",
            "Gʻayrat Oʻktamov",
            "quyidagi kursni muvaffaqiyatli tamomladi",
            "Python dasturlash asoslari",
            "Berilgan sana",
            "2026-yil 1-dekabr",
            "Sertifikat raqami",
            "BLM-2026-000123",
            "Haqiqiyligini tekshirish: https://bilim.uz/sertifikat/BLM-2026-000123",
        ]
    );
    let name = &page.lines[4];
    assert_eq!((name.weight, name.size), (Weight::Bold, 30.0));
    assert!((name.x + name.width / 2.0 - CENTRE).abs() < 0.01);
    assert_fits(&page);
    let link = page.link.unwrap();
    assert_eq!(link.uri, "https://bilim.uz/sertifikat/BLM-2026-000123");
    let check = page.lines.last().unwrap();
    assert!(link.rect[0] <= check.x && link.rect[2] >= check.x + check.width);
    assert!(link.rect[1] < check.baseline && link.rect[3] > check.baseline);
}

#[test]
fn the_longest_texts_stay_on_the_page_without_overlapping() {
    let (regular, bold) = fonts();
    let worst = [
        ("Ш", "W", "m"),
        (
            "Gʻayrat Oʻktamov ",
            "Маълумотлар базаси ",
            "Kursni tamomlaganlik ",
        ),
        ("Abdurahmonov", "ЎҚҒҲўқғҳ", "WWWW MMMM "),
    ];
    for (name, course, title) in worst {
        let at_most = |s: &str| s.repeat(200).chars().take(200).collect::<String>();
        let document = CertificateDocument {
            holder_name: at_most(name),
            course_title: at_most(course),
            certificate_title: at_most(title),
            serial: "S".repeat(80),
            check_url: format!("https://bilim.uz/{}", "x/".repeat(200)),
            ..document()
        };
        let page = certificate(&document, &regular, &bold).unwrap();
        assert_fits(&page);
    }
}

#[test]
fn realistic_long_texts_are_not_cut() {
    let (regular, bold) = fonts();
    let name = "Gʻayrat Oʻktamov Abdurahmon oʻgʻli ".repeat(6);
    let course = "Маълумотлар базаси ва SQL: қўлланма, ғоя, ҳаёт — ".repeat(4);
    let document = CertificateDocument {
        holder_name: name.chars().take(200).collect(),
        course_title: course.chars().take(200).collect(),
        ..document()
    };
    let page = certificate(&document, &regular, &bold).unwrap();
    assert!(page.lines.iter().all(|l| !l.text.contains('…')));
    assert_fits(&page);
}

#[test]
fn empty_texts_still_lay_out() {
    let (regular, bold) = fonts();
    let document = CertificateDocument {
        holder_name: String::new(),
        course_title: " ".to_owned(),
        certificate_title: String::new(),
        serial: String::new(),
        check_url: String::new(),
        ..document()
    };
    let page = certificate(&document, &regular, &bold).unwrap();
    assert!(page.link.is_none());
    assert_fits(&page);
}

#[test]
fn the_date_is_in_tashkent_with_uzbek_month_names() {
    let on = |s: &str| issued_on(s.parse().unwrap());
    assert_eq!(on("2026-11-30T21:10:00Z"), "2026-yil 1-dekabr");
    assert_eq!(on("2026-11-30T18:59:59Z"), "2026-yil 30-noyabr");
    assert_eq!(on("2027-01-05T04:07:00Z"), "2027-yil 5-yanvar");
    assert_eq!(on("2026-09-15T12:00:00Z"), "2026-yil 15-sentabr");
}
